package org.pagelab.memory;

import org.pagelab.desc.AnonFolio;
import org.pagelab.desc.Folio;
import org.pagelab.desc.PageCacheFolio;
import org.pagelab.desc.ShmemFolio;
import org.pagelab.desc.FolioFlags.Flag;
import org.pagelab.desc.Memmap;
import org.pagelab.desc.PageTablePage;
import org.pagelab.desc.ReservedBlock;
import org.pagelab.pgtable.PageTable;
import org.pagelab.pgtable.Pte;
import org.pagelab.rmap.Rmap;
import org.pagelab.stat.VmItem;
import org.pagelab.stat.VmStat;
import org.pagelab.vma.Vma;

/**
 * PMD mappings of PMD-sized blocks (mm/huge_memory.c: the mapping half of
 * do_huge_pmd_anonymous_page and set_huge_zero_page, zap_huge_pmd, copy_huge_pmd's accounting,
 * __split_huge_pmd): a PTE table marked {@linkplain PageTablePage#huge() huge} stands for one
 * PMD entry. Why a marked table rather than a second entry kind is in the package comment.
 *
 * <p>A huge table is uniform: its entry {@code k} maps frame {@code first + k} of one naturally
 * aligned order-9 block (an anonymous folio, or the huge zero page), all 512 with the same bits
 * except accessed and dirty, which the MMU sets per entry as it would set the one PMD's bits; the
 * PMD is young (dirty) when any of its entries is. Any change to part of a huge table splits the
 * PMD first ({@link #split}).
 *
 * <p>Counters: a folio's entire mapcount ({@link Folio#entireMapcount()}) is the number of
 * huge tables mapping it; nr_anon_transparent_hugepages counts anonymous folios whose entire
 * mapcount is above zero, as page_add_anon_rmap and page_remove_rmap with compound set count
 * NR_ANON_THPS on the first and last PMD mapping, and nr_file_pmdmapped page-cache folios
 * likewise (page_add_file_rmap, NR_FILE_PMDMAPPED).
 *
 * <p>A page-cache folio is PMD-mapped read-only by a read fault ({@link FileFault}, do_set_pmd).
 * Splitting such a PMD leaves its 512 PTEs in place, as for an anonymous folio; 6.1's
 * __split_huge_pmd instead clears a file PMD and lets the pages fault in again from the page
 * cache. The folio, its cache and its counters end the same; the PTEs are kept so that a split
 * never has to find the process that owns a table.
 */
final class HugePmd {
    private final Memmap memmap;
    private final VmStat vmstat;
    private final Rmap rmap;
    private final HugeZeroPage zero;
    /** The frame of the 4 KiB zero page, which the huge zero page's PTEs become on a split. */
    private final int smallZeroPfn;

    HugePmd(Memmap memmap, VmStat vmstat, Rmap rmap, HugeZeroPage zero, int smallZeroPfn) {
        this.memmap = memmap;
        this.smallZeroPfn = smallZeroPfn;
        this.vmstat = vmstat;
        this.rmap = rmap;
        this.zero = zero;
    }

    /** The huge zero page this machine maps into huge tables on read faults. */
    HugeZeroPage zeroPage() {
        return zero;
    }

    /**
     * do_huge_pmd_anonymous_page for a read fault, with transparent_hugepage/use_zero_page set
     * (its default): PTE table {@code t} of an eligible range is empty, so the range maps the huge
     * zero page read-only. Returns OK, or null when the caller should map the 4 KiB zero page
     * instead (no anon_vma could be had, or no block for the huge zero page: thp_fault_fallback).
     */
    Access faultZero(Process p, Vma vma, PageTablePage t) {
        if (t.used() != 0 || !p.mm().anonVmaPrepare(vma)) {
            return null;
        }
        ReservedBlock z = zero.get();
        if (z == null) {
            vmstat.inc(VmItem.THP_FAULT_FALLBACK);
            return null;
        }
        for (int k = 0; k < PageTablePage.ENTRIES; k++) {
            t.set(k, Pte.mkYoung(Pte.presentSpecial(z.pfn() + k)));
        }
        mapZero(t);
        return Access.OK;
    }

    /** pmdp_test_and_clear_young: huge table {@code t}'s PMD becomes old (every entry). */
    void mkOld(PageTablePage t) {
        for (int k = 0; k < PageTablePage.ENTRIES; k++) {
            t.set(k, Pte.mkOld(t.get(k)));
        }
    }

    /** huge_pmd_set_accessed: a read through huge table {@code t} makes the PMD young and user-accessible. */
    void setAccess(PageTablePage t) {
        for (int k = 0; k < PageTablePage.ENTRIES; k++) {
            t.set(k, Pte.mkYoung(t.get(k) | Pte.USER));
        }
    }

    /**
     * do_huge_pmd_wp_page: a write fault ({@code unshare} false) or FAULT_FLAG_UNSHARE on huge
     * table {@code t} of {@code vma}. The folio is reused whole when it is exclusive, or when
     * this PMD is its only mapping and nothing else holds it (then it becomes exclusive and moves
     * to the VMA's anon_vma): a write makes the PMD writable, young and dirty; an unshare leaves
     * it read-only. Otherwise, and always for the huge zero page, the PMD is split and null is
     * returned: the fault goes on at the PTE level (VM_FAULT_FALLBACK), copying one page.
     */
    Access wp(Vma vma, PageTablePage t, boolean unshare) {
        long first = t.get(0);
        if (!Pte.special(first) && PageTable.normalFolio(memmap, first) instanceof AnonFolio f && reusable(vma, f)) {
            if (!unshare) {
                for (int k = 0; k < PageTablePage.ENTRIES; k++) {
                    t.set(k, Pte.mkDirty(Pte.mkYoung(Pte.mkWrite(t.get(k) | Pte.USER))));
                }
            }
            return Access.OK;
        }
        split(t);
        return null;
    }

    /** The reuse test of do_huge_pmd_wp_page; marks the folio exclusive when it passes on its reference count. */
    private static boolean reusable(Vma vma, AnonFolio f) {
        if (f.pageExclusive(0)) {
            return true;
        }
        // one PMD maps it (512 PTE-level mappings, one reference each) and nothing else holds it
        if (f.entireMapcount() != 1 || f.mapcount() != HugeMemory.HPAGE_PMD_NR || f.refcount() != HugeMemory.HPAGE_PMD_NR
                || f.test(Flag.SWAPCACHE)) {
            return false;
        }
        for (int k = 0; k < HugeMemory.HPAGE_PMD_NR; k++) {
            f.setPageExclusive(k);
        }
        if (f.anonMapping() != vma.anonVma() && vma.anonVma() != null) {
            f.setAnonRmap(vma.anonVma(), f.linearIndex()); // page_move_anon_rmap
        }
        return true;
    }

    /**
     * Marks {@code t}, whose 512 entries now map folio {@code f} uniformly, as a PMD mapping of
     * it (page_add_anon_rmap or page_add_file_rmap with RMAP_COMPOUND: the entire mapcount, and
     * on the first NR_ANON_THPS for an anonymous folio, NR_FILE_PMDMAPPED for a page-cache one).
     */
    void mapFolio(PageTablePage t, Folio f) {
        t.setHuge(true);
        f.entireMapcountAdd(1);
        if (f.entireMapcount() == 1) {
            vmstat.add(thpItem(f), 1);
        }
    }

    /** The node counter of PMD-mapped folios of {@code f}'s kind. */
    private static VmItem thpItem(Folio f) {
        return switch (f) {
            case AnonFolio a -> VmItem.NR_ANON_TRANSPARENT_HUGEPAGES;
            case PageCacheFolio pc -> VmItem.NR_FILE_PMDMAPPED;
            case ShmemFolio sh -> throw new IllegalStateException("a PMD mapping of a shmem folio: " + f);
        };
    }

    /** Marks {@code t}, whose entries map the huge zero page uniformly, as a PMD mapping of it (set_huge_zero_page). */
    void mapZero(PageTablePage t) {
        t.setHuge(true);
        zero.pmdMapped(1);
    }

    /**
     * Ends the PMD-level mapping of huge table {@code t} and leaves its entries as they are: the
     * folio's entire mapcount (and NR_ANON_THPS on the last) or the huge zero page's use.
     */
    private void unmapPmd(PageTablePage t) {
        t.setHuge(false);
        long pte = t.get(0);
        if (Pte.special(pte)) {
            zero.pmdMapped(-1);
            return;
        }
        Folio f = PageTable.normalFolio(memmap, pte);
        f.entireMapcountAdd(-1);
        if (f.entireMapcount() == 0) {
            vmstat.add(thpItem(f), -1);
        }
    }

    /**
     * zap_huge_pmd's rmap half: huge table {@code t} is being zapped whole; the caller then clears
     * its entries one by one, which drops the folio's per-page mappings and references.
     */
    void zapWhole(PageTablePage t) {
        unmapPmd(t);
    }

    /**
     * __split_huge_pmd: the PMD mapping of huge table {@code t} becomes 512 PTE mappings.
     * Each PTE gets the PMD's accessed and dirty bits (any entry's); a folio's pages keep their
     * map counts, its entire mapcount drops. The huge zero page's entries become the small zero
     * page's (__split_huge_zero_page_pmd). Counts thp_split_pmd.
     */
    void split(PageTablePage t) {
        long ad = 0;
        for (int k = 0; k < PageTablePage.ENTRIES; k++) {
            ad |= t.get(k) & (Pte.ACCESSED | Pte.DIRTY);
        }
        boolean zeroPmd = Pte.special(t.get(0));
        unmapPmd(t);
        for (int k = 0; k < PageTablePage.ENTRIES; k++) {
            long e = t.get(k);
            if (zeroPmd) {
                long n = Pte.mkOld(Pte.presentSpecial(smallZeroPfn)) | (ad & Pte.ACCESSED);
                t.set(k, (e & Pte.USER) == 0 ? n & ~Pte.USER : n);
            } else {
                t.set(k, e | ad);
            }
        }
        vmstat.inc(VmItem.THP_SPLIT_PMD);
    }

    /** Splits the PMD mapping of the huge table covering {@code addr} of {@code p}, if there is one. */
    void splitAt(Process p, long addr) {
        PageTablePage t = p.pageTable().pteTable(addr);
        if (t != null && t.huge()) {
            split(t);
        }
    }

    /**
     * As {@link #splitEdges(Process, long, long)} for the system-call range {@code len} bytes
     * from {@code addr} (rounded up to pages); nothing for a range the call will reject.
     */
    void splitEdgesOfCall(Process p, long addr, long len) {
        if (!p.alive() || (addr & (PageTable.PAGE_SIZE - 1)) != 0 || len <= 0 || addr >= PageTable.USER_END
                || len > PageTable.USER_END - addr) {
            return;
        }
        splitEdges(p, addr, Math.min(addr + ((len + PageTable.PAGE_SIZE - 1) & -PageTable.PAGE_SIZE), PageTable.USER_END));
    }

    /**
     * vma_adjust_trans_huge and the partial-range checks of zap, mprotect and madvise: splits the
     * PMD mappings that {@code [start, end)} covers only in part, so that the range's edges fall
     * between PTEs. Tables wholly inside or outside the range stay huge.
     */
    void splitEdges(Process p, long start, long end) {
        if ((start & (HugeMemory.HPAGE_PMD_SIZE - 1)) != 0) {
            splitAt(p, start);
        }
        if ((end & (HugeMemory.HPAGE_PMD_SIZE - 1)) != 0 && end < PageTable.USER_END) {
            splitAt(p, end);
        }
    }

    /** Splits every PMD mapping in {@code [start, end)} of {@code p}. */
    void splitRange(Process p, long start, long end) {
        for (long a = start & -HugeMemory.HPAGE_PMD_SIZE; a < end; a += HugeMemory.HPAGE_PMD_SIZE) {
            splitAt(p, a);
        }
    }

    /**
     * split_huge_page's unmap with TTU_SPLIT_HUGE_PMD: splits every PMD mapping of folio
     * {@code f}, found through the reverse map, so that only PTEs map it.
     */
    void splitFolioPmds(Folio f) {
        if (f.entireMapcount() == 0) {
            return;
        }
        for (PageTablePage t : rmap.hugeTables(f)) {
            split(t);
        }
        if (f.entireMapcount() != 0) {
            throw new IllegalStateException("the reverse map did not find every PMD mapping of " + f);
        }
    }

    /**
     * The check of one huge table {@code t} covering {@code [haddr, haddr + 2 MiB)}: uniform
     * entries mapping one aligned order-9 block, a folio or the huge zero page. Throws naming the
     * first entry that breaks it.
     */
    void checkUniform(PageTablePage t, long haddr) {
        long first = t.get(0);
        String where = "huge table at 0x" + Long.toHexString(haddr);
        if (!Pte.isPresent(first) || (Pte.pfn(first) & (HugeMemory.HPAGE_PMD_NR - 1)) != 0) {
            throw new IllegalStateException(where + " does not start with an aligned present entry: " + Pte.describe(first));
        }
        if (Pte.special(first)) {
            if (!zero.isHugeZeroPfn(Pte.pfn(first))) {
                throw new IllegalStateException(where + " maps special frames that are not the huge zero page: "
                        + Pte.describe(first));
            }
        } else if (!(PageTable.normalFolio(memmap, first) instanceof Folio f) || f instanceof ShmemFolio
                || f.order() != HugeMemory.HPAGE_PMD_ORDER || f.pfn() != Pte.pfn(first)) {
            throw new IllegalStateException(where + " does not map a whole PMD-sized anonymous or page-cache folio: "
                    + PageTable.normalFolio(memmap, first));
        }
        long same = first & ~(Pte.ACCESSED | Pte.DIRTY);
        for (int k = 1; k < PageTablePage.ENTRIES; k++) {
            long e = t.get(k);
            if ((e & ~(Pte.ACCESSED | Pte.DIRTY)) != same + ((long) k << Pte.PFN_SHIFT)) {
                throw new IllegalStateException(where + " entry " + k + " is " + Pte.describe(e)
                        + ", not the PMD's " + Pte.describe(first) + " at page " + k);
            }
        }
    }
}
