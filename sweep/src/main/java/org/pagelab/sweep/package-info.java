/**
 * Sweeps: one workload run on many machines, one machine per point of a space of settings.
 *
 * <h2>The model</h2>
 * A {@link org.pagelab.sweep.SweepSpec} names a base workload (a scenario file, or traces replayed
 * data-less) and {@link org.pagelab.sweep.Axis axes}: machine settings ({@link org.pagelab.sweep.Setting}:
 * memory, swap, swappiness, CPUs, workingset, transparent_hugepage with its per-size modes
 * ({@link org.pagelab.sweep.ThpSettings}), reclaim policy, mode, and the memory.* files of a
 * cgroup), each with a list or a range of values with units. The points are the
 * axes' cross product, the first axis varying slowest, or a list the spec declares. Values are kept
 * in canonical form ({@code 65536K} is {@code 64M}), so a point's key, {@code name=value} of every
 * axis, names it whatever the spelling.
 *
 * <p>A {@link org.pagelab.sweep.Point} is an independent run: {@link org.pagelab.sweep.PointRunner}
 * boots a fresh machine with the point's settings and runs the workload with the point's own seed,
 * derived by SHA-256 from the sweep's seed and the point's values (on all axes, or on the spec's
 * {@code seed_axes}; see {@link org.pagelab.sweep.Point}). Nothing is shared between points, and a
 * machine is deterministic, so a point's {@link org.pagelab.sweep.PointResult} (its status and every
 * {@link org.pagelab.sweep.Metric}) is a function of the spec and the point alone: the same on one
 * thread or many, in any order, on this JVM or on a Spark executor. For a scenario, the point's
 * settings are written into the scenario's own machine and cgroups sections
 * ({@code ScenarioOverride}) and the result parsed as {@code pagelab run} parses it, so a setting
 * means in a sweep exactly what it means in a scenario file.
 *
 * <p>{@link org.pagelab.sweep.SweepEngine}s run points and hand results back as they finish:
 * {@link org.pagelab.sweep.LocalEngine} on a thread pool under a memory budget (each point's
 * {@link org.pagelab.sweep.PointRunner#footprint} taken from it while the point runs); the Spark engine
 * of module sweep-spark, one task per point, found through {@link org.pagelab.sweep.SweepEngine.Factory}.
 * An internal error in one point is a {@link org.pagelab.sweep.PointOutcome} with an error, not the end
 * of the sweep. {@link org.pagelab.sweep.ResultStore} appends each result to the results directory as
 * it arrives (JSON lines and CSV), so a sweep that stops resumes where it was.
 *
 * <h2>Invariants</h2>
 * <pre>
 *   result(spec, point) is the same on every engine, thread count and order
 *   point.seed == seedOf(spec.seed, values on the seed axes)
 *   results.jsonl and results.csv hold the same results; a point appears at most once
 *   sum of footprints of the points a LocalEngine runs at once &lt;= its budget (or one point runs alone)
 * </pre>
 * {@link org.pagelab.sweep.ResultStore#check} recomputes the store's, {@code MemoryBudget.check} the
 * budget's (on every take and return); the tests compare engines, thread counts and orders.
 *
 * <h2>Order of calls</h2>
 * <pre>
 * SweepSpec.load                      (the spec, the scenario's own parse, the traces opened)
 * ResultStore.open                    (points done before are skipped)
 * SweepEngine.run
 *   per point, on any thread or host:
 *     PointRunner.run
 *       ScenarioOverride.apply, Scenario.parse
 *       Machine.boot(config, workdir, simConfig, policy)
 *       ScenarioRunner.run            or TraceReplay.replayAll
 *       Machine.check
 *       Metric.read
 *   as each point finishes:  ResultStore.append
 * ResultStore.finish                  (both files in point order)
 * </pre>
 *
 * The spec format, the way to run a sweep locally and on a Spark cluster, and a real report are
 * in docs/sweeps.md.
 */
package org.pagelab.sweep;
