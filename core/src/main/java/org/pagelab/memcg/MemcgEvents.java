package org.pagelab.memcg;

import org.pagelab.stat.VmItem;

/**
 * The controller's event counts (memcg_memory_event, count_memcg_events): memory.events, which
 * is hierarchical, and memory.events.local; and the vmstat events counted per cgroup, for the
 * cgroup whose lruvec is being reclaimed or refaulted into while one is named, else for the
 * cgroup being charged.
 */
final class MemcgEvents {
    private final ActiveMemcg active;
    /** Whose events the vmstat counters count while set (reclaim of one lruvec, a refault). */
    private MemCgroup attribution;

    MemcgEvents(ActiveMemcg active) {
        this.active = active;
    }

    /** Counts {@code e} in {@code c} and (memory.events is hierarchical) its ancestors below the root. */
    void event(MemCgroup c, MemcgEvent e) {
        c.eventsLocal[e.ordinal()]++;
        for (MemCgroup m = c; m != null && !m.isRoot(); m = m.parent) {
            m.events[e.ordinal()]++;
        }
    }

    /** Makes vmstat events count for {@code c}; returns the previous attribution. */
    MemCgroup attributeTo(MemCgroup c) {
        MemCgroup prev = attribution;
        attribution = c;
        return prev;
    }

    /** Counts {@code delta} of vmstat event {@code item} for the attributed (or the charged) cgroup. */
    void countVmEvent(VmItem item, long delta) {
        MemCgroup c = attribution != null ? attribution : active.target();
        c.vmEvents[item.ordinal()] += delta;
    }

    /** The vmstat event {@code item} counted for {@code c} and its descendants. */
    static long vmEvents(MemCgroup c, VmItem item) {
        long n = 0;
        for (MemCgroup m : c.subtree()) {
            n += m.vmEvents[item.ordinal()];
        }
        return n;
    }
}
