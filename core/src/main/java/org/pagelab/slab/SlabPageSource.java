package org.pagelab.slab;

import org.pagelab.desc.SlabCache;
import org.pagelab.desc.SlabPage;

/** Where slab caches get their pages: the page allocator, seen from the slab allocator. */
public interface SlabPageSource {
    /** A new slab page of 2^order frames for {@code cache}, or null when memory is exhausted. */
    SlabPage allocSlab(SlabCache cache, int order);

    /**
     * A new slab page for an allocation that cannot sleep (GFP_ATOMIC): no reclaim, access to the
     * reserves; null when none can be had. By default the same as {@link #allocSlab}.
     */
    default SlabPage allocSlabAtomic(SlabCache cache, int order) {
        return allocSlab(cache, order);
    }

    /** Returns an empty slab page to the allocator. */
    void freeSlab(SlabPage slab);
}
