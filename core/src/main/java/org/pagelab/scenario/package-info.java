/**
 * Scenario files: a YAML description of a machine, its files and its processes, run
 * deterministically.
 *
 * <h2>The model</h2>
 * {@link org.pagelab.scenario.Scenario} is a parsed file: a machine shape, a list of files to
 * create and a tree of processes, each with a list of {@link org.pagelab.scenario.Step}s (a fork
 * step carries its child's list). {@link org.pagelab.scenario.ScenarioParser} reads the top level,
 * the machine, files, cgroups and processes and holds what the file has declared so far;
 * {@link org.pagelab.scenario.StepParser} holds the step definitions (every kind and its keys,
 * which docs/scenario.schema.json must match) and checks each step against those declarations.
 * Parsing keeps the line of every YAML node, and validation runs
 * to completion before anything executes: unknown keys and steps, bad sizes and protections,
 * regions or files never declared, a child naming a region its parent mapped only after the fork,
 * and {@code expect} on a metadata machine are all reported as
 * {@code FILE:LINE: message naming the value}.
 *
 * <p>Before the YAML is parsed, {@link org.pagelab.scenario.ScenarioSource} refuses what cannot be
 * a scenario without reading it: a directory, a device or pipe, a file over {@link
 * org.pagelab.input.Limits#MAX_SCENARIO_BYTES}; bytes that are not UTF-8 are named by line and
 * offset. {@link org.pagelab.scenario.ScenarioYaml} enforces the line length and the YAML limits
 * (nesting depth, aliases of collections, no recursive alias) in a pass over the parser's events,
 * so each refusal has the line where it happened. Then the parser checks names ({@link
 * org.pagelab.scenario.ScenarioNames}: file names by the rule of {@link
 * org.pagelab.filemap.FileNames}, no file where a tmpfs mount point or another file's directory
 * must be), the machine (memory within what a machine can have, swap areas within what a swap
 * device can hold and how many there can be), and the counts and lengths of steps ({@link
 * org.pagelab.scenario.StepLimits}: at most {@link org.pagelab.input.Limits#MAX_EVENTS} touches or
 * pages per step). {@link org.pagelab.scenario.ScenarioChecks} checks what needs the machine's mode
 * once it is known. What only the run can find is still bad input with the step's line: a file the
 * working directory refuses (a symbolic link on the way, a file already there), a swap file the
 * host cannot create (naming {@code machine.swap}), a touch without a count over a region of more
 * than {@link org.pagelab.input.Limits#MAX_EVENTS} pages.
 *
 * <p>{@link org.pagelab.scenario.ScenarioRunner} executes the processes as tasks of the simulated
 * CPUs: the scheduler of {@code org.pagelab.sim} runs one step of the runnable task with the
 * earliest clock, kswapd0 included; a fork starts the child's task at the parent's time. Every
 * random choice (random and zipf touch patterns) comes from one generator seeded by the run's
 * seed, so the same file and seed give the same run, byte for byte. A process killed by a signal
 * stops; the machine and the others go on. A failed {@code expect} or a failed system call ends
 * the run with a message naming process, step and what differed. The runner keeps the memory
 * steps (mmap, read, write, expect, touch, mprotect, madvise, munmap, mremap, fork, exit) and the
 * machine steps; {@link org.pagelab.scenario.ScenarioProcess} is one process's regions and stack
 * of step lists, {@link org.pagelab.scenario.FileSteps} the files and their steps, and
 * {@link org.pagelab.scenario.HeldPages} the pages that pin and get steps hold.
 *
 * <p>A {@code repeat} step runs its list of steps a number of times: a process runs a stack of
 * step lists, its own at the bottom, and entering a repeat costs no turn of the scheduler. A
 * {@code mark} step hands a {@link org.pagelab.proc.CounterSnapshot} of the machine to the run's
 * listener, so the per-phase deltas of a workload come from one run.
 *
 * <h2>Invariants</h2>
 * <pre>
 *   a step refers only to regions mapped earlier in its own process (or its parent before the fork)
 *   same scenario + same seed  =&gt;  same sequence of calls into the machine
 * </pre>
 *
 * <h2>Order of calls</h2>
 * <pre>
 * ScenarioRunner.run
 *   Vfs.create                        (the files: section)
 *   MemoryManager.spawn               (each process)
 *   per turn, per process: one step
 *     MemoryManager.mmapAnon / mmapFile / munmap / mprotect / madviseDontneed / fork / exit
 *     MemoryManager.read / write / touch
 *     FileSteps: Vfs.pread / pwrite / fsync / sync / open / close / unlink
 *     HeldPages: Gup.pin / pinLongterm / get / unpin / put, FrameContents (via)
 *     DropCaches.drop
 *     CounterSnapshot.of                (mark)
 * </pre>
 *
 * The format, field by field, is in docs/scenarios.md; examples/ holds scenarios that CI runs.
 */
package org.pagelab.scenario;
