package org.pagelab.slab;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.pagelab.stat.VmItem;
import org.pagelab.stat.VmStat;

/**
 * The machine's slab allocator: the registry of {@link KmemCache}s and the totals that meminfo
 * reports as SReclaimable and SUnreclaim.
 *
 * <p>Invariant: {@code reclaimablePages + unreclaimablePages == sum over caches of cache.pages}.
 */
public final class SlabAllocator {
    private final SlabPageSource source;
    private final List<KmemCache> caches = new ArrayList<>();
    private long reclaimablePages;
    private long unreclaimablePages;
    private final VmStat vmstat;

    /** An allocator with counters of its own (for tests of the slab layer alone). */
    public SlabAllocator(SlabPageSource source) {
        this(source, new VmStat());
    }

    /** An allocator that keeps nr_slab_reclaimable and nr_slab_unreclaimable in {@code vmstat}. */
    public SlabAllocator(SlabPageSource source, VmStat vmstat) {
        this.source = source;
        this.vmstat = vmstat;
    }

    SlabPageSource source() {
        return source;
    }

    private ObjCharge objCharge = ObjCharge.NONE;

    /** Installs the memory-cgroup accounting of objects of accounted caches. */
    public void setObjCharge(ObjCharge c) {
        this.objCharge = c;
    }

    ObjCharge objCharge() {
        return objCharge;
    }

    /**
     * Creates a cache (kmem_cache_create) whose objects are charged to memory cgroups when
     * {@code accounted} (SLAB_ACCOUNT). Names must be unique.
     */
    public KmemCache createCache(String name, int objectSize, boolean reclaimable, boolean accounted) {
        KmemCache c = createCache(name, objectSize, reclaimable);
        c.setAccounted(accounted);
        return c;
    }

    /** Creates a cache (kmem_cache_create). Names must be unique. */
    public KmemCache createCache(String name, int objectSize, boolean reclaimable) {
        for (KmemCache c : caches) {
            if (c.name().equals(name)) {
                throw new IllegalArgumentException("slab cache exists: " + name);
            }
        }
        KmemCache c = new KmemCache(this, name, objectSize, reclaimable);
        caches.add(c);
        return c;
    }

    /** The caches in creation order. */
    public List<KmemCache> caches() {
        return Collections.unmodifiableList(caches);
    }

    void accountPages(KmemCache c, long delta) {
        if (c.reclaimable()) {
            reclaimablePages += delta;
            vmstat.add(VmItem.NR_SLAB_RECLAIMABLE, delta);
        } else {
            unreclaimablePages += delta;
            vmstat.add(VmItem.NR_SLAB_UNRECLAIMABLE, delta);
        }
    }

    /** Pages of reclaimable caches (SReclaimable, nr_slab_reclaimable). */
    public long reclaimablePages() {
        return reclaimablePages;
    }

    /** Pages of unreclaimable caches (SUnreclaim, nr_slab_unreclaimable). */
    public long unreclaimablePages() {
        return unreclaimablePages;
    }

    /** Checks every cache and recomputes the totals. */
    public void check() {
        long r = 0;
        long u = 0;
        for (KmemCache c : caches) {
            c.check();
            if (c.reclaimable()) {
                r += c.pages();
            } else {
                u += c.pages();
            }
        }
        if (r != reclaimablePages || u != unreclaimablePages) {
            throw new IllegalStateException("slab totals " + reclaimablePages + "/" + unreclaimablePages
                    + " but caches hold " + r + "/" + u);
        }
        if (vmstat.get(VmItem.NR_SLAB_RECLAIMABLE) != r || vmstat.get(VmItem.NR_SLAB_UNRECLAIMABLE) != u) {
            throw new IllegalStateException("vmstat nr_slab_* " + vmstat.get(VmItem.NR_SLAB_RECLAIMABLE) + "/"
                    + vmstat.get(VmItem.NR_SLAB_UNRECLAIMABLE) + " but caches hold " + r + "/" + u);
        }
    }
}
