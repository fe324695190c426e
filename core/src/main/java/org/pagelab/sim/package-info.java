/**
 * Simulated time: a cost model, simulated CPUs and devices, and a deterministic scheduler that
 * interleaves the machine's tasks (processes and kswapd) and accounts where their time goes.
 *
 * <h2>The model of time</h2>
 * Time is a {@code long} of nanoseconds from boot. Work costs time in two ways:
 * <ul>
 *   <li><b>CPU events</b> ({@link org.pagelab.sim.CpuEvent}): a fault's entry and bookkeeping,
 *       zeroing a page, copying a page, allocating a page, a cache lookup, a touch of a present PTE,
 *       reclaim's scan of one folio, unmapping one PTE, a system call's entry. Each costs a fixed
 *       number of nanoseconds from the run's {@link org.pagelab.sim.CostModel}; the defaults are
 *       estimates for a 3–4 GHz x86 core of the 2020s, each justified in its Javadoc (the anchor
 *       is DESIGN.md's native anonymous write fault of about 1.6 µs, of which zeroing and
 *       allocation are about 0.4 µs). Overrides: {@code "fault=1.2us,zero=300ns"}.</li>
 *   <li><b>Device requests</b> ({@link org.pagelab.sim.DeviceModel}, {@link org.pagelab.sim.SimDevice}):
 *       a request of {@code b} bytes submitted at {@code t} is in flight for the device's read or
 *       write latency, then moves its bytes over the device's one data channel at its bandwidth.
 *       Latencies of concurrent requests overlap (no queue-depth limit); transfers share the
 *       bandwidth, booked in the channel's gaps. Alone, a request completes at
 *       {@code t + latency + b / bandwidth}. The default is an NVMe SSD on PCIe 3.0 x4 (80 µs read,
 *       20 µs write, 3 GB/s read, 2 GB/s write); overrides per file system or swap device:
 *       {@code "latency=100us,read_bw=500M"}.</li>
 * </ul>
 * Deliberately not modelled: cache misses and TLB misses (beyond the averages folded into the
 * event costs), lock contention, remote TLB shootdowns, scheduler overhead and context-switch
 * cost, device queueing limits, request merging and the write cache filling up, CPU frequency and
 * SMT. The costs are constants, so a run's times are a function of its events alone.
 *
 * <h2>Tasks and steps</h2>
 * A {@link org.pagelab.sim.SimTask} is a process or a kernel thread, each with its own clock. The
 * driver runs the machine step by step: {@link org.pagelab.sim.Sim#next()} picks a task and starts a
 * step at the task's ready time; the step's Java code runs to completion (the memory state changes
 * at once, as if the step held every lock), calling the accounting API as it goes; then
 * {@link org.pagelab.sim.Sim#endStep()} sets the task's next ready time to the time its step ended.
 * Within a step, the task's time advances by:
 * <ul>
 *   <li>{@code cpu(event, n)}: CPU time, collected and booked on a CPU lazily (at the next I/O,
 *       stall boundary, wakeup, fork or step end), so that a charge is two additions;</li>
 *   <li>{@code io(dev, bytes, write)}: the task submits and blocks until the request completes;
 *       its CPU is free meanwhile. {@code submitIo} and {@code waitUntil} split the two for
 *       asynchronous readahead and writeback;</li>
 *   <li>{@code beginStall(kind)}/{@code endStall()}: bracket a memory stall (direct reclaim,
 *       kswapd's reclaim, memcg throttling, refault). Brackets nest; the outermost one records one
 *       {@link org.pagelab.sim.Stall} of its kind, whose length includes the CPU and I/O inside it.
 *       I/O waits are recorded as {@code IO_WAIT} stalls by {@code io} itself.</li>
 * </ul>
 * Outside a step (machine setup) the accounting calls charge nothing.
 *
 * <p>For pressure stall information a {@link org.pagelab.sim.TaskStateSink} can listen: the
 * simulator reports each change of a task's state (runnable, in I/O wait, in a memory stall,
 * idle) and of the CPU it is counted on, in the task's own time order, and at each step start a
 * horizon before which nothing changes any more. Closed stall intervals go to the
 * {@link org.pagelab.sim.StallSink} as before.
 *
 * <h2>The scheduler's rules</h2>
 * <ol>
 *   <li>The next step is that of the runnable task with the earliest ready time; ties go to the
 *       task that became runnable first (spawned, woken or ended its last step first: FIFO). Processes are runnable from their spawn (a forked child
 *       from its parent's time at the fork) until they exit; kernel threads sleep until woken.</li>
 *   <li>{@code wake(t)} makes a sleeping task runnable at the waker's current time; a wakeup of a
 *       task during its own step cancels its going to sleep at the end of it.</li>
 *   <li>CPU time is booked on the CPU where it finishes first, ties to the CPU the task last ran
 *       on, then to the lowest-numbered CPU; it fills that CPU's idle gaps from the task's time on
 *       and may be split around work booked earlier (a task woken by I/O completion preempts:
 *       its continuation was booked first). Time between the task's time and the end of its work,
 *       less the work, is its run delay.</li>
 *   <li>The run ends when every process has exited; kernel threads do not keep it going.
 *       Elapsed time is when the last task finished.</li>
 * </ol>
 * With equal costs (zero included) and one CPU, rule 1 gives round-robin in creation order; a
 * forked child joins the rotation behind the tasks already queued and ahead of its parent.
 * Determinism: every choice is a function of times and counters (a priority queue ordered by
 * (ready time, enqueue sequence number), CPUs scanned
 * in index order, no hashing, no wall clock), and the only floating point is IEEE-exact division.
 * Because steps start in non-decreasing time order, a step's effects are applied in the order of
 * step starts; a task woken during another's step may start before that step ends, but its
 * effects follow it.
 *
 * <h2>Invariants</h2>
 * {@link org.pagelab.sim.Sim#check()} recomputes them (the history ones when the run records):
 * <pre>
 *   per CPU:   booked busy intervals are pairwise disjoint
 *   per task:  cpu + run_delay + io_wait == sum over its steps of (end - start)
 *              steps are ordered and disjoint, the first at or after its spawn: task time never goes back
 *              its CPU pieces lie in its steps and overlap neither each other nor its I/O waits
 *              sum of CPU pieces == cpu;  sum of Stall intervals of kind k == stall_ns[k]
 *              memory stalls are disjoint; sum of memory stalls <= time in steps
 *   globally:  step starts never decrease;  elapsed >= every task's finish
 *              sum of cpu <= elapsed * nr_cpus
 * </pre>
 *
 * <h2>Order of calls</h2>
 * <pre>
 * ScenarioRunner / trace replay (driver)
 *   Sim.next
 *     Fault.fault ...                  cpu(FAULT), cpu(ZERO_PAGE | COPY_PAGE), cpu(TOUCH)
 *       PageAllocator.alloc            cpu(PAGE_ALLOC)
 *         Vmscan.wakeKswapd            wake(kswapd0)
 *         Machine.preempt              kswapd0's steps, when runnable by the task's time
 *                                      (also before each direct reclaim round and retry)
 *         Vmscan.directReclaim         beginStall(DIRECT_RECLAIM)
 *           shrink_folio_list          cpu(RECLAIM_SCAN), cpu(UNMAP_PTE)
 *             SwapSpace.writeOut       submitIo(swap device, write), at(its completion)
 *             Vfs.pageout              submitIo(file system device, write), at(its completion)
 *                                      endStall
 *       Vfs.filemapFault, doSwapPage   cpu(CACHE_LOOKUP); io(device, read), inside
 *                                      beginStall(REFAULT) when a shadow says workingset
 *   Sim.endStep
 * kswapd0's step: beginStall(KSWAPD_RECLAIM), balance_pgdat, endStall, sleep
 * </pre>
 * The allocator, the page cache and swap stand on floors below this package and do not call it:
 * they charge their phys {@code AllocClock}, filemap {@code IoClock} and swap {@code SwapIo}, which
 * the machine's {@code SimClock} implements with one call here per call there.
 */
package org.pagelab.sim;
