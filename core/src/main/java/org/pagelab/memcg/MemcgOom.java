package org.pagelab.memcg;

import java.util.ArrayList;
import java.util.function.LongSupplier;

/**
 * The cgroup OOM killer (mem_cgroup_out_of_memory, mem_cgroup_get_oom_group): chooses the victim
 * of a cgroup's subtree by badness against the cgroup's limits, and takes memory.oom.group's
 * whole cgroup with it. The kill itself and its log are the global OOM killer's.
 */
final class MemcgOom {
    /** The global OOM killer as the cgroup OOM uses it: its badness, and its kill. */
    interface Kill {
        /** oom_badness of {@code q} against {@code totalPages}. */
        long badness(MemcgTask q, long totalPages);

        /** The kill of {@code victim}: {@code now} false defers it until the allocation has unwound. */
        void kill(MemcgTask victim, String header, boolean now);
    }

    private final MemcgHierarchy hierarchy;
    private final MemcgTasks tasks;
    private final MemcgEvents events;
    private final LongSupplier swapTotalPages;
    private final Kill killer;

    MemcgOom(MemcgHierarchy hierarchy, MemcgTasks tasks, MemcgEvents events, LongSupplier swapTotalPages, Kill killer) {
        this.hierarchy = hierarchy;
        this.tasks = tasks;
        this.events = events;
        this.swapTotalPages = swapTotalPages;
        this.killer = killer;
    }

    /**
     * mem_cgroup_out_of_memory: kills the process of {@code c}'s subtree with the highest badness
     * (against the cgroup's memory.max plus its swap), and with it every process of the highest
     * cgroup between the victim's and {@code c} that has memory.oom.group set. Returns whether it
     * killed anything.
     */
    boolean outOfMemory(MemCgroup c) {
        MemcgTask victim = null;
        long best = Long.MIN_VALUE;
        long total = Math.max(1, Math.min(c.memory.max, PageCounter.MAX)
                + Math.min(c.swap.max, swapTotalPages.getAsLong()));
        for (MemcgTask q : tasks.all()) {
            if (!q.alive() || q.oomKillPending() || q.oomScoreAdj() == -1000 || !hierarchy.memcgOf(q).isDescendantOf(c)) {
                continue;
            }
            long points = killer.badness(q, total);
            if (points > best) {
                best = points;
                victim = q;
            }
        }
        if (victim == null) {
            return false;
        }
        MemCgroup group = null;
        for (MemCgroup m = hierarchy.memcgOf(victim); m != null; m = m.parent) {
            if (m.oomGroup) {
                group = m;
            }
            if (m == c) {
                break;
            }
        }
        kill(victim);
        if (group != null) {
            events.event(group, MemcgEvent.OOM_GROUP_KILL);
            for (MemcgTask q : new ArrayList<>(tasks.all())) {
                if (q != victim && q.alive() && !q.oomKillPending() && q.oomScoreAdj() != -1000
                        && hierarchy.memcgOf(q).isDescendantOf(group)) {
                    kill(q);
                }
            }
        }
        return true;
    }

    private void kill(MemcgTask q) {
        events.event(hierarchy.memcgOf(q), MemcgEvent.OOM_KILL);
        killer.kill(q, "Memory cgroup out of memory", q != tasks.current());
    }
}
