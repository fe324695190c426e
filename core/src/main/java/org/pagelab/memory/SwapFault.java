package org.pagelab.memory;

import java.util.function.Supplier;
import org.pagelab.desc.AnonFolio;
import org.pagelab.desc.FolioFlags.Flag;
import org.pagelab.desc.MemDesc;
import org.pagelab.desc.PageTablePage;
import org.pagelab.desc.Shadow;
import org.pagelab.desc.ShmemFolio;
import org.pagelab.desc.SwapBacked;
import org.pagelab.desc.SwapEntry;
import org.pagelab.memcg.MemoryCgroups;
import org.pagelab.pgtable.Pte;
import org.pagelab.phys.AllocRequest;
import org.pagelab.phys.DescFactory;
import org.pagelab.phys.PageAllocator;
import org.pagelab.phys.ZoneType;
import org.pagelab.reclaim.Vmscan;
import org.pagelab.rmap.Rmap;
import org.pagelab.sim.Sim;
import org.pagelab.sim.StallKind;
import org.pagelab.stat.VmItem;
import org.pagelab.stat.VmStat;
import org.pagelab.swap.SwapSpace;
import org.pagelab.vma.Vma;

/**
 * Swap-in on a fault (mm/memory.c do_swap_page, with mm/swap_state.c's swap cache and
 * readahead): the page whose PTE holds a swap entry comes back from the swap cache (a minor
 * fault) or is read from its device with the rest of its swap cluster (a major fault), and is
 * charged to the memory cgroup that the slot was charged to. A major fault returns VM_FAULT_RETRY
 * once its read is submitted, as do_swap_page does when folio_lock_or_retry finds the folio locked
 * for the read, and maps the page on its retry: the kernel counts two faults (pgfault) for one
 * major fault (pgmajfault).
 */
final class SwapFault {
    private final Fault fault;
    private final PageAllocator phys;
    private final VmStat vmstat;
    private final Sim sim;
    private final SwapSpace swap;
    private final Supplier<Vmscan> vmscan;
    private final Supplier<MemoryCgroups> memcg;
    private final SwapUse swapUse;
    private final Rmap rmap;

    SwapFault(Fault fault, PageAllocator phys, VmStat vmstat, Sim sim, SwapSpace swap, Supplier<Vmscan> vmscan,
              Supplier<MemoryCgroups> memcg, SwapUse swapUse, Rmap rmap) {
        this.rmap = rmap;
        this.fault = fault;
        this.phys = phys;
        this.vmstat = vmstat;
        this.sim = sim;
        this.swap = swap;
        this.vmscan = vmscan;
        this.memcg = memcg;
        this.swapUse = swapUse;
    }

    /**
     * Allocates a folio for the page of swap entry {@code entry}, charged to the memory cgroup the
     * entry was charged to when that cgroup is still online (mem_cgroup_swapin_charge_folio).
     */
    <T extends MemDesc> T swapinAlloc(SwapEntry entry, AllocRequest req, DescFactory<T> factory) {
        Object prev = memcg.get().activateForSwapin(entry);
        try {
            return phys.alloc(req, factory);
        } finally {
            memcg.get().restoreActive(prev);
        }
    }

    /** The page of swap-cache folio {@code f} that holds the slot of {@code entry}: 0 for an order-0 folio. */
    static int pageOf(AnonFolio f, SwapEntry entry) {
        return f.nrPages() == 1 ? 0 : (int) (entry.offset() - f.index());
    }

    /**
     * Whether page {@code k} of {@code f} may become exclusive to the PTE that swaps it in: no
     * other PTE maps it and nothing but the swap cache and its mappings holds a reference. For a
     * large folio the other pages' mappings do not count; the reverse map tells whether another
     * process already swapped page k in.
     */
    private boolean pageUnshared(AnonFolio f, int k) {
        int cacheRefs = SwapSpace.inSwapCache(f) ? f.nrPages() : 0;
        // the write in flight holds a reference too, but the kernel's swap PTE keeps its exclusive
        // mark through writeback (only a device with stable writes, which pagelab has not, drops it)
        int writeback = f.test(Flag.WRITEBACK) ? 1 : 0;
        if (f.refcount() != cacheRefs + writeback + f.mapcount() || f.nrPages() == 1 && f.mapped()) {
            return false;
        }
        return !f.mapped() || rmap.pageMapcounts(f)[k] == 0;
    }

    /**
     * Adds {@code p}'s new PTE mapping of a page of swapped-in anon folio {@code f}: a reference
     * and a mapping; its first mapping counts the folio in nr_anon_pages (a PTE mapping: never in
     * nr_anon_transparent_hugepages, which counts PMD mappings); the PTE's swap entry is gone from VmSwap.
     */
    static void mapSwapCachePage(VmStat vmstat, Process p, AnonFolio f) {
        f.refAdd(1);
        f.mapcountAdd(1);
        if (f.mapcount() == 1) {
            vmstat.add(VmItem.NR_ANON_PAGES, f.nrPages()); // PTE-mapped: not in nr_anon_transparent_hugepages
        }
        p.addRssAnon(1);
        p.addSwapEnts(-1);
    }

    /**
     * do_swap_page: maps the page whose PTE {@code pte} holds a swap entry, from the swap cache
     * (a minor fault) or read from the swap device into a new swap-cache folio (a major fault).
     * The PTE's hold on the slot is dropped; the page is exclusive when no other PTE holds the
     * entry, and then a write maps it writable and frees its slot at once; a write to a page
     * still shared with another process's swap entry copies it.
     */
    Access doSwapPage(Process p, Vma vma, long addr, PageTablePage t, int i, long pte, boolean write) {
        SwapEntry entry = Pte.swapEntry(pte);
        SwapBacked cached = swap.lookup(entry);
        AnonFolio folio;
        if (cached == null) {
            if (!p.mm().anonVmaPrepare(vma)) {
                return fault.oom(p, addr);
            }
            AnonFolio nf = swapinAlloc(entry, new AllocRequest(0, ZoneType.NORMAL, false, true,
                    AllocRequest.Purpose.ANON), AnonFolio::new);
            if (nf == null) {
                return fault.oom(p, addr);
            }
            if (t.get(i) != pte || t.isDead() || swap.lookup(entry) != null) {
                phys.folioPut(nf);
                fault.retryFault = true;
                return Access.OK;
            }
            var shadow = swap.load(entry);
            if (!swap.addForSwapin(nf, entry)) {
                phys.folioPut(nf);
                return fault.oom(p, addr);
            }
            // a page other processes' swap entries still name must be findable from their VMAs
            // too: attach it to the root anon_vma, which every VMA of the fork tree is chained to
            boolean shared = swap.devices().swapCount(entry) > 1;
            nf.setAnonRmap(shared ? vma.anonVma().root() : vma.anonVma(), vma.pgoffOf(addr));
            if (shadow instanceof Shadow s) {
                vmscan.get().refault(nf, s);
            }
            vmscan.get().add(nf);
            boolean refault = nf.test(Flag.WORKINGSET);
            boolean ok = swap.readInUntimed(nf, entry);
            int pages = 1 + swap.readahead().swapinReadahead(entry, vma, addr, t, i, swapUse::readAheadSlot);
            if (refault) {
                sim.beginStall(StallKind.REFAULT);
            }
            swap.chargeRead(entry, pages); // the faulting page and its readahead, one request
            if (refault) {
                sim.endStall();
            }
            phys.folioPut(nf);
            vmstat.inc(VmItem.PGMAJFAULT);
            if (!ok) {
                return fault.sigbus(p, addr);
            }
            if (fault.mayRetryForIo()) {
                // folio_lock_or_retry: the folio is locked for its read, which is in flight; the
                // fault waits for it (the read's time is charged above) and runs again, finding the
                // folio in the swap cache; handle_mm_fault counts that run too
                fault.retryFault = true;
                fault.ioRetry = true;
                return Access.OK;
            }
            folio = nf;
        } else {
            swap.readahead().cacheHit(vma, addr, cached.folio());
            if (cached.folio().test(Flag.HWPOISON) || !cached.folio().test(Flag.UPTODATE)) {
                return fault.sigbus(p, addr); // a dirty swap-cache page lost to memory failure
            }
            AnonFolio a = switch (cached) {
                case AnonFolio af -> af;
                case ShmemFolio s -> throw new IllegalStateException("swap entry " + entry + " of a PTE cached as a shmem folio: " + s);
            };
            if (a.anonMapping() == null) {
                // read ahead of any fault: it takes its anon_vma from the first VMA that maps it
                if (!p.mm().anonVmaPrepare(vma)) {
                    return fault.oom(p, addr);
                }
                boolean shared = swap.devices().swapCount(entry) > 1;
                a.setAnonRmap(shared ? vma.anonVma().root() : vma.anonVma(), vma.pgoffOf(addr));
            }
            folio = a;
        }
        // no PTE but this one holds the entry, nothing maps the page and nothing else holds a
        // reference to it (a get, a pin): only then is it exclusive (the kernel's swap-entry
        // exclusive marker or a reference count of one). A large folio still in the swap cache
        // (swapped out whole) maps just the faulting page, as 6.1's do_swap_page does.
        int k = pageOf(folio, entry);
        boolean exclusive = swap.devices().swapCount(entry) == 1 && pageUnshared(folio, k);
        mapSwapCachePage(vmstat, p, folio);
        swap.swapFree(entry);
        if (exclusive) {
            folio.setPageExclusive(k);
            if (write || swap.swapFull()) {
                swap.folioFreeSwap(folio);
            }
        }
        boolean writable = write && exclusive;
        long n = Pte.mkYoung(Pte.present(folio.pfn() + k, writable, true));
        t.set(i, writable ? Pte.mkDirty(n) : n);
        if (write && !exclusive) {
            return fault.wpAnon(p, vma, addr, t, i, t.get(i), folio);
        }
        return Access.OK;
    }
}
