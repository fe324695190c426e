package org.pagelab.reclaim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pagelab.desc.AnonFolio;
import org.pagelab.desc.Folio;
import org.pagelab.desc.FolioFlags.Flag;
import org.pagelab.desc.PageCacheFolio;
import org.pagelab.desc.Shadow;
import org.pagelab.desc.ShmemFolio;
import org.pagelab.filemap.AddressSpace;
import org.pagelab.filemap.FileCache;
import org.pagelab.filemap.PageCache;
import org.pagelab.filemap.ShmemCache;
import org.pagelab.lruvec.LruVec;
import org.pagelab.stat.VmItem;

/**
 * shrink_folio_list (mm/vmscan.c): what reclaim does with each folio it isolated from the tail of
 * an inactive list, and reclaim_pages for MADV_PAGEOUT.
 *
 * <h2>The decision, folio by folio</h2>
 * <ol>
 *   <li>A folio under writeback is not waited for: the first time reclaim meets it, it is marked
 *       for immediate reclaim (PG_reclaim) and activated out of the way (nr_writeback); when kswapd
 *       meets such a marked folio again while the node is flagged as writeback-congested, it counts
 *       as cycling faster than the device writes (nr_immediate), which makes kswapd throttle.</li>
 *   <li>Its references, harvested through rmap, decide between activate, keep and reclaim
 *       ({@link ReclaimPolicy#checkReferences}); MADV_PAGEOUT ignores them.</li>
 *   <li>An anonymous folio gets a swap slot and joins the swap cache (add_to_swap); a shmem folio
 *       moves from its file to the swap cache (shmem_writepage's first half). A pinned one stays.
 *       A large anon folio is split first unless it is mapped whole; a PMD-sized one mapped whole
 *       gets a free swap cluster and goes whole, or, with none free, is split
 *       (thp_swpout_fallback). The pages of a split join the batch.</li>
 *   <li>Every mapping is replaced by a swap entry, or cleared for a file page (try_to_unmap);
 *       a folio still mapped or pinned after that is activated.</li>
 *   <li>A dirty swap-cache folio is written to its slot (pageout, swap_writepage). A dirty file
 *       folio is written by kswapd alone, and only once it met it before (PG_reclaim) while the
 *       node is flagged for dirty pages at the tail of its LRU; everyone else marks it for
 *       immediate reclaim and activates it (nr_vmscan_immediate_reclaim), leaving the writing to
 *       the flusher. A write is asynchronous: the folio is kept, PG_reclaim set, and the end of its
 *       writeback moves it to the inactive tail (pgrotated), where a later pass frees it.</li>
 *   <li>A clean folio nobody else holds leaves its cache with a shadow entry and is freed.</li>
 * </ol>
 * The counts of one batch ({@link Stat}) tell the caller whether flusher threads should wake and
 * whether kswapd should flag the node or throttle, as shrink_inactive_list and shrink_node do.
 */
final class ShrinkFolioList {
    /** The reclaim_stat of the batches of one shrink_node, as scan_control's nr fields sum them. */
    static final class Stat {
        long scanned;
        long taken;
        long fileTaken;
        long dirty;
        long unqueuedDirty;
        long congested;
        long writeback;
        long immediate;

        void add(Stat s) {
            scanned += s.scanned;
            taken += s.taken;
            fileTaken += s.fileTaken;
            dirty += s.dirty;
            unqueuedDirty += s.unqueuedDirty;
            congested += s.congested;
            writeback += s.writeback;
            immediate += s.immediate;
        }
    }

    /** What became of a folio reclaim tried to free: SPLIT means its pages joined the batch in its place. */
    enum Outcome { FREED, KEEP, ACTIVATE, SPLIT }

    private final Vmscan vmscan;
    private final ReclaimHost machine;
    private final ReclaimPolicy policy;
    private final org.pagelab.workingset.Workingset workingset;
    private final LargeFolioSplit split;

    ShrinkFolioList(Vmscan vmscan, ReclaimHost machine, ReclaimPolicy policy, org.pagelab.workingset.Workingset workingset,
                    LargeFolioSplit split) {
        this.vmscan = vmscan;
        this.machine = machine;
        this.policy = policy;
        this.workingset = workingset;
        this.split = split;
    }

    /** The pass's context: who reclaims, and what the node is flagged with. */
    record Pass(boolean kswapd, boolean nodeWriteback, boolean nodeDirty, boolean mayWritepage) {
        static final Pass PAGEOUT = new Pass(false, false, false, true);
    }

    /**
     * shrink_folio_list for folios isolated from {@code lruvec}: decides each, puts back the ones
     * kept or activated, frees the others; returns pages freed and adds the batch's counts to
     * {@code stat}.
     */
    long shrink(LruVec lruvec, List<Folio> folios, Pass pass, Stat stat) {
        List<Folio> keep = new ArrayList<>();
        long freed = decideAll(new ArrayList<>(folios), pass, stat, false, keep);
        for (Folio f : policy.putback(lruvec, keep)) {
            machine.phys().free(f);
        }
        return freed;
    }

    /**
     * reclaim_pages for MADV_PAGEOUT: reclaims {@code folios} (on the LRU, each mapped by the
     * calling process alone) regardless of their references, as {@link #shrink} does otherwise.
     * Returns pages freed (clean file pages dropped at once; written ones go when their writeback
     * ends and reclaim passes again). A write that completes before the batch is put back ends
     * with its folio still isolated and does not rotate it; one that completes later rotates it to
     * the inactive tail (pgrotated).
     */
    long reclaimPages(List<Folio> folios) {
        List<Folio> work = new ArrayList<>();
        for (Folio f : folios) {
            LruVec v = vmscan.lruvecOf(f);
            if (f.test(Flag.LRU) && v.contains(f)) {
                v.isolate(f);
                work.add(f);
            }
        }
        List<Folio> keep = new ArrayList<>();
        long freed = decideAll(work, Pass.PAGEOUT, new Stat(), true, keep);
        // writes that completed while the batch was decided end now, before the putback: their
        // folios are still isolated, so they do not rotate (folio_rotate_reclaimable needs the LRU)
        machine.sim().runTimersDue();
        Map<LruVec, List<Folio>> byLruvec = new LinkedHashMap<>();
        for (Folio f : keep) {
            byLruvec.computeIfAbsent(vmscan.lruvecOf(f), v -> new ArrayList<>()).add(f);
        }
        for (var e : byLruvec.entrySet()) {
            for (Folio f : policy.putback(e.getKey(), e.getValue())) {
                machine.phys().free(f);
            }
        }
        return freed;
    }

    /**
     * Decides every folio of {@code work} (which grows when a large folio is split), adding the
     * ones to put back to {@code keep}; returns pages freed.
     */
    private long decideAll(List<Folio> work, Pass pass, Stat stat, boolean ignoreReferences, List<Folio> keep) {
        long freed = 0;
        for (int n = 0; n < work.size(); n++) {
            Folio f = work.get(n);
            switch (decide(f, work, pass, stat, ignoreReferences)) {
                case FREED -> freed += f.nrPages();
                case KEEP -> keep.add(f);
                case ACTIVATE -> {
                    activate(f);
                    keep.add(f);
                }
                case SPLIT -> {
                }
            }
        }
        return freed;
    }

    /** activate_locked: a swap-cache copy goes when swap is over half full; then the folio is activated. */
    private void activate(Folio f) {
        if (f.test(Flag.SWAPCACHE) && machine.swap().swapFull()) {
            machine.swap().folioFreeSwap(f);
        }
        policy.activateIsolated(f);
    }

    private Outcome decide(Folio f, List<Folio> work, Pass pass, Stat stat, boolean ignoreReferences) {
        int n = f.nrPages();
        boolean fileLru = LruVec.isFileLru(f);
        stat.taken += n;
        if (fileLru) {
            stat.fileTaken += n;
            boolean dirty = f.test(Flag.DIRTY);
            boolean writeback = f.test(Flag.WRITEBACK);
            if (dirty || writeback) {
                stat.dirty += n;
            }
            if (dirty && !writeback) {
                stat.unqueuedDirty += n;
            }
            if (writeback && f.test(Flag.RECLAIM)) {
                stat.congested += n;
            }
        }
        if (f.test(Flag.WRITEBACK)) {
            if (pass.kswapd() && f.test(Flag.RECLAIM) && pass.nodeWriteback()) {
                stat.immediate += n;
            } else {
                f.set(Flag.RECLAIM);
                stat.writeback += n;
            }
            return Outcome.ACTIVATE;
        }
        FolioReferences refs = FolioReferences.RECLAIM;
        if (!ignoreReferences) {
            refs = policy.checkReferences(f, vmscan.harvest(f));
            switch (refs) {
                case ACTIVATE -> {
                    return Outcome.ACTIVATE;
                }
                case KEEP -> {
                    return Outcome.KEEP;
                }
                case RECLAIM, RECLAIM_CLEAN -> {
                }
            }
        }
        if (!f.test(Flag.SWAPCACHE)) {
            switch (f) {
                case AnonFolio anon -> {
                    if (anon.maybeDmaPinned()) {
                        return Outcome.KEEP;
                    }
                    if (anon.nrPages() > 1 && !pmdMapped(anon)) {
                        // split now: pages nothing maps go without I/O; the rest join the batch
                        return splitForSwap(anon, work) ? Outcome.SPLIT : Outcome.ACTIVATE;
                    }
                    if (anon.nrPages() > 1 && machine.swap().addToSwap(anon) == null) {
                        // no free cluster: swap it out page by page instead (thp_swpout_fallback)
                        if (!splitForSwap(anon, work)) {
                            return Outcome.ACTIVATE;
                        }
                        machine.vmstat().inc(VmItem.THP_SWPOUT_FALLBACK);
                        return Outcome.SPLIT;
                    }
                    if (anon.nrPages() == 1 && (!machine.swap().hasFreeSlots() || machine.swap().addToSwap(anon) == null)) {
                        return Outcome.ACTIVATE; // swap is full: keep it in memory and stop looking at it
                    }
                }
                case ShmemFolio shmem -> {
                    // shmem goes to swap from pageout (shmem_writepage), once unmapped and unpinned
                }
                case PageCacheFolio file -> {
                    // not swap-backed: written back to its file when dirty, below
                }
            }
        }
        if (f.mapped()) {
            boolean unmapped;
            if (f.entireMapcount() > 0) {
                split.splitPmds(f); // TTU_SPLIT_HUGE_PMD: each page's PTE is then replaced or cleared on its own
            }
            if (f.test(Flag.SWAPCACHE)) {
                org.pagelab.desc.SwapEntry entry = machine.swap().entryOf(f);
                unmapped = machine.rmap().tryToUnmap(f, k -> org.pagelab.pgtable.Pte.swap(entry.plus(k)));
            } else {
                unmapped = machine.rmap().tryToUnmap(f, k -> 0);
            }
            if (!unmapped) {
                return Outcome.ACTIVATE;
            }
        }
        if (f.maybeDmaPinned()) {
            return Outcome.ACTIVATE;
        }
        if (f instanceof ShmemFolio shmem && !shmem.test(Flag.SWAPCACHE)) {
            Outcome o = shmemWritepage(shmem);
            if (o != null) {
                return o;
            }
        }
        if (f.test(Flag.DIRTY)) {
            Outcome o = pageout(f, pass, refs);
            if (o != null) {
                return o;
            }
        }
        return removeMapping(f) ? Outcome.FREED : Outcome.KEEP;
    }

    /**
     * The dirty branch of shrink_folio_list: writes a dirty swap-cache folio, or a dirty file folio
     * when kswapd may; returns what to do with it, or null when it turned out clean and may be
     * freed now.
     */
    private Outcome pageout(Folio f, Pass pass, FolioReferences refs) {
        boolean swap = f.test(Flag.SWAPCACHE);
        if (!swap) {
            if (!(f.mapping() instanceof FileCache<?> fc) || fc.host() == null) {
                return Outcome.KEEP;
            }
            if (!pass.kswapd() || !f.test(Flag.RECLAIM) || !pass.nodeDirty()) {
                machine.vmstat().add(VmItem.NR_VMSCAN_IMMEDIATE_RECLAIM, f.nrPages());
                f.set(Flag.RECLAIM); // reclaim it at once when the flusher has written it
                return Outcome.ACTIVATE;
            }
            if (refs == FolioReferences.RECLAIM_CLEAN) {
                return Outcome.KEEP;
            }
        }
        if (!pass.mayWritepage()) {
            return Outcome.KEEP; // boosted kswapd writes nothing (sc->may_writepage 0)
        }
        f.set(Flag.RECLAIM); // pageout: rotate to the inactive tail when the write ends
        boolean started = swap ? machine.swap().writeOut(f) : startFileWrite(f);
        if (!started) {
            f.clear(Flag.RECLAIM);
            return Outcome.KEEP;
        }
        machine.vmstat().add(VmItem.NR_VMSCAN_WRITE, f.nrPages());
        vmscan.lruvecOf(f).noteCost(!swap, f.nrPages());
        if (!f.test(Flag.WRITEBACK)) {
            f.clear(Flag.RECLAIM); // nothing in flight to rotate it when it ends
        }
        if (f.test(Flag.WRITEBACK) || f.test(Flag.DIRTY)) {
            return Outcome.KEEP; // still dirty: swap_writepage freed an unused slot instead of writing
        }
        return null;
    }

    private boolean startFileWrite(Folio f) {
        machine.vfs().pageout(f);
        return true;
    }

    /**
     * __remove_mapping: a clean, unmapped folio that only its cache and the isolation hold leaves
     * its cache (a swap cache or a file's page cache) with a shadow entry and is freed. Returns
     * false, keeping it, when something else holds it.
     */
    private boolean removeMapping(Folio f) {
        if (f.refcount() != f.nrPages() + 1 || f.mapped() || !(f.mapping() instanceof AddressSpace<?> as)) {
            return false;
        }
        Shadow shadow = Shadow.of(policy.shadowOnEviction(vmscan.lruvecOf(f), f, workingset));
        if (f.test(Flag.SWAPCACHE)) {
            machine.swap().deleteFromSwapCache(f, shadow);
        } else if (as instanceof PageCache pc && pc.host() != null) {
            pc.remove(f, shadow);
        } else {
            return false;
        }
        machine.phys().folioPut(f);
        return true;
    }

    /**
     * Whether reclaim of large anon folio {@code f} may try to swap it out whole, as 6.1's
     * shrink_folio_list does only for a folio a PMD maps (folio_entire_mapcount): every other
     * large folio is split at once, since some of its pages may go without I/O. Smaller (mTHP)
     * folios are never PMD-mapped, so they are split too: 6.1 writes only PMD-sized folios whole,
     * although the slot allocator and the swap cache here take any order, as kernels from 6.10
     * use them for mTHP.
     */
    private boolean pmdMapped(AnonFolio f) {
        return f.entireMapcount() > 0;
    }


    /**
     * Splits an isolated large anonymous folio before it goes to swap: at once when no PMD maps
     * it, or when it got no swap cluster; its pages, each isolated, join {@code work}. Returns
     * false, leaving it whole, when there is no swap or it cannot be split now (pinned, or under
     * writeback).
     */
    private boolean splitForSwap(AnonFolio f, List<Folio> work) {
        if (!machine.swap().hasFreeSlots()) {
            return false;
        }
        List<Folio> pages = split.splitIsolated(f);
        if (pages == null) {
            return false;
        }
        work.addAll(pages);
        return true;
    }

    /**
     * shmem_writepage: moves an isolated, unmapped shmem folio out of its file and into the swap
     * cache, dirty, the file's cache index keeping the swap entry in its slot (a later fault finds
     * the entry and swaps it back in). Returns null when the folio is now in the swap cache, else
     * what to do with it.
     */
    private Outcome shmemWritepage(ShmemFolio f) {
        if (!(f.mapping() instanceof ShmemCache shm) || f.test(Flag.HWPOISON)) {
            return Outcome.KEEP;
        }
        if (f.refcount() != f.nrPages() + 1) {
            return Outcome.KEEP;
        }
        var swap = machine.swap();
        org.pagelab.desc.SwapEntry entry = swap.allocForShmem(f);
        if (entry == null) {
            return Outcome.ACTIVATE;
        }
        long index = f.index();
        shm.clearDirty(f);
        shm.removeForSwap(f, entry); // the file's slot now names the swap entry
        if (!swap.addAllocated(f, entry)) {
            // no room in the swap cache's index: put the folio back in its file
            shm.index().erase(index);
            swap.swapFree(entry);
            if (!shm.tryAdd(f, index)) {
                throw new IllegalStateException("cannot put shmem folio back at index " + index + ": " + f);
            }
            shm.markDirty(f);
            return Outcome.KEEP;
        }
        return null;
    }
}
