package org.pagelab.filemap;

import java.util.ArrayList;
import java.util.List;
import org.pagelab.desc.Folio;
import org.pagelab.desc.FolioFlags.Flag;
import org.pagelab.stat.VmItem;
import org.pagelab.stat.VmStat;

/**
 * {@code echo N > /proc/sys/vm/drop_caches} (fs/drop_caches.c): 1 drops the clean page cache, 2
 * the reclaimable slab objects of the file system, 3 both, in that order.
 *
 * <p>Dropping the page cache is invalidate_mapping_pages over every file: a folio goes when it is
 * clean, not under writeback, not locked and referenced by the cache alone (mapped, pinned or
 * isolated folios stay); the shadow entries of reclaimed pages go too, so a later read is not a
 * refault. Shmem is left alone (its pages have no other copy), as the kernel leaves it.
 *
 * <p>Dropping slab runs the shrinkers of the dentry and inode caches: the dentry and inode of a
 * named file that no one has open or mapped are freed, after the clean pages of that inode are
 * invalidated (counted in pginodesteal, as prune_icache_sb counts them); an inode that still has
 * pages (dirty ones) stays. The next open reads the inode back in.
 */
public final class DropCaches {
    private final Vfs vfs;
    private final VmStat vmstat;
    private final java.util.function.LongSupplier otherShrinkers;

    /** drop_caches for the files of {@code vfs}, counting into {@code vmstat}. */
    public DropCaches(Vfs vfs, VmStat vmstat) {
        this(vfs, vmstat, () -> 0);
    }

    /**
     * drop_caches for the files of {@code vfs}, counting into {@code vmstat}; dropping slab also
     * runs {@code otherShrinkers}, the shrinkers registered with reclaim (drop_slab runs every
     * shrinker), which return the objects they freed.
     */
    public DropCaches(Vfs vfs, VmStat vmstat, java.util.function.LongSupplier otherShrinkers) {
        this.vfs = vfs;
        this.vmstat = vmstat;
        this.otherShrinkers = otherShrinkers;
    }

    /**
     * Writes {@code mode} to drop_caches: bit 1 drops the page cache, bit 2 the reclaimable slab.
     * Returns the pages of page cache freed. Requires: {@code mode} is 1, 2 or 3.
     */
    public long drop(int mode) {
        if (mode < 1 || mode > 3) {
            throw new IllegalArgumentException("drop_caches takes 1, 2 or 3, not " + mode);
        }
        long freed = 0;
        if ((mode & 1) != 0) {
            List<Inode> inodes = new ArrayList<>();
            vfs.forEachInode(inodes::add);
            for (Inode inode : inodes) {
                freed += invalidate(inode.mapping());
            }
            vmstat.add(VmItem.DROP_PAGECACHE, 1);
        }
        if ((mode & 2) != 0) {
            freed += dropSlab();
            otherShrinkers.getAsLong();
            vmstat.add(VmItem.DROP_SLAB, 1);
        }
        return freed;
    }

    /** invalidate_mapping_pages(mapping, 0, -1): the pages freed. Shmem and swap caches are skipped. */
    static long invalidate(AddressSpace<?> mapping) {
        if (!(mapping instanceof PageCache)) {
            return 0; // shmem pages have no other copy; swap-cache folios leave through reclaim
        }
        List<Folio> clean = new ArrayList<>();
        List<Long> shadows = new ArrayList<>();
        mapping.index().forEach(0, Long.MAX_VALUE, (i, e) -> {
            if (e instanceof Folio f) {
                if (i == f.index() && evictable(f)) {
                    clean.add(f);
                }
            } else {
                shadows.add(i);
            }
            return true;
        });
        long freed = 0;
        for (Folio f : clean) {
            freed += f.nrPages();
            mapping.remove(f, null);
        }
        for (long i : shadows) {
            mapping.index().erase(i);
        }
        return freed;
    }

    /** mapping_evict_folio's test: clean, idle, and held by the page cache alone. */
    private static boolean evictable(Folio f) {
        return !f.test(Flag.DIRTY) && !f.test(Flag.WRITEBACK) && !f.test(Flag.LOCKED) && !f.test(Flag.ISOLATED)
                && !f.test(Flag.HWPOISON) && !f.mapped() && f.refcount() == f.nrPages();
    }

    /** The dentry and inode shrinkers: evicts every named inode no one holds. Returns page-cache pages freed. */
    private long dropSlab() {
        List<Inode> unused = new ArrayList<>();
        for (Inode inode : vfs.inodes()) {
            if (inode.inCore() && inode.openCount() == 0 && !vfs.mapped(inode)
                    && inode.mapping() instanceof PageCache) {
                unused.add(inode);
            }
        }
        long freed = 0;
        for (Inode inode : unused) {
            long reaped = invalidate(inode.mapping());
            vmstat.add(VmItem.PGINODESTEAL, reaped);
            freed += reaped;
            if (inode.mapping().nrpages() == 0) {
                vfs.freeObjects(inode);
            }
        }
        return freed;
    }
}
