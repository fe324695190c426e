package org.pagelab.memory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.pagelab.desc.AnonFolio;
import org.pagelab.desc.Folio;
import org.pagelab.desc.FolioFlags.Flag;
import org.pagelab.desc.Memmap;
import org.pagelab.desc.PageCacheFolio;
import org.pagelab.desc.PageTablePage;
import org.pagelab.filemap.Errno;
import org.pagelab.pgtable.PageTable;
import org.pagelab.pgtable.Pte;
import org.pagelab.phys.MemSize;
import org.pagelab.reclaim.Vmscan;
import org.pagelab.vma.MapResult;
import org.pagelab.vma.Vma;
import org.pagelab.vma.VmFlags;

/**
 * madvise (mm/madvise.c): the advices that drop pages (MADV_DONTNEED), age or reclaim them
 * (MADV_COLD, MADV_PAGEOUT), choose huge pages (MADV_HUGEPAGE, MADV_NOHUGEPAGE), change what fork
 * copies (MADV_DONTFORK, MADV_DOFORK, MADV_WIPEONFORK, MADV_KEEPONFORK) and fault a range in
 * ahead of use (MADV_POPULATE_READ, MADV_POPULATE_WRITE).
 */
public final class Madvise {
    /** The advices this class handles. */
    public enum Advice { DONTFORK, DOFORK, WIPEONFORK, KEEPONFORK, POPULATE_READ, POPULATE_WRITE }

    private final Fault fault;
    private final Zap zap;
    private final Memmap memmap;
    private final Supplier<Vmscan> vmscan;
    private final HugePmd pmd;
    private final HugeMemory huge;

    private final PageCacheSplit pageCacheSplit;

    Madvise(Fault fault, Zap zap, Memmap memmap, Supplier<Vmscan> vmscan, HugePmd pmd, HugeMemory huge,
            PageCacheSplit pageCacheSplit) {
        this.pageCacheSplit = pageCacheSplit;
        this.fault = fault;
        this.zap = zap;
        this.memmap = memmap;
        this.vmscan = vmscan;
        this.pmd = pmd;
        this.huge = huge;
    }

    /**
     * madvise({@code advice}) over {@code [addr, addr + len)} of {@code p}: EINVAL for a misaligned
     * address or a negative length, ENOMEM when part of the range is not mapped; MADV_WIPEONFORK
     * is EINVAL on a file or shared mapping, as the kernel allows it on private anonymous memory only.
     * The populate advices fault every page in as get_user_pages does (a write one breaks COW);
     * EINVAL when the VMA's protection forbids the access.
     */
    public MapResult advise(Process p, long addr, long len, Advice advice) {
        if (!p.alive() || (addr & (MemSize.PAGE_SIZE - 1)) != 0 || len < 0) {
            return new MapResult.MapFailed(Errno.EINVAL);
        }
        long end = addr + ((len + MemSize.PAGE_SIZE - 1) & -MemSize.PAGE_SIZE);
        if (advice != Advice.POPULATE_READ && advice != Advice.POPULATE_WRITE) {
            pmd.splitEdgesOfCall(p, addr, len); // the VMA may split at the range's edges (vma_adjust_trans_huge)
        }
        return switch (advice) {
            case DONTFORK -> p.mm().madviseFlags(addr, len, VmFlags.VM_DONTCOPY, 0);
            case DOFORK -> p.mm().madviseFlags(addr, len, 0, VmFlags.VM_DONTCOPY);
            case KEEPONFORK -> p.mm().madviseFlags(addr, len, 0, VmFlags.VM_WIPEONFORK);
            case WIPEONFORK -> {
                for (long a = addr; a < end; ) {
                    Vma v = p.mm().find(a);
                    if (v == null) {
                        yield new MapResult.MapFailed(Errno.ENOMEM);
                    }
                    if (v.file() != null || v.isShared()) {
                        yield new MapResult.MapFailed(Errno.EINVAL);
                    }
                    a = v.end();
                }
                yield p.mm().madviseFlags(addr, len, VmFlags.VM_WIPEONFORK, 0);
            }
            case POPULATE_READ, POPULATE_WRITE -> populate(p, addr, end, advice == Advice.POPULATE_WRITE);
        };
    }

    private MapResult populate(Process p, long addr, long end, boolean write) {
        for (long a = addr; a < end; a += MemSize.PAGE_SIZE) {
            Vma v = p.mm().find(a);
            if (v == null) {
                return new MapResult.MapFailed(Errno.ENOMEM);
            }
            if (write ? !v.test(VmFlags.VM_WRITE) : !v.test(VmFlags.VM_READ | VmFlags.VM_WRITE)) {
                return new MapResult.MapFailed(Errno.EINVAL);
            }
            if (fault.touch(p, a, write) != Access.OK) {
                return new MapResult.MapFailed(p.alive() ? Errno.ENOMEM : Errno.EFAULT);
            }
        }
        return new MapResult.Mapped(addr);
    }

    /** madvise(MADV_DONTNEED): drops the range's pages; the next touch sees zeros. */
    MapResult dontneed(Process p, long addr, long len) {
        if (!p.alive() || (addr & (MemSize.PAGE_SIZE - 1)) != 0 || len < 0) {
            return new MapResult.MapFailed(Errno.EINVAL);
        }
        long end = addr + ((len + MemSize.PAGE_SIZE - 1) & -MemSize.PAGE_SIZE);
        long before = p.pageTable().tablePages();
        for (Vma v : new ArrayList<>(p.mm().vmas())) {
            long s = Math.max(v.start(), addr);
            long e = Math.min(v.end(), end);
            if (s < e) {
                zap.zapRange(p, s, e);
            }
        }
        zap.syncTables(p, before);
        return new MapResult.Mapped(addr);
    }

    /**
     * madvise(MADV_HUGEPAGE), or with {@code hugepage} false madvise(MADV_NOHUGEPAGE): marks the
     * VMAs of {@code [addr, addr + len)} VM_HUGEPAGE or VM_NOHUGEPAGE (each clears the other),
     * splitting VMAs at the edges. Pages already mapped stay as they are. EINVAL for a misaligned
     * address, ENOMEM when part of the range is not mapped.
     */
    MapResult hugepage(Process p, long addr, long len, boolean hugepage) {
        if (!p.alive()) {
            return new MapResult.MapFailed(Errno.EINVAL);
        }
        pmd.splitEdgesOfCall(p, addr, len); // the VMA may split at the range's edges (vma_adjust_trans_huge)
        int set = hugepage ? VmFlags.VM_HUGEPAGE : VmFlags.VM_NOHUGEPAGE;
        int clear = hugepage ? VmFlags.VM_NOHUGEPAGE : VmFlags.VM_HUGEPAGE;
        return p.mm().madviseFlags(addr, len, set, clear);
    }

    /**
     * madvise(MADV_COLD) and madvise(MADV_PAGEOUT) over {@code [addr, addr + len)}, as 6.1's
     * madvise_cold_or_pageout_pte_range does it, one VMA and one page table (2 MiB) at a time: the folios
     * found there that the process alone maps lose their accessed bits and referenced marks, then
     * are deactivated (cold) or reclaimed at once (pageout; see {@code Vmscan.reclaimPages})
     * before the next table's are looked at. Large folios:
     * <ul>
     *   <li>a PMD-mapped one that this PMD alone maps is taken whole when the range covers the
     *       2 MiB, and split (split_huge_page) when it covers part, after which the covered pages
     *       are taken one by one; a shared one, the huge zero page, or one that cannot be split
     *       (pinned, under writeback) leaves the table untouched;</li>
     *   <li>a PTE-mapped one whose page here is mapped once is split, covered or not (the kernel
     *       splits "only if we are sure it's worth": whenever it is the only owner), and its
     *       pages then taken one by one; at one that is shared, or cannot be split, the walk of
     *       this table stops, as the kernel's breaks out of its PTE loop. A large page-cache folio
     *       is split the same way, but its split unmaps the pieces, so the walk finds their PTEs
     *       none and they stay in the cache unmapped; a PMD-mapped one is left alone.</li>
     * </ul>
     * A small folio is taken when it is on the LRU and mapped once. "Mapped once" for a page of a
     * large folio, which pagelab keeps no per-page map count for: the page is exclusive, or every
     * mapping of the folio is a PTE of this table (then each of its mapped pages is mapped once);
     * otherwise it counts as shared. For a PMD mapping: this PMD is the folio's only mapping.
     * EINVAL for a misaligned address or bad length.
     */
    MapResult coldOrPageout(Process p, long addr, long len, boolean pageout) {
        if (!p.alive() || (addr & (MemSize.PAGE_SIZE - 1)) != 0 || len < 0) {
            return new MapResult.MapFailed(Errno.EINVAL);
        }
        long end = addr + ((len + MemSize.PAGE_SIZE - 1) & -MemSize.PAGE_SIZE);
        for (Vma v : new ArrayList<>(p.mm().vmas())) {
            long vEnd = Math.min(v.end(), end);
            for (long from = Math.max(v.start(), addr); from < vEnd && p.alive(); ) {
                long to = Math.min(vEnd, (from & -PMD_SPAN) + PMD_SPAN);
                List<Folio> folios = coldOrPageoutTable(p, from, to);
                if (pageout) {
                    vmscan.get().reclaimPages(folios);
                } else {
                    vmscan.get().deactivate(folios);
                }
                from = to;
            }
        }
        return new MapResult.Mapped(addr);
    }

    /** The bytes one page table maps (a PMD entry's span). */
    private static final long PMD_SPAN = (long) PageTablePage.ENTRIES * MemSize.PAGE_SIZE;

    /**
     * The folios to deactivate or reclaim in {@code [from, to)} of {@code p}, within one VMA and
     * one page table, their accessed bits and referenced marks cleared; splits large folios as
     * {@link #coldOrPageout} says.
     */
    private List<Folio> coldOrPageoutTable(Process p, long from, long to) {
        List<Folio> folios = new ArrayList<>();
        PageTablePage t = p.pageTable().pteTable(from);
        if (t == null) {
            return folios;
        }
        if (t.huge()) {
            if (!(PageTable.normalFolio(memmap, t.get(0)) instanceof AnonFolio f) || !pmdMappedOnce(f)) {
                return folios; // the huge zero page, or a folio others map too
            }
            if (to - from != PMD_SPAN) {
                if (huge.split(f, 0, 0) == null) {
                    return folios;
                }
            } else {
                pmd.mkOld(t); // pmdp_test_and_clear_young: the PMD's one accessed bit
                f.clear(Flag.REFERENCED);
                folios.add(f);
                return folios;
            }
        }
        for (long a = from; a < to; a += MemSize.PAGE_SIZE) {
            int i = PageTable.pteIndex(a);
            long pte = t.get(i);
            Folio f = Pte.isPresent(pte) ? PageTable.normalFolio(memmap, pte) : null;
            if (f == null) {
                continue;
            }
            if (f.nrPages() > 1) {
                if (f instanceof PageCacheFolio pf) {
                    // a large page-cache folio is split too; its split unmaps the pieces (the
                    // kernel's unmap_folio), so the walk finds their PTEs none and moves on
                    if (!pteMappedOnce(t, pf, Pte.pfn(pte) - pf.pfn()) || pageCacheSplit.split(pf) == null) {
                        break;
                    }
                    continue;
                }
                if (!(f instanceof AnonFolio af) || !pteMappedOnce(t, af, Pte.pfn(pte) - af.pfn())
                        || huge.split(af, 0, 0) == null) {
                    break; // shared, or not splittable here: the rest of this table is left alone
                }
                pte = t.get(i);
                f = PageTable.normalFolio(memmap, pte);
                if (f == null) {
                    continue;
                }
            }
            if (!f.test(Flag.LRU) || f.mapcount() != 1) {
                continue;
            }
            t.set(i, Pte.mkOld(pte));
            f.clear(Flag.REFERENCED);
            folios.add(f);
        }
        return folios;
    }

    /** page_mapcount(head) == 1 for a PMD-mapped folio: this PMD is its only mapping. */
    private static boolean pmdMappedOnce(AnonFolio f) {
        return f.entireMapcount() == 1 && f.mapcount() == f.nrPages();
    }

    /**
     * page_mapcount(page) == 1 for page {@code k} of large folio {@code f} mapped by table
     * {@code t}, as far as pagelab's one map count per folio tells: the page is exclusive, or
     * every mapping of the folio is a PTE of {@code t}.
     */
    private static boolean pteMappedOnce(PageTablePage t, Folio f, int k) {
        if (f instanceof AnonFolio af && af.pageExclusive(k)) {
            return true;
        }
        if (f.entireMapcount() > 0) {
            return false; // a PMD maps it as well
        }
        int here = 0;
        for (int i = 0; i < PageTablePage.ENTRIES; i++) {
            long pte = t.get(i);
            if (Pte.isPresent(pte) && !Pte.special(pte) && Pte.pfn(pte) - f.pfn() >= 0 && Pte.pfn(pte) - f.pfn() < f.nrPages()) {
                here++;
            }
        }
        return here == f.mapcount();
    }
}
