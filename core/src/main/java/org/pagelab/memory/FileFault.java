package org.pagelab.memory;

import org.pagelab.desc.AnonFolio;
import org.pagelab.desc.FileFolio;
import org.pagelab.desc.Folio;
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

    FileFault(Fault fault, PageAllocator phys, VmStat vmstat, Vfs vfs) {
        this.fault = fault;
        this.phys = phys;
        this.vmstat = vmstat;
        this.vfs = vfs;
    }

    /** The fault at {@code addr} of file VMA {@code vma}, whose PTE {@code i} of table {@code t} is {@code pte}. */
    Access fault(Process p, Vma vma, PageTablePage t, int i, long addr, long pte, boolean write) {
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
        FaultResult r = vfs.filemapFault(inode, vma.pgoffOf(addr));
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
