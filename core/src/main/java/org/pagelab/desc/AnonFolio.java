package org.pagelab.desc;

/**
 * An anonymous folio: process memory with no file behind it. It is swap-backed; when reclaim
 * swaps it out it lives in a swap device's swap cache, whose mapping and slot are its cache state.
 */
public final class AnonFolio extends Folio {
    private AnonMapping anonMapping;
    private long linearIndex;

    public AnonFolio(int pfn, int order) {
        super(pfn, order);
        set(FolioFlags.Flag.SWAPBACKED);
    }

    /**
     * The anon_vma whose VMAs may map this folio (the kernel's anon {@code folio->mapping}), or
     * null before the folio is first mapped.
     */
    public AnonMapping anonMapping() {
        return anonMapping;
    }

    /**
     * The folio's linear page index in the VMAs of its anon_vma: a VMA maps it at
     * {@code start + (linearIndex - pgoff) * PAGE_SIZE}. Kept apart from {@link #index()}, which is
     * the folio's slot while it is in a swap cache.
     */
    public long linearIndex() {
        return linearIndex;
    }

    /** Records the anon_vma and linear index under which the folio is mapped (folio_add_new_anon_rmap, folio_move_anon_rmap). */
    public void setAnonRmap(AnonMapping m, long linearIndex) {
        this.anonMapping = m;
        this.linearIndex = linearIndex;
    }

    @Override
    public String kind() {
        return "anon";
    }
}
