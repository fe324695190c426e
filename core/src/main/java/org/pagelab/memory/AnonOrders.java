package org.pagelab.memory;

import java.util.function.Supplier;
import org.pagelab.desc.AnonFolio;
import org.pagelab.desc.FolioFlags.Flag;
import org.pagelab.desc.PageTablePage;
import org.pagelab.memcg.MemoryCgroups;
import org.pagelab.pgtable.PageTable;
import org.pagelab.pgtable.Pte;
import org.pagelab.phys.AllocRequest;
import org.pagelab.phys.PageAllocator;
import org.pagelab.reclaim.Vmscan;
import org.pagelab.stat.VmItem;
import org.pagelab.stat.VmStat;
import org.pagelab.vma.Vma;

/**
 * The order of a new anonymous folio at a write fault on an empty PTE (Linux 6.8's
 * alloc_anon_folio, with the PMD-sized attempt of __handle_mm_fault before it): the largest order
 * the VMA allows ({@link MthpSettings}) whose naturally aligned range lies inside the VMA and is
 * still empty, then each smaller allowed order when the allocation or the charge fails, and at
 * last the caller's order-0 page.
 *
 * <h2>Orders</h2>
 * Order 9 (2 MiB) is tried first when it is allowed, its range lies inside the VMA and the PTE
 * table is empty (the kernel's pmd_none): {@link HugeMemory#fault} allocates and maps it, and
 * counts thp_fault_alloc or thp_fault_fallback. Then the orders from 8 down to 2: the highest
 * whose aligned range holds only none PTEs is chosen (a range with any PTE in use rules its order
 * out, but a smaller range beside that PTE may still do), and allocated with the same allocation
 * request as the PMD-sized fault ({@link HugeMemory#thpRequest}, the defrag setting), at that
 * order. A folio got is zeroed and mapped at once by PTEs over its whole range, writable, young
 * and dirty (set_ptes), exclusive, one reference per mapping.
 *
 * <h2>Counters</h2>
 * Per size ({@link MthpStat}): anon_fault_alloc when the order was got; anon_fault_fallback when
 * it was tried and not got, and anon_fault_fallback_charge as well when the memory cgroup refused
 * the charge. thp_fault_fallback_charge in /proc/vmstat counts the charge failures of order 9
 * only, as thp_fault_alloc and thp_fault_fallback do.
 */
final class AnonOrders {
    private final HugeMemory huge;
    private final MthpSettings settings;
    private final PageAllocator phys;
    private final VmStat vmstat;
    private final Supplier<Vmscan> vmscan;
    private final Supplier<MemoryCgroups> memcg;
    private Khugepaged khugepaged;

    AnonOrders(HugeMemory huge, MthpSettings settings, PageAllocator phys, VmStat vmstat, Supplier<Vmscan> vmscan,
               Supplier<MemoryCgroups> memcg) {
        this.huge = huge;
        this.settings = settings;
        this.phys = phys;
        this.vmstat = vmstat;
        this.vmscan = vmscan;
        this.memcg = memcg;
    }

    /** Sets khugepaged, which a PMD-sized fault registers the address space with. Requires: called once, before any fault. */
    void setKhugepaged(Khugepaged k) {
        this.khugepaged = k;
    }

    /**
     * Whether a fault at {@code addr} of {@code vma} may map a PMD-sized folio (or, for a read, the
     * huge zero page): the 2 MiB size allowed there and its aligned range inside the VMA
     * (thp_vma_allowable_order and thp_vma_suitable_order for HPAGE_PMD_ORDER).
     */
    boolean pmdSuitable(Vma vma, long addr) {
        int pmd = HugeMemory.HPAGE_PMD_ORDER;
        return (MthpSettings.suitableOrders(vma, addr, settings.allowableOrders(vma, huge.enabled())) & 1 << pmd) != 0;
    }

    /**
     * A write fault at {@code addr} of private anonymous {@code vma}, whose PTE in table
     * {@code t} is none: maps a large folio and returns OK, or returns null when the caller
     * should map an order-0 page (no large order allowed or suitable, or every one failed).
     */
    Access fault(Process p, Vma vma, long addr, PageTablePage t) {
        int orders = MthpSettings.suitableOrders(vma, addr, settings.allowableOrders(vma, huge.enabled()));
        if (orders == 0) {
            return null;
        }
        int pmd = HugeMemory.HPAGE_PMD_ORDER;
        if ((orders & 1 << pmd) != 0 && t.used() == 0 && p.mm().anonVmaPrepare(vma)) {
            khugepaged.enter(p); // do_huge_pmd_anonymous_page: khugepaged_enter_vma
            Access a = pmdAlloc(p, vma, addr, t);
            if (a != null) {
                return a;
            }
        }
        orders &= (1 << pmd) - 1;
        if (!p.alive() || t.isDead()) {
            return null; // killed during the PMD-sized allocation: the order-0 path reports it
        }
        while (orders != 0 && !rangeNone(t, addr, highest(orders))) {
            orders &= ~(1 << highest(orders));
        }
        if (orders == 0 || !p.mm().anonVmaPrepare(vma)) {
            return null;
        }
        AllocRequest light = huge.thpRequest(vma);
        for (; orders != 0; orders &= ~(1 << highest(orders))) {
            int order = highest(orders);
            AllocRequest req = light.withOrder(order);
            chargeFailed();
            AnonFolio f = req.mayReclaim() || req.wakeKswapd() ? phys.alloc(req, AnonFolio::new)
                    : phys.allocIfFree(req, AnonFolio::new);
            if (f != null) {
                if (t.isDead() || !p.alive() || !rangeNone(t, addr, order)) {
                    // reclaim or the OOM killer changed the table during the allocation
                    phys.folioPut(f);
                    return null;
                }
                settings.count(order, MthpStat.ANON_FAULT_ALLOC);
                map(p, vma, addr & -((long) PageTable.PAGE_SIZE << order), t, f, true);
                return Access.OK;
            }
            settings.count(order, MthpStat.ANON_FAULT_FALLBACK);
            if (chargeFailed()) {
                settings.count(order, MthpStat.ANON_FAULT_FALLBACK_CHARGE);
            }
        }
        return null;
    }

    /**
     * A read fault at {@code addr} of private anonymous {@code vma}, whose PTE in table {@code t}
     * is none: do_huge_pmd_anonymous_page when the 2 MiB size is allowed and suitable and the
     * table is empty, which maps the huge zero page or, with use_zero_page 0, a new PMD-sized
     * folio as a write fault would. Returns OK, or null when the caller should map the
     * 4 KiB zero page (the smaller sizes never serve a read: alloc_anon_folio is for writes).
     */
    Access readFault(Process p, Vma vma, long addr, PageTablePage t) {
        if (!pmdSuitable(vma, addr) || t.used() != 0 || !p.mm().anonVmaPrepare(vma)) {
            return null;
        }
        khugepaged.enter(p); // do_huge_pmd_anonymous_page registers before it tries either page
        return huge.useZeroPage() ? huge.faultZero(p, vma, t) : pmdAlloc(p, vma, addr, t);
    }

    /** The PMD-sized allocation of do_huge_pmd_anonymous_page, with its per-size counters; null on fallback. */
    private Access pmdAlloc(Process p, Vma vma, long addr, PageTablePage t) {
        int pmd = HugeMemory.HPAGE_PMD_ORDER;
        chargeFailed(); // forget an older failure: the flag is read after this attempt
        Access a = huge.fault(p, vma, addr, t);
        if (a != null) {
            settings.count(pmd, MthpStat.ANON_FAULT_ALLOC);
            return a;
        }
        settings.count(pmd, MthpStat.ANON_FAULT_FALLBACK);
        if (chargeFailed()) {
            vmstat.inc(VmItem.THP_FAULT_FALLBACK_CHARGE);
            settings.count(pmd, MthpStat.ANON_FAULT_FALLBACK_CHARGE);
        }
        return null;
    }

    /** Whether the PTEs of the aligned range of {@code order} around {@code addr} are all none (pte_range_none). */
    private static boolean rangeNone(PageTablePage t, long addr, int order) {
        int first = PageTable.pteIndex(addr) & -(1 << order);
        for (int i = first; i < first + (1 << order); i++) {
            if (!Pte.isNone(t.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static int highest(int orders) {
        return 31 - Integer.numberOfLeadingZeros(orders);
    }

    /** Whether the last charge failed, which clears the mark. */
    private boolean chargeFailed() {
        MemoryCgroups m = memcg.get();
        return m != null && m.chargeFailed();
    }

    /**
     * Maps new folio {@code f} at {@code start} of {@code vma}, one PTE per page of table
     * {@code t}, young and dirty, writable when {@code writable}: exclusive, on the LRU, one
     * mapping and one reference per page; a PMD-sized one counts in nr_anon_transparent_hugepages.
     */
    void map(Process p, Vma vma, long start, PageTablePage t, AnonFolio f, boolean writable) {
        int nr = f.nrPages();
        f.set(Flag.ANON_EXCLUSIVE);
        f.set(Flag.UPTODATE);
        f.setAnonRmap(vma.anonVma(), vma.pgoffOf(start));
        vmscan.get().add(f);
        f.refAdd(nr - 1);
        f.mapcountAdd(nr);
        vmstat.add(VmItem.NR_ANON_PAGES, nr); // AnonHugePages counts a PMD mapping: HugePmd.mapFolio
        p.addRssAnon(nr);
        int first = PageTable.pteIndex(start);
        for (int k = 0; k < nr; k++) {
            long pte = Pte.mkDirty(Pte.mkYoung(Pte.present(f.pfn() + k, writable, true)));
            t.set(first + k, pte);
        }
    }
}
