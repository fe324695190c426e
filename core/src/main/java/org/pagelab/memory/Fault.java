package org.pagelab.memory;

import java.util.function.Supplier;
import org.pagelab.desc.AnonFolio;
import org.pagelab.desc.FileFolio;
import org.pagelab.desc.Folio;
import org.pagelab.desc.FolioFlags.Flag;
import org.pagelab.desc.PageTablePage;
import org.pagelab.desc.ReservedBlock;
import org.pagelab.pgtable.PageTable;
import org.pagelab.pgtable.Pte;
import org.pagelab.phys.AllocRequest;
import org.pagelab.phys.MemSize;
import org.pagelab.phys.PageAllocator;
import org.pagelab.phys.ZoneType;
import org.pagelab.reclaim.Vmscan;
import org.pagelab.sim.CpuEvent;
import org.pagelab.sim.Sim;
import org.pagelab.stat.VmItem;
import org.pagelab.stat.VmStat;
import org.pagelab.swap.SwapSpace;
import org.pagelab.vma.Vma;
import org.pagelab.vma.VmFlags;

/**
 * The MMU and the page-fault handler of mm/memory.c: an access walks the page table, and a PTE
 * that does not permit it faults. This class holds the dispatch (handle_mm_fault), the anonymous
 * faults (do_anonymous_page), write-protect faults on anonymous pages (do_wp_page: reuse or
 * wp_page_copy) and FAULT_FLAG_UNSHARE; file faults are {@link FileFault}'s, swap-in
 * {@link SwapFault}'s, huge-page faults {@link HugeMemory}'s. The outcomes are tabled in the
 * package comment.
 *
 * <h2>Retries</h2>
 * Reclaim runs synchronously inside a fault's allocation and may change the very PTE the fault
 * is filling; the OOM killer may free memory by killing another process. Either sets
 * {@link #retryFault}, and {@link #pteFor} runs the fault again (at most
 * {@value #MAX_FAULT_RETRIES} times, or the model has lost forward progress). A swap-in whose read
 * is in flight also returns for a retry ({@link #ioRetry}, the kernel's VM_FAULT_RETRY from
 * folio_lock_or_retry): the retry counts as a fault, as handle_mm_fault counts it, but costs no
 * fault entry, and it may not ask for another.
 */
final class Fault {
    private static final int MAX_FAULT_RETRIES = 64;

    private final PageAllocator phys;
    private final VmStat vmstat;
    private final Sim sim;
    private final Supplier<Vmscan> vmscan;
    private final SwapSpace swap;
    private final ReservedBlock zeroPage;
    private final HugeMemory huge;
    private final HugePmd pmd;
    private final Zap zap;
    private final ProcessTable table;
    private final OomKiller oomKiller;
    private FileFault file;
    private SwapFault swapIn;
    private AnonOrders anonOrders;

    /** The process whose fault is being handled, for memory-cgroup charging; null outside faults. */
    private Process faulting;

    /** Set by a fault that must run again: its PTE changed under it, or the OOM killer freed memory. */
    boolean retryFault;

    /**
     * Set with {@link #retryFault} by a swap-in whose read is still in flight when the fault would
     * lock the folio (folio_lock_or_retry: VM_FAULT_RETRY). The fault waits for the read and runs
     * again once as FAULT_FLAG_TRIED: handle_mm_fault counts it again (pgfault), but it is a loop
     * inside the kernel's fault handler, not a new trap, so it costs no fault entry, and it never
     * asks for another such retry.
     */
    boolean ioRetry;

    /** Whether the fault running now is the retry after {@link #ioRetry} (FAULT_FLAG_TRIED). */
    private boolean faultTried;

    /**
     * A new anon folio that a fault allocated but could not map, because reclaim during the
     * allocation changed the PTE; the fault's next attempt maps it instead of allocating again.
     *
     * <p>Why: reclaim runs synchronously inside the allocation, so it can pick exactly the folio
     * the fault is copying (a page just swapped in for a COW write, in a memory cgroup at its
     * limit), unmap it, and make the attempt start over; with the same state the next attempt
     * meets the same reclaim, and a deterministic model would loop where the kernel, whose
     * reclaim runs beside the fault, moves on. Keeping the allocation for the retry gives every
     * fault forward progress: the second attempt needs no memory for the copy, so its reclaim
     * cannot undo its work. The folio stays charged to the faulting task's cgroup meanwhile.
     */
    private AnonFolio spareFolio;

    Fault(PageAllocator phys, VmStat vmstat, Sim sim, Supplier<Vmscan> vmscan, SwapSpace swap, HugeMemory huge, HugePmd pmd,
          Zap zap, ProcessTable table, OomKiller oomKiller) {
        this.phys = phys;
        this.vmstat = vmstat;
        this.sim = sim;
        this.vmscan = vmscan;
        this.swap = swap;
        this.zeroPage = phys.zeroPage();
        this.huge = huge;
        this.pmd = pmd;
        this.zap = zap;
        this.table = table;
        this.oomKiller = oomKiller;
    }

    /** Sets the handlers of faults in file mappings and on swap entries. Requires: called once, before any fault. */
    void setHandlers(FileFault file, SwapFault swapIn) {
        this.file = file;
        this.swapIn = swapIn;
    }

    /** Sets the choice of a new anonymous folio's order (large folios). Requires: called once, before any fault. */
    void setAnonOrders(AnonOrders anonOrders) {
        this.anonOrders = anonOrders;
    }

    /** Whether the fault running now may still return VM_FAULT_RETRY to wait for I/O (it is not FAULT_FLAG_TRIED). */
    boolean mayRetryForIo() {
        return !faultTried;
    }

    /** The process whose page fault is running now (memory cgroups charge its cgroup), or null. */
    Process faultingProcess() {
        return faulting;
    }

    /** A data-less access of one byte at {@code addr} (trace replay's touch). */
    Access touch(Process p, long addr, boolean write) {
        if (!p.alive()) {
            return Access.DEAD;
        }
        p.mm().lruGenUse();
        if (addr < 0 || addr >= PageTable.USER_END) {
            return segv(p, addr);
        }
        return pteFor(p, addr, write);
    }

    /** Copies {@code len} bytes between {@code addr} and {@code buf[off..]}: a write when {@code write} (data mode). */
    Access copy(Process p, long addr, byte[] buf, int off, int len, boolean write) {
        java.util.Objects.checkFromIndexSize(off, len, buf.length);
        if (!p.alive()) {
            return Access.DEAD;
        }
        p.mm().lruGenUse();
        long done = 0;
        while (done < len) {
            long a = addr + done;
            if (a < 0 || a >= PageTable.USER_END) {
                return segv(p, a);
            }
            Access r = pteFor(p, a, write);
            if (r != Access.OK) {
                return r;
            }
            long pte = p.pageTable().getPte(a);
            int inPage = (int) (a & (MemSize.PAGE_SIZE - 1));
            int n = (int) Math.min(MemSize.PAGE_SIZE - inPage, len - done);
            long physAddr = ((long) Pte.pfn(pte) << MemSize.PAGE_SHIFT) + inPage;
            if (write) {
                phys.contents().write(physAddr, buf, off + (int) done, n);
            } else {
                phys.contents().read(physAddr, buf, off + (int) done, n);
            }
            done += n;
        }
        return Access.OK;
    }

    /** The MMU: makes the PTE of {@code addr} permit the access, faulting when it does not. */
    Access pteFor(Process p, long addr, boolean write) {
        boolean tried = false;
        for (int attempt = 0; ; attempt++) {
            PageTablePage t = p.pageTable().pteTable(addr);
            if (t != null) {
                int i = PageTable.pteIndex(addr);
                long pte = t.get(i);
                if (Pte.isPresent(pte) && (pte & Pte.USER) != 0 && (!write || Pte.writable(pte))) {
                    sim.cpu(CpuEvent.TOUCH);
                    long n = write ? pte | Pte.ACCESSED | Pte.DIRTY : pte | Pte.ACCESSED;
                    if (n != pte) {
                        t.set(i, n);
                    }
                    return Access.OK;
                }
            }
            retryFault = false;
            Process outer = faulting;
            boolean outerTried = faultTried;
            faulting = p;
            faultTried = tried;
            Access a;
            try {
                a = fault(p, addr, write);
            } finally {
                faulting = outer;
                faultTried = outerTried;
            }
            if (ioRetry) {
                ioRetry = false;
                tried = true;
            }
            if (!retryFault || !p.alive()) {
                releaseSpareFolio();
                if (a == Access.OK && write && p.alive() && fileBacked(p, addr) && !writePermitted(p, addr)
                        && attempt <= MAX_FAULT_RETRIES) {
                    // the fault's own writeback (balance_dirty_pages) cleaned and write-protected the
                    // file page again: the kernel re-runs the store, which faults and dirties it anew
                    continue;
                }
                return a;
            }
            if (attempt > MAX_FAULT_RETRIES) {
                throw new IllegalStateException("fault at 0x" + Long.toHexString(addr) + " of " + p + " retried "
                        + attempt + " times without progress");
            }
        }
    }

    /** Whether {@code addr} of {@code p} lies in a file mapping. */
    private static boolean fileBacked(Process p, long addr) {
        Vma v = p.mm().find(addr);
        return v != null && v.file() != null;
    }

    /** Whether the PTE of {@code addr} in {@code p} lets a user write go through without a fault. */
    private static boolean writePermitted(Process p, long addr) {
        PageTablePage t = p.pageTable().pteTable(addr);
        long pte = t == null ? 0 : t.get(PageTable.pteIndex(addr));
        return Pte.isPresent(pte) && (pte & Pte.USER) != 0 && Pte.writable(pte);
    }

    private AnonFolio takeSpareFolio(boolean zero) {
        AnonFolio f = spareFolio;
        spareFolio = null;
        if (f != null && zero) {
            phys.contents().zero(f.pfn(), 1);
            sim.cpu(CpuEvent.ZERO_PAGE);
        }
        return f;
    }

    private void releaseSpareFolio() {
        AnonFolio f = spareFolio;
        spareFolio = null;
        if (f != null) {
            phys.folioPut(f);
        }
    }

    /** handle_mm_fault: checks the VMA, allocates the PTE table, and dispatches on the PTE and the mapping. */
    private Access fault(Process p, long addr, boolean write) {
        Vma vma = p.mm().find(addr);
        if (vma == null || (write ? !vma.test(VmFlags.VM_WRITE) : !vma.test(VmFlags.VM_READ | VmFlags.VM_WRITE))) {
            return segv(p, addr);
        }
        vmstat.inc(VmItem.PGFAULT);
        if (!faultTried) {
            sim.cpu(CpuEvent.FAULT);
        }
        long before = p.pageTable().tablePages();
        PageTablePage t = p.pageTable().allocPteTable(addr);
        zap.syncTables(p, before);
        if (t == null) {
            return oom(p, addr);
        }
        int i = PageTable.pteIndex(addr);
        long pte = t.get(i);
        if (!Pte.isNone(pte) && !Pte.isPresent(pte)) {
            return nonPresentFault(p, vma, addr, t, i, pte, write);
        }
        if (vma.file() != null) {
            return file.fault(p, vma, t, i, addr, pte, write);
        }
        if (!Pte.isPresent(pte)) {
            if (!write) {
                Access a = anonOrders.readFault(p, vma, addr, t);
                if (a != null) {
                    return a;
                }
                if (!p.alive() || t.isDead()) {
                    retryFault = true; // reclaim or the OOM killer ran during a THP allocation
                    return Access.OK;
                }
                t.set(i, Pte.mkYoung(Pte.presentSpecial(zeroPage.pfn())));
                return Access.OK;
            }
            Access a = anonOrders.fault(p, vma, addr, t);
            if (a != null) {
                return a;
            }
            return mapNewAnon(p, vma, addr, t, i, null);
        }
        if (t.huge()) {
            if (!write) {
                pmd.setAccess(t); // huge_pmd_set_accessed
                return Access.OK;
            }
            Access a = pmd.wp(vma, t, false);
            if (a != null) {
                return a;
            }
            pte = t.get(i); // the PMD was split: the fault goes on at the PTE (VM_FAULT_FALLBACK)
        }
        Folio f = PageTable.normalFolio(phys.memmap(), pte);
        if (f == null) {
            return mapNewAnon(p, vma, addr, t, i, null); // the zero page: a write replaces it
        }
        if (!write) {
            t.set(i, Pte.mkYoung(pte | Pte.USER));
            return Access.OK;
        }
        return switch (f) {
            case AnonFolio a -> wpAnon(p, vma, addr, t, i, pte, a);
            case FileFolio ff -> throw new IllegalStateException("page-cache folio mapped in anonymous " + vma + ": " + ff);
        };
    }

    /**
     * A fault on a non-present entry that is not empty: a poisoned page raises SIGBUS
     * (memory-failure left it); a swap entry is a page that reclaim moved out, which swap-in
     * brings back.
     */
    private Access nonPresentFault(Process p, Vma vma, long addr, PageTablePage t, int i, long pte, boolean write) {
        if (Pte.isPoison(pte)) {
            return sigbus(p, addr);
        }
        if (!Pte.isSwap(pte)) {
            throw new IllegalStateException("fault on " + Pte.describe(pte) + " at 0x" + Long.toHexString(addr) + " of " + p);
        }
        return swapIn.doSwapPage(p, vma, addr, t, i, pte, write);
    }

    /**
     * The reuse decision of do_wp_page for anon folio {@code f} mapped in {@code vma}: true when
     * it is exclusive, or exclusive in fact (mapped once and no other reference); it is then marked
     * exclusive and, when order-0, moved to the VMA's anon_vma (page_move_anon_rmap).
     */
    private static boolean reuseAnon(Vma vma, AnonFolio f, int k) {
        boolean exclusive = f.pageExclusive(k) && (f.mapcount() == 1 || f.nrPages() > 1);
        if (!exclusive && !(f.mapcount() == 1 && f.refcount() == 1)) {
            return false;
        }
        f.setPageExclusive(k);
        // never a large folio: its other pages may be mapped by other processes, whose VMAs must
        // still find it through its anon_vma (6.1 moves only a folio it holds the one reference to)
        if (f.nrPages() == 1 && f.anonMapping() != vma.anonVma() && vma.anonVma() != null) {
            f.setAnonRmap(vma.anonVma(), f.linearIndex());
        }
        return true;
    }

    /** do_wp_page for an anonymous folio: reuse it when this mapping is its only user, else copy. */
    Access wpAnon(Process p, Vma vma, long addr, PageTablePage t, int i, long pte, AnonFolio f) {
        if (f.mapcount() == 1 && f.test(Flag.SWAPCACHE)) {
            swap.folioFreeSwap(f); // the swap copy goes stale once written (do_wp_page)
        }
        if (reuseAnon(vma, f, Pte.pfn(pte) - f.pfn())) {
            t.set(i, Pte.mkDirty(Pte.mkYoung(Pte.mkWrite(pte | Pte.USER))));
            vmstat.inc(VmItem.PGREUSE);
            return Access.OK;
        }
        return copyOnWrite(p, vma, addr, t, i, f);
    }

    /** wp_page_copy: gives the process its own copy of shared folio {@code old} at PTE {@code i}. */
    Access copyOnWrite(Process p, Vma vma, long addr, PageTablePage t, int i, Folio old) {
        long before = t.get(i);
        Access a = mapNewAnon(p, vma, addr, t, i, old);
        if (a == Access.OK && !retryFault) {
            // the new page's allocation may have reclaimed, and split a huge folio for swap: the
            // mapping the PTE held is then a page of one of the split pieces, at the same pfn
            Folio mapped = old.isDead() ? PageTable.normalFolio(phys.memmap(), before) : old;
            if (mapped != null) {
                zap.unmapPage(p, mapped, Pte.pfn(before) - mapped.pfn());
            }
        }
        return a;
    }

    /**
     * FAULT_FLAG_UNSHARE: gives the process its own exclusive anon copy of the page at {@code addr}
     * without making it writable: the page it maps now (a shared anon page, the zero page, or a
     * page-cache page of a private mapping) is replaced by a copy that only this mapping uses, so
     * a read-only pin of it sees every later write of the process. Returns OK, or the failure.
     */
    Access unshare(Process p, long addr) {
        for (int attempt = 0; ; attempt++) {
            Access a = unshareOnce(p, addr);
            if (a != null) {
                return a;
            }
            if (attempt > MAX_FAULT_RETRIES) {
                throw new IllegalStateException("unshare at 0x" + Long.toHexString(addr) + " of " + p + " retried "
                        + attempt + " times without progress");
            }
        }
    }

    /**
     * One attempt of {@link #unshare}: its outcome, or null when it must run again because the
     * PTE changed under the copy, or because the OOM killer freed memory by killing another
     * process (try_charge_memcg and the page allocator retry after a kill that made progress).
     */
    private Access unshareOnce(Process p, long addr) {
        Access a = pteFor(p, addr, false);
        if (a != Access.OK) {
            return a;
        }
        Vma vma = p.mm().find(addr);
        PageTablePage t = p.pageTable().pteTable(addr);
        int i = PageTable.pteIndex(addr);
        long pte = t.get(i);
        Folio old = PageTable.normalFolio(phys.memmap(), pte); // null for the zero page
        if (vma.isShared() || old instanceof AnonFolio af && af.pageExclusive(Pte.pfn(pte) - af.pfn())) {
            return Access.OK; // a shared mapping's page, or already exclusive: nothing to break
        }
        if (old instanceof AnonFolio af) {
            if (af.mapcount() == 1 && af.test(Flag.SWAPCACHE)) {
                swap.folioFreeSwap(af);
            }
            if (reuseAnon(vma, af, Pte.pfn(pte) - af.pfn())) {
                return Access.OK; // exclusive in fact: do_wp_page reuses it, and an unshare stops there
            }
        }
        if (t.huge()) {
            // do_huge_pmd_wp_page with FAULT_FLAG_UNSHARE: reuse when this PMD alone maps the
            // folio, else split the PMD and copy the one page
            if (pmd.wp(vma, t, true) != null) {
                return Access.OK;
            }
            old = PageTable.normalFolio(phys.memmap(), t.get(i));
        }
        vmstat.inc(VmItem.PGFAULT);
        if (old != null) {
            old.refAdd(1);
        }
        try {
            Access r = mapNewAnon(p, vma, addr, t, i, old);
            if (r != Access.OK || retryFault) {
                boolean again = retryFault && p.alive() && (r == Access.OK || r == Access.OOM);
                retryFault = false;
                return again ? null : r;
            }
            if (old != null) {
                zap.unmapPage(p, old, Pte.pfn(pte) - old.pfn());
            }
            t.set(i, Pte.wrprotect(t.get(i))); // exclusive, still read-only: a write reuses it
            return Access.OK;
        } finally {
            if (old != null) {
                phys.folioPut(old);
            }
        }
    }

    /**
     * Maps a new exclusive anon folio writable and dirty at PTE {@code i}: zeroed, or a copy of
     * {@code source} when it is not null.
     */
    Access mapNewAnon(Process p, Vma vma, long addr, PageTablePage t, int i, Folio source) {
        if (!p.mm().anonVmaPrepare(vma)) {
            return oom(p, addr);
        }
        AllocRequest req = source == null ? AllocRequest.anon(0)
                : new AllocRequest(0, ZoneType.NORMAL, false, true, AllocRequest.Purpose.ANON);
        long orig = t.get(i);
        AnonFolio f = takeSpareFolio(source == null);
        if (f == null) {
            f = phys.alloc(req, AnonFolio::new);
        }
        if (f == null) {
            return oom(p, addr);
        }
        if (t.get(i) != orig || t.isDead()) {
            // reclaim ran during the allocation and changed this PTE: start the fault again,
            // keeping the folio for the next attempt
            spareFolio = f;
            retryFault = true;
            return Access.OK;
        }
        if (source != null) {
            phys.contents().copy(sourcePfn(source, vma, addr, orig), f.pfn(), 1);
            sim.cpu(CpuEvent.COPY_PAGE);
        }
        f.set(Flag.ANON_EXCLUSIVE);
        f.set(Flag.UPTODATE);
        f.setAnonRmap(vma.anonVma(), vma.pgoffOf(addr));
        vmscan.get().add(f);
        f.mapcountAdd(1);
        vmstat.add(VmItem.NR_ANON_PAGES, 1);
        p.addRssAnon(1);
        t.set(i, Pte.mkDirty(Pte.mkYoung(Pte.present(f.pfn(), true, true))));
        return Access.OK;
    }

    /**
     * The frame of {@code source} whose bytes a copy for {@code addr} takes: the one the PTE maps,
     * else the page at the address's offset in the folio (a page-cache folio, or an anon folio
     * of the parent at fork).
     */
    private static int sourcePfn(Folio source, Vma vma, long addr, long pte) {
        if (source.nrPages() == 1) {
            return source.pfn();
        }
        if (Pte.isPresent(pte) && !Pte.special(pte) && source.contains(Pte.pfn(pte))) {
            return Pte.pfn(pte);
        }
        long first = switch (source) {
            case AnonFolio a -> a.linearIndex(); // its index is its swap-cache slot, if any
            case FileFolio f -> f.index();
        };
        return source.pfn() + (int) (vma.pgoffOf(addr) - first);
    }

    Access segv(Process p, long addr) {
        return table.kill(p, addr, "SIGSEGV", Access.SEGV);
    }

    Access sigbus(Process p, long addr) {
        return table.kill(p, addr, "SIGBUS", Access.SIGBUS);
    }

    /**
     * The allocation for a fault of {@code p} failed after reclaim: the OOM killer decides
     * ({@link OomKiller#outOfMemory}); when it killed another process, the fault runs again.
     */
    Access oom(Process p, long addr) {
        if (oomKiller.outOfMemory(p)) {
            retryFault = true;
        }
        return Access.OOM;
    }
}
