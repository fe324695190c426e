package org.pagelab.memory;

import org.pagelab.desc.AnonFolio;
import org.pagelab.desc.FileFolio;
import org.pagelab.desc.Folio;
import org.pagelab.desc.PageCacheFolio;
import org.pagelab.desc.FolioFlags.Flag;
import org.pagelab.desc.PageTablePage;
import org.pagelab.filemap.AddressSpace;
import org.pagelab.filemap.PageCache;
import org.pagelab.filemap.Errno;
import org.pagelab.filemap.FaultResult;
import org.pagelab.filemap.Inode;
import org.pagelab.filemap.Vfs;
import org.pagelab.pgtable.PageTable;
import org.pagelab.pgtable.Pte;
import org.pagelab.phys.MemSize;
import org.pagelab.phys.PageAllocator;
import org.pagelab.stat.VmItem;
import org.pagelab.stat.VmStat;
import org.pagelab.vma.VmFlags;
import org.pagelab.vma.Vma;

/**
 * Faults in file mappings (mm/memory.c do_read_fault, do_cow_fault, do_shared_fault, do_wp_page
 * for file pages, do_fault_around; mm/filemap.c filemap_fault through {@link Vfs}): map the
 * page-cache folio and the cached pages around it, copy it for a private write, or dirty it for
 * a shared write. A page beyond the end of file raises SIGBUS.
 */
final class FileFault {
    /** Pages mapped around a read fault in a file mapping (fault_around_bytes = 64 KiB). */
    static final int FAULT_AROUND_PAGES = 16;

    private final Fault fault;
    private final PageAllocator phys;
    private final VmStat vmstat;
    private final Vfs vfs;
    private final HugePmd pmd;

    FileFault(Fault fault, PageAllocator phys, VmStat vmstat, Vfs vfs, HugePmd pmd) {
        this.fault = fault;
        this.pmd = pmd;
        this.phys = phys;
        this.vmstat = vmstat;
        this.vfs = vfs;
    }

    /** The fault at {@code addr} of file VMA {@code vma}, whose PTE {@code i} of table {@code t} is {@code pte}. */
    Access fault(Process p, Vma vma, PageTablePage t, int i, long addr, long pte, boolean write) {
        if (Pte.isPresent(pte) && t.huge()) {
            if (!write) {
                pmd.setAccess(t); // huge_pmd_set_accessed
                return Access.OK;
            }
            pmd.split(t); // wp_huge_pmd on a file VMA: __split_huge_pmd, then the fault goes on at the PTE
            pte = t.get(i);
        }
        if (Pte.isPresent(pte)) {
            Folio f = PageTable.normalFolio(phys.memmap(), pte);
            if (!write) {
                t.set(i, Pte.mkYoung(pte | Pte.USER));
                return Access.OK;
            }
            return switch (f) {
                case FileFolio ff when vma.isShared() -> {
                    boolean dirtied = ff.mapping() instanceof AddressSpace<?> as && as.markDirty(ff);
                    t.set(i, Pte.mkDirty(Pte.mkYoung(Pte.mkWrite(pte | Pte.USER))));
                    dirtiedSharedPage(ff, dirtied);
                    yield Access.OK;
                }
                case FileFolio ff -> fault.copyOnWrite(p, vma, addr, t, i, ff);
                case AnonFolio a -> fault.wpAnon(p, vma, addr, t, i, pte, a);
            };
        }
        Inode inode = vma.file();
        FaultResult r = vfs.filemapFault(inode, vma.pgoffOf(addr), vma.test(VmFlags.VM_HUGEPAGE));
        FileFolio folio;
        switch (r) {
            case FaultResult.FaultFailed ff -> {
                return ff.errno() == Errno.ENOMEM ? fault.oom(p, addr) : fault.sigbus(p, addr);
            }
            case FaultResult.Found found -> {
                folio = found.folio();
                if (found.major()) {
                    vmstat.inc(VmItem.PGMAJFAULT);
                }
            }
        }
        if (write && !vma.isShared()) {
            // hold the page-cache folio while allocating the copy: reclaim may run meanwhile
            folio.refAdd(1);
            try {
                return fault.mapNewAnon(p, vma, addr, t, i, folio);
            } finally {
                phys.folioPut(folio);
            }
        }
        if (!write && setPmd(p, vma, t, addr, folio)) {
            return Access.OK;
        }
        long n = Pte.mkYoung(Pte.present(folio.pfn() + (int) (vma.pgoffOf(addr) - folio.index()), write, true));
        boolean dirtied = false;
        if (write) {
            n = Pte.mkDirty(n);
            dirtied = folio.mapping() instanceof AddressSpace<?> as && as.markDirty(folio);
        }
        mapFileFolio(p, t, i, folio, n);
        if (!write) {
            faultAround(p, vma, t, addr);
        }
        dirtiedSharedPage(folio, dirtied);
        return Access.OK;
    }

    /**
     * do_set_pmd for a read fault (as filemap_map_pmd tries it first): maps PMD-sized page-cache
     * folio {@code f} whole, read-only and young, by the huge table {@code t} when the table is
     * empty (pmd_none), the 2 MiB range around {@code addr} lies inside {@code vma} and the file
     * offset is aligned with the address (transhuge_vma_suitable), and no page of it is poisoned.
     * Counts thp_file_mapped, nr_file_pmdmapped on its first PMD, 512 pages in RssFile, and
     * nr_mapped as any first mapping of the folio does. Returns false, changing nothing, otherwise.
     */
    private boolean setPmd(Process p, Vma vma, PageTablePage t, long addr, FileFolio f) {
        if (!(f instanceof PageCacheFolio pc) || pc.order() != HugeMemory.HPAGE_PMD_ORDER || t.used() != 0
                || pc.test(Flag.HWPOISON) || !pc.test(Flag.UPTODATE)) {
            return false;
        }
        long haddr = addr & -HugeMemory.HPAGE_PMD_SIZE;
        if (((vma.start() >>> MemSize.PAGE_SHIFT) - vma.pgoff() & (HugeMemory.HPAGE_PMD_NR - 1)) != 0
                || haddr < vma.start() || haddr + HugeMemory.HPAGE_PMD_SIZE > vma.end() || vma.pgoffOf(haddr) != pc.index()) {
            return false;
        }
        for (int k = 0; k < HugeMemory.HPAGE_PMD_NR; k++) {
            t.set(k, Pte.mkYoung(Pte.present(pc.pfn() + k, false, true)));
        }
        boolean first = !pc.mapped();
        pc.mapcountAdd(HugeMemory.HPAGE_PMD_NR);
        pc.refAdd(HugeMemory.HPAGE_PMD_NR);
        if (first) {
            vmstat.add(VmItem.NR_MAPPED, pc.nrPages());
        }
        p.addRssFile(HugeMemory.HPAGE_PMD_NR);
        pmd.mapFolio(t, pc);
        vmstat.inc(VmItem.THP_FILE_MAPPED);
        return true;
    }

    /** fault_dirty_shared_page: a write fault that dirtied a page-cache page checks the dirty limits. */
    private void dirtiedSharedPage(FileFolio f, boolean dirtied) {
        if (dirtied && f.mapping() instanceof PageCache) {
            vfs.dirtiedByFault(f.nrPages());
        }
    }

    private void mapFileFolio(Process p, PageTablePage t, int i, FileFolio folio, long pte) {
        folio.mapcountAdd(1);
        folio.refAdd(1);
        if (folio.mapcount() == 1) {
            vmstat.add(VmItem.NR_MAPPED, folio.nrPages());
        }
        Zap.addRssFile(p, folio, 1);
        t.set(i, pte);
    }

    /**
     * do_fault_around: maps, read-only, the already cached and uptodate pages of the 16-page
     * aligned window around {@code addr} that are inside the VMA and the file and not yet mapped.
     */
    private void faultAround(Process p, Vma vma, PageTablePage t, long addr) {
        long window = FAULT_AROUND_PAGES * MemSize.PAGE_SIZE;
        long start = Math.max(vma.start(), addr & -window);
        long end = Math.min(vma.end(), (addr & -window) + window);
        Inode inode = vma.file();
        for (long a = start; a < end; a += MemSize.PAGE_SIZE) {
            int i = PageTable.pteIndex(a);
            long index = vma.pgoffOf(a);
            if (a == addr || t.get(i) != 0 || index << MemSize.PAGE_SHIFT >= inode.size()) {
                continue;
            }
            FileFolio f = inode.mapping().lookup(index);
            if (f == null || !f.test(Flag.UPTODATE) || f.test(Flag.HWPOISON)) {
                continue;
            }
            mapFileFolio(p, t, i, f, Pte.mkYoung(Pte.present(f.pfn() + (int) (index - f.index()), false, true)));
        }
    }
}
