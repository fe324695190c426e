package org.pagelab.phys;

/**
 * One page allocation request: the kernel's (gfp_mask, order) made into a record whose fields
 * cannot combine into a meaningless request.
 *
 * @param order        log2 of the pages wanted, 0..10
 * @param highestZone  the highest zone the pages may come from (GFP_DMA32 limits to DMA32)
 * @param zero         whether the frames must read as zero (__GFP_ZERO)
 * @param mayReclaim   whether the caller may enter direct reclaim (__GFP_DIRECT_RECLAIM)
 * @param purpose      what the pages are for, counted per purpose in diagnostics
 * @param atomic       GFP_ATOMIC: the caller cannot sleep, so it may not reclaim but may dip below
 *                     the min watermark, and a high-order one may use and reserve the high-atomic
 *                     pageblocks (gfp_to_alloc_flags: ALLOC_MIN_RESERVE, ALLOC_NON_BLOCK,
 *                     ALLOC_HIGHATOMIC)
 * @param wakeKswapd   __GFP_KSWAPD_RECLAIM: a request that fails the low watermark wakes kswapd
 *                     (every request but a transparent huge page's without it)
 * @param noRetry      __GFP_NORETRY: a costly request whose first direct compaction was skipped or
 *                     deferred gives up without reclaiming
 */
public record AllocRequest(int order, ZoneType highestZone, boolean zero, boolean mayReclaim, Purpose purpose,
        boolean atomic, boolean wakeKswapd, boolean noRetry) {

    /** PAGE_ALLOC_COSTLY_ORDER: orders above it are costly, compacted for and never retried in a loop. */
    public static final int COSTLY_ORDER = 3;

    /** What an allocation is for. */
    public enum Purpose { ANON, PAGECACHE, SLAB, PAGETABLE, OTHER }

    public AllocRequest {
        if (order < 0 || order > org.pagelab.desc.MemDesc.MAX_ORDER) {
            throw new IllegalArgumentException("allocation order out of range: " + order);
        }
        if (highestZone == null || purpose == null) {
            throw new IllegalArgumentException("zone and purpose are required");
        }
        if (atomic && mayReclaim) {
            throw new IllegalArgumentException("an atomic allocation cannot enter direct reclaim");
        }
    }

    /** A request that wakes kswapd and may retry, atomic or not. */
    public AllocRequest(int order, ZoneType highestZone, boolean zero, boolean mayReclaim, Purpose purpose,
            boolean atomic) {
        this(order, highestZone, zero, mayReclaim, purpose, atomic, true, false);
    }

    /** A request that is not atomic (no __GFP_HIGH, may block when {@code mayReclaim}). */
    public AllocRequest(int order, ZoneType highestZone, boolean zero, boolean mayReclaim, Purpose purpose) {
        this(order, highestZone, zero, mayReclaim, purpose, false);
    }

    /** The same request for {@code newOrder} (a smaller order tried after a large one failed). */
    public AllocRequest withOrder(int newOrder) {
        return new AllocRequest(newOrder, highestZone, zero, mayReclaim, purpose, atomic, wakeKswapd, noRetry);
    }

    /** GFP_ATOMIC for kernel memory of {@code purpose}: no reclaim, access to the reserves. */
    public static AllocRequest atomic(int order, Purpose purpose) {
        return new AllocRequest(order, ZoneType.NORMAL, false, false, purpose, true);
    }

    /**
     * A zeroed PMD-sized anonymous folio for a THP fault (GFP_TRANSHUGE_LIGHT, plus
     * __GFP_DIRECT_RECLAIM when {@code direct}, __GFP_KSWAPD_RECLAIM when {@code kswapd},
     * __GFP_NORETRY when {@code noRetry}: vma_thp_gfp_mask).
     */
    public static AllocRequest transHuge(int order, boolean direct, boolean kswapd, boolean noRetry) {
        return new AllocRequest(order, ZoneType.NORMAL, true, direct, Purpose.ANON, false, kswapd, noRetry);
    }

    /** Whether the order is costly (above PAGE_ALLOC_COSTLY_ORDER). */
    public boolean costly() {
        return order > COSTLY_ORDER;
    }

    /** GFP_HIGHUSER_MOVABLE | __GFP_ZERO: a zeroed anonymous page. */
    public static AllocRequest anon(int order) {
        return new AllocRequest(order, ZoneType.NORMAL, true, true, Purpose.ANON);
    }

    /** The page cache's mapping_gfp_mask: unzeroed, may reclaim. */
    public static AllocRequest pageCache(int order) {
        return new AllocRequest(order, ZoneType.NORMAL, false, true, Purpose.PAGECACHE);
    }

    /**
     * readahead_gfp_mask for a large page-cache folio: the mapping's GFP_HIGHUSER_MOVABLE with
     * __GFP_NORETRY (and __GFP_NOWARN), so a costly order fails early and readahead takes smaller
     * folios instead.
     */
    public static AllocRequest readahead(int order) {
        return new AllocRequest(order, ZoneType.NORMAL, false, true, Purpose.PAGECACHE, false, true, true);
    }

    /** GFP_KERNEL for a slab page. */
    public static AllocRequest slab(int order) {
        return new AllocRequest(order, ZoneType.NORMAL, false, true, Purpose.SLAB);
    }

    /** GFP_PGTABLE_USER: a zeroed page-table page. */
    public static AllocRequest pageTable() {
        return new AllocRequest(0, ZoneType.NORMAL, true, true, Purpose.PAGETABLE);
    }

    /**
     * The allocstall counter a direct reclaim for this request is counted in: the kernel counts it
     * per the reclaim's highest zone index, gfp_zone(gfp_mask), and a movable user or page-cache
     * allocation (GFP_HIGHUSER_MOVABLE) names ZONE_MOVABLE even on a machine where that zone is
     * empty, so /proc/vmstat shows these stalls as allocstall_movable.
     */
    public org.pagelab.stat.VmItem allocstallItem() {
        if (highestZone == ZoneType.DMA32) {
            return org.pagelab.stat.VmItem.ALLOCSTALL_DMA32;
        }
        return switch (purpose) {
            case ANON, PAGECACHE -> org.pagelab.stat.VmItem.ALLOCSTALL_MOVABLE;
            case SLAB, PAGETABLE, OTHER -> org.pagelab.stat.VmItem.ALLOCSTALL_NORMAL;
        };
    }
}
