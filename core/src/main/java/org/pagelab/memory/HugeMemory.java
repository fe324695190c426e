package org.pagelab.memory;

import java.util.function.Supplier;
import org.pagelab.desc.AnonFolio;
import org.pagelab.desc.FolioFlags.Flag;
import org.pagelab.desc.PageTablePage;
import org.pagelab.lruvec.LruVec;
import org.pagelab.pgtable.PageTable;
import org.pagelab.pgtable.Pte;
import org.pagelab.phys.AllocRequest;
import org.pagelab.phys.PageAllocator;
import org.pagelab.reclaim.Vmscan;
import org.pagelab.rmap.Rmap;
import org.pagelab.stat.VmItem;
import org.pagelab.stat.VmStat;
import org.pagelab.swap.SwapSpace;
import org.pagelab.vma.Vma;
import org.pagelab.vma.VmFlags;

/**
 * Anonymous transparent huge pages (mm/huge_memory.c): the fault that allocates one PMD-sized
 * folio for a whole aligned 2 MiB range, and the split that turns a large folio back into order-0
 * folios. The PMD mapping (a PTE table marked huge, {@link HugePmd}) and its reasons are in the
 * package comment.
 *
 * <h2>Fault</h2>
 * A write fault on an empty PTE of a private anonymous VMA takes this path ({@link AnonOrders}
 * decides) when the 2048 kB size is allowed for the VMA ({@link MthpSettings}: its own setting or
 * the inherited {@link TransparentHugepage}, VM_HUGEPAGE, VM_NOHUGEPAGE), the aligned 2 MiB range
 * around the address lies inside the VMA, and no PTE of that range is in use yet (the kernel's
 * pmd_none). It asks the allocator for an order-9 block as the defrag
 * setting says ({@link ThpDefrag}, vma_thp_gfp_mask): from the free lists only (no reclaim, no
 * kswapd wake-up), or waking kswapd and kcompactd, or with direct compaction and one round of
 * direct reclaim ({@code org.pagelab.compaction}). Got: thp_fault_alloc, and all 512 entries of the
 * table map the folio writable, young and dirty, as the kernel's huge PMD entry is, and the table
 * is marked huge. Not got: thp_fault_fallback, and the order-0 fault runs.
 *
 * <h2>Split</h2>
 * {@link #split} first splits every PMD mapping of the folio (TTU_SPLIT_HUGE_PMD) and takes it
 * off the deferred-split queue, then gives each frame its own order-0 folio: flags copied, per-page map count
 * recomputed through the reverse map, each page's anon index its own, the old folio's place on
 * the LRU (or its isolation) taken by every page that is still used; pages nothing maps or holds
 * are freed. A folio in the swap cache (swapped out whole) leaves each page there at its own
 * slot, except pages that nothing maps and no swap entry names, whose slots are freed. Frames
 * keep their contents, so every byte survives. It fails, as can_split_folio does, when any
 * reference is not accounted for by mappings, the swap cache, the caller and isolation (a GUP
 * get or pin): thp_split_page_failed; and, uncounted, while the folio is under writeback.
 *
 * <p>Invariants (recomputed by the checkers):
 * <pre>
 *   a large anonymous folio is of order 2..HPAGE_PMD_ORDER (large page-cache folios: PageCacheSplit)
 *   a large folio in the swap cache holds 2^order aligned slots, each with its cache bit
 *   nr_anon_transparent_hugepages == anonymous folios whose entire mapcount is positive
 *   folio.pincount == pins GUP holds on it (large folios); 0 on order-0 folios
 * </pre>
 */
final class HugeMemory {
    /** Order of a PMD-sized folio: 2 MiB of 4 KiB pages. */
    static final int HPAGE_PMD_ORDER = 9;
    /** Pages in a PMD-sized folio. */
    static final int HPAGE_PMD_NR = 1 << HPAGE_PMD_ORDER;
    /** Bytes a PMD maps. */
    static final long HPAGE_PMD_SIZE = (long) HPAGE_PMD_NR << PageTable.PAGE_SHIFT;

    private final PageAllocator phys;
    private final VmStat vmstat;
    private final Supplier<Vmscan> vmscan;
    private final Rmap rmap;
    private final SwapSpace swap;
    private final HugePmd pmd;
    private DeferredSplit deferredSplit;
    private TransparentHugepage enabled = TransparentHugepage.ALWAYS;
    private ThpDefrag defrag = ThpDefrag.MADVISE;
    private boolean useZeroPage = true;

    HugeMemory(PageAllocator phys, VmStat vmstat, Supplier<Vmscan> vmscan, Rmap rmap, HugePmd pmd, SwapSpace swap) {
        this.swap = swap;
        this.phys = phys;
        this.vmstat = vmstat;
        this.vmscan = vmscan;
        this.rmap = rmap;
        this.pmd = pmd;
    }

    /** Sets the deferred-split queue a split takes its folio off. Requires: called once, before any split. */
    void setDeferredSplit(DeferredSplit d) {
        this.deferredSplit = d;
    }

    /** Makes PTE table {@code t}, whose 512 entries map order-9 folio {@code f} in order, its PMD mapping. */
    void mapPmd(PageTablePage t, AnonFolio f) {
        pmd.mapFolio(t, f);
    }

    TransparentHugepage enabled() {
        return enabled;
    }

    void setEnabled(TransparentHugepage t) {
        enabled = java.util.Objects.requireNonNull(t);
    }

    ThpDefrag defrag() {
        return defrag;
    }

    void setDefrag(ThpDefrag d) {
        defrag = java.util.Objects.requireNonNull(d);
    }

    /** transparent_hugepage/use_zero_page: whether a read fault maps the huge zero page. */
    boolean useZeroPage() {
        return useZeroPage;
    }

    void setUseZeroPage(boolean use) {
        useZeroPage = use;
    }

    /** The huge zero page's read fault on empty PTE table {@code t}; see {@link HugePmd#faultZero}. */
    Access faultZero(Process p, Vma vma, PageTablePage t) {
        return pmd.faultZero(p, vma, t);
    }

    /**
     * vma_thp_gfp_mask: the allocation request of a THP fault in {@code vma} under the defrag
     * setting: direct reclaim and compaction, a kswapd (and kcompactd) wake-up, or neither.
     */
    AllocRequest thpRequest(Vma vma) {
        boolean madvised = vma.test(VmFlags.VM_HUGEPAGE);
        return switch (defrag) {
            case ALWAYS -> AllocRequest.transHuge(HPAGE_PMD_ORDER, true, false, !madvised);
            case DEFER -> AllocRequest.transHuge(HPAGE_PMD_ORDER, false, true, false);
            case DEFER_MADVISE -> AllocRequest.transHuge(HPAGE_PMD_ORDER, madvised, !madvised, false);
            case MADVISE -> AllocRequest.transHuge(HPAGE_PMD_ORDER, madvised, false, false);
            case NEVER -> AllocRequest.transHuge(HPAGE_PMD_ORDER, false, false, false);
        };
    }

    /**
     * do_huge_pmd_anonymous_page for a write fault at {@code addr}, whose PTE table {@code t} is
     * empty. Returns OK with the folio mapped, or null when the caller should fall back to an
     * order-0 page.
     */
    Access fault(Process p, Vma vma, long addr, PageTablePage t) {
        if (t.used() != 0 || !p.mm().anonVmaPrepare(vma)) {
            return null;
        }
        AllocRequest req = thpRequest(vma);
        // GFP_TRANSHUGE_LIGHT alone: the free lists above the low watermark, no one woken
        AnonFolio f = req.mayReclaim() || req.wakeKswapd() ? phys.alloc(req, AnonFolio::new)
                : phys.allocIfFree(req, AnonFolio::new);
        if (f == null) {
            vmstat.inc(VmItem.THP_FAULT_FALLBACK);
            return null;
        }
        vmstat.inc(VmItem.THP_FAULT_ALLOC);
        long haddr = addr & -HPAGE_PMD_SIZE;
        f.set(Flag.ANON_EXCLUSIVE);
        f.set(Flag.UPTODATE);
        f.setAnonRmap(vma.anonVma(), vma.pgoffOf(haddr));
        vmscan.get().add(f);
        f.refAdd(HPAGE_PMD_NR - 1);
        f.mapcountAdd(HPAGE_PMD_NR);
        vmstat.add(VmItem.NR_ANON_PAGES, HPAGE_PMD_NR);
        p.addRssAnon(HPAGE_PMD_NR);
        for (int k = 0; k < HPAGE_PMD_NR; k++) {
            t.set(k, Pte.mkDirty(Pte.mkYoung(Pte.present(f.pfn() + k, true, true))));
        }
        pmd.mapFolio(t, f);
        return Access.OK;
    }

    /**
     * split_huge_page: splits large anonymous folio {@code f} into order-0 folios. The caller
     * holds {@code callerRefs} references to it beyond its mappings, its swap-cache references
     * and the isolation reference if it is off the LRU; they move to page {@code keep}. A folio in
     * the swap cache stays there page by page: each page keeps its slot, except one that nothing
     * maps and no swap entry names, which leaves the cache, frees its slot and is freed
     * (free_page_and_swap_cache). Returns the new folios by page, null where a page nothing used
     * was freed, or null when the folio cannot be split now: a GUP get or pin holds it
     * (thp_split_page_failed), or it is under writeback (-EBUSY, not counted).
     */
    AnonFolio[] split(AnonFolio f, int keep, int callerRefs) {
        int n = f.nrPages();
        if (n == 1) {
            return new AnonFolio[] {f};
        }
        if (f.isDead()) {
            throw new IllegalStateException("split of a freed folio: " + f);
        }
        if (f.test(Flag.WRITEBACK)) {
            return null;
        }
        boolean inCache = f.test(Flag.SWAPCACHE);
        boolean isolated = !f.test(Flag.LRU);
        int iso = isolated ? 1 : 0;
        if (f.pincount() > 0 || f.refcount() != f.mapcount() + callerRefs + iso + (inCache ? n : 0)) {
            vmstat.inc(VmItem.THP_SPLIT_PAGE_FAILED);
            return null;
        }
        pmd.splitFolioPmds(f); // unmap_folio with TTU_SPLIT_HUGE_PMD: only PTEs map the pieces
        deferredSplit.remove(f);
        int[] mapcounts = rmap.pageMapcounts(f);
        boolean[] named = new boolean[n];
        if (inCache) {
            var entry = swap.entryOf(f);
            var d = swap.devices().device(entry);
            for (int k = 0; k < n; k++) {
                named[k] = d.swapCount(entry.offset() + k) > 0;
            }
        }
        boolean wasMapped = f.mapped();
        LruVec lruvec = vmscan.get().lruvecOf(f); // its memory cgroup's
        if (!isolated) {
            lruvec.del(f);
        }
        phys.memmap().clear(f);
        AnonFolio[] out = new AnonFolio[n];
        AnonFolio[] all = new AnonFolio[n];
        int stillMapped = 0;
        for (int k = n - 1; k >= 0; k--) {
            AnonFolio nf = new AnonFolio(f.pfn() + k, 0);
            all[k] = nf;
            nf.inheritFlags(f);
            nf.clear(Flag.LRU);
            if (!f.pageExclusive(k)) {
                nf.clear(Flag.ANON_EXCLUSIVE);
            }
            nf.setAnonRmap(f.anonMapping(), f.linearIndex() + k);
            nf.setMemcgId(f.memcgId()); // the charge of the whole folio is shared among its pages
            phys.memmap().install(nf);
            // an isolated page that nothing uses is freed now; a used one stays isolated, or on the LRU
            int refs = mapcounts[k] + (k == keep ? callerRefs : 0) + (mapcounts[k] > 0 || k == keep || named[k] ? iso : 0);
            if (mapcounts[k] > 0) {
                nf.mapcountAdd(mapcounts[k]);
                stillMapped++;
            }
            if (refs == 0 && !named[k]) {
                continue;
            }
            // a page that stays in the swap cache holds the cache's reference: the one it was born with
            nf.refAdd(inCache ? refs : refs - 1);
            out[k] = nf;
        }
        if (inCache) {
            swap.splitInSwapCache(f, out); // each used page keeps its slot
        }
        f.mapcountAdd(-f.mapcount());
        f.refSub(f.refcount());
        f.markDead();
        for (int k = n - 1; k >= 0; k--) {
            AnonFolio nf = out[k];
            if (nf == null) {
                AnonFolio unused = all[k];
                unused.clear(Flag.ACTIVE);
                unused.clear(Flag.SWAPCACHE);
                unused.clear(Flag.DIRTY);
                unused.refSub(1);
                phys.free(unused);
            } else if (!isolated) {
                lruvec.add(nf);
            }
        }
        if (wasMapped) {
            vmstat.add(VmItem.NR_ANON_PAGES, stillMapped - n);
        }
        vmstat.inc(VmItem.THP_SPLIT_PAGE);
        return out;
    }

    /**
     * Splits the large anonymous folios that {@code [start, end)} of {@code p} covers only in
     * part, before mremap moves that range (see {@link Mremap}). A folio that cannot be split
     * (pinned) stays whole.
     */
    void splitStraddling(Process p, long start, long end) {
        AnonFolio first = splitAt(p, start, start, end, null);
        splitAt(p, end - PageTable.PAGE_SIZE, start, end, first);
    }

    /** Splits the large folio mapped at {@code addr} if it reaches outside the range; returns it. */
    private AnonFolio splitAt(Process p, long addr, long start, long end, AnonFolio tried) {
        if (addr < start || addr >= end) {
            return null;
        }
        long pte = p.pageTable().getPte(addr);
        if (!(PageTable.normalFolio(phys.memmap(), pte) instanceof AnonFolio f) || f.nrPages() == 1 || f == tried) {
            return null;
        }
        long first = addr - ((long) (Pte.pfn(pte) - f.pfn()) << PageTable.PAGE_SHIFT);
        long last = first + ((long) f.nrPages() << PageTable.PAGE_SHIFT);
        if (first < start || last > end) {
            split(f, 0, 0);
        }
        return f;
    }
}
