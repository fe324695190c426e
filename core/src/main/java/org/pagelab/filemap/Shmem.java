package org.pagelab.filemap;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.LongPredicate;
import org.pagelab.desc.Folio;
import org.pagelab.desc.FolioFlags.Flag;
import org.pagelab.desc.ShmemFolio;
import org.pagelab.desc.SwapEntry;
import org.pagelab.phys.AllocRequest;
import org.pagelab.phys.MemSize;
import org.pagelab.phys.PageAllocator;
import org.pagelab.slab.KmemCache;
import org.pagelab.stat.VmStat;

/**
 * The shmem side of the file system (mm/shmem.c): shmem inodes, their pages found, brought back
 * from swap or made zeroed (shmem_get_folio, shmem_fault), the read of a shmem file, in which a
 * hole reads as zeros, and the overcommit accounting of the objects behind shared anonymous
 * mappings (shmem_acct_size). A shmem page is a {@link ShmemFolio} (swap-backed, on the anon LRU);
 * a swapped-out one leaves its swap entry in its cache slot.
 */
final class Shmem {
    private final PageAllocator phys;
    private final VmStat vmstat;
    private final KmemCache radixNodes;
    private final InodeObjects objects;
    private final FsTiming timing;
    private LruHook lru = LruHook.NONE;
    private ShmemSwap swap = ShmemSwap.NONE;
    private LongPredicate commit = pages -> true;
    private final Map<Inode, Long> committed = new IdentityHashMap<>();

    Shmem(PageAllocator phys, VmStat vmstat, KmemCache radixNodes, InodeObjects objects, FsTiming timing) {
        this.phys = phys;
        this.vmstat = vmstat;
        this.radixNodes = radixNodes;
        this.objects = objects;
        this.timing = timing;
    }

    void setLruHook(LruHook hook) {
        this.lru = hook;
    }

    void setSwap(ShmemSwap s) {
        this.swap = s;
    }

    void setCommit(LongPredicate c) {
        this.commit = c;
    }

    /**
     * shmem_get_inode: a shmem inode named {@code name} of {@code size} bytes (a hole: its pages
     * read as zeros until written), whose store never holds data; null when its slab objects
     * cannot be had.
     */
    Inode newInode(String name, long size) {
        return objects.newInode((ino, io, dn) -> new Inode(ino, name,
                AddressSpace.shmem("shmem " + ino, radixNodes, phys, vmstat),
                new SyntheticStore(Vfs.MAX_FILE_SIZE), size, io, dn));
    }

    /**
     * shmem_zero_setup: the object behind a shared anonymous mapping, its size committed first
     * (shmem_acct_size); null when the overcommit policy refuses it or memory runs out.
     */
    Inode newZeroObject(long size) {
        long pages = (size + MemSize.PAGE_SIZE - 1) >> MemSize.PAGE_SHIFT;
        if (!commit.test(pages)) {
            return null; // shmem_acct_size: the overcommit policy refuses it
        }
        Inode inode = newInode(Vfs.SHMEM_ZERO_NAME, size);
        if (inode == null) {
            commit.test(-pages);
            return null;
        }
        committed.put(inode, pages);
        return inode;
    }

    /** shmem_unacct_size as the object of {@code inode} goes (nothing for other inodes). */
    void unaccount(Inode inode) {
        Long pages = committed.remove(inode);
        if (pages != null) {
            commit.test(-pages);
        }
    }

    /** Pages the shmem objects of shared anonymous mappings have committed (their part of Committed_AS). */
    long committedPages() {
        long n = 0;
        for (long p : committed.values()) {
            n += p;
        }
        return n;
    }

    /** A swapped-out page's slot goes with its file page (truncation). */
    void freeSwap(SwapEntry entry) {
        swap.free(entry);
    }

    /**
     * shmem_get_folio: the folio of page {@code index} of a shmem file: in its cache, brought back
     * from swap when its slot holds an entry, or, when {@code create}, a new zeroed one. Null when
     * it does not exist and {@code create} is false (a hole reads as zeros), or when memory runs out.
     */
    Folio getFolio(ShmemCache mapping, long index, boolean create) {
        Folio folio = mapping.lookup(index);
        if (folio != null) {
            return folio;
        }
        if (mapping.load(index) instanceof SwapEntry e) {
            return switch (swap.swapIn(mapping, index, e)) {
                case FaultResult.Found found -> found.folio();
                case FaultResult.FaultFailed failed -> null;
            };
        }
        if (!create) {
            return null;
        }
        FaultResult r = fault(mapping, null, index);
        return r instanceof FaultResult.Found found ? found.folio() : null;
    }

    /** The fault of page {@code index}, whose cached folio is {@code folio} (or null): from swap, or {@link #fault}. */
    FaultResult faultOrSwapIn(ShmemCache mapping, ShmemFolio folio, long index) {
        if (folio == null && mapping.load(index) instanceof SwapEntry e) {
            return swap.swapIn(mapping, index, e);
        }
        return fault(mapping, folio, index);
    }

    /**
     * shmem_fault: the folio of page {@code index}, or a new zero-filled one added to the shmem
     * cache (a minor fault: nothing is read).
     */
    private FaultResult fault(ShmemCache mapping, ShmemFolio folio, long index) {
        if (folio != null) {
            // a poisoned shmem page stays in its cache (its data has no other copy): SIGBUS
            return folio.test(Flag.HWPOISON) ? new FaultResult.FaultFailed(Errno.EIO) : new FaultResult.Found(folio, false);
        }
        ShmemFolio f = phys.alloc(AllocRequest.anon(0), ShmemFolio::new);
        if (f == null) {
            return new FaultResult.FaultFailed(Errno.ENOMEM);
        }
        phys.contents().zero(f.pfn(), f.nrPages());
        f.set(Flag.UPTODATE);
        if (!mapping.tryAdd(f, index)) {
            phys.folioPut(f);
            return new FaultResult.FaultFailed(Errno.ENOMEM);
        }
        lru.add(f);
        phys.folioPut(f);
        return new FaultResult.Found(f, false);
    }

    /**
     * shmem_file_read_iter: copies {@code len > 0} bytes at {@code pos}, within the file's size,
     * into {@code buf} (or nothing when {@code buf} is null); a hole reads as zeros and allocates
     * nothing, a page in swap is read back.
     */
    IoResult read(ShmemCache mapping, long pos, byte[] buf, int off, long len) {
        long done = 0;
        while (true) {
            long p = pos + done;
            long index = p >> MemSize.PAGE_SHIFT;
            int inPage = (int) (p & (MemSize.PAGE_SIZE - 1));
            int n = (int) Math.min(MemSize.PAGE_SIZE - inPage, len - done);
            timing.cacheLookup();
            Folio folio = getFolio(mapping, index, false);
            if (folio == null && !(mapping.lookup(index) == null && mapping.load(index) == null)) {
                return done > 0 ? new IoResult.Failed(Errno.ENOMEM, done) : IoResult.failed(Errno.ENOMEM);
            }
            if (folio != null && folio.test(Flag.HWPOISON)) {
                return new IoResult.Failed(Errno.EIO, done);
            }
            if (buf != null) {
                if (folio == null) {
                    java.util.Arrays.fill(buf, off + (int) done, off + (int) done + n, (byte) 0); // a hole
                } else {
                    phys.contents().read(FilemapRead.physAddr(folio, index, inPage), buf, off + (int) done, n);
                }
            }
            if (folio != null) {
                lru.markAccessed(folio);
            }
            timing.copy(n);
            done += n;
            if (done == len) {
                return IoResult.done(done);
            }
        }
    }
}
