package org.pagelab.memcg;

import java.util.Collection;
import org.pagelab.phys.PageAllocator;
import org.pagelab.psi.Psi;
import org.pagelab.sim.Sim;
import org.pagelab.sim.SimTask;
import org.pagelab.stat.VmStat;
import org.pagelab.swap.SwapSpace;

/**
 * What the memory controller needs from the machine it runs in: the processes as
 * {@link MemcgTask}s and the global OOM killer's view of them, reclaim as a
 * {@link ReclaimDriver} (made after the controller, asked for only once the machine is built),
 * the simulated CPUs and pressure groups, the swap areas, the counters and the memmap its
 * checker reads. The machine provides it, so this package depends neither on the machine's nor on
 * the memory manager's.
 */
public interface MemcgHost {
    /** Every process in the process table, dead or alive, in the table's order. */
    Collection<? extends MemcgTask> tasks();

    /** The process with id {@code pid}, or null. */
    MemcgTask task(int pid);

    /** The process whose fault is being handled now, or null. */
    MemcgTask faultingTask();

    /** The simulated task of process {@code p}. */
    SimTask taskOf(MemcgTask p);

    /** oom_badness of {@code q} against {@code totalPages} (a cgroup's memory.max plus its swap). */
    long oomBadness(MemcgTask q, long totalPages);

    /**
     * The global OOM killer's kill of {@code victim}, logged under {@code header}; with {@code now}
     * false the victim is the allocating process and dies once its allocation has unwound.
     */
    void oomKill(MemcgTask victim, String header, boolean now);

    /** Ends {@code p} if an OOM killer chose it during an allocation; returns whether it did. */
    boolean reapIfOomKilled(MemcgTask p);

    /** The simulator: the current task and the time. */
    Sim sim();

    /** Pressure stall information, which holds a group per cgroup. */
    Psi psi();

    /** Reclaim, which cgroup reclaim calls. Requires: the machine is built. */
    ReclaimDriver vmscan();

    /** The swap areas (their size bounds the OOM badness; the checker asks which slots are in use). */
    SwapSpace swap();

    /** The node's counters, whose events the controller also counts per cgroup. */
    VmStat vmstat();

    /** The page allocator, whose memmap the checker reads. */
    PageAllocator phys();
}
