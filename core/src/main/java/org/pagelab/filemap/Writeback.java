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
 * marked dirty in the index, write-protect their mappings, clear dirty for I/O and start
 * writeback: the bytes go to the backing store at once, and the write is in flight on the file
 * system's device until its completion time ({@link WritebackIo}). A failed write records a
 * writeback error on the inode that the next fsync reports, as the kernel's wb_err does.
 * {@link #waitRange} waits for the writes in flight in a range (filemap_fdatawait_range).
 */
final class Writeback {
    private final PageAllocator phys;
    private final VmStat vmstat;

    private MappingHook hook = MappingHook.NONE;

    private final FsTiming timing;
    private WritebackIo io;

    Writeback(PageAllocator phys, VmStat vmstat, FsTiming timing) {
        this.timing = timing;
        this.phys = phys;
        this.vmstat = vmstat;
    }

    void setMappingHook(MappingHook hook) {
        this.hook = hook;
    }

    void setIo(WritebackIo io) {
        this.io = io;
    }

    WritebackIo io() {
        return io;
    }

    /**
     * Starts writeback of every dirty folio of {@code inode} with index in {@code [first, last]},
     * at most {@code max} pages; returns pages submitted.
     */
    long writeRange(Inode inode, long first, long last, long max) {
        FileCache<?> mapping = inode.mapping(); // a shmem cache has no DIRTY marks: nothing to write
        if (!mapping.index().anyMarked(CacheIndex.Mark.DIRTY)) {
            return 0;
        }
        List<Folio> batch = new ArrayList<>();
        long[] pages = {0};
        if (mapping.lookup(first) instanceof Folio head && head.index() < first) {
            first = head.index(); // a large folio the range starts inside is written whole
        }
        mapping.index().forEachMarked(first, last, CacheIndex.Mark.DIRTY, (i, e) -> {
            if (e instanceof Folio f && i == f.index() && !f.test(org.pagelab.desc.FolioFlags.Flag.WRITEBACK)) {
                batch.add(f);
                pages[0] += f.nrPages();
            }
            return pages[0] < max;
        });
        long written = 0;
        for (Folio f : batch) {
            if (f.mapped()) {
                hook.mkclean(inode, f);
            }
            mapping.clearDirty(f);
            boolean ok = !timing.fails(inode.name(), true, f.index())
                    && inode.store().writePages(f.index(), f.nrPages(), phys.contents(), f.pfn(), inode.size());
            if (!ok) {
                inode.setWritebackError();
            }
            io.start(mapping, f, timing.device);
            vmstat.add(VmItem.PGPGOUT, (long) f.nrPages() * (MemSize.PAGE_SIZE / 1024));
            written += f.nrPages();
        }
        return written;
    }

    /** Starts writeback of every dirty folio of {@code inode} in {@code [first, last]}; returns pages submitted. */
    long writeRange(Inode inode, long first, long last) {
        return writeRange(inode, first, last, Long.MAX_VALUE);
    }

    /** The current task waits for every write in flight of {@code inode}'s folios in {@code [first, last]}. */
    void waitRange(Inode inode, long first, long last) {
        FileCache<?> mapping = inode.mapping();
        if (!mapping.index().anyMarked(CacheIndex.Mark.WRITEBACK)) {
            return;
        }
        if (mapping.lookup(first) instanceof Folio head && head.index() < first) {
            first = head.index();
        }
        List<Folio> busy = new ArrayList<>();
        mapping.index().forEachMarked(first, last, CacheIndex.Mark.WRITEBACK, (i, e) -> {
            if (e instanceof Folio f && i == f.index()) {
                busy.add(f);
            }
            return true;
        });
        busy.sort(java.util.Comparator.comparingLong(io::completion));
        for (Folio f : busy) {
            io.waitFor(f);
        }
    }
}
