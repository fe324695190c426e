package org.pagelab.memcg;

import java.util.Collection;

/**
 * The machine's processes as the memory controller sees them: who is allocating now, and who
 * lives in which cgroup. Installed by the machine; the controller never walks the machine itself.
 */
interface MemcgTasks {
    /** The process on whose behalf memory is being allocated now, or null (kswapd, the test API). */
    MemcgTask current();

    /** Every process in the process table, dead or alive, in the table's order. */
    Collection<? extends MemcgTask> all();

    /** The process with id {@code pid}, or null. */
    MemcgTask byPid(int pid);

    /** Tells pressure accounting that {@code p} changed cgroups. */
    void moved(MemcgTask p);
}
