package org.pagelab.machine;

import java.util.Collection;
import org.pagelab.memcg.MemcgHost;
import org.pagelab.memcg.MemcgTask;
import org.pagelab.memcg.ReclaimDriver;
import org.pagelab.memory.OomKiller;
import org.pagelab.memory.Process;
import org.pagelab.phys.PageAllocator;
import org.pagelab.psi.Psi;
import org.pagelab.sim.Sim;
import org.pagelab.sim.SimTask;
import org.pagelab.stat.VmStat;
import org.pagelab.swap.SwapSpace;

/**
 * The machine as its memory controller sees it: the machine's subsystems, and its processes as
 * {@link MemcgTask}s. A task the controller hands back (an OOM victim, a process returning to
 * user space) is found again in the process table by its pid, and must be the very process that
 * the table holds under that pid.
 */
final class MachineMemcgHost implements MemcgHost {
    private final Machine machine;

    MachineMemcgHost(Machine machine) {
        this.machine = machine;
    }

    /** The process of the machine's process table that {@code t} is. */
    private Process process(MemcgTask t) {
        Process p = machine.memory().processes().get(t.pid());
        if (p != t) {
            throw new IllegalArgumentException("task " + t.pid() + " (" + t.name() + ") is not a process of this machine");
        }
        return p;
    }

    @Override
    public Collection<? extends MemcgTask> tasks() {
        return machine.memory().processes().values();
    }

    @Override
    public MemcgTask task(int pid) {
        return machine.memory().processes().get(pid);
    }

    @Override
    public MemcgTask faultingTask() {
        return machine.memory().faultingProcess();
    }

    @Override
    public SimTask taskOf(MemcgTask p) {
        return machine.taskOf(process(p));
    }

    @Override
    public long oomBadness(MemcgTask q, long totalPages) {
        return OomKiller.badness(process(q), totalPages);
    }

    @Override
    public void oomKill(MemcgTask victim, String header, boolean now) {
        machine.memory().oomKiller().kill(process(victim), header, now);
    }

    @Override
    public boolean reapIfOomKilled(MemcgTask p) {
        return machine.memory().oomKiller().reapIfKilled(process(p));
    }

    @Override
    public Sim sim() {
        return machine.sim();
    }

    @Override
    public Psi psi() {
        return machine.psi();
    }

    @Override
    public ReclaimDriver vmscan() {
        return machine.vmscan();
    }

    @Override
    public SwapSpace swap() {
        return machine.swap();
    }

    @Override
    public VmStat vmstat() {
        return machine.vmstat();
    }

    @Override
    public PageAllocator phys() {
        return machine.phys();
    }
}
