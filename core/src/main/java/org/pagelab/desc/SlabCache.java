package org.pagelab.desc;

/** What a {@link SlabPage} needs to know of the cache that carves it: the kernel's kmem_cache. */
public interface SlabCache {
    /** The cache's name as /proc/slabinfo prints it ("radix_tree_node"). */
    String name();

    /** Bytes per object, including alignment. */
    int objectSize();

    /** Whether its pages count as SReclaimable rather than SUnreclaim. */
    boolean reclaimable();
}
