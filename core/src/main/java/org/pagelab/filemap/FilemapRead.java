package org.pagelab.filemap;

import org.pagelab.desc.Folio;
import org.pagelab.desc.FolioFlags.Flag;
import org.pagelab.desc.PageCacheFolio;
import org.pagelab.phys.MemSize;
import org.pagelab.phys.PageAllocator;

/**
 * The read side of the page cache (mm/filemap.c): filemap_read for read(2), filemap_fault for a
 * fault on a file mapping, and the read once more of a page whose earlier read failed. Both look
 * each page up, start readahead on a miss ({@link Readahead}), and a read starts asynchronous
 * readahead on reaching a page marked for it. Shmem files are read by {@link Shmem}.
 */
final class FilemapRead {
    private final PageAllocator phys;
    private final FsTiming timing;
    private final Readahead readahead;
    private final Shmem shmem;
    private LruHook lru = LruHook.NONE;

    FilemapRead(PageAllocator phys, FsTiming timing, Readahead readahead, Shmem shmem) {
        this.phys = phys;
        this.timing = timing;
        this.readahead = readahead;
        this.shmem = shmem;
    }

    void setLruHook(LruHook hook) {
        this.lru = hook;
    }

    /**
     * See {@link Vfs#filemapFault}; {@code raPages} is the readahead window of mappings,
     * {@code hugepage} whether the mapping is VM_HUGEPAGE.
     */
    FaultResult fault(Inode inode, long index, int raPages, boolean hugepage) {
        if (index < 0 || index << MemSize.PAGE_SHIFT >= inode.size()) {
            return new FaultResult.FaultFailed(Errno.EFBIG);
        }
        return switch (inode.mapping()) {
            case ShmemCache shm -> shmem.faultOrSwapIn(shm, shm.lookup(index), index);
            case PageCache pc -> fault(inode, pc, index, raPages, hugepage);
        };
    }

    /** filemap_fault proper: page {@code index} of a file with a store, read (with readahead) when not cached. */
    private FaultResult fault(Inode inode, PageCache mapping, long index, int raPages, boolean hugepage) {
        PageCacheFolio folio = mapping.lookup(index);
        boolean major = false;
        if (folio == null) {
            major = true;
            ReadaheadState ra = new ReadaheadState(raPages); // the mapping's file_ra_state
            if (hugepage) {
                readahead.hugeFaultReadahead(inode, ra, index, false);
            } else if (raPages > 0) {
                // mmap read-around: the window centred on the fault, a quarter of it asynchronous
                ra.start = Math.max(0, index - raPages / 2);
                ra.size = raPages;
                ra.asyncSize = raPages / 4;
                readahead.raOrder(inode, ra, ra.start, 0);
            } else {
                readahead.readWindow(inode, index, 1, 0);
            }
            folio = mapping.lookup(index);
            if (folio == null) {
                readahead.readWindow(inode, index, 1, 0);
                folio = mapping.lookup(index);
            }
            if (folio == null) {
                return new FaultResult.FaultFailed(Errno.ENOMEM);
            }
        }
        if (folio.test(Flag.HWPOISON) || !folio.test(Flag.UPTODATE) && !readAgain(inode, folio)) {
            return new FaultResult.FaultFailed(Errno.EIO);
        }
        return new FaultResult.Found(folio, major);
    }

    /**
     * filemap_read_folio for a cached page whose earlier read failed: reads it once more (a
     * transient device error, such as an injected one that has run out, then goes away). Returns
     * whether the folio is now uptodate; it stays in the cache either way.
     */
    private boolean readAgain(Inode inode, Folio folio) {
        if (folio.test(Flag.HWPOISON) || folio.test(Flag.DIRTY)) {
            return false;
        }
        boolean ok = readFromStore(timing, phys, inode, folio);
        timing.read(folio.nrPages(), false);
        if (ok) {
            zeroBeyondEof(inode, folio);
            folio.set(Flag.UPTODATE);
        }
        return ok;
    }

    /**
     * Reads every page of {@code folio} from {@code inode}'s store into its frames; false when an
     * injected error fails one of its pages or the store cannot be read (the folio then stays not
     * uptodate).
     */
    static boolean readFromStore(FsTiming timing, PageAllocator phys, Inode inode, Folio folio) {
        for (long i = folio.index(); i < folio.index() + folio.nrPages(); i++) {
            if (timing.fails(inode.name(), false, i)) {
                return false;
            }
        }
        return inode.store().readPages(folio.index(), folio.nrPages(), phys.contents(), folio.pfn());
    }

    /** filemap_read: reads up to {@code len} bytes at {@code pos} of {@code f} into {@code buf} (null: no copy). */
    IoResult read(OpenFile f, long pos, byte[] buf, int off, long len) {
        if (f.isClosed()) {
            return IoResult.failed(Errno.EBADF);
        }
        if (pos < 0 || len < 0) {
            return IoResult.failed(Errno.EINVAL);
        }
        Inode inode = f.inode();
        long size = inode.size();
        if (pos >= size || len == 0) {
            return IoResult.done(0);
        }
        len = Math.min(len, size - pos);
        timing.syscall();
        return switch (inode.mapping()) {
            case ShmemCache shm -> shmem.read(shm, pos, buf, off, len);
            case PageCache pc -> read(f, pc, pos, buf, off, len);
        };
    }

    /** filemap_read proper, of {@code len > 0} bytes within the size of a file with a store. */
    private IoResult read(OpenFile f, PageCache mapping, long pos, byte[] buf, int off, long len) {
        Inode inode = f.inode();
        long lastIndex = (pos + len - 1) >> MemSize.PAGE_SHIFT;
        long done = 0;
        long lostIndex = -1;
        while (done < len) {
            long p = pos + done;
            long index = p >> MemSize.PAGE_SHIFT;
            Folio folio = mapping.lookup(index);
            timing.cacheLookup();
            if (folio == null) {
                readahead.syncReadahead(f, index, lastIndex - index + 1);
                folio = mapping.lookup(index);
                if (folio == null) {
                    readahead.readWindow(inode, index, 1, 0);
                    folio = mapping.lookup(index);
                }
                if (folio == null) {
                    return done > 0 ? new IoResult.Failed(Errno.ENOMEM, done) : IoResult.failed(Errno.ENOMEM);
                }
            }
            if (folio.test(Flag.READAHEAD) && index != lostIndex) {
                // the readahead state knows folios, not pages: it is asked at the marker folio's start
                readahead.asyncReadahead(f, folio, folio.index(), lastIndex - folio.index() + 1);
                if (mapping.lookup(index) != folio) {
                    lostIndex = index; // once per page: the second time, no readahead to lose it to
                    // the readahead's allocations reclaimed this folio (the kernel's read holds a
                    // reference across them; pagelab looks it up again): take the page anew
                    continue;
                }
            }
            if (!folio.test(Flag.UPTODATE) && !readAgain(inode, folio)) {
                return new IoResult.Failed(Errno.EIO, done);
            }
            lru.markAccessed(folio);
            int inPage = (int) (p & (MemSize.PAGE_SIZE - 1));
            int n = (int) Math.min(MemSize.PAGE_SIZE - inPage, len - done);
            if (buf != null) {
                phys.contents().read(physAddr(folio, index, inPage), buf, off + (int) done, n);
            }
            timing.copy(n);
            done += n;
        }
        f.ra().prevPos = pos + len - 1;
        return IoResult.done(done);
    }

    /** Physical address of byte {@code inPage} of file page {@code index}, which {@code folio} holds. */
    static long physAddr(Folio folio, long index, int inPage) {
        return ((long) folio.pfn() << MemSize.PAGE_SHIFT) + ((index - folio.index()) << MemSize.PAGE_SHIFT) + inPage;
    }

    /** Zeroes the bytes of {@code folio} past the end of {@code inode} (folio_zero_segment beyond i_size). */
    void zeroBeyondEof(Inode inode, Folio folio) {
        long start = folio.index() << MemSize.PAGE_SHIFT;
        long end = start + ((long) folio.nrPages() << MemSize.PAGE_SHIFT);
        long size = inode.size();
        if (size >= end || !phys.contents().holdsData()) {
            return;
        }
        long from = Math.max(size, start);
        byte[] zeros = new byte[(int) (end - from)];
        phys.contents().write(((long) folio.pfn() << MemSize.PAGE_SHIFT) + (from - start), zeros, 0, zeros.length);
    }
}
