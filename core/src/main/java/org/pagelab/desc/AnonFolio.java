package org.pagelab.desc;

/**
 * An anonymous folio: process memory with no file behind it. It is swap-backed; when reclaim
 * swaps it out it lives in a swap device's swap cache, whose mapping and slot are its cache state.
 */
public final class AnonFolio extends Folio {
    public AnonFolio(int pfn, int order) {
        super(pfn, order);
        set(FolioFlags.Flag.SWAPBACKED);
    }

    @Override
    public String kind() {
        return "anon";
    }
}
