package org.pagelab.workingset;

/**
 * What {@link Workingset#refault} made of a folio coming back over a shadow entry.
 */
public sealed interface Refault {
    /**
     * The shadow names a node or memory cgroup this machine does not have (in the kernel: the
     * cgroup was deleted since the eviction). Nothing was counted and the folio is unchanged.
     *
     * @param nodeId  the node id in the shadow
     * @param memcgId the memcg id in the shadow
     */
    record Foreign(int nodeId, int memcgId) implements Refault {
    }

    /**
     * The refault was counted and judged.
     *
     * @param distance       pages evicted or activated on the lruvec between eviction and now,
     *                       modulo the timestamp width (times the bucket size)
     * @param workingsetSize the pages the folio had to compete with: the bound on the distance
     * @param verdict        what became of the folio
     */
    record Evaluated(long distance, long workingsetSize, Verdict verdict) implements Refault {
        /** Whether the folio was set ACTIVE. */
        public boolean activated() {
            return verdict == Verdict.ACTIVATED || verdict == Verdict.RESTORED;
        }
    }

    /** The outcomes of a counted refault. */
    enum Verdict {
        /** The distance exceeds the working set size: the folio goes to the inactive list. */
        TOO_FAR,
        /** Detection is switched off: the folio goes to the inactive list whatever the distance. */
        DETECTION_OFF,
        /** The distance fits: the folio is set ACTIVE. */
        ACTIVATED,
        /**
         * The distance fits and the folio had been in the working set when evicted: set ACTIVE and
         * WORKINGSET, and the refault is charged as reclaim cost.
         */
        RESTORED
    }
}
