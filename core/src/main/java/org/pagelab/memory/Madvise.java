package org.pagelab.memory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.pagelab.desc.AnonFolio;
import org.pagelab.desc.Folio;
import org.pagelab.desc.FolioFlags.Flag;
import org.pagelab.desc.Memmap;
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

    Madvise(Fault fault, Zap zap, Memmap memmap, Supplier<Vmscan> vmscan, HugePmd pmd) {
        this.fault = fault;
        this.zap = zap;
        this.memmap = memmap;
        this.vmscan = vmscan;
        this.pmd = pmd;
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
     * madvise(MADV_COLD) and madvise(MADV_PAGEOUT) over {@code [addr, addr + len)}: the folios the
     * process maps there alone (mapcount 1; shared ones are skipped, as the kernel skips them) lose
     * their accessed bits and referenced marks, then are deactivated (cold) or reclaimed at once
     * (pageout; see {@code Vmscan.reclaimPages}). EINVAL for a misaligned address or bad length.
     */
    MapResult coldOrPageout(Process p, long addr, long len, boolean pageout) {
        if (!p.alive() || (addr & (MemSize.PAGE_SIZE - 1)) != 0 || len < 0) {
            return new MapResult.MapFailed(Errno.EINVAL);
        }
        long end = addr + ((len + MemSize.PAGE_SIZE - 1) & -MemSize.PAGE_SIZE);
        // one page table at a time, as madvise_cold_or_pageout_pte_range walks them: the folios a
        // table maps are collected and then deactivated or reclaimed before the next table's are
        for (long from = addr; from < end; ) {
            long to = Math.min(end, (from & -PMD_SPAN) + PMD_SPAN);
            List<Folio> folios = coldOrPageoutCollect(p, from, to);
            if (pageout) {
                vmscan.get().reclaimPages(folios);
            } else {
                vmscan.get().deactivate(folios);
            }
            from = to;
        }
        return new MapResult.Mapped(addr);
    }

    /** The bytes one page table maps (a PMD entry's span). */
    private static final long PMD_SPAN = (long) PageTablePage.ENTRIES * MemSize.PAGE_SIZE;

    /**
     * The folios {@code p} maps alone in {@code [from, to)} (mapcount 1; shared ones are skipped, as
     * the kernel skips them), their accessed bits and referenced marks cleared.
     */
    private List<Folio> coldOrPageoutCollect(Process p, long from, long to) {
        List<Folio> folios = new ArrayList<>();
        Set<Folio> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        p.pageTable().forEachPresentOrSwap(from, to, (a, table, index, pte) -> {
            Folio f = PageTable.normalFolio(memmap, pte);
            if (f == null || p.mm().find(a) == null) {
                return;
            }
            boolean alone = f.mapcount() == 1
                    || f.nrPages() > 1 && f instanceof AnonFolio af && af.pageExclusive(Pte.pfn(pte) - f.pfn());
            if (!alone || !seen.add(f)) {
                return;
            }
            if (table.huge()) {
                pmd.mkOld(table); // pmdp_test_and_clear_young: the PMD's one accessed bit
            } else {
                table.set(index, Pte.mkOld(pte));
            }
            f.clear(Flag.REFERENCED);
            folios.add(f);
        });
        return folios;
    }
}
