package org.pagelab.memory;

import org.pagelab.desc.ReservedBlock;
import org.pagelab.phys.AllocRequest;
import org.pagelab.phys.PageAllocator;
import org.pagelab.phys.ZoneType;
import org.pagelab.reclaim.Shrinker;
import org.pagelab.stat.VmItem;
import org.pagelab.stat.VmStat;

/**
 * The huge zero page (mm/huge_memory.c: get_huge_zero_page, set_huge_zero_page and the
 * huge_zero_page shrinker): one order-9 block of zeros that a read fault on an empty, eligible
 * 2 MiB range maps read-only with one PMD, so that reading a huge range costs no memory per
 * process. It is allocated on first use (thp_zero_page_alloc; thp_zero_page_alloc_failed when no
 * free 2 MiB block exists, and the fault then falls back to the 4 KiB zero page), kept while any
 * PMD maps it, and freed by its shrinker once none does.
 *
 * <p>The kernel keeps a reference per address space that ever mapped it (MMF_HUGE_ZERO_PAGE),
 * dropped when that address space exits; pagelab counts the PMD mappings instead, so the shrinker
 * may free the block once the last mapping is zapped or split rather than at the last exit. The
 * difference is only when the block goes back to the free lists.
 *
 * <p>The block is a {@link ReservedBlock} of purpose {@link ReservedBlock#HUGE_ZERO_PAGE}: no
 * folio, not on an LRU, charged to no memory cgroup, counted in no meminfo line but MemTotal.
 */
final class HugeZeroPage implements Shrinker {
    private final PageAllocator phys;
    private final VmStat vmstat;
    private ReservedBlock page;
    private long pmdMaps;

    HugeZeroPage(PageAllocator phys, VmStat vmstat) {
        this.phys = phys;
        this.vmstat = vmstat;
    }

    /**
     * get_huge_zero_page: the block, allocated now if there is none (zeroed, from the free lists
     * only, waking no one); null when no order-9 block is free.
     */
    ReservedBlock get() {
        if (page == null) {
            AllocRequest req = new AllocRequest(HugeMemory.HPAGE_PMD_ORDER, ZoneType.NORMAL, true, false,
                    AllocRequest.Purpose.OTHER, false, false, true);
            page = phys.allocIfFree(req, (pfn, order) -> new ReservedBlock(pfn, order, ReservedBlock.HUGE_ZERO_PAGE));
            vmstat.inc(page == null ? VmItem.THP_ZERO_PAGE_ALLOC_FAILED : VmItem.THP_ZERO_PAGE_ALLOC);
        }
        return page;
    }

    /** The block while it is allocated, else null. */
    ReservedBlock current() {
        return page;
    }

    /** Whether frame {@code pfn} belongs to the huge zero page. */
    boolean isHugeZeroPfn(int pfn) {
        return page != null && page.contains(pfn);
    }

    /** PMD mappings of the block, over all address spaces. */
    long pmdMaps() {
        return pmdMaps;
    }

    /** Counts {@code delta} PMD mappings of the block more (or fewer). */
    void pmdMapped(int delta) {
        pmdMaps += delta;
        if (pmdMaps < 0 || page == null) {
            throw new IllegalStateException("huge zero page mapped " + pmdMaps + " times, block " + page);
        }
    }

    @Override
    public String name() {
        return "huge_zero_page";
    }

    /** shrink_huge_zero_page_count: the block's pages when nothing maps it. */
    @Override
    public long countObjects(java.util.function.IntPredicate inMemcg) {
        return page != null && pmdMaps == 0 ? HugeMemory.HPAGE_PMD_NR : 0;
    }

    /** shrink_huge_zero_page_scan: frees the block when nothing maps it. */
    @Override
    public long scanObjects(long nrToScan, java.util.function.IntPredicate inMemcg) {
        if (countObjects(inMemcg) == 0) {
            return 0;
        }
        phys.free(page);
        page = null;
        return HugeMemory.HPAGE_PMD_NR;
    }
}
