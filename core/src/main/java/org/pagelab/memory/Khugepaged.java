package org.pagelab.memory;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.pagelab.desc.AnonFolio;
import org.pagelab.desc.Folio;
import org.pagelab.desc.FolioFlags.Flag;
import org.pagelab.desc.PageTablePage;
import org.pagelab.filemap.Errno;
import org.pagelab.memcg.MemoryCgroups;
import org.pagelab.pgtable.PageTable;
import org.pagelab.pgtable.Pte;
import org.pagelab.phys.AllocRequest;
import org.pagelab.phys.MemSize;
import org.pagelab.phys.PageAllocator;
import org.pagelab.phys.ZoneType;
import org.pagelab.rmap.Rmap;
import org.pagelab.sim.CpuEvent;
import org.pagelab.sim.Sim;
import org.pagelab.sim.SimTask;
import org.pagelab.stat.VmItem;
import org.pagelab.stat.VmStat;
import org.pagelab.vma.MapResult;
import org.pagelab.vma.Vma;
import org.pagelab.vma.VmFlags;

/**
 * Collapse of small folios into a PMD-sized one (mm/khugepaged.c): madvise(MADV_COLLAPSE),
 * synchronous, and the khugepaged kernel thread, which scans the registered address spaces in
 * the background.
 *
 * <h2>Collapse of one 2 MiB range</h2>
 * For an aligned 2 MiB range of an eligible VMA (hpage_collapse_scan_pmd, then
 * collapse_huge_page):
 * <ol>
 *   <li>No PTE table: PMD_NULL. A range that one order-9 folio maps page by page in order (how
 *       pagelab maps a PMD-sized folio; see the package comment): PMD_MAPPED, already done.</li>
 *   <li>The scan of the 512 PTEs: a swap entry counts as unmapped, a none PTE or the zero page as
 *       none, a page mapped more than once (per page, through the reverse map for a large folio)
 *       as shared; khugepaged gives up past max_ptes_swap, max_ptes_none or max_ptes_shared
 *       (thp_scan_exceed_swap_pte, _none_pte, _share_pte), MADV_COLLAPSE has no such limits. A
 *       page that is not anonymous, off the LRU, locked, or held by a reference its mappings and
 *       the swap cache do not explain (a GUP get or pin) stops the scan. No writable PTE:
 *       PAGE_RO. khugepaged also wants a young PTE or a referenced folio, and when it must swap
 *       in, half of the range referenced.</li>
 *   <li>An order-9 folio is allocated and charged to the owner's memory cgroup: MADV_COLLAPSE
 *       with direct reclaim and compaction (GFP_TRANSHUGE), khugepaged so only when its defrag
 *       is set (else GFP_TRANSHUGE_LIGHT: the free lists). thp_collapse_alloc when got (even if
 *       the charge then fails), thp_collapse_alloc_failed when not.</li>
 *   <li>The unmapped pages are swapped in (__collapse_huge_page_swapin: a read fault each); the
 *       range is scanned once more, now allowing no swap entry, since the allocation and the
 *       swap-ins may have reclaimed (__collapse_huge_page_isolate).</li>
 *   <li>Each page's bytes are copied into the new folio, none PTEs and the zero page give zeros
 *       (__collapse_huge_page_copy); the old PTEs are cleared, each old mapping and reference
 *       dropped (a folio nobody else maps is freed), and the new folio is mapped over the range,
 *       young, dirty, writable as the VMA allows (the kernel installs one PMD entry).</li>
 * </ol>
 *
 * <h2>MADV_COLLAPSE</h2>
 * madvise_collapse per VMA of the range: EINVAL when the VMA is not eligible ignoring the sysfs
 * settings (marked MADV_NOHUGEPAGE, file-backed or shared, without one aligned 2 MiB range, or
 * never faulted: no anon_vma); then each aligned 2 MiB range inside the advised range is
 * collapsed. Success when every one is (or was) PMD-sized; else the last failure's errno:
 * ENOMEM (no folio), EBUSY (no charge), EAGAIN (a page held, locked or off the LRU), EINVAL
 * (anything else). A failure of allocation or charge stops at once; the others go on to the
 * next range. A hole in the range gives ENOMEM at the end, as madvise does.
 *
 * <h2>khugepaged</h2>
 * An address space is registered (__khugepaged_enter) when a fault tries a PMD-sized folio in
 * it, when madvise(MADV_HUGEPAGE) marks an eligible VMA of it, and at fork when the parent is
 * registered; it leaves the list when the scan finds it exited. The kernel thread, made at the
 * first registration, runs one pass per wake-up (khugepaged_do_scan): from where the last pass
 * stopped it walks the registered address spaces in order of registration and their eligible
 * VMAs (sysfs enforced: the 2048 kB size allowed for the VMA) in address order, one 2 MiB range
 * at a time, each counting HPAGE_PMD_NR pages of progress and each skipped VMA one, until
 * pages_to_scan; a range collapsed counts in pages_collapsed, the end of the list in
 * full_scans. It then sleeps scan_sleep_millisecs on the simulated clock (a timer wakes it), or
 * alloc_sleep_millisecs after an allocation failed (pagelab ends the pass there; the kernel
 * sleeps once inside it and goes on), or until the next registration when the list is empty.
 * The thread only runs while processes run: a run ends when its processes do.
 */
public final class Khugepaged {
    /** The tunables of /sys/kernel/mm/transparent_hugepage/khugepaged/, with the kernel's defaults and ranges. */
    public enum Tunable {
        /** Pages of progress per pass. */
        PAGES_TO_SCAN(4096, 1, 0xFFFF_FFFFL),
        /** Sleep between passes. */
        SCAN_SLEEP_MILLISECS(10_000, 0, 0xFFFF_FFFFL),
        /** Sleep after a failed allocation. */
        ALLOC_SLEEP_MILLISECS(60_000, 0, 0xFFFF_FFFFL),
        /** Most none (or zero-page) PTEs a range may have. */
        MAX_PTES_NONE(511, 0, 511),
        /** Most swap entries a range may have (each swapped in). */
        MAX_PTES_SWAP(64, 0, 511),
        /** Most pages mapped more than once a range may have. */
        MAX_PTES_SHARED(256, 0, 511),
        /** 1: allocate with direct reclaim and compaction; 0: from the free lists only. */
        DEFRAG(1, 0, 1);

        private final long initial;
        private final long min;
        private final long max;

        Tunable(long initial, long min, long max) {
            this.initial = initial;
            this.min = min;
            this.max = max;
        }

        /** The file's name. */
        public String fileName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** The kernel's default. */
        public long initial() {
            return initial;
        }

        /** Checks {@code v} against the range the kernel's store takes; throws naming the file and the value. */
        public long check(long v) {
            if (v < min || v > max) {
                throw new IllegalArgumentException("bad khugepaged/" + fileName() + " " + v + ": expected " + min
                        + ".." + max);
            }
            return v;
        }

        /** The tunable named {@code name}; throws naming it and the names otherwise. */
        public static Tunable byName(String name) {
            for (Tunable t : values()) {
                if (t.fileName().equals(name)) {
                    return t;
                }
            }
            throw new IllegalArgumentException("no khugepaged tunable '" + name + "': expected one of "
                    + java.util.Arrays.stream(values()).map(Tunable::fileName).toList());
        }
    }

    /** What the collapse of one range came to (the kernel's enum scan_result, the outcomes modelled). */
    enum ScanResult {
        SUCCEED, PMD_MAPPED, PMD_NULL, PTE_NON_PRESENT, EXCEED_NONE_PTE, EXCEED_SWAP_PTE, EXCEED_SHARED_PTE, PAGE_RO,
        LACK_REFERENCED_PAGE, PAGE_NULL, PAGE_COUNT, PAGE_LOCK, PAGE_LRU, PAGE_ANON, ALLOC_HUGE_PAGE_FAIL,
        CGROUP_CHARGE_FAIL, FAIL;

        /** Whether MADV_COLLAPSE goes on to the next range after this failure. */
        boolean nextRange() {
            return switch (this) {
                case PMD_NULL, PTE_NON_PRESENT, PAGE_RO, LACK_REFERENCED_PAGE, PAGE_NULL, PAGE_COUNT, PAGE_LOCK, PAGE_LRU -> true;
                default -> false;
            };
        }

        /** madvise_collapse_errno. */
        Errno errno() {
            return switch (this) {
                case ALLOC_HUGE_PAGE_FAIL -> Errno.ENOMEM;
                case CGROUP_CHARGE_FAIL -> Errno.EBUSY;
                case PAGE_COUNT, PAGE_LOCK, PAGE_LRU -> Errno.EAGAIN;
                default -> Errno.EINVAL;
            };
        }
    }

    private static final int NR = HugeMemory.HPAGE_PMD_NR;
    private static final long SIZE = HugeMemory.HPAGE_PMD_SIZE;

    private final PageAllocator phys;
    private final VmStat vmstat;
    private final Sim sim;
    private final Rmap rmap;
    private final Fault fault;
    private final Zap zap;
    private final AnonOrders anonOrders;
    private final MthpSettings settings;
    private final HugeMemory huge;
    private final Supplier<MemoryCgroups> memcg;
    private final long[] tunables = new long[Tunable.values().length];
    /** The registered address spaces in order of registration (khugepaged_scan.mm_head). */
    private final Set<Process> mms = new LinkedHashSet<>();
    /** Where the scan stands: the address space and the address (khugepaged_scan.mm_slot, address). */
    private Process scanMm;
    private long scanAddress;
    private long fullScans;
    private long pagesCollapsed;
    private SimTask task;
    /** Whether a timer to wake the thread is pending, so that no second one is set. */
    private boolean timerSet;

    Khugepaged(PageAllocator phys, VmStat vmstat, Sim sim, Rmap rmap, Fault fault, Zap zap, AnonOrders anonOrders,
               MthpSettings settings, HugeMemory huge, Supplier<MemoryCgroups> memcg) {
        this.phys = phys;
        this.vmstat = vmstat;
        this.sim = sim;
        this.rmap = rmap;
        this.fault = fault;
        this.zap = zap;
        this.anonOrders = anonOrders;
        this.settings = settings;
        this.huge = huge;
        this.memcg = memcg;
        for (Tunable t : Tunable.values()) {
            tunables[t.ordinal()] = t.initial;
        }
    }

    /** The value of tunable {@code t}. */
    public long get(Tunable t) {
        return tunables[t.ordinal()];
    }

    /** Sets tunable {@code t}; throws naming it and the value when out of its range. */
    public void set(Tunable t, long value) {
        tunables[t.ordinal()] = t.check(value);
    }

    /** khugepaged/full_scans: passes that reached the end of the list of address spaces. */
    public long fullScans() {
        return fullScans;
    }

    /** khugepaged/pages_collapsed: 2 MiB ranges khugepaged collapsed (MADV_COLLAPSE's are not counted). */
    public long pagesCollapsed() {
        return pagesCollapsed;
    }

    /** The kernel thread "khugepaged", or null before the first registration made it. */
    public SimTask task() {
        return task;
    }

    // ---- eligibility and registration ----

    /**
     * hugepage_vma_check for collapse (not a fault, not smaps): whether {@code v} may be
     * collapsed, with the sysfs settings when {@code enforceSysfs} (khugepaged) or without them
     * (MADV_COLLAPSE).
     */
    boolean vmaCheck(Vma v, boolean enforceSysfs) {
        if (v.test(VmFlags.VM_NOHUGEPAGE) || v.file() != null || v.isShared()) {
            return false;
        }
        long h = (v.end() - SIZE) & -SIZE;
        if (v.end() - v.start() < SIZE || h < v.start()) {
            return false; // transhuge_vma_suitable at vm_end - HPAGE_PMD_SIZE
        }
        if (enforceSysfs && (settings.allowableOrders(v, huge.enabled()) & 1 << HugeMemory.HPAGE_PMD_ORDER) == 0) {
            return false;
        }
        return v.anonVma() != null;
    }

    /** __khugepaged_enter: registers {@code p}'s address space; the first one wakes the thread. */
    void enter(Process p) {
        if (!p.alive() || !mms.add(p)) {
            return;
        }
        if (mms.size() == 1) {
            wake();
        }
    }

    /** khugepaged_enter_vma: registers {@code p} when {@code v} is eligible with the sysfs settings. */
    void enterVma(Process p, Vma v) {
        if (vmaCheck(v, true)) {
            enter(p);
        }
    }

    /** khugepaged_fork: a child of a registered parent is registered. */
    void fork(Process parent, Process child) {
        if (mms.contains(parent)) {
            enter(child);
        }
    }

    /** Whether {@code p}'s address space is registered. */
    public boolean registered(Process p) {
        return mms.contains(p);
    }

    private void wake() {
        if (task == null) {
            task = sim.spawnKthread("khugepaged");
        }
        sim.wake(task);
    }

    // ---- the thread ----

    /**
     * One wake-up of the thread: a pass of khugepaged_do_scan, then khugepaged_wait_work's sleep
     * (a timer wakes it after scan_sleep_millisecs, or alloc_sleep_millisecs after an allocation
     * failure; with no registered address space it sleeps until the next registration).
     * Requires: running as the thread's step.
     */
    public void run() {
        boolean allocFailed = doScan();
        sim.sleep();
        if (!mms.isEmpty() && !timerSet) {
            long ms = get(allocFailed ? Tunable.ALLOC_SLEEP_MILLISECS : Tunable.SCAN_SLEEP_MILLISECS);
            timerSet = true;
            // a sleep's timeout, not an I/O timer: the end of a run does not wait for it, so a run
            // with THP does not last scan_sleep_millisecs longer than its work
            sim.timeout(sim.now() + ms * 1_000_000L, () -> {
                timerSet = false;
                sim.wake(task);
            });
        }
    }

    /** khugepaged_do_scan; returns whether an allocation failed. */
    private boolean doScan() {
        long pages = get(Tunable.PAGES_TO_SCAN);
        long progress = 0;
        int passThroughHead = 0;
        while (progress < pages && !mms.isEmpty()) {
            if (scanMm == null) {
                passThroughHead++;
                if (passThroughHead >= 2) {
                    break;
                }
                scanMm = mms.iterator().next();
                scanAddress = 0;
            }
            long[] done = {0};
            ScanResult r = scanMmSlot(pages - progress, done);
            progress += done[0];
            if (r == ScanResult.ALLOC_HUGE_PAGE_FAIL) {
                return true;
            }
        }
        return false;
    }

    /**
     * khugepaged_scan_mm_slot: scans {@link #scanMm} from {@link #scanAddress} for up to
     * {@code pages} of progress (returned in {@code done[0]}); at its end moves on to the next
     * address space, dropping this one if it exited. Returns the last range's result.
     */
    private ScanResult scanMmSlot(long pages, long[] done) {
        Process p = scanMm;
        ScanResult last = ScanResult.SUCCEED;
        done[0]++;
        if (p.alive()) {
            for (Vma v : new ArrayList<>(p.mm().vmas())) {
                if (!p.alive()) {
                    break;
                }
                long hstart = (v.start() + SIZE - 1) & -SIZE;
                long hend = v.end() & -SIZE;
                if (v.end() <= scanAddress || !vmaCheck(v, true) || scanAddress > hend) {
                    done[0]++;
                    continue;
                }
                scanAddress = Math.max(scanAddress, hstart);
                while (scanAddress < hend && p.alive()) {
                    last = collapseRange(p, v, scanAddress, true);
                    if (last == ScanResult.SUCCEED) {
                        pagesCollapsed++;
                    }
                    scanAddress += SIZE;
                    done[0] += NR;
                    if (done[0] >= pages || last == ScanResult.ALLOC_HUGE_PAGE_FAIL) {
                        return last;
                    }
                }
            }
        }
        // the address space is done: on to the next (khugepaged_scan.mm_slot moves on)
        List<Process> order = new ArrayList<>(mms);
        int i = order.indexOf(p);
        if (!p.alive()) {
            mms.remove(p); // collect_mm_slot
        }
        scanMm = i + 1 < order.size() ? order.get(i + 1) : null;
        scanAddress = 0;
        if (scanMm == null) {
            fullScans++;
        }
        return last;
    }

    // ---- MADV_COLLAPSE ----

    /**
     * madvise(MADV_COLLAPSE) over {@code [addr, addr + len)} of {@code p}; see the class comment.
     * EINVAL for a misaligned address or a negative length.
     */
    public MapResult madviseCollapse(Process p, long addr, long len) {
        if (!p.alive() || (addr & (MemSize.PAGE_SIZE - 1)) != 0 || len < 0) {
            return new MapResult.MapFailed(Errno.EINVAL);
        }
        long end = addr + ((len + MemSize.PAGE_SIZE - 1) & -MemSize.PAGE_SIZE);
        boolean hole = false;
        long a = addr;
        for (Vma v : new ArrayList<>(p.mm().vmas())) {
            if (v.end() <= a || a >= end) {
                continue;
            }
            if (v.start() >= end) {
                break;
            }
            if (v.start() > a) {
                hole = true;
            }
            Errno e = collapseVma(p, v, Math.max(a, v.start()), Math.min(end, v.end()));
            if (e != null) {
                return new MapResult.MapFailed(e);
            }
            a = Math.min(end, v.end());
        }
        return hole || a < end ? new MapResult.MapFailed(Errno.ENOMEM) : new MapResult.Mapped(addr);
    }

    /** madvise_collapse for the piece {@code [start, end)} of {@code v}: null on success, else the errno. */
    private Errno collapseVma(Process p, Vma v, long start, long end) {
        if (!vmaCheck(v, false)) {
            return Errno.EINVAL;
        }
        long hstart = (start + SIZE - 1) & -SIZE;
        long hend = end & -SIZE;
        int thps = 0;
        ScanResult lastFail = ScanResult.FAIL;
        for (long h = hstart; h < hend; h += SIZE) {
            ScanResult r = p.alive() ? collapseRange(p, v, h, false) : ScanResult.FAIL;
            if (r == ScanResult.SUCCEED || r == ScanResult.PMD_MAPPED) {
                thps++;
                continue;
            }
            lastFail = r;
            if (!r.nextRange()) {
                break;
            }
        }
        return hstart >= hend || thps == (hend - hstart) / SIZE ? null : lastFail.errno();
    }

    // ---- one range ----

    /** The outcome of a scan of the 512 PTEs, and how many were swap entries. */
    private record Scan(ScanResult result, int unmapped) {
    }

    /** hpage_collapse_scan_pmd and collapse_huge_page for the range at {@code haddr} of {@code v}. */
    ScanResult collapseRange(Process p, Vma v, long haddr, boolean khugepaged) {
        PageTablePage t = p.pageTable().pteTable(haddr);
        if (t == null) {
            return ScanResult.PMD_NULL;
        }
        if (pmdMapped(t)) {
            return ScanResult.PMD_MAPPED;
        }
        Scan s = scan(t, khugepaged, true);
        if (s.result() != ScanResult.SUCCEED) {
            return s.result();
        }
        AnonFolio nf = allocCharge(p, khugepaged);
        if (nf == null) {
            return chargeRefused ? ScanResult.CGROUP_CHARGE_FAIL : ScanResult.ALLOC_HUGE_PAGE_FAIL;
        }
        // the allocation may have reclaimed, and the OOM killer may have chosen this very process
        ScanResult r = p.alive() ? swapinAndIsolate(p, haddr, s.unmapped(), khugepaged) : ScanResult.FAIL;
        t = r == ScanResult.SUCCEED && p.alive() ? p.pageTable().pteTable(haddr) : null;
        if (r != ScanResult.SUCCEED || t == null) {
            phys.folioPut(nf);
            return r != ScanResult.SUCCEED ? r : ScanResult.FAIL;
        }
        for (int k = 0; k < NR; k++) {
            long pte = t.get(k);
            if (Pte.isPresent(pte) && !Pte.special(pte)) {
                phys.contents().copy(Pte.pfn(pte), nf.pfn() + k, 1);
                sim.cpu(CpuEvent.COPY_PAGE);
            } else {
                phys.contents().zero(nf.pfn() + k, 1);
                sim.cpu(CpuEvent.ZERO_PAGE);
            }
        }
        for (int k = 0; k < NR; k++) {
            long pte = t.get(k);
            t.set(k, 0);
            Folio old = PageTable.normalFolio(phys.memmap(), pte);
            if (old != null) {
                zap.unmapFolio(p, old, true);
            }
        }
        anonOrders.map(p, v, haddr, t, nf, v.test(VmFlags.VM_WRITE));
        huge.mapPmd(t, nf); // collapse_huge_page installs a PMD: the table becomes the folio's PMD mapping
        return ScanResult.SUCCEED;
    }

    /** Set by {@link #allocCharge} when the allocation failed because the memory cgroup refused the charge. */
    private boolean chargeRefused;

    /**
     * alloc_charge_hpage: an order-9 folio charged to {@code p}'s memory cgroup, or null
     * ({@link #chargeRefused} says why).
     */
    private AnonFolio allocCharge(Process p, boolean khugepaged) {
        boolean direct = !khugepaged || get(Tunable.DEFRAG) != 0;
        AllocRequest req = new AllocRequest(HugeMemory.HPAGE_PMD_ORDER, ZoneType.NORMAL, false, direct,
                AllocRequest.Purpose.ANON, false, false, false);
        MemoryCgroups cg = memcg.get();
        Object prev = cg == null ? null : cg.activateFor(p);
        AnonFolio f;
        try {
            if (cg != null) {
                cg.chargeFailed(); // forget an older failure
            }
            f = direct ? phys.alloc(req, AnonFolio::new) : phys.allocIfFree(req, AnonFolio::new);
            chargeRefused = f == null && cg != null && cg.chargeFailed();
        } finally {
            if (cg != null) {
                cg.restoreActive(prev);
            }
        }
        // the block was got when only the charge failed: hpage_collapse_alloc_page counted it
        vmstat.inc(f != null || chargeRefused ? VmItem.THP_COLLAPSE_ALLOC : VmItem.THP_COLLAPSE_ALLOC_FAILED);
        return f;
    }

    /**
     * __collapse_huge_page_swapin for the {@code unmapped} swap entries of the range, then the
     * second scan (__collapse_huge_page_isolate), which allows none.
     */
    private ScanResult swapinAndIsolate(Process p, long haddr, int unmapped, boolean khugepaged) {
        for (int k = 0; k < NR && unmapped > 0; k++) {
            long a = haddr + ((long) k << PageTable.PAGE_SHIFT);
            if (!p.alive() || Pte.isSwap(p.pageTable().getPte(a)) && fault.touch(p, a, false) != Access.OK) {
                return ScanResult.FAIL; // a swap-in's allocation can get the process killed too
            }
        }
        PageTablePage t = p.alive() ? p.pageTable().pteTable(haddr) : null;
        if (t == null) {
            return ScanResult.FAIL;
        }
        Scan s = scan(t, khugepaged, false);
        return s.result();
    }

    /** Whether a PMD maps the range (its PTE table is marked huge): nothing to collapse. */
    private static boolean pmdMapped(PageTablePage t) {
        return t.huge();
    }

    /**
     * The scan of the range's PTEs (hpage_collapse_scan_pmd when {@code first}, the isolation's
     * check otherwise, which finds a swap entry a failure: PTE_NON_PRESENT).
     */
    private Scan scan(PageTablePage t, boolean khugepaged, boolean first) {
        int none = 0;
        int unmapped = 0;
        int shared = 0;
        int referenced = 0;
        boolean writable = false;
        Map<Folio, int[]> pageMaps = new IdentityHashMap<>();
        for (int k = 0; k < NR; k++) {
            long pte = t.get(k);
            if (Pte.isSwap(pte)) {
                if (!first) {
                    return new Scan(ScanResult.PTE_NON_PRESENT, 0);
                }
                unmapped++;
                if (khugepaged && unmapped > get(Tunable.MAX_PTES_SWAP)) {
                    vmstat.inc(VmItem.THP_SCAN_EXCEED_SWAP_PTE);
                    return new Scan(ScanResult.EXCEED_SWAP_PTE, unmapped);
                }
                continue;
            }
            if (Pte.isNone(pte) || Pte.isPresent(pte) && Pte.special(pte)) {
                if (khugepaged && ++none > get(Tunable.MAX_PTES_NONE)) {
                    vmstat.inc(VmItem.THP_SCAN_EXCEED_NONE_PTE);
                    return new Scan(ScanResult.EXCEED_NONE_PTE, unmapped);
                }
                continue;
            }
            if (!Pte.isPresent(pte)) {
                return new Scan(ScanResult.PAGE_NULL, unmapped); // a poisoned page's entry
            }
            writable |= Pte.writable(pte);
            if (!(PageTable.normalFolio(phys.memmap(), pte) instanceof AnonFolio f)) {
                return new Scan(ScanResult.PAGE_ANON, unmapped);
            }
            int mapcount = f.nrPages() == 1 ? f.mapcount()
                    : pageMaps.computeIfAbsent(f, rmap::pageMapcounts)[Pte.pfn(pte) - f.pfn()];
            if (mapcount > 1) {
                shared++;
                if (khugepaged && shared > get(Tunable.MAX_PTES_SHARED)) {
                    vmstat.inc(VmItem.THP_SCAN_EXCEED_SHARE_PTE);
                    return new Scan(ScanResult.EXCEED_SHARED_PTE, unmapped);
                }
            }
            if (!f.test(Flag.LRU)) {
                return new Scan(ScanResult.PAGE_LRU, unmapped);
            }
            if (f.test(Flag.LOCKED)) {
                return new Scan(ScanResult.PAGE_LOCK, unmapped);
            }
            if (f.refcount() != f.mapcount() + (f.mapping() != null ? f.nrPages() : 0)) {
                return new Scan(ScanResult.PAGE_COUNT, unmapped); // is_refcount_suitable: a GUP get or pin
            }
            if (Pte.accessed(pte) || f.test(Flag.REFERENCED)) {
                referenced++;
            }
        }
        if (!writable) {
            return new Scan(ScanResult.PAGE_RO, unmapped);
        }
        if (khugepaged && first && (referenced == 0 || unmapped > 0 && referenced < NR / 2)) {
            return new Scan(ScanResult.LACK_REFERENCED_PAGE, unmapped);
        }
        return new Scan(ScanResult.SUCCEED, unmapped);
    }
}
