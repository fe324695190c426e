package org.pagelab.memcg;

import org.pagelab.memory.MemoryManager;
import org.pagelab.memory.Process;
import org.pagelab.phys.PageAllocator;
import org.pagelab.psi.Psi;
import org.pagelab.sim.Sim;
import org.pagelab.sim.SimTask;
import org.pagelab.stat.VmStat;
import org.pagelab.swap.SwapSpace;

/**
 * What the memory controller needs from the machine it runs in: the processes and their OOM
 * killer, reclaim as a {@link ReclaimDriver} (made after the controller, asked for only once the machine is built), the
 * simulated CPUs and pressure groups, the swap areas, the counters and the memmap its checker
 * reads. The machine implements it, so this package does not depend on the machine's.
 */
public interface MemcgHost {
    /** Processes and their memory, whose OOM killer a cgroup OOM calls. */
    MemoryManager memory();

    /** The simulated task of process {@code p}. */
    SimTask taskOf(Process p);

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
