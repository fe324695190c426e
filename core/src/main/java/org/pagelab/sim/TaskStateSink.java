package org.pagelab.sim;

/**
 * Receives what each task is doing, as PSI classifies it, whenever that changes (the kernel's
 * psi_task_change and psi_task_switch calls). A task's state is a word of the bits below; 0 is
 * idle (asleep, nanosleeping, exited). A task's changes arrive in its own time order, but the
 * tasks' streams interleave out of global order: a step books its whole timeline before a later
 * step that started earlier runs. {@link #horizon} says how far the past is settled.
 *
 * <pre>
 *   bit 0  IOWAIT    waiting for a device request (io, waitUntil)
 *   bit 1  MEMSTALL  inside a beginStall/endStall bracket (also while waiting or asleep in it)
 *   bit 2  RUNNING   runnable or running: in a step, booking CPU or waiting for a CPU
 * </pre>
 */
public interface TaskStateSink {
    int IOWAIT = 1;
    int MEMSTALL = 1 << 1;
    int RUNNING = 1 << 2;

    /**
     * From {@code timeNs} on, {@code task} is in {@code state} and counted on CPU {@code cpu} (the
     * CPU it last booked time on). Called only when the state or the CPU changes.
     */
    void change(SimTask task, long timeNs, int cpu, int state);

    /**
     * No change will be reported at a time before {@code timeNs}: steps start in non-decreasing
     * time order and a step's changes are at or after its start. Non-decreasing.
     */
    void horizon(long timeNs);

    /**
     * No step runs and no process is alive: unless the driver starts another process (at a time
     * from the last horizon on), every task's state is known up to {@code untilNs}, the elapsed
     * time. Reads may look that far provisionally; the next {@link #horizon} ends it.
     */
    void quiescent(long untilNs);
}
