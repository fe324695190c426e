package org.pagelab.sim;

import java.util.List;

/**
 * What a run reports about time: simulated elapsed time and, per task, where its time went.
 *
 * @param elapsedNs when the last task finished
 * @param cpus      simulated CPUs
 * @param tasks     one row per task, in creation order
 */
public record SimReport(long elapsedNs, int cpus, List<TaskReport> tasks) {
    public SimReport {
        tasks = List.copyOf(tasks);
    }

    /**
     * One task's times, in nanoseconds.
     *
     * @param label           the pid, or the kernel thread's name ("kswapd0")
     * @param name            the process or thread name
     * @param cpuNs           time running on a CPU
     * @param runDelayNs      time runnable but waiting for a CPU
     * @param ioWaitNs        time waiting for device I/O
     * @param reclaimStallNs  time in direct reclaim, its CPU and I/O included
     * @param memoryStallNs   time in any memory stall (direct reclaim, kswapd, throttling, refault)
     * @param finishNs        when it exited, or its clock if still alive
     * @param steps           steps run
     */
    public record TaskReport(String label, String name, long cpuNs, long runDelayNs, long ioWaitNs,
            long reclaimStallNs, long memoryStallNs, long finishNs, long steps) {

        static TaskReport of(SimTask t) {
            long mem = 0;
            for (StallKind k : StallKind.values()) {
                if (k.memory()) {
                    mem += t.stallNs(k);
                }
            }
            return new TaskReport(t.label(), t.name(), t.cpuNs(), t.runDelayNs(), t.ioWaitNs(),
                    t.stallNs(StallKind.DIRECT_RECLAIM), mem, t.clockNs(), t.steps());
        }
    }

    /** The report as a small table, times in microseconds. */
    public String toText() {
        StringBuilder b = new StringBuilder();
        b.append(String.format("elapsed %.3f ms on %d CPU%s%n", elapsedNs / 1e6, cpus, cpus == 1 ? "" : "s"));
        b.append(String.format("%-10s %-16s %12s %12s %12s %12s %12s%n",
                "task", "name", "cpu_us", "rundelay_us", "iowait_us", "reclaim_us", "memstall_us"));
        for (TaskReport t : tasks) {
            b.append(String.format("%-10s %-16s %12.1f %12.1f %12.1f %12.1f %12.1f%n", t.label(), t.name(),
                    t.cpuNs() / 1e3, t.runDelayNs() / 1e3, t.ioWaitNs() / 1e3, t.reclaimStallNs() / 1e3,
                    t.memoryStallNs() / 1e3));
        }
        return b.toString();
    }
}
