package org.pagelab.memcg;

import java.util.function.BooleanSupplier;
import java.util.function.ToLongBiFunction;
import org.pagelab.sim.Sim;
import org.pagelab.sim.StallKind;

/**
 * The controller's way into reclaim (try_to_free_mem_cgroup_pages): reclaim of one cgroup's
 * subtree, counted as a memory stall of the task that needs it, and whether reclaim is already
 * running (charges made while it runs are forced, as PF_MEMALLOC makes them).
 */
final class MemcgReclaim {
    private final Sim sim;
    private final BooleanSupplier inReclaim;
    private final ToLongBiFunction<MemCgroup, Long> tryToFreeMemcgPages;

    MemcgReclaim(Sim sim, BooleanSupplier inReclaim, ToLongBiFunction<MemCgroup, Long> tryToFreeMemcgPages) {
        this.sim = sim;
        this.inReclaim = inReclaim;
        this.tryToFreeMemcgPages = tryToFreeMemcgPages;
    }

    /** Whether the machine is inside reclaim now (kswapd, direct or cgroup reclaim). */
    boolean inReclaim() {
        return inReclaim.getAsBoolean();
    }

    /** Reclaims about {@code nr} pages from {@code c}'s subtree, as a memory stall; returns pages reclaimed. */
    long reclaim(MemCgroup c, long nr) {
        boolean stall = sim.current() != null;
        if (stall) {
            sim.beginStall(StallKind.DIRECT_RECLAIM);
        }
        try {
            return tryToFreeMemcgPages.applyAsLong(c, nr);
        } finally {
            if (stall) {
                sim.endStall();
            }
        }
    }
}
