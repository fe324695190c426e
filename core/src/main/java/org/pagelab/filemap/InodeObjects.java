package org.pagelab.filemap;

import org.pagelab.slab.KmemCache;
import org.pagelab.slab.SlabAllocator;
import org.pagelab.slab.SlabObject;

/**
 * The kernel objects behind each inode in memory (alloc_inode and d_alloc, destroy_inode and
 * dput): one object of inode_cache and one of dentry, both reclaimable and charged to the
 * allocating task's cgroup, and the inode numbers. Invariant:
 * {@code inode_cache objects == dentry objects == inodes in core}.
 */
final class InodeObjects {
    /** Builds an inode around its number and its two objects. */
    @FunctionalInterface
    interface Factory {
        Inode make(long ino, SlabObject inodeObject, SlabObject dentryObject);
    }

    private final KmemCache inodeCache;
    private final KmemCache dentryCache;
    private long nextIno = 2;

    InodeObjects(SlabAllocator slab) {
        this.inodeCache = slab.createCache("inode_cache", 608, true, true);
        this.dentryCache = slab.createCache("dentry", 192, true, true);
    }

    /** A new inode made by {@code make} with the next number; null, using no number, when the objects cannot be had. */
    Inode newInode(Factory make) {
        SlabObject[] objects = allocPair();
        return objects == null ? null : make.make(nextIno++, objects[0], objects[1]);
    }

    /** Allocates the objects of an inode the slab shrinkers evicted; false when memory runs out. */
    boolean bringIntoCore(Inode inode) {
        SlabObject[] objects = allocPair();
        if (objects == null) {
            return false;
        }
        inode.setObjects(objects[0], objects[1]);
        return true;
    }

    private SlabObject[] allocPair() {
        SlabObject io = inodeCache.alloc();
        SlabObject dn = io == null ? null : dentryCache.alloc();
        if (dn == null) {
            if (io != null) {
                inodeCache.free(io);
            }
            return null;
        }
        return new SlabObject[] {io, dn};
    }

    /** Frees the objects of an inode (evict, or the shrinkers of drop_caches); none when not in memory. */
    void free(Inode inode) {
        if (inode.inCore()) {
            SlabObject[] objects = inode.dropObjects();
            inodeCache.free(objects[0]);
            dentryCache.free(objects[1]);
        }
    }

    /** Throws unless each cache holds exactly {@code inCore} objects. */
    void check(long inCore) {
        if (inodeCache.objectsInUse() != inCore || dentryCache.objectsInUse() != inCore) {
            throw new IllegalStateException("inodes " + inCore + " but inode_cache holds " + inodeCache.objectsInUse()
                    + " and dentry holds " + dentryCache.objectsInUse());
        }
    }
}
