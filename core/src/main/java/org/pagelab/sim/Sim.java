package org.pagelab.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The simulated clock, CPUs and scheduler of one machine, and the accounting API the memory code
 * calls while a task's step runs. See the package documentation for the model; in short:
 *
 * <pre>
 * driver:       t = next()  ...  run one step of t  ...  endStep()      until next() is null
 * during step:  cpu(event, n)        charge CPU time (booked on a CPU lazily)
 *               io(device, bytes, w) submit a request and wait for it (I/O wait)
 *               beginStall(kind) / endStall()   bracket a memory stall (nesting-safe)
 *               wake(kswapd), spawn(child), sleep(), exit()
 * </pre>
 *
 * Outside a step (machine setup, the driver's own bookkeeping) the accounting calls cost nothing.
 */
public final class Sim {
    private static final Comparator<SimTask> READY_ORDER =
            Comparator.comparingLong((SimTask t) -> t.clock).thenComparingLong(t -> t.queueSeq);

    private final CostModel costs;
    private final long[] costNs;
    private final Timeline[] cpus;
    private final boolean record;
    private final List<SimTask> tasks = new ArrayList<>();
    private final List<SimDevice> devices = new ArrayList<>();
    private final PriorityQueue<SimTask> runq = new PriorityQueue<>(READY_ORDER);
    /** Work due at a time rather than in a task: I/O completions, timed wakeups (the kernel's interrupts and timers). */
    private final PriorityQueue<Timer> timers = new PriorityQueue<>(
            Comparator.comparingLong(Timer::time).thenComparingLong(Timer::seq));
    /**
     * The timeouts of kernel threads' sleeps (schedule_timeout: kcompactd's), kept apart from
     * {@link #timers}: they run only while a task waits to run after them, never when the timers
     * are drained (at the end of a run, or outside simulated time), since a thread that sets its
     * next timeout from each one would keep a drain going forever.
     */
    private final PriorityQueue<Timer> timeouts = new PriorityQueue<>(
            Comparator.comparingLong(Timer::time).thenComparingLong(Timer::seq));
    private long timerSeq;
    /** The time of the timer running now, or -1: a timer's calls see it as the current time. */
    private long timerTime = -1;

    private record Timer(long time, long seq, Runnable action) {
    }
    private StallSink sink = (t, s) -> { };
    /** Null unless PSI listens: then every change of a task's {@link TaskStateSink} state is reported. */
    private TaskStateSink stateSink;
    private SimTask current;
    /** Start of the current (or last) step: never decreases. */
    private long now;
    private int liveUserTasks;
    /** Counts enqueues: ties of ready time go to the task queued first. */
    private long queueSeq;
    /** Recorded CPU pieces, four longs each: cpu, task id, start, end (only when recording). */
    private long[] pieces = new long[0];
    private int nPieces;

    /**
     * A machine with {@code nrCpus} CPUs charging {@code costs}; with {@code record} every CPU
     * piece, step and stall interval is kept for {@link #check()} and {@link SimTask#stalls()}.
     */
    public Sim(int nrCpus, CostModel costs, boolean record) {
        if (nrCpus < 1 || nrCpus > 4096) {
            throw new IllegalArgumentException("CPU count " + nrCpus + " not in 1..4096");
        }
        this.costs = costs;
        this.costNs = new long[CpuEvent.values().length];
        for (CpuEvent e : CpuEvent.values()) {
            costNs[e.ordinal()] = costs.ns(e);
        }
        this.cpus = new Timeline[nrCpus];
        for (int i = 0; i < nrCpus; i++) {
            cpus[i] = new Timeline();
        }
        this.record = record;
        if (record) {
            pieces = new long[64];
        }
    }

    /** A machine that records nothing beyond the per-task totals. */
    public Sim(int nrCpus, CostModel costs) {
        this(nrCpus, costs, false);
    }

    public CostModel costs() {
        return costs;
    }

    public int nrCpus() {
        return cpus.length;
    }

    public boolean recording() {
        return record;
    }

    /** Sends every closed stall interval to {@code s} as well (PSI). */
    public void setStallSink(StallSink s) {
        this.sink = s;
    }

    /**
     * Reports every change of a task's PSI state to {@code s}, and how far time is settled. Set it
     * before the first task is spawned: the tasks' states are reported as changes from idle.
     */
    public void setTaskStateSink(TaskStateSink s) {
        if (!tasks.isEmpty()) {
            throw new IllegalStateException("setTaskStateSink: " + tasks.size() + " tasks exist already");
        }
        this.stateSink = s;
    }

    /** A new device named {@code name} with timing {@code model}: one per file system or swap device. */
    public SimDevice device(String name, DeviceModel model) {
        SimDevice d = new SimDevice(name, model);
        devices.add(d);
        return d;
    }

    public List<SimDevice> devices() {
        return Collections.unmodifiableList(devices);
    }

    /** Every task ever created, in creation order. */
    public List<SimTask> tasks() {
        return Collections.unmodifiableList(tasks);
    }

    // ---- tasks ----

    /** A new process, runnable at the caller's current time (the parent's, in a fork). */
    public SimTask spawn(String name, int pid) {
        SimTask t = new SimTask(tasks.size(), name, pid, callerTime(), SimTask.State.RUNNABLE, record);
        tasks.add(t);
        enqueue(t);
        liveUserTasks++;
        reportState(t, t.clock, TaskStateSink.RUNNING);
        return t;
    }

    /** A new kernel thread (kswapd0), asleep until {@link #wake woken}. */
    public SimTask spawnKthread(String name) {
        SimTask t = new SimTask(tasks.size(), name, null, callerTime(), SimTask.State.SLEEPING, record);
        tasks.add(t);
        return t;
    }

    /**
     * Wakes {@code t}: a sleeping task becomes runnable at the waker's current time (or its own
     * clock, if later); a running one will not go to sleep at the end of this step. Waking a
     * runnable or exited task does nothing.
     */
    public void wake(SimTask t) {
        switch (t.state) {
            case SLEEPING -> {
                t.clock = Math.max(t.clock, callerTime());
                t.state = SimTask.State.RUNNABLE;
                enqueue(t);
                reportState(t, t.clock, TaskStateSink.RUNNING);
            }
            case RUNNING -> t.wokenDuringStep = true;
            case RUNNABLE, EXITED -> { }
        }
    }

    /** The current task (a kernel thread) sleeps at the end of this step unless woken meanwhile. */
    public void sleep() {
        SimTask t = requireCurrent("sleep");
        if (!t.kthread()) {
            throw new IllegalStateException("sleep: " + t + " is a process; only kernel threads sleep until woken");
        }
        t.sleepAtEnd = true;
    }

    /** The current task exits at the end of this step. */
    public void exit() {
        requireCurrent("exit").exitAtEnd = true;
    }

    /**
     * Ends {@code t}: the current task at the end of this step, any other at once, finishing at
     * the caller's current time or its own clock, if later (a kill).
     */
    public void exit(SimTask t) {
        switch (t.state) {
            case RUNNING -> t.exitAtEnd = true;
            case RUNNABLE, SLEEPING -> {
                if (t.state == SimTask.State.RUNNABLE) {
                    runq.remove(t);
                }
                t.clock = Math.max(t.clock, callerTime());
                reportState(t, t.clock, 0);
                finish(t);
                quiesceIfIdle();
            }
            case EXITED -> { }
        }
    }

    private void enqueue(SimTask t) {
        t.queueSeq = queueSeq++;
        runq.add(t);
    }

    private void finish(SimTask t) {
        t.state = SimTask.State.EXITED;
        if (!t.kthread()) {
            liveUserTasks--;
        }
    }

    /** Tells the state sink when no step runs and no process is left. */
    private void quiesceIfIdle() {
        if (liveUserTasks == 0 && current == null && stateSink != null) {
            stateSink.quiescent(elapsedNs());
        }
    }

    /** Tells the state sink, if any, that {@code t} is in {@code state} from {@code time} on, on its last CPU. */
    private void reportState(SimTask t, long time, int state) {
        if (stateSink != null && (state != t.psiState || t.lastCpu != t.psiCpu)) {
            t.psiState = state;
            t.psiCpu = t.lastCpu;
            stateSink.change(t, time, t.lastCpu, state);
        }
    }

    private static int memstallBit(SimTask t) {
        return t.stallDepth > 0 ? TaskStateSink.MEMSTALL : 0;
    }

    // ---- scheduling ----

    /**
     * Starts the next step: of the runnable task with the earliest ready time, ties to the one that
     * became runnable first (spawned, woken or ended its last step first: FIFO). Returns null, starting nothing, when every process has exited (kernel
     * threads do not keep a run going). Requires: no step is running.
     */
    public SimTask next() {
        if (current != null) {
            throw new IllegalStateException("next: the step of " + current + " has not ended");
        }
        if (liveUserTasks == 0) {
            return null;
        }
        // timers first, one at a time, so one that wakes a task earlier than the head still runs in order
        for (;;) {
            SimTask head = runq.peek();
            Timer a = timers.peek();
            Timer b = timeouts.peek();
            boolean timerDue = a != null && (head == null || a.time() <= head.clock);
            boolean timeoutDue = b != null && head != null && b.time() <= head.clock;
            if (timerDue && (!timeoutDue || a.time() <= b.time())) {
                runTimersBefore(timers, a.time() + 1);
            } else if (timeoutDue) {
                runTimersBefore(timeouts, b.time() + 1);
            } else {
                break;
            }
        }
        SimTask t = runq.poll();
        if (t == null) {
            throw new IllegalStateException("live processes but none runnable: " + tasks);
        }
        if (t.clock < now) {
            throw new IllegalStateException("step of " + t + " would start at " + t.clock + ", before the last one at " + now);
        }
        now = t.clock;
        if (stateSink != null) {
            stateSink.horizon(now);
        }
        for (Timeline c : cpus) {
            c.prune(now);
        }
        for (SimDevice d : devices) {
            d.prune(now);
        }
        t.state = SimTask.State.RUNNING;
        t.stepStart = now;
        t.wokenDuringStep = false;
        t.sleepAtEnd = false;
        t.exitAtEnd = false;
        current = t;
        return t;
    }

    /** Ends the current step; the task is runnable again, asleep or exited as the step asked. */
    public void endStep() {
        SimTask t = requireCurrent("endStep");
        closeStep(t);
        current = null;
        quiesceIfIdle();
    }

    /**
     * A preemption point inside the current step: runs {@code body} as one step of kernel thread
     * {@code k}, which must be runnable with a ready time no later than the current task's time
     * (as when the scheduler gives the CPU to a woken kernel thread, or a thread on another CPU
     * runs meanwhile). The step starts at {@code k}'s ready time, books its CPU like any other, and
     * ends as {@link #endStep} ends one; then the current task's step goes on. Timers due by the
     * current task's time run first.
     */
    public void runNested(SimTask k, Runnable body) {
        SimTask p = requireCurrent("runNested");
        flush(p);
        if (!k.kthread() || k.state != SimTask.State.RUNNABLE || k.clock > p.clock) {
            throw new IllegalStateException("runNested: " + k + " is not a kernel thread ready by " + p.clock);
        }
        runq.remove(k);
        k.state = SimTask.State.RUNNING;
        k.stepStart = k.clock;
        k.wokenDuringStep = false;
        k.sleepAtEnd = false;
        k.exitAtEnd = false;
        current = k;
        try {
            body.run();
        } finally {
            closeStep(k);
            current = p;
        }
    }

    /** Whether kernel thread {@code k} could run at a preemption point of the current step now. */
    public boolean readyBy(SimTask k) {
        return current != null && current != k && k.state == SimTask.State.RUNNABLE && k.clock <= callerTime();
    }

    /**
     * Schedules {@code action} at {@code timeNs} (an I/O completion, a timed wakeup). Timers run in
     * time order, ties in the order they were set: before any step that starts later, at the
     * preemption points of a step ({@link #runTimersDue}), and at the end of a run
     * ({@link #drainTimers}). A timer's calls see its time as the current time and charge nothing.
     */
    public void at(long timeNs, Runnable action) {
        timers.add(new Timer(timeNs, timerSeq++, action));
    }

    /**
     * Calls {@code action} at {@code timeNs} as the timeout of a kernel thread's sleep: before any
     * step that starts later, as a timer is, but not at preemption points and never by
     * {@link #drainTimers} (see {@link #timeouts}). Its calls see its time as the current time.
     */
    public void timeout(long timeNs, Runnable action) {
        timeouts.add(new Timer(timeNs, timerSeq++, action));
    }

    /** Runs the timers due by the current task's time (or the last step's start between steps). */
    public void runTimersDue() {
        if (timerTime >= 0) {
            return;
        }
        runTimersBefore(timers, callerTime() + 1);
    }

    /** Runs every timer left, in time order (at the end of a run, so what was in flight completes). */
    public void drainTimers() {
        if (timerTime >= 0) {
            return;
        }
        runTimersBefore(timers, Long.MAX_VALUE);
    }

    /** The time of the earliest pending timer, or {@link Long#MAX_VALUE}. */
    public long nextTimerNs() {
        Timer t = timers.peek();
        return t == null ? Long.MAX_VALUE : t.time();
    }

    private void runTimersBefore(PriorityQueue<Timer> queue, long limit) {
        SimTask saved = current;
        if (saved != null) {
            flush(saved);
        }
        try {
            for (Timer t; (t = queue.peek()) != null && t.time() < limit; ) {
                queue.poll();
                current = null;
                timerTime = Math.max(t.time(), now);
                t.action().run();
            }
        } finally {
            timerTime = -1;
            current = saved;
        }
    }

    /** Closes {@code t}'s step: books its CPU, ends the step, and makes it runnable, asleep or exited. */
    private void closeStep(SimTask t) {
        flush(t);
        if (t.stallDepth != 0) {
            throw new IllegalStateException("endStep: " + t + " is still inside a " + t.stallKind + " stall");
        }
        t.steps++;
        t.stepNs += t.clock - t.stepStart;
        if (record) {
            t.stepLog.add(new long[] {t.stepStart, t.clock});
        }
        if (t.exitAtEnd) {
            reportState(t, t.clock, 0);
            finish(t);
        } else if (t.sleepAtEnd && !t.wokenDuringStep) {
            t.state = SimTask.State.SLEEPING;
            reportState(t, t.clock, 0);
        } else {
            t.state = SimTask.State.RUNNABLE;
            enqueue(t);
        }
    }

    /** The task whose step is running, or null between steps. */
    public SimTask current() {
        return current;
    }

    /** The current task's time (its booked work included), or the last step's start between steps. */
    public long now() {
        return callerTime();
    }

    private long callerTime() {
        if (timerTime >= 0) {
            return timerTime;
        }
        if (current == null) {
            return now;
        }
        flush(current);
        return current.clock;
    }

    private SimTask requireCurrent(String what) {
        if (current == null) {
            throw new IllegalStateException(what + ": no step is running");
        }
        return current;
    }

    // ---- accounting ----

    /** Charges one {@code event} to the current task. */
    public void cpu(CpuEvent event) {
        if (current != null) {
            current.pendingCpu += costNs[event.ordinal()];
        }
    }

    /** Charges {@code count} {@code event}s to the current task. Requires: {@code count >= 0}. */
    public void cpu(CpuEvent event, long count) {
        if (current != null) {
            current.pendingCpu += costNs[event.ordinal()] * count;
        }
    }

    /** Charges {@code ns} nanoseconds of CPU time to the current task. Requires: {@code ns >= 0}. */
    public void cpuNs(long ns) {
        if (ns < 0) {
            throw new IllegalArgumentException("negative CPU time " + ns);
        }
        if (current != null) {
            current.pendingCpu += ns;
        }
    }

    /**
     * The current task submits a request of {@code bytes} to {@code dev} and waits for it; its CPU
     * is free meanwhile. Returns the nanoseconds it waited (0 between steps, when nothing is charged).
     */
    public long io(SimDevice dev, long bytes, boolean write) {
        if (current == null) {
            return 0;
        }
        flush(current);
        return waitUntil(dev.submit(current.clock, bytes, write));
    }

    /**
     * Submits a request without waiting for it (readahead beyond the page needed, writeback) and
     * returns its completion time, for a later {@link #waitUntil}. Between steps it is submitted
     * at the last step's start.
     */
    public long submitIo(SimDevice dev, long bytes, boolean write) {
        return dev.submit(callerTime(), bytes, write);
    }

    /**
     * The current task sleeps for {@code ns} (nanosleep): its clock moves on, its CPU is free, and
     * the time counts as neither CPU, run delay nor I/O wait. Outside a step it does nothing.
     */
    public void sleepFor(long ns) {
        if (ns < 0) {
            throw new IllegalArgumentException("negative sleep " + ns);
        }
        if (current == null) {
            return;
        }
        SimTask t = current;
        flush(t);
        if (ns == 0) {
            return;
        }
        reportState(t, t.clock, memstallBit(t));
        t.clock += ns;
        t.sleepNs += ns;
        reportState(t, t.clock, TaskStateSink.RUNNING | memstallBit(t));
    }

    /**
     * The current task waits, as I/O wait, until {@code timeNs} (the completion time of a request);
     * nothing happens if that has passed. Returns the nanoseconds waited.
     */
    public long waitUntil(long timeNs) {
        if (current == null) {
            return 0;
        }
        SimTask t = current;
        flush(t);
        if (timeNs <= t.clock) {
            return 0;
        }
        long start = t.clock;
        reportState(t, start, TaskStateSink.IOWAIT | memstallBit(t));
        t.clock = timeNs;
        t.ioWaitNs += timeNs - start;
        reportState(t, timeNs, TaskStateSink.RUNNING | memstallBit(t));
        closeStall(t, new Stall(StallKind.IO_WAIT, start, timeNs));
        return timeNs - start;
    }

    /**
     * The current task enters a memory stall of {@code kind} (psi_memstall_enter). Stalls nest: only
     * the outermost pair opens and closes the interval, which keeps the outer kind. Outside a step it
     * does nothing, as {@link #endStall} does. Requires: {@code kind.memory()}.
     */
    public void beginStall(StallKind kind) {
        if (!kind.memory()) {
            throw new IllegalArgumentException("beginStall: " + kind + " is not a memory stall");
        }
        SimTask t = current;
        if (t == null) {
            return;
        }
        flush(t);
        if (t.stallDepth++ == 0) {
            t.stallKind = kind;
            t.stallStart = t.clock;
            reportState(t, t.clock, TaskStateSink.RUNNING | TaskStateSink.MEMSTALL);
        }
    }

    /** Leaves the innermost memory stall (psi_memstall_leave). Requires: inside one, or no step running. */
    public void endStall() {
        SimTask t = current;
        if (t == null) {
            return;
        }
        if (t.stallDepth == 0) {
            throw new IllegalStateException("endStall: " + t + " is not in a stall");
        }
        flush(t);
        if (--t.stallDepth == 0) {
            t.stallNs[t.stallKind.ordinal()] += t.clock - t.stallStart;
            closeStall(t, new Stall(t.stallKind, t.stallStart, t.clock));
            t.stallKind = null;
            reportState(t, t.clock, TaskStateSink.RUNNING);
        }
    }

    private void closeStall(SimTask t, Stall s) {
        if (record) {
            t.stallLog.add(s);
        }
        sink.stall(t, s);
    }

    /**
     * Books the CPU time charged since the last booking: on the CPU where it finishes first, ties
     * to the CPU the task last ran on, then to the lowest number.
     */
    private void flush(SimTask t) {
        long len = t.pendingCpu;
        if (len == 0) {
            return;
        }
        t.pendingCpu = 0;
        int best = t.lastCpu;
        long bestEnd = cpus[best].finish(t.clock, len);
        for (int c = 0; c < cpus.length; c++) {
            long f = cpus[c].finish(t.clock, len);
            if (f < bestEnd) {
                best = c;
                bestEnd = f;
            }
        }
        final int cpu = best;
        long start = t.clock;
        long end = cpus[cpu].book(t.clock, len, record ? (s, e) -> recordPiece(cpu, t.id(), s, e) : (s, e) -> { });
        t.runDelayNs += end - t.clock - len;
        t.cpuNs += len;
        t.clock = end;
        t.lastCpu = cpu;
        reportState(t, start, TaskStateSink.RUNNING | memstallBit(t));
    }

    private void recordPiece(int cpu, int task, long start, long end) {
        if ((nPieces + 1) * 4 > pieces.length) {
            pieces = Arrays.copyOf(pieces, pieces.length * 2);
        }
        int i = nPieces++ * 4;
        pieces[i] = cpu;
        pieces[i + 1] = task;
        pieces[i + 2] = start;
        pieces[i + 3] = end;
    }

    // ---- results ----

    /** Simulated elapsed time: when the last task finished (or last ran, for one still alive). */
    public long elapsedNs() {
        long e = now;
        for (SimTask t : tasks) {
            e = Math.max(e, t.clockNs());
        }
        return e;
    }

    /** The run's report so far. */
    public SimReport report() {
        List<SimReport.TaskReport> rows = new ArrayList<>();
        for (SimTask t : tasks) {
            rows.add(SimReport.TaskReport.of(t));
        }
        return new SimReport(elapsedNs(), cpus.length, rows);
    }

    /**
     * Recomputes the invariants (see the package documentation) and throws IllegalStateException
     * naming the first one broken. Without recording only the totals are checked.
     */
    public void check() {
        SimChecker.check(this, tasks, cpus, devices, record ? Arrays.copyOf(pieces, nPieces * 4) : null, current);
    }
}
