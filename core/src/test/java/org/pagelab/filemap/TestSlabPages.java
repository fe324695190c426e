package org.pagelab.filemap;

import org.pagelab.desc.SlabCache;
import org.pagelab.desc.SlabPage;
import org.pagelab.slab.SlabPageSource;

/**
 * A slab page source for tests: hands out slab pages at increasing, naturally aligned fake pfns,
 * and runs out of memory when told to.
 */
public final class TestSlabPages implements SlabPageSource {
    private int nextPfn;
    private long pagesLeft = Long.MAX_VALUE;
    private long livePages;
    private long failures;

    /** A source whose first page is at pfn 2^20, clear of the pfns tests give their folios. */
    public TestSlabPages() {
        this(1 << 20);
    }

    /** A source whose first page is at {@code firstPfn}. */
    public TestSlabPages(int firstPfn) {
        this.nextPfn = firstPfn;
    }

    @Override
    public SlabPage allocSlab(SlabCache cache, int order) {
        final int n = 1 << order;
        if (pagesLeft < n) {
            failures++;
            return null;
        }
        if (pagesLeft != Long.MAX_VALUE) {
            pagesLeft -= n;
        }
        final int pfn = (nextPfn + n - 1) & -n;
        nextPfn = pfn + n;
        livePages += n;
        return new SlabPage(pfn, order, cache);
    }

    @Override
    public void freeSlab(SlabPage slab) {
        livePages -= slab.nrPages();
        slab.markDead();
    }

    /** Hands out {@code pages} more pages, then fails every request until {@link #neverFail()}. */
    public void failAfter(long pages) {
        pagesLeft = pages;
    }

    /** Hands out pages without limit again. */
    public void neverFail() {
        pagesLeft = Long.MAX_VALUE;
    }

    /** Pages handed out and not yet freed. */
    public long livePages() {
        return livePages;
    }

    /** Requests refused so far. */
    public long failures() {
        return failures;
    }
}
