package org.pagelab.memcg;


/**
 * Whom a new charge goes to (set_active_memcg, get_mem_cgroup_from_current): the active cgroup
 * while one is set (swap-in charges the page's old cgroup), else the cgroup of the process on
 * whose behalf memory is allocated, else the root.
 */
final class ActiveMemcg {
    private final MemcgHierarchy hierarchy;
    private final MemcgTasks tasks;
    /** set_active_memcg: charges go here while set. */
    private MemCgroup active;

    ActiveMemcg(MemcgHierarchy hierarchy, MemcgTasks tasks) {
        this.hierarchy = hierarchy;
        this.tasks = tasks;
    }

    /** The cgroup a new charge goes to: the active cgroup, else the current process's, else the root. */
    MemCgroup target() {
        if (active != null) {
            return active;
        }
        MemcgTask p = tasks.current();
        return p == null ? hierarchy.root() : hierarchy.memcgOf(p);
    }

    /** Makes {@code c} (null: none) the active cgroup; returns the previous one. */
    MemCgroup set(MemCgroup c) {
        MemCgroup prev = active;
        active = c;
        return prev;
    }
}
