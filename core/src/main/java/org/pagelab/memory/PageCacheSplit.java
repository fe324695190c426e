package org.pagelab.memory;

import java.util.function.Supplier;
import org.pagelab.desc.FolioFlags.Flag;
import org.pagelab.desc.PageCacheFolio;
import org.pagelab.filemap.PageCache;
import org.pagelab.lruvec.LruVec;
import org.pagelab.phys.MemSize;
import org.pagelab.phys.PageAllocator;
import org.pagelab.reclaim.Vmscan;
import org.pagelab.rmap.Rmap;
import org.pagelab.stat.VmItem;
import org.pagelab.stat.VmStat;

/**
 * split_huge_page of a large page-cache folio (mm/huge_memory.c split_huge_page_to_list and
 * __split_huge_page for a file folio). Unlike an anonymous folio's split ({@link HugeMemory#split}),
 * which keeps the folio mapped through migration entries, a file folio is unmapped first
 * (unmap_folio: try_to_unmap with TTU_SPLIT_HUGE_PMD, the PTEs' dirty bits going to the folio),
 * and no PTE maps the pieces after: the processes fault them in again from the page cache.
 *
 * <p>Each frame becomes an order-0 page-cache folio with the old folio's flags (dirty ones stay
 * dirty and tagged in the index), its memory cgroup charge, its place on the LRU (or its
 * isolation) and its slot in the cache index; a page at or beyond the end of file leaves the cache
 * and is freed, its dirt cancelled. Buffer heads go with the old folio (filemap_release_folio).
 * Frames keep their contents, so every byte survives. The split fails (thp_split_page_failed)
 * when a reference is not accounted for by the mappings, the cache, the caller and the isolation
 * (a GUP get or pin), and, uncounted, while the folio is under writeback or out of its cache.
 */
final class PageCacheSplit {
    private final PageAllocator phys;
    private final VmStat vmstat;
    private final Supplier<Vmscan> vmscan;
    private final Rmap rmap;
    private final HugePmd pmd;

    PageCacheSplit(PageAllocator phys, VmStat vmstat, Supplier<Vmscan> vmscan, Rmap rmap, HugePmd pmd) {
        this.phys = phys;
        this.vmstat = vmstat;
        this.vmscan = vmscan;
        this.rmap = rmap;
        this.pmd = pmd;
    }

    /**
     * Splits large page-cache folio {@code f}, which nothing but its mappings, its cache and, when
     * it is off the LRU, an isolation holds. Returns the new folios by page, null where a page
     * left the cache and was freed, or null when the folio cannot be split now.
     */
    PageCacheFolio[] split(PageCacheFolio f) {
        int n = f.nrPages();
        if (n == 1) {
            return new PageCacheFolio[] {f};
        }
        if (f.isDead()) {
            throw new IllegalStateException("split of a freed folio: " + f);
        }
        if (f.test(Flag.WRITEBACK) || !(f.mapping() instanceof PageCache cache) || cache.host() == null) {
            return null; // -EBUSY before any count
        }
        boolean isolated = !f.test(Flag.LRU);
        int iso = isolated ? 1 : 0;
        if (f.pincount() > 0 || f.refcount() != f.mapcount() + iso + n) {
            vmstat.inc(VmItem.THP_SPLIT_PAGE_FAILED); // can_split_folio
            return null;
        }
        // unmap_folio: the PMDs first (TTU_SPLIT_HUGE_PMD), then every PTE
        pmd.splitFolioPmds(f);
        if (!rmap.tryToUnmap(f, k -> 0)) {
            throw new IllegalStateException("try_to_unmap left a mapping of an unpinned page-cache folio: " + f);
        }
        long end = (cache.host().size() + MemSize.PAGE_SIZE - 1) >> MemSize.PAGE_SHIFT;
        LruVec lruvec = vmscan.get().lruvecOf(f);
        if (!isolated) {
            lruvec.del(f);
        }
        phys.memmap().clear(f);
        PageCacheFolio[] out = new PageCacheFolio[n];
        PageCacheFolio[] all = new PageCacheFolio[n];
        for (int k = 0; k < n; k++) {
            PageCacheFolio nf = new PageCacheFolio(f.pfn() + k, 0);
            all[k] = nf;
            nf.inheritFlags(f);
            nf.clear(Flag.LRU);
            nf.clear(Flag.READAHEAD);
            nf.setMemcgId(f.memcgId()); // the charge of the whole folio is shared among its pages
            phys.memmap().install(nf);
            if (f.index() + k < end) {
                out[k] = nf;
            }
        }
        if (f.test(Flag.READAHEAD) && out[0] != null) {
            out[0].set(Flag.READAHEAD);
        }
        cache.splitPageCacheFolio(f, out); // each kept page takes its slot; the ones past the end leave
        f.refSub(f.refcount());
        f.markDead();
        for (int k = 0; k < n; k++) {
            PageCacheFolio nf = out[k];
            if (nf == null) {
                PageCacheFolio unused = all[k];
                unused.clear(Flag.ACTIVE);
                unused.clear(Flag.DIRTY);
                unused.refSub(1);
                phys.free(unused);
                continue;
            }
            // born with the cache's reference; an isolated folio's pieces are each isolated
            if (iso > 0) {
                nf.refAdd(iso);
            }
            if (!isolated) {
                lruvec.add(nf);
            }
        }
        vmstat.inc(VmItem.THP_SPLIT_PAGE);
        return out;
    }
}
