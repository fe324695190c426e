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
 */
public record AllocRequest(int order, ZoneType highestZone, boolean zero, boolean mayReclaim, Purpose purpose) {

    /** What an allocation is for. */
    public enum Purpose { ANON, PAGECACHE, SLAB, PAGETABLE, OTHER }

    public AllocRequest {
        if (order < 0 || order > org.pagelab.desc.MemDesc.MAX_ORDER) {
            throw new IllegalArgumentException("allocation order out of range: " + order);
        }
        if (highestZone == null || purpose == null) {
            throw new IllegalArgumentException("zone and purpose are required");
        }
    }

    /** GFP_HIGHUSER_MOVABLE | __GFP_ZERO: a zeroed anonymous page. */
    public static AllocRequest anon(int order) {
        return new AllocRequest(order, ZoneType.NORMAL, true, true, Purpose.ANON);
    }

    /** The page cache's mapping_gfp_mask: unzeroed, may reclaim. */
    public static AllocRequest pageCache(int order) {
        return new AllocRequest(order, ZoneType.NORMAL, false, true, Purpose.PAGECACHE);
    }

    /** GFP_KERNEL for a slab page. */
    public static AllocRequest slab(int order) {
        return new AllocRequest(order, ZoneType.NORMAL, false, true, Purpose.SLAB);
    }

    /** GFP_PGTABLE_USER: a zeroed page-table page. */
    public static AllocRequest pageTable() {
        return new AllocRequest(0, ZoneType.NORMAL, true, true, Purpose.PAGETABLE);
    }
}
