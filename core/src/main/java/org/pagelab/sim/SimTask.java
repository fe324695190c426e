package org.pagelab.sim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A task of the simulated machine: a process (with a pid) or a kernel thread such as kswapd0. It
 * has its own clock, the time at which it is next ready to run, and the time it has spent so far
 * running, waiting for a CPU, waiting for I/O and stalled, by kind. Only {@link Sim} changes it.
 */
public final class SimTask {
    /** Where a task is in its life. */
    public enum State {
        /** Ready to run from {@link #clockNs()} on. */
        RUNNABLE,
        /** Running a step on a CPU: {@link Sim#current()}. */
        RUNNING,
        /** A kernel thread waiting to be woken (kswapd between wakeups). */
        SLEEPING,
        /** Gone; its clock is its finish time. */
        EXITED
    }

    private final int id;
    private final String name;
    private final Integer pid;
    final long spawnNs;
    State state;
    /** Running: the time the booked work ends; otherwise the time it is ready (or finished). */
    long clock;
    /** CPU time charged since the last booking on a CPU. */
    long pendingCpu;
    int lastCpu;
    long stepStart;
    /** Position in the run queue's FIFO order among tasks ready at the same time. */
    long queueSeq;
    long steps;
    /** Sum over ended steps of (end - start). */
    long stepNs;
    long cpuNs;
    long runDelayNs;
    long ioWaitNs;
    long sleepNs;
    final long[] stallNs = new long[StallKind.values().length];
    int stallDepth;
    StallKind stallKind;
    long stallStart;
    boolean sleepAtEnd;
    boolean exitAtEnd;
    boolean wokenDuringStep;
    /** The state and CPU last reported to the {@link TaskStateSink}. */
    int psiState;
    int psiCpu;
    /** Recorded history (only when the run records it): steps as start/end pairs, and stalls. */
    final List<long[]> stepLog;
    final List<Stall> stallLog;

    SimTask(int id, String name, Integer pid, long spawnNs, State state, boolean record) {
        this.id = id;
        this.name = name;
        this.pid = pid;
        this.spawnNs = spawnNs;
        this.state = state;
        this.clock = spawnNs;
        this.stepLog = record ? new ArrayList<>() : null;
        this.stallLog = record ? new ArrayList<>() : null;
    }

    /** The order of creation, from 0. */
    public int id() {
        return id;
    }

    public String name() {
        return name;
    }

    /** Whether this is a kernel thread (no pid). */
    public boolean kthread() {
        return pid == null;
    }

    /** The process id. Requires: {@code !kthread()}. */
    public int pid() {
        if (pid == null) {
            throw new IllegalStateException(name + " is a kernel thread and has no pid");
        }
        return pid;
    }

    /** The pid as text, or the thread's name for a kernel thread ("kswapd0"). */
    public String label() {
        return pid == null ? name : Integer.toString(pid);
    }

    public State state() {
        return state;
    }

    /** When the task is next ready to run; for an exited task, when it finished. */
    public long clockNs() {
        return clock + pendingCpu;
    }

    public long steps() {
        return steps;
    }

    public long cpuNs() {
        return cpuNs + pendingCpu;
    }

    /** Time runnable but waiting for a CPU (the kernel's schedstat run_delay). */
    public long runDelayNs() {
        return runDelayNs;
    }

    /** Time spent in voluntary sleeps (a scenario's sleep step). */
    public long sleepNs() {
        return sleepNs;
    }

    public long ioWaitNs() {
        return ioWaitNs;
    }

    /** Time in stalls of {@code kind}; memory stalls include the CPU and I/O time spent inside them. */
    public long stallNs(StallKind kind) {
        return kind == StallKind.IO_WAIT ? ioWaitNs : stallNs[kind.ordinal()];
    }

    /** The recorded stall intervals, oldest first (empty unless the run records history). */
    public List<Stall> stalls() {
        return stallLog == null ? List.of() : Collections.unmodifiableList(stallLog);
    }

    @Override
    public String toString() {
        return (pid == null ? name : pid + " " + name) + " (" + state + " at " + clockNs() + " ns)";
    }
}
