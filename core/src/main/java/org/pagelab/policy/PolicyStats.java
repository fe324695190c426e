package org.pagelab.policy;

/**
 * The outcome of a policy-only replay: {@code accesses == hits + misses} and
 * {@code missRatio == misses / accesses} (0 when there were no accesses).
 *
 * @param policy   the registry name of the policy
 * @param pages    the capacity in pages
 * @param accesses the accesses replayed
 * @param hits     accesses that found their key resident
 * @param misses   accesses that inserted their key
 */
public record PolicyStats(String policy, int pages, long accesses, long hits, long misses) {

    /** Requires: counts non-negative and {@code accesses == hits + misses}. */
    public PolicyStats {
        if (pages < 1 || hits < 0 || misses < 0 || accesses != hits + misses) {
            throw new IllegalArgumentException("inconsistent stats: pages=" + pages
                    + " accesses=" + accesses + " hits=" + hits + " misses=" + misses);
        }
    }

    /** {@code misses / accesses}, or 0 when nothing was accessed. */
    public double missRatio() {
        return accesses == 0 ? 0.0 : (double) misses / accesses;
    }

    /** {@code hits / accesses}, or 0 when nothing was accessed. */
    public double hitRatio() {
        return accesses == 0 ? 0.0 : (double) hits / accesses;
    }
}
