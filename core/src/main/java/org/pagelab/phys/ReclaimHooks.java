package org.pagelab.phys;

/**
 * The allocator's calls out to reclaim, the kernel's wakeup_kswapd and
 * __alloc_pages_direct_reclaim. The core allocator runs without reclaim ({@link #NONE}); the
 * reclaim subsystem installs its implementation when the machine is built with it.
 */
public interface ReclaimHooks {
    /** Hooks that do nothing: allocation fails when free memory runs out. */
    ReclaimHooks NONE = new ReclaimHooks() {
        @Override
        public void wakeKswapd(Zone zone, int order, ZoneType highestZone) {
        }

        @Override
        public long directReclaim(AllocRequest request) {
            return 0;
        }
    };

    /**
     * Whether the allocating context is reclaim itself (the kernel's PF_MEMALLOC): its allocations
     * do not reclaim again and may use the reserves below the min watermark.
     */
    default boolean inReclaim() {
        return false;
    }

    /**
     * A preemption point: work of other contexts that would have run by now (kswapd, I/O
     * completion) runs first. Called at the start of an allocation, after it woke kswapd, and at
     * the slow path's cond_resched calls: before each round of direct reclaim (__perform_reclaim)
     * and before each retry (should_reclaim_retry), so a woken kswapd gets the CPU beside a task
     * that reclaims.
     */
    default void preempt() {
    }

    /** Called when an allocation finds {@code zone} below its low watermark. */
    void wakeKswapd(Zone zone, int order, ZoneType highestZone);

    /**
     * Called when an allocation that may reclaim finds every zone below its min watermark.
     * Returns the number of pages reclaimed; zero means retrying is pointless.
     */
    long directReclaim(AllocRequest request);

    /**
     * For an allocation about to fail while a zone's watermarks are boosted: lets kswapd, when
     * nothing simulates time and so it has not run beside the allocation, finish its balancing
     * run, which takes the boost away (balance_pgdat). Does nothing by default.
     */
    default void kswapdCatchUp() {
    }
}
