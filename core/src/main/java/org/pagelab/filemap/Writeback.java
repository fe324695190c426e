package org.pagelab.filemap;

import java.util.ArrayList;
import java.util.List;
import org.pagelab.desc.Folio;
import org.pagelab.phys.MemSize;
import org.pagelab.phys.PageAllocator;
import org.pagelab.stat.VmItem;
import org.pagelab.stat.VmStat;

/**
 * Writeback of dirty page-cache folios (mm/page-writeback.c write_cache_pages): find the folios
 * marked dirty in the index, clear dirty for I/O, start writeback, write them to the backing store,
 * end writeback. Without simulated time the I/O completes at once; a failed write records a
 * writeback error on the inode that the next fsync reports, as the kernel's wb_err does.
 */
final class Writeback {
    private final PageAllocator phys;
    private final VmStat vmstat;

    private MappingHook hook = MappingHook.NONE;

    private final FsTiming timing;

    Writeback(PageAllocator phys, VmStat vmstat, FsTiming timing) {
        this.timing = timing;
        this.phys = phys;
        this.vmstat = vmstat;
    }

    void setMappingHook(MappingHook hook) {
        this.hook = hook;
    }

    /** Writes every dirty folio of {@code inode} with index in {@code [first, last]}; returns pages written. */
    long writeRange(Inode inode, long first, long last) {
        AddressSpace mapping = inode.mapping();
        if (!mapping.index().anyMarked(CacheIndex.Mark.DIRTY)) {
            return 0;
        }
        List<Folio> batch = new ArrayList<>();
        mapping.index().forEachMarked(first, last, CacheIndex.Mark.DIRTY, (i, e) -> {
            if (e instanceof Folio f && i == f.index()) {
                batch.add(f);
            }
            return true;
        });
        long written = 0;
        for (Folio f : batch) {
            if (f.mapped()) {
                hook.mkclean(inode, f);
            }
            mapping.clearDirty(f);
            mapping.startWriteback(f);
            boolean ok = inode.store().writePages(f.index(), f.nrPages(), phys.contents(), f.pfn(), inode.size());
            timing.write(f.nrPages());
            if (!ok) {
                inode.setWritebackError();
            }
            mapping.endWriteback(f);
            vmstat.add(VmItem.PGPGOUT, (long) f.nrPages() * (MemSize.PAGE_SIZE / 1024));
            written += f.nrPages();
        }
        return written;
    }
}
