/**
 * The Java API of pagelab: build a simulated machine, run processes on it, and read what the
 * command line prints, as values.
 *
 * <h2>What is API and what is internal</h2>
 * The API is this package, {@code org.pagelab.api}, in the artifact {@code org.pagelab:pagelab-api},
 * and three types of the core it hands out or takes in:
 * <ul>
 *   <li>{@link org.pagelab.memory.Access}, the outcome of a memory access;</li>
 *   <li>{@link org.pagelab.policy.CachePolicy}, the interface a policy of one's own implements,
 *       and {@link org.pagelab.policy.PolicyStats}, its counts.</li>
 * </ul>
 * These keep their names and meanings from one version to the next; new methods may be added.
 * Every other package ({@code org.pagelab.machine}, {@code .memory}, {@code .reclaim},
 * {@code .report}, ...) is the model's inside: public for the command line, the sweeps and the
 * tests, and free to change with any commit. {@code ApiSurfaceTest} keeps the line where it is
 * drawn: no public or protected member of this package mentions an internal type.
 *
 * <h2>The model</h2>
 * <pre>
 *   Lab.builder()           memory, swap, cpus, swappiness, page-cluster, workingset, thp, reclaim policy,
 *     .boot()  -&gt; Lab       tmpfs mounts, cgroups with their memory.* files, seed, working directory
 *   Lab.spawn   -&gt; Proc     a process; its methods are the scenario steps: mmap, write, read,
 *                           touch, mprotect, madvise, munmap, fork, exit, sleep, pwrite, pread,
 *                           fsync, poison, moveTo
 *   Lab.createFile -&gt; LabFile
 *   Lab.replay(spec)        a trace on the machine (metadata mode)
 *   Lab.runScenario(file)   a scenario file, as pagelab run runs it
 *   Lab.read(path)          /proc/..., /sys/fs/cgroup/PATH/memory.*, as text
 *   Lab.meminfo() vmstat() memoryStat(cg) memoryValue(cg, file)    the same, as values
 *   Lab.report() json()     what pagelab run prints, and pagelab run --json
 *   PolicyStudy             policy-only replays, built-in policies or one's own CachePolicy
 * </pre>
 * Each {@link org.pagelab.api.Proc} operation is one step of the process's task on the simulated
 * CPUs ({@link org.pagelab.machine.Machine#step}): kernel threads whose time has come run first,
 * and the operation's cost is charged to the process. Processes run one call at a time, in the
 * order the program makes the calls; a scenario file's processes instead interleave as the
 * scheduler picks them ({@link org.pagelab.api.Lab#runScenario} runs those). A run is
 * deterministic; nothing reads the clock.
 *
 * <h2>Invariants</h2>
 * <pre>
 *   Lab.json()   == the output of pagelab run --json for the same machine and run
 *                   (both are org.pagelab.report.RunReport)
 *   Lab.read(p)  is rendered by the code the command line renders file p with (during the lab's
 *                life a live process's status says R (running); a report after a run, S (sleeping))
 *   after any sequence of calls: Lab.check() passes (every invariant checker of the machine)
 * </pre>
 *
 * <h2>Why no module-info</h2>
 * A {@code module-info} exporting only this package would make the line above a compile-time
 * fact, but it would have to be drawn in the core too: the core would need its own module
 * declaration with qualified exports of its twenty-odd packages to the command line, the sweeps,
 * the Spark engine and the benchmarks; the tests would run on the module path (surefire patches
 * test classes into the module, JMH's generated code and Spark's reflection would need opens);
 * the shaded {@code pagelab.jar} drops module descriptors anyway; and the user policies that
 * {@code --policy-jar} loads from a class loader would need a {@code uses} clause and a service
 * file instead of a class name. Most users are on the class path, where a module descriptor is
 * ignored. So the line is a stated rule checked by a test, not a module boundary; revisit when the
 * core's packages are reorganized into API and implementation modules.
 *
 * <h2>Order of calls</h2>
 * <pre>
 * Lab.Builder.boot
 *   Machine.boot                  (physical memory, slab, files, swap space, memcg, reclaim)
 *   SwapSpace.swapon, Vmscan.setSwappiness, Workingset.setDetectionEnabled,
 *   MemoryManager.setTransparentHugepage, Vfs.setLargeFolios, Vfs.mountTmpfs, MemoryCgroups.create / set
 * Proc.*                          Machine.step(process, body)
 *   MemoryManager.mmapAnon / mmapFile / munmap / mprotect / madvise* / read / write / touch / fork / exit
 *   Vfs.pread / pwrite / fsync, MemoryFailure.injectAt, MemoryCgroups.attach, Sim.sleepFor
 * Lab.replay                      Replay.run(TraceSource.open(spec))
 * Lab.runScenario                 Scenario.load, Machine.boot, ScenarioRunner.run
 * Lab.read / meminfo / vmstat     ProcFs, Meminfo, Vmstat, MemcgFiles
 * Lab.report / json               RunReport
 * </pre>
 * docs/java-api.md is the guide; its examples are compiled and run by the tests.
 */
package org.pagelab.api;
