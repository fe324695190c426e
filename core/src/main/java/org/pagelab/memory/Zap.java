package org.pagelab.memory;

import java.util.ArrayList;
import java.util.List;
import org.pagelab.desc.AnonFolio;
import org.pagelab.desc.FileFolio;
import org.pagelab.desc.Folio;
import org.pagelab.desc.FolioFlags.Flag;
import org.pagelab.desc.PageCacheFolio;
import org.pagelab.desc.ShmemFolio;
import org.pagelab.filemap.AddressSpace;
import org.pagelab.pgtable.PageTable;
import org.pagelab.pgtable.Pte;
import org.pagelab.phys.PageAllocator;
import org.pagelab.sim.CpuEvent;
import org.pagelab.sim.Sim;
import org.pagelab.stat.VmItem;
import org.pagelab.stat.VmStat;
import org.pagelab.swap.SwapSpace;
import org.pagelab.vma.Vma;

/**
 * Taking mappings down (mm/memory.c zap_pte_range, and the accounting half of mm/rmap.c
 * page_remove_rmap): clearing the PTEs of a range for munmap, MADV_DONTNEED, exit and
 * truncation, and dropping one mapping of a folio from the folio, the node counters and the
 * process's RSS. Also the count of a process's page-table pages (nr_page_table_pages), which
 * every path that allocates or frees tables brings up to date.
 */
final class Zap {
    private final PageAllocator phys;
    private final VmStat vmstat;
    private final Sim sim;
    private final SwapSpace swap;
    private final HugePmd pmd;
    private final DeferredSplit deferredSplit;

    Zap(PageAllocator phys, VmStat vmstat, Sim sim, SwapSpace swap, HugePmd pmd, DeferredSplit deferredSplit) {
        this.phys = phys;
        this.vmstat = vmstat;
        this.sim = sim;
        this.swap = swap;
        this.pmd = pmd;
        this.deferredSplit = deferredSplit;
    }

    /** Counts the page tables {@code p} gained or lost since it had {@code before}, in nr_page_table_pages. */
    void syncTables(Process p, long before) {
        long delta = p.pageTable().tablePages() - before;
        vmstat.add(VmItem.NR_PAGE_TABLE_PAGES, delta);
        p.countTables(delta);
    }

    /** Clears the PTEs of VMA piece {@code piece} of {@code p}. */
    void zap(Process p, Vma piece) {
        zapRange(p, piece.start(), piece.end());
    }

    /**
     * Clears every PTE in {@code [start, end)}, dropping the folios' mappings, then frees empty
     * tables. A PMD mapping the range covers whole goes whole (zap_huge_pmd); one it covers in
     * part is split first (__split_huge_pmd). A large folio left partly mapped is queued for a
     * deferred split, its unmapped pages still allocated (deferred_split_huge_page).
     */
    void zapRange(Process p, long start, long end) {
        pmd.splitEdges(p, start, end);
        PageTable pt = p.pageTable();
        List<AnonFolio> large = new ArrayList<>();
        pt.forEachPresentOrSwap(start, end, (addr, table, index, pte) -> {
            if (table.huge()) {
                pmd.zapWhole(table);
            }
            table.set(index, 0);
            if (Pte.isSwap(pte)) {
                p.addSwapEnts(-1);
                swap.freeSwapAndCache(Pte.swapEntry(pte));
            }
            Folio f = PageTable.normalFolio(phys.memmap(), pte);
            if (f != null) {
                if (Pte.dirty(pte) && f instanceof FileFolio && f.mapping() instanceof AddressSpace<?> as) {
                    as.markDirty(f);
                }
                if (f instanceof AnonFolio a && a.nrPages() > 1 && (large.isEmpty() || large.getLast() != a)) {
                    large.add(a);
                }
                unmapFolio(p, f, true, false);
            }
        });
        for (AnonFolio a : large) {
            deferredSplit.mappingRemoved(a);
        }
        pt.freeEmptyTables(start, end);
    }

    /**
     * Drops {@code p}'s mapping of page {@code k} of {@code f} (a COW copy took its place), its
     * swap-cache copy too when no PTE needs it; a large folio whose page is then mapped nowhere is
     * queued for a deferred split.
     */
    void unmapPage(Process p, Folio f, int k) {
        unmapFolio(p, f, true, false);
        if (f instanceof AnonFolio a && a.nrPages() > 1) {
            deferredSplit.pageUnmapped(a, k);
        }
    }

    /**
     * Drops {@code p}'s mapping of one page of {@code f}; when {@code freeSwap} and it was the
     * last mapping of an anon folio, its swap-cache copy goes too if no PTE needs the slot.
     */
    void unmapFolio(Process p, Folio f, boolean freeSwap) {
        unmapFolio(p, f, freeSwap, true);
    }

    /**
     * As {@link #unmapFolio(Process, Folio, boolean)}; {@code checkPartial} false leaves the
     * deferred-split decision for a large folio still mapped to the caller, which makes it once
     * after a range (a wholly unmapped one always leaves the queue here).
     */
    private void unmapFolio(Process p, Folio f, boolean freeSwap, boolean checkPartial) {
        sim.cpu(CpuEvent.UNMAP_PTE);
        f.mapcountAdd(-1);
        switch (f) {
            case AnonFolio a -> {
                p.addRssAnon(-1);
                if (a.nrPages() > 1 && (checkPartial || !a.mapped())) {
                    deferredSplit.mappingRemoved(a);
                }
                if (!a.mapped()) {
                    vmstat.add(VmItem.NR_ANON_PAGES, -a.nrPages());
                    if (freeSwap && a.test(Flag.SWAPCACHE)) {
                        swap.folioFreeSwap(a); // free_swap_cache: no PTE needs the slot any more
                    }
                }
            }
            case FileFolio ff -> {
                addRssFile(p, ff, -1);
                if (!ff.mapped()) {
                    vmstat.add(VmItem.NR_MAPPED, -ff.nrPages());
                }
            }
        }
        phys.folioPut(f);
    }

    /** Counts a file folio's mapping in RssShmem when it is shmem, else in RssFile (mm_counter_file). */
    static void addRssFile(Process p, FileFolio f, int delta) {
        switch (f) {
            case ShmemFolio shmem -> p.addRssShmem(delta);
            case PageCacheFolio file -> p.addRssFile(delta);
        }
    }
}
