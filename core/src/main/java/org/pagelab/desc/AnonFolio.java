package org.pagelab.desc;

/**
 * An anonymous folio: process memory with no file behind it. It is swap-backed; when reclaim
 * swaps it out it lives in a swap device's swap cache, whose mapping and slot are its cache state.
 */
public final class AnonFolio extends Folio implements SwapBacked {
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

    /**
     * PageAnonExclusive of page {@code k}: whether only one mapping may use it, so a write may
     * reuse it in place. The kernel keeps this per page; pagelab keeps the folio's
     * {@link FolioFlags.Flag#ANON_EXCLUSIVE} for an order-0 folio and, for a large one, that flag
     * less the pages marked shared (fork shares some pages of a huge page and not others).
     */
    public boolean pageExclusive(int k) {
        long[] shared = sharedPages();
        return test(FolioFlags.Flag.ANON_EXCLUSIVE) && (shared == null || (shared[k >>> 6] & 1L << k) == 0);
    }

    /** The pages that lost PageAnonExclusive, a bit each, or null while none has (always null on an order-0 folio). */
    private long[] sharedPages() {
        FolioTail t = tail();
        return t == null ? null : t.sharedPages;
    }

    /** Clears PageAnonExclusive of page {@code k} (fork shared it, or its entry may be copied). */
    public void clearPageExclusive(int k) {
        if (nrPages() == 1) {
            clear(FolioFlags.Flag.ANON_EXCLUSIVE);
            return;
        }
        FolioTail t = tailForUpdate();
        if (t.sharedPages == null) {
            t.sharedPages = new long[(nrPages() + 63) >>> 6];
        }
        t.sharedPages[k >>> 6] |= 1L << k;
    }

    /** Sets PageAnonExclusive of page {@code k} (a write or unshare reuses it as the only user). */
    public void setPageExclusive(int k) {
        if (nrPages() == 1 || !test(FolioFlags.Flag.ANON_EXCLUSIVE)) {
            if (nrPages() > 1) {
                // the folio's first exclusive page: every other page is shared
                long[] shared = new long[(nrPages() + 63) >>> 6];
                java.util.Arrays.fill(shared, -1L);
                tailForUpdate().sharedPages = shared;
            }
            set(FolioFlags.Flag.ANON_EXCLUSIVE);
        }
        long[] shared = sharedPages();
        if (shared != null) {
            shared[k >>> 6] &= ~(1L << k);
        }
    }

    /**
     * Gives this new folio the reverse-map state of {@code from}, which it replaces in a migration:
     * anon_vma, linear index and the exclusive mark of every page (folio_migrate_flags and the
     * anon half of folio_migrate_mapping). Requires: same order.
     */
    public void takeAnonState(AnonFolio from) {
        if (from.nrPages() != nrPages()) {
            throw new IllegalArgumentException("anon state of " + from + " given to " + this);
        }
        this.anonMapping = from.anonMapping;
        this.linearIndex = from.linearIndex;
        long[] shared = from.sharedPages();
        if (shared != null) {
            tailForUpdate().sharedPages = shared.clone();
        } else if (tail() != null) {
            tail().sharedPages = null;
        }
    }

    @Override
    public AnonFolio folio() {
        return this;
    }

    @Override
    public String kind() {
        return "anon";
    }
}
