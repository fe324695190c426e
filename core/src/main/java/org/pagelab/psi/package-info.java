/**
 * Pressure stall information: how much of the time the machine's tasks, all of them or those of
 * one memory cgroup, could not make progress because they waited for memory or for I/O, reported
 * as /proc/pressure/memory and /proc/pressure/io (and a cgroup's memory.pressure and io.pressure)
 * report it.
 *
 * <h2>What the kernel computes (kernel/sched/psi.c, Linux 6.1)</h2>
 * <b>Task states.</b> The scheduler tells PSI whenever a task's state changes. A task carries a
 * few flags: TSK_RUNNING (on a run queue: running or waiting for a CPU), TSK_IOWAIT (asleep in
 * io_schedule), TSK_MEMSTALL (between psi_memstall_enter and psi_memstall_leave: direct reclaim,
 * kswapd's balance_pgdat, memcg high-limit throttling, the read of a refaulting page, compaction)
 * and TSK_MEMSTALL_RUNNING (both of the last two: reclaiming on a CPU). A task with none of them
 * is idle (asleep for another reason, or gone). Each CPU of each group counts its tasks per flag
 * (NR_IOWAIT, NR_MEMSTALL, NR_RUNNING, NR_MEMSTALL_RUNNING); a task is counted on the CPU of its
 * run queue, and stays counted on the CPU it went to sleep on.
 *
 * <p><b>Per-CPU conditions.</b> From the counts, on each CPU:
 * <pre>
 *   io some   = NR_IOWAIT &gt; 0                       some task waits for I/O
 *   io full   = NR_IOWAIT &gt; 0 and NR_RUNNING == 0   ... and no task is runnable
 *   mem some  = NR_MEMSTALL &gt; 0
 *   mem full  = NR_MEMSTALL &gt; 0 and NR_RUNNING == NR_MEMSTALL_RUNNING
 *                 every runnable task is itself in a memory stall: nothing productive runs
 *   non-idle  = NR_IOWAIT + NR_MEMSTALL + NR_RUNNING &gt; 0
 * </pre>
 * Idle tasks count for nothing: one task reclaiming while the others sleep is full pressure.
 * A task waiting for a refault read is both in iowait and in a memory stall.
 *
 * <p><b>Aggregation across CPUs.</b> Each CPU records how long each condition held. Every
 * aggregation the per-CPU times since the last one are combined, each CPU weighted by how long it
 * was non-idle: {@code stall = sum_c time_c * nonidle_c / sum_c nonidle_c}. So an idle CPU does
 * not dilute the pressure, and with more runnable tasks than CPUs the result approaches the ideal
 * "share of the potential work lost" of Documentation/accounting/psi.rst. The result is added to
 * the group's total, kept in nanoseconds and printed in microseconds.
 *
 * <p><b>Averages.</b> Every PSI_FREQ (2 s plus one jiffy) the averaging work takes the stall time
 * added to the total since the last run, as a whole percentage of the period, and folds it into
 * three exponentially decaying averages with the load average's fixed point (11 fraction bits,
 * FIXED_1 = 2048): {@code avg = (avg * e + pct * (2048 - e)) / 2048}, rounded up when the average
 * grows, with {@code e} = 1677, 1981 and 2034, that is {@code 2048 / exp(2 s / W)} for the windows
 * W = 10 s, 60 s and 300 s. Periods without activity are folded in as zeroes. The file prints
 * each average with two decimals and the total:
 * <pre>
 *   some avg10=0.00 avg60=0.00 avg300=0.00 total=0
 *   full avg10=0.00 avg60=0.00 avg300=0.00 total=0
 * </pre>
 * The system group holds every task; each cgroup has its own group, and a task's change is
 * applied to its cgroup and every ancestor's group.
 *
 * <h2>How pagelab maps its simulation onto it</h2>
 * <ul>
 *   <li><b>Task states</b> come from {@link org.pagelab.sim.Sim} through
 *       {@link org.pagelab.sim.TaskStateSink}: a task is RUNNING from its spawn or wakeup while it
 *       books CPU time or waits for a CPU (run delay), IOWAIT inside {@code io}/{@code waitUntil},
 *       MEMSTALL inside an outermost {@code beginStall}/{@code endStall} bracket (also while it
 *       waits for I/O or is throttled asleep inside it), and idle in {@code sleepFor}, asleep (kswapd
 *       between wakeups) or exited. kswapd0 is a task like the kernel's: its reclaim is a memory
 *       stall, so it alone is enough for "some".</li>
 *   <li><b>CPUs.</b> A task is counted on the CPU it last booked time on (CPU 0 until it books
 *       any), and moves when its CPU time is next booked elsewhere, from the start of that
 *       booking. pagelab has no per-CPU run queues, so this is the one CPU a task is attached to.</li>
 *   <li><b>Order of time.</b> A step books its whole timeline at once, so the simulator reports a
 *       task's changes ahead of other tasks' earlier ones. {@link org.pagelab.psi.Psi} queues
 *       them by time and applies them only once the simulator's horizon (the start of the step
 *       being run, before which nothing can change any more) passes them. Reads see the groups as
 *       of that horizon, which trails the latest task's clock by at most one step (and a
 *       scenario's step can be long: a touch of thousands of pages). When every process has gone
 *       the simulator says it is quiescent, and reads look up to the elapsed time, applying the
 *       queued changes to a copy of the group; a driver that then starts another process (the
 *       built-in workload does) starts it at or after the horizon, so nothing read is undone.</li>
 *   <li><b>Periods</b> are exactly 2 s of simulated time, aligned to multiples of 2 s from boot,
 *       and every period is folded into the averages at its end (the kernel's extra jiffy and its
 *       timer drift are left out; its skipping of idle periods and folding them in later as
 *       zeroes gives the same values up to rounding). Aggregation across CPUs happens at the same
 *       boundaries, with non-idle time in nanoseconds rather than jiffies; a read between
 *       boundaries adds the open period's share computed on the side, so reading never changes
 *       a later result and a run's figures do not depend on who read them when.</li>
 *   <li><b>Not modelled:</b> CPU and IRQ pressure, PSI triggers (poll), the PSI_POLL aggregator,
 *       compaction and workingset thrashing stalls beyond the sites {@link org.pagelab.sim.StallKind}
 *       names.</li>
 * </ul>
 *
 * <h2>Invariants</h2>
 * {@link org.pagelab.psi.PsiChecker} recomputes them:
 * <pre>
 *   full &lt;= some &lt;= elapsed, per group and resource
 *   totals never decrease from one period to the next
 *   totals == a batch replay of the group's applied changes under the definitions above
 *   system some == |union of the tasks' stall intervals| on one CPU, &lt;= it on more
 * </pre>
 *
 * <h2>Order of calls</h2>
 * <pre>
 * Sim.spawn / wake / io / waitUntil / sleepFor / beginStall / endStall / endStep / flush
 *   TaskStateSink.change                  Psi queues the change
 * Sim.next
 *   TaskStateSink.horizon                 Psi applies the changes before it, in time order
 *     PsiGroup.taskChange                 system group, then the task's cgroups
 *       PsiGroup.advanceTo                closes 2 s periods: totals, averages
 * Sim.endStep / exit, no process left
 *   TaskStateSink.quiescent               reads look ahead to the elapsed time
 * reads (Pressure, TimeSeries, the JSON report)
 *   PsiGroup.render / totalUs / avgHundredths
 * cgroup code
 *   Psi.createGroup, Psi.setGroupsOf, Psi.moveTask
 * </pre>
 */
package org.pagelab.psi;
