package org.pagelab.filemap;

import org.pagelab.desc.Folio;
import org.pagelab.desc.FolioFlags.Flag;
import org.pagelab.desc.PageCacheFolio;
import org.pagelab.phys.AllocRequest;
import org.pagelab.phys.MemSize;
import org.pagelab.phys.PageAllocator;
import org.pagelab.stat.VmItem;
import org.pagelab.stat.VmStat;

/**
 * The write side of the page cache (generic_perform_write in mm/filemap.c): for each page, find
 * or create it (write_begin), reading it first when the write covers only part of a page that
 * has data on the store, copy in, mark it dirty, extend the size, and let the writer wait on the
 * dirty limits (balance_dirty_pages).
 */
final class FileWrite {
    private final PageAllocator phys;
    private final VmStat vmstat;
    private final FsTiming timing;
    private final Flusher flusher;
    private final Shmem shmem;
    private final FilemapRead reader;
    private final BufferHeads buffers;
    private LruHook lru = LruHook.NONE;

    FileWrite(PageAllocator phys, VmStat vmstat, FsTiming timing, Flusher flusher, Shmem shmem, FilemapRead reader,
              BufferHeads buffers) {
        this.phys = phys;
        this.vmstat = vmstat;
        this.timing = timing;
        this.flusher = flusher;
        this.shmem = shmem;
        this.reader = reader;
        this.buffers = buffers;
    }

    void setLruHook(LruHook hook) {
        this.lru = hook;
    }

    /** Writes {@code len} bytes of {@code buf} (null: no data) at {@code pos} of {@code f}. */
    IoResult write(OpenFile f, long pos, byte[] buf, int off, long len) {
        if (f.isClosed()) {
            return IoResult.failed(Errno.EBADF);
        }
        if (pos < 0 || len < 0) {
            return IoResult.failed(Errno.EINVAL);
        }
        if (pos + len > Vfs.MAX_FILE_SIZE) {
            return IoResult.failed(Errno.EFBIG);
        }
        Inode inode = f.inode();
        FileCache<?> mapping = inode.mapping();
        timing.syscall();
        long done = 0;
        while (done < len) {
            long p = pos + done;
            long index = p >> MemSize.PAGE_SHIFT;
            int inPage = (int) (p & (MemSize.PAGE_SIZE - 1));
            int n = (int) Math.min(MemSize.PAGE_SIZE - inPage, len - done);
            Folio folio = writeBegin(inode, index, inPage, n);
            if (folio == null) {
                return done > 0 ? new IoResult.Failed(Errno.ENOMEM, done) : IoResult.failed(Errno.ENOMEM);
            }
            if (buf != null) {
                phys.contents().write(FilemapRead.physAddr(folio, index, inPage), buf, off + (int) done, n);
            }
            timing.copy(n);
            folio.set(Flag.UPTODATE);
            mapping.markDirty(folio);
            done += n;
            if (p + n > inode.size()) {
                inode.setSize(p + n);
            }
            if (mapping instanceof PageCache) {
                buffers.attach(folio); // the block file system's write_begin gives the folio its buffers
                flusher.balanceDirtyPages(1);
            }
        }
        return IoResult.done(done);
    }

    /**
     * Finds or creates the folio for page {@code index} ready to take {@code n} bytes at
     * {@code inPage} (write_begin): a new page that the write does not cover wholly is read from
     * the store when it holds data there, or zeroed past the end of file.
     */
    private Folio writeBegin(Inode inode, long index, int inPage, int n) {
        return switch (inode.mapping()) {
            case ShmemCache shm -> shmem.getFolio(shm, index, true); // new shmem pages come zeroed, nothing to read
            case PageCache pc -> writeBegin(inode, pc, index, inPage, n);
        };
    }

    /** write_begin of a file with a store. */
    private Folio writeBegin(Inode inode, PageCache mapping, long index, int inPage, int n) {
        PageCacheFolio folio = mapping.lookup(index);
        if (folio != null && folio.test(Flag.UPTODATE)) {
            return folio;
        }
        boolean fresh = folio == null;
        if (fresh) {
            folio = phys.alloc(AllocRequest.pageCache(0), PageCacheFolio::new);
            if (folio == null) {
                return null;
            }
            if (!mapping.tryAdd(folio, index)) {
                phys.folioPut(folio);
                return null;
            }
            lru.add(folio);
        }
        if (!fresh && folio.nrPages() > 1) {
            // a large folio whose read failed: write_begin reads it whole (filemap_read_folio)
            if (!FilemapRead.readFromStore(timing, phys, inode, folio)) {
                inode.setWritebackError();
            }
            timing.read(folio.nrPages(), false);
            vmstat.add(VmItem.PGPGIN, (long) folio.nrPages() * (MemSize.PAGE_SIZE / 1024));
            reader.zeroBeyondEof(inode, folio);
            return folio;
        }
        boolean whole = inPage == 0 && n == MemSize.PAGE_SIZE;
        if (!whole) {
            if ((index << MemSize.PAGE_SHIFT) < inode.size()) {
                if (timing.fails(inode.name(), false, index)
                        || !inode.store().readPages(index, 1, phys.contents(), folio.pfn())) {
                    inode.setWritebackError();
                }
                timing.read(1, false);
                vmstat.add(VmItem.PGPGIN, MemSize.PAGE_SIZE / 1024);
                reader.zeroBeyondEof(inode, folio);
            } else {
                phys.contents().zero(folio.pfn(), folio.nrPages());
            }
        }
        if (fresh) {
            phys.folioPut(folio);
        }
        return folio;
    }
}
