package org.pagelab.filemap;

/**
 * Where the page cache, its writeback and the swap caches spend simulated time: the CPU of the
 * task running, requests to block devices, memory stalls of refaults, timers for writes that
 * complete later, and the flusher thread's sleeps; with the I/O errors injected into those
 * devices. The page cache names what it does; the machine turns it into its simulator's events
 * and requests (the costs and device models are the simulator's, not this package's).
 *
 * <p>Outside a step (no task running) nothing is charged: CPU and stalls count nothing, a
 * synchronous request waits for nothing, and {@link #inStep()} is false, so the flusher's work is
 * done by the caller. {@link #NONE} is the clock of a file system outside a machine.
 */
public interface IoClock {
    /** A block device whose requests the clock times, as the machine made it. */
    interface Device {
    }

    /** Whether a task's step is running. */
    boolean inStep();

    /** The running task's time (or the last step's start between steps), in nanoseconds. */
    long now();

    /** One system call's entry (the SYSCALL event). */
    void syscall();

    /** {@code n} lookups in a cache index (CACHE_LOOKUP events). */
    void cacheLookups(long n);

    /** The CPU cost of copying {@code bytes} between the page cache and the caller. */
    void copy(long bytes);

    /** The running task enters a memory stall of a refault (its read counts as one, PSI). */
    void beginRefault();

    /** Leaves the stall {@link #beginRefault} entered. */
    void endRefault();

    /** The running task submits a request of {@code bytes} to {@code device} and waits for it. */
    void io(Device device, long bytes, boolean write);

    /** Submits a request without waiting for it; returns its completion time. */
    long submitIo(Device device, long bytes, boolean write);

    /** Runs {@code action} at {@code timeNs}, as a timer that charges nothing. */
    void at(long timeNs, Runnable action);

    /** The running task waits, as I/O wait, until {@code timeNs}. */
    void waitUntil(long timeNs);

    /** The running task sleeps for {@code ns} (a throttled writer's pause). */
    void sleepFor(long ns);

    /** Runs the timers due by the running task's time. */
    void runTimersDue();

    /** Runs every timer left (writes in flight complete). */
    void drainTimers();

    /**
     * Whether the read or write of page {@code page} of {@code device} (a file's name) fails now:
     * an injected I/O error, which uses up one error of its rule.
     */
    boolean ioFails(String device, boolean write, long page);

    /**
     * The clock of a file system outside a machine: no step ever runs, nothing is charged, no I/O
     * fails, and timers run when something drains them.
     */
    static IoClock none() {
        return new IoClock() {
            private final java.util.List<Runnable> timers = new java.util.ArrayList<>();

            @Override
            public boolean inStep() {
                return false;
            }

            @Override
            public long now() {
                return 0;
            }

            @Override
            public void syscall() {
            }

            @Override
            public void cacheLookups(long n) {
            }

            @Override
            public void copy(long bytes) {
            }

            @Override
            public void beginRefault() {
            }

            @Override
            public void endRefault() {
            }

            @Override
            public void io(Device device, long bytes, boolean write) {
            }

            @Override
            public long submitIo(Device device, long bytes, boolean write) {
                return 0;
            }

            @Override
            public void at(long timeNs, Runnable action) {
                timers.add(action);
            }

            @Override
            public void waitUntil(long timeNs) {
            }

            @Override
            public void sleepFor(long ns) {
            }

            @Override
            public void runTimersDue() {
                drainTimers();
            }

            @Override
            public void drainTimers() {
                while (!timers.isEmpty()) {
                    timers.removeFirst().run();
                }
            }

            @Override
            public boolean ioFails(String device, boolean write, long page) {
                return false;
            }
        };
    }
}
