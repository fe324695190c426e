package org.pagelab.proc;

import java.util.LinkedHashMap;
import java.util.Map;
import org.pagelab.machine.Machine;
import org.pagelab.memory.Process;
import org.pagelab.phys.MemSize;

/**
 * The /proc/&lt;pid&gt;/status file of one process, limited to the lines pagelab maintains: Name, State
 * and Pid (fs/proc/array.c), then the memory lines of the kernel's task_mem in its order. Each memory
 * line is the name, a colon, a tab, the value in kB right-aligned in 8 columns, then " kB".
 *
 * <p>A process that exited or was killed is a zombie: it has no address space left, so, as in the
 * kernel, its file shows no memory lines.
 */
public final class PidStatus {
    private static final int KB_SHIFT = MemSize.PAGE_SHIFT - 10;

    private final Process process;

    /** The status view of {@code process}; every call reads its current counters. */
    public PidStatus(Process process) {
        this.process = process;
    }

    /** The status of the process {@code pid} of {@code machine}; IllegalArgumentException if none. */
    public static PidStatus of(Machine machine, int pid) {
        return new PidStatus(ProcFs.process(machine, pid));
    }

    /** The process's command name. */
    public String name() {
        return process.name();
    }

    /**
     * The State value once the run is over, for reports: a live process has run all its work and
     * waits, "S (sleeping)"; one that exited or was killed is "Z (zombie)".
     */
    public String stateAfterRun() {
        return process.alive() ? "S (sleeping)" : "Z (zombie)";
    }

    /** The State value as the kernel prints it during a run: "R (running)" or "Z (zombie)". */
    public String state() {
        return process.alive() ? "R (running)" : "Z (zombie)";
    }

    /**
     * The numeric lines in the file's order, keyed by kernel name: Pid, then (for a live process)
     * VmSize, VmRSS, RssAnon, RssFile, RssShmem, VmPTE and VmSwap in kB.
     */
    public Map<String, Long> fields() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("Pid", (long) process.pid());
        if (process.alive()) {
            long anon = process.rssAnon();
            long file = process.rssFile();
            long shmem = process.rssShmem();
            m.put("VmSize", process.mm().totalVm() << KB_SHIFT);
            m.put("VmRSS", (anon + file + shmem) << KB_SHIFT);
            m.put("RssAnon", anon << KB_SHIFT);
            m.put("RssFile", file << KB_SHIFT);
            m.put("RssShmem", shmem << KB_SHIFT);
            m.put("VmPTE", process.pageTable().tablePages() << KB_SHIFT);
            m.put("VmSwap", process.swapEnts() << KB_SHIFT);
        }
        return m;
    }

    /** The file's text during a run, as {@code cat /proc/<pid>/status} shows the lines pagelab maintains. */
    public String render() {
        return render(false);
    }

    /** The file's text; once the run is over ({@code runOver}) with {@link #stateAfterRun()}. */
    public String render(boolean runOver) {
        StringBuilder sb = new StringBuilder(256);
        sb.append("Name:\t").append(name()).append('\n');
        sb.append("State:\t").append(runOver ? stateAfterRun() : state()).append('\n');
        for (Map.Entry<String, Long> e : fields().entrySet()) {
            if (e.getKey().equals("Pid")) {
                sb.append("Pid:\t").append(e.getValue()).append('\n');
            } else {
                sb.append(e.getKey()).append(":\t").append(Columns.padLeft(Long.toString(e.getValue()), 8))
                        .append(" kB\n");
            }
        }
        return sb.toString();
    }
}
