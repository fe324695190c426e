package org.pagelab.memcg;

/**
 * Reclaim as the memory controller calls it: cgroup reclaim (try_to_free_mem_cgroup_pages) and
 * whether reclaim is already running. The reclaim driver implements it and receives the
 * controller's types; the controller sees reclaim only through this, so memcg does not depend on
 * the reclaim package (which depends on memcg, as vmscan.c walks the cgroups).
 */
public interface ReclaimDriver {
    /** Pages reclaim takes per batch, the kernel's SWAP_CLUSTER_MAX (include/linux/swap.h). */
    int SWAP_CLUSTER_MAX = 32;

    /** Whether the machine is inside reclaim now (kswapd, direct or cgroup reclaim). */
    boolean inReclaim();

    /**
     * try_to_free_mem_cgroup_pages: reclaims at least {@code nrPages} (and a batch of
     * {@value #SWAP_CLUSTER_MAX}) from the lruvecs of {@code target}'s subtree. Returns pages
     * reclaimed; 0 when called from inside reclaim.
     */
    long tryToFreeMemcgPages(MemCgroup target, long nrPages);
}
