package org.pagelab.reclaim;

/**
 * What a reverse-map walk over a folio found, the kernel's folio_referenced result and its
 * {@code vm_flags} out-parameter. The walk itself (test and clear of every mapping PTE's accessed
 * bit) belongs to rmap; reclaim only reads this summary.
 *
 * @param referencedPtes number of mappings whose accessed bit was set (and has now been cleared)
 * @param inExecVma      whether one of those referencing mappings is in a VM_EXEC area
 * @param inLockedVma    whether the walk found the folio mapped in a VM_LOCKED area
 */
public record RmapReferences(int referencedPtes, boolean inExecVma, boolean inLockedVma) {
    /** A walk that found no referencing mapping. */
    public static final RmapReferences NONE = new RmapReferences(0, false, false);

    public RmapReferences {
        if (referencedPtes < 0) {
            throw new IllegalArgumentException("negative referenced PTE count: " + referencedPtes);
        }
    }

    /** A walk that found {@code n} referencing mappings, none executable or locked. */
    public static RmapReferences ptes(int n) {
        return new RmapReferences(n, false, false);
    }

    /** Whether any mapping was referenced. */
    public boolean referenced() {
        return referencedPtes > 0;
    }
}
