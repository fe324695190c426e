package org.pagelab.memcg;

import org.pagelab.sim.Sim;
import org.pagelab.sim.StallKind;

/**
 * memory.high (mem_cgroup_handle_over_high, calculate_high_delay): a charge above a cgroup's high
 * succeeds and marks the task; on its way back to user space the task reclaims the excess and,
 * when reclaim cannot keep up, is throttled for a time that grows with the square of the
 * overage.
 */
final class MemcgHigh {
    /** The kernel tick rate assumed for memory.high's penalty (Debian's CONFIG_HZ_250). */
    static final long HZ = 250;
    /** MEMCG_CHARGE_BATCH: the nominal charge the penalty is scaled against. */
    static final long CHARGE_BATCH = 64;
    static final int DELAY_PRECISION_SHIFT = 20;
    static final int DELAY_SCALING_SHIFT = 14;

    private final MemcgHierarchy hierarchy;
    private final MemcgTasks tasks;
    private final MemcgReclaim reclaim;
    private final MemcgEvents events;
    private final Sim sim;
    /** Set while the over-high reclaim of a returning task runs: its own charges are forced. */
    private boolean inHighReclaim;

    MemcgHigh(MemcgHierarchy hierarchy, MemcgTasks tasks, MemcgReclaim reclaim, MemcgEvents events, Sim sim) {
        this.hierarchy = hierarchy;
        this.tasks = tasks;
        this.reclaim = reclaim;
        this.events = events;
        this.sim = sim;
    }

    /** Whether a charge now comes from the reclaim of {@link #handleOverHigh}. */
    boolean inHighReclaim() {
        return inHighReclaim;
    }

    /**
     * After {@code nr} pages were charged to {@code c}: when it or an ancestor is above its high,
     * owes them to the current process if it is {@code c}'s, and settles at once once more than
     * a batch is owed and reclaim is allowed.
     */
    void noteHigh(MemCgroup c, long nr, boolean mayReclaim) {
        boolean over = false;
        for (MemCgroup m = c; m != null && !m.isRoot(); m = m.parent) {
            if (m.memory.usage > m.memory.high) {
                over = true;
                break;
            }
        }
        if (!over) {
            return;
        }
        MemcgTask p = tasks.current();
        if (p == null || hierarchy.memcgOf(p) != c) {
            return;
        }
        p.setPagesOverHigh(p.pagesOverHigh() + nr);
        if (p.pagesOverHigh() > CHARGE_BATCH && mayReclaim && !reclaim.inReclaim() && !inHighReclaim) {
            handleOverHigh(p); // do not let one long step run far past memory.high
        }
    }

    /** See {@link MemoryCgroups#handleOverHigh}. */
    void handleOverHigh(MemcgTask p) {
        long nr = p.pagesOverHigh();
        if (nr == 0 || !p.alive()) {
            return;
        }
        p.setPagesOverHigh(0);
        MemCgroup c = hierarchy.memcgOf(p);
        int retries = MemoryCgroups.MAX_RECLAIM_RETRIES;
        boolean inRetry = false;
        inHighReclaim = true;
        try {
            for (;;) {
                long reclaimed = 0;
                for (MemCgroup m = c; m != null && !m.isRoot(); m = m.parent) {
                    if (m.memory.usage <= m.memory.high) {
                        continue;
                    }
                    events.event(m, MemcgEvent.HIGH);
                    inHighReclaim = false;
                    reclaimed += reclaim.reclaim(m, inRetry ? ReclaimDriver.SWAP_CLUSTER_MAX : nr);
                    inHighReclaim = true;
                }
                long penalty = Math.min(highDelayJiffies(c, nr), 2 * HZ);
                if (penalty <= HZ / 100) {
                    return;
                }
                if (reclaimed > 0 || retries-- > 0) {
                    inRetry = true;
                    continue;
                }
                if (sim.current() != null) {
                    sim.beginStall(StallKind.MEMCG_THROTTLE);
                    sim.sleepFor(penalty * (1_000_000_000L / HZ));
                    sim.endStall();
                }
                return;
            }
        } finally {
            inHighReclaim = false;
        }
    }

    /** calculate_high_delay over the largest memory overage of {@code c} and its ancestors. */
    static long highDelayJiffies(MemCgroup c, long nr) {
        long maxOverage = 0;
        for (MemCgroup m = c; m != null && !m.isRoot(); m = m.parent) {
            long high = Math.max(m.memory.high, 1);
            if (m.memory.usage > high) {
                long overage = ((m.memory.usage - high) << DELAY_PRECISION_SHIFT) / high;
                maxOverage = Math.max(maxOverage, overage);
            }
        }
        if (maxOverage == 0) {
            return 0;
        }
        long penalty = maxOverage * maxOverage * HZ;
        penalty >>= DELAY_PRECISION_SHIFT;
        penalty >>= DELAY_SCALING_SHIFT;
        return penalty * nr / CHARGE_BATCH;
    }
}
