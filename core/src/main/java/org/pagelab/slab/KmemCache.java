package org.pagelab.slab;

import org.pagelab.desc.DescList;
import org.pagelab.desc.MemDesc;
import org.pagelab.desc.SlabCache;
import org.pagelab.desc.SlabPage;

/**
 * A cache of equal-sized kernel objects, the kernel's kmem_cache as SLUB runs it on one CPU: slabs
 * with free objects sit on a partial list, full slabs on a full list, and a slab whose last object
 * is freed goes back to the page allocator at once (no empty-slab reserve).
 *
 * <p>Invariants (see {@link #check()}): every slab is on exactly one of the two lists according to
 * whether it is full; {@code objectsInUse == sum of slab.inuse}; {@code pages == sum of slab pages}.
 */
public final class KmemCache implements SlabCache {
    private final String name;
    private final int objectSize;
    private final boolean reclaimable;
    private final int order;
    private final SlabAllocator owner;
    private final DescList<SlabPage> partial;
    private final DescList<SlabPage> full;
    private long objectsInUse;
    private long pages;

    KmemCache(SlabAllocator owner, String name, int objectSize, boolean reclaimable) {
        if (objectSize <= 0 || objectSize > MemDesc.PAGE_SIZE << 3) {
            throw new IllegalArgumentException("object size out of range: " + objectSize);
        }
        this.owner = owner;
        this.name = name;
        this.objectSize = objectSize;
        this.reclaimable = reclaimable;
        this.order = slabOrder(objectSize);
        this.partial = new DescList<>(name + ".partial");
        this.full = new DescList<>(name + ".full");
    }

    /**
     * The slab order SLUB would choose on a small machine: the smallest order up to 3 that holds at
     * least 8 objects, or order 3 when none does.
     */
    static int slabOrder(int objectSize) {
        for (int o = 0; o < 3; o++) {
            if (((long) MemDesc.PAGE_SIZE << o) / objectSize >= 8) {
                return o;
            }
        }
        return 3;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int objectSize() {
        return objectSize;
    }

    @Override
    public boolean reclaimable() {
        return reclaimable;
    }

    /** Order of this cache's slab pages. */
    public int order() {
        return order;
    }

    /** Objects currently allocated. */
    public long objectsInUse() {
        return objectsInUse;
    }

    /** Pages held by this cache's slabs. */
    public long pages() {
        return pages;
    }

    /** Number of slabs held. */
    public long slabs() {
        return partial.size() + full.size();
    }

    private boolean accounted;

    void setAccounted(boolean accounted) {
        this.accounted = accounted;
    }

    /** Whether objects are charged to memory cgroups (SLAB_ACCOUNT). */
    public boolean accounted() {
        return accounted;
    }

    /**
     * Allocates one object, or returns null when no page can be had for a new slab or, for an
     * accounted cache, the memory cgroup refuses the charge.
     */
    public SlabObject alloc() {
        return alloc(false);
    }

    /**
     * Allocates one object for a caller that cannot sleep (GFP_ATOMIC): a new slab page comes
     * without reclaim and may use the atomic reserves. Null as {@link #alloc()}.
     */
    public SlabObject allocAtomic() {
        return alloc(true);
    }

    private SlabObject alloc(boolean atomic) {
        int objcg = 0;
        if (accounted) {
            objcg = owner.objCharge().charge(this, objectSize());
            if (objcg < 0) {
                return null;
            }
        }
        SlabObject o = allocUncharged(objcg, atomic);
        if (o == null && accounted) {
            owner.objCharge().uncharge(objcg, this, objectSize());
        }
        return o;
    }

    private SlabObject allocUncharged(int objcg, boolean atomic) {
        SlabPage s = partial.peekHead();
        if (s == null) {
            s = atomic ? owner.source().allocSlabAtomic(this, order) : owner.source().allocSlab(this, order);
            if (s == null) {
                return null;
            }
            pages += s.nrPages();
            owner.accountPages(this, s.nrPages());
            partial.addHead(s);
        }
        int slot = s.allocObject();
        objectsInUse++;
        if (s.isFull()) {
            partial.remove(s);
            full.addHead(s);
        }
        return new SlabObject(s, slot, objcg);
    }

    /** Frees an object allocated from this cache. */
    public void free(SlabObject obj) {
        SlabPage s = obj.slab();
        if (s.isDead()) {
            throw new IllegalStateException("object freed into a slab already returned to the page allocator: " + s);
        }
        if (s.cache() != this) {
            throw new IllegalArgumentException("object of cache " + s.cache().name() + " freed to " + name);
        }
        boolean wasFull = s.isFull();
        if (accounted) {
            owner.objCharge().uncharge(obj.objcg(), this, objectSize());
        }
        s.freeObject(obj.slot());
        objectsInUse--;
        if (wasFull) {
            full.remove(s);
            partial.addHead(s);
        }
        if (s.inuse() == 0) {
            partial.remove(s);
            pages -= s.nrPages();
            owner.accountPages(this, -s.nrPages());
            owner.source().freeSlab(s);
        }
    }

    /** Recomputes the cache's counts from its slabs and checks list placement. */
    public void check() {
        partial.check();
        full.check();
        long inuse = 0;
        long pg = 0;
        for (SlabPage s : partial) {
            s.check();
            if (s.isFull() || s.inuse() == 0) {
                throw new IllegalStateException(name + ": slab on partial list with inuse " + s.inuse() + ": " + s);
            }
            inuse += s.inuse();
            pg += s.nrPages();
        }
        for (SlabPage s : full) {
            s.check();
            if (!s.isFull()) {
                throw new IllegalStateException(name + ": non-full slab on full list: " + s);
            }
            inuse += s.inuse();
            pg += s.nrPages();
        }
        if (inuse != objectsInUse) {
            throw new IllegalStateException(name + ": objectsInUse " + objectsInUse + " but slabs hold " + inuse);
        }
        if (pg != pages) {
            throw new IllegalStateException(name + ": pages " + pages + " but slabs hold " + pg);
        }
    }

    /** Calls {@code action} on every slab page of this cache. */
    public void forEachSlab(java.util.function.Consumer<SlabPage> action) {
        partial.forEach(action);
        full.forEach(action);
    }
}
