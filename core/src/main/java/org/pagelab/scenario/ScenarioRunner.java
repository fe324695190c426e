package org.pagelab.scenario;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.pagelab.filemap.Vfs;
import org.pagelab.machine.Machine;
import org.pagelab.sim.CpuEvent;
import org.pagelab.sim.Sim;
import org.pagelab.sim.SimTask;
import org.pagelab.memory.Access;
import org.pagelab.memory.MemoryManager;
import org.pagelab.memory.Process;
import org.pagelab.scenario.ScenarioProcess.Region;
import org.pagelab.phys.MemSize;
import org.pagelab.vma.MapResult;

/**
 * Runs a {@link Scenario} on a machine. Each process is a task of the machine's simulated CPUs,
 * and the machine's scheduler ({@link org.pagelab.sim.Sim#next()}) picks whose step runs next: the
 * runnable task with the earliest clock; kswapd0 takes its turns the same way. Random and zipf touch patterns draw from one {@link SplittableRandom} seeded with the run's
 * seed, so a run is deterministic. A process killed by a signal stops; the machine's event log
 * records it. A failed {@code expect} (or a failed system call) ends the run with a {@link Failure}.
 */
public final class ScenarioRunner {
    private static final int PAGE = MemSize.PAGE_SIZE;

    /** Why a run stopped early: process name, 1-based step index in its list, step kind, what differed. */
    public record Failure(String process, int step, String kind, String message) {
        @Override
        public String toString() {
            return "process " + process + " step " + step + " (" + kind + "): " + message;
        }
    }

    /**
     * A snapshot a {@code mark} step took.
     *
     * @param name     the mark's name
     * @param timeNs   the simulated time of the step, in nanoseconds since boot
     * @param process  the process whose step it was
     * @param counters every counter at that moment
     */
    public record Mark(String name, long timeNs, String process, org.pagelab.proc.CounterSnapshot counters) {
    }

    private final Machine machine;
    private final MemoryManager mm;
    private final Vfs vfs;
    private final boolean data;
    private final SplittableRandom rnd;
    private final FileSteps files;
    private final HeldPages held;
    /** The scenario's file name, for errors of input found only while running (a step's default count). */
    private final String source;

    private final java.util.function.Consumer<Mark> marks;

    private ScenarioRunner(Machine machine, String source, long seed, java.util.function.Consumer<Mark> marks) {
        this.marks = marks;
        this.machine = machine;
        this.source = source;
        this.mm = machine.memory();
        this.vfs = machine.vfs();
        this.data = machine.config().dataMode();
        this.rnd = new SplittableRandom(seed);
        this.files = new FileSteps(vfs, data);
        this.held = new HeldPages(machine.gup(), machine.phys().contents(), source);
    }

    /** Runs {@code s} on {@code machine}; null when every step ran (or its process died), else the failure. */
    public static Failure run(Machine machine, Scenario s, long seed) {
        return run(machine, s, seed, m -> { });
    }

    /** {@link #run(Machine, Scenario, long)}, handing each snapshot a mark step takes to {@code marks}, in time order. */
    public static Failure run(Machine machine, Scenario s, long seed, java.util.function.Consumer<Mark> marks) {
        return run(machine, s, seed, marks, new HashMap<>());
    }

    /**
     * Runs {@code s} as {@link #run(Machine, Scenario, long, java.util.function.Consumer)} does,
     * recording in {@code started} how many steps of each process's own list (by name) were
     * started, so a caller can tell which steps a failure could depend on.
     */
    public static Failure run(Machine machine, Scenario s, long seed, java.util.function.Consumer<Mark> marks,
                              Map<String, Integer> started) {
        ScenarioChecks.forMode(s, machine.config().dataMode());
        ScenarioRunner r = new ScenarioRunner(machine, s.source(), seed, marks);
        try {
            return r.run(s);
        } finally {
            r.byName.forEach((name, p) -> started.put(name, p.topIndex()));
        }
    }

    private final Map<String, ScenarioProcess> byName = new LinkedHashMap<>();

    /** Bytes an expect step reads and compares at a time, in the two buffers below. */
    private static final int EXPECT_CHUNK = 64 << 10;
    private final byte[] readBack = new byte[EXPECT_CHUNK];
    private final byte[] expected = new byte[EXPECT_CHUNK];

    /**
     * Applies the machine settings of the file: kernel memory in use, overcommit, swap,
     * swappiness, refault detection, THP, tmpfs mounts. What the host or the machine cannot hold
     * (a swap area, the kernel memory asked for) is bad input naming the key.
     */
    private void tune(Scenario s) {
        if (!s.sizing().apply(machine)) {
            String msg = "machine.kernel_used: the machine cannot hold " + MemSize.format(s.sizing().kernelUsed())
                    + " of kernel memory";
            throw s.sizing().line() == 0 ? new ScenarioException(s.source() + ": " + msg)
                    : new ScenarioException(s.source(), s.sizing().line(), msg);
        }
        if (s.swappiness() != null) {
            machine.vmscan().setSwappiness(s.swappiness());
        }
        if (s.workingset() != null) {
            machine.vmscan().workingset().setDetectionEnabled(s.workingset());
        }
        if (s.transparentHugepage() != null) {
            machine.memory().setTransparentHugepage(s.transparentHugepage());
        }
        if (s.thpDefrag() != null) {
            machine.memory().setThpDefrag(s.thpDefrag());
        }
        s.hugepages().apply(machine.memory());
        vfs.setLargeFolios(s.hugepages().largeFolios());
        for (String dir : s.tmpfs()) {
            vfs.mountTmpfs(dir);
        }
        if (s.swap() != null) {
            int n = 0;
            for (Scenario.SwapSpec a : s.swap()) {
                String name = s.swap().size() == 1 ? "swapfile" : "swapfile" + n;
                n++;
                if (a.bytes() == 0) {
                    continue;
                }
                var r = machine.swap().swapon(name, a.bytes() / PAGE, a.priority(), a.rotational());
                if (r instanceof org.pagelab.swap.SwaponResult.Failed f) {
                    throw new ScenarioException(s.source(), a.line(), "machine.swap: cannot set up swap area '" + name
                            + "' of " + MemSize.format(a.bytes()) + ": " + f.reason());
                }
            }
        }
    }

    /** Whether the scenario allows undeclared kills ({@code kills: allowed}). */
    private boolean killsAllowed;
    /** The expect step during whose read the process being stepped was killed, or null. */
    private Step killedInExpect;

    private Failure run(Scenario s) {
        killsAllowed = s.killsAllowed();
        tune(s);
        for (Scenario.CgroupSpec c : s.cgroups()) {
            var cg = machine.memcg().create(c.path());
            setLimits(cg, c.limits());
        }
        try {
            files.create(s);
            Map<SimTask, ScenarioProcess> byTask = new HashMap<>();
            for (Scenario.ProcessSpec ps : s.processes()) {
                Process p = mm.spawn(ps.name());
                if (p == null) {
                    return new Failure(ps.name(), 0, "spawn", "out of memory");
                }
                p.setOomScoreAdj(ps.oomScoreAdj());
                if (ps.cgroup() != null) {
                    machine.memcg().attach(p, ps.cgroup());
                }
                ScenarioProcess proc = new ScenarioProcess(ps.name(), p, ps.steps(), new HashMap<>());
                byTask.put(machine.taskOf(p), proc);
                byName.put(ps.name(), proc);
            }
            Sim sim = machine.sim();
            for (SimTask t; (t = sim.next()) != null; ) {
                if (machine.kernelThread(t)) {
                    machine.runTaskStep(t);
                    continue;
                }
                ScenarioProcess p = byTask.get(t);
                if (p == null || !p.runnable()) {
                    sim.exit();
                    sim.endStep();
                    continue;
                }
                Step st = p.take();
                sim.cpu(CpuEvent.SYSCALL);
                try {
                    ScenarioProcess child = step(p, st);
                    if (child != null) {
                        byTask.put(machine.taskOf(child.process), child);
                        byName.put(child.name, child);
                    }
                } catch (StepFailed e) {
                    sim.endStep();
                    return new Failure(p.name, p.topIndex(), st.kind(), p.frames.size() > 1
                            ? "at line " + st.line() + ": " + e.getMessage() : e.getMessage());
                }
                machine.returnToUser(p.process);
                Failure killed = killCheck(p);
                if (killed != null) {
                    sim.endStep();
                    return killed;
                }
                if (!p.runnable()) {
                    sim.exit();
                }
                sim.endStep();
                machine.afterStep();
            }
            sim.drainTimers(); // what is still in flight completes: writes end, their folios rotate
            for (ScenarioProcess p : byName.values()) {
                Failure killed = killCheck(p); // killed by another's doing (the OOM killer, an early kill)
                if (killed != null) {
                    return killed;
                }
            }
            return null;
        } finally {
            held.releaseAll();
            files.closeAll();
        }
    }

    /**
     * What a process's death says about its steps: a killed process whose next step is
     * {@code expect_kill} passes it when the signal matches; one whose remaining steps hold an
     * {@code expect} (which can no longer run) fails the run, so an expectation never passes
     * silently. Null when nothing is wrong.
     */
    private Failure killCheck(ScenarioProcess p) {
        if (p.process.state() != Process.State.KILLED) {
            return null;
        }
        Step during = killedInExpect;
        killedInExpect = null;
        Step next = p.peek();
        String signalNow = p.process.signal() == null ? "?" : p.process.signal();
        if (during != null && !killsAllowed && (next == null || !next.kind().equals("expect_kill"))) {
            return new Failure(p.name, p.topIndex(), "expect", "the process was killed by " + signalNow
                    + " while its expect at line " + during.line() + " read (declare expect_kill after it)");
        }
        if (next == null) {
            return null;
        }
        String signal = p.process.signal() == null ? "?" : p.process.signal();
        if (next.kind().equals("expect_kill")) {
            p.take();
            String want = next.options().signal();
            if (want.equals("any") || signal.equals(want) || signal.startsWith(want + " ")) {
                return null;
            }
            return new Failure(p.name, p.topIndex(), "expect_kill", "killed by " + signal + ", expected " + want);
        }
        Step expect = killsAllowed ? null : p.remaining("expect");
        if (expect != null) {
            return new Failure(p.name, p.topIndex(), next.kind(), "the process was killed by " + signal
                    + " before its expect at line " + expect.line() + " ran (declare expect_kill after the step that kills it)");
        }
        return null;
    }

    /**
     * The whole pages of region {@code r} that an mprotect, madvise or munmap step names: its
     * offset and length when given (the length rounded up to whole pages, as the kernel rounds
     * it), else the whole region.
     */
    private Region pages(Region r, Step st) {
        if (st.offset() == null && st.length() == null) {
            return r;
        }
        long[] or = range(st, r.len());
        return new Region(r.addr() + or[0], (or[1] + PAGE - 1) / PAGE * PAGE);
    }

    /**
     * Offset and length of a step within a region of {@code len} bytes, checked. A length that
     * copies bytes was checked against {@link StepLimits#MAX_STEP_BYTES} before the run.
     */
    private long[] range(Step st, long len) {
        long off = st.offset() == null ? 0 : st.offset();
        long n = st.length() == null ? len - off : st.length();
        if (off < 0 || n < 0 || off + n > len) {
            throw new StepFailed("offset " + off + " + length " + n + " is outside the region of " + len + " bytes");
        }
        return new long[] {off, n};
    }

    private static void mapOk(MapResult r, String what) {
        if (r instanceof MapResult.MapFailed f) {
            throw new StepFailed(what + " failed: " + f.errno());
        }
    }

    private ScenarioProcess step(ScenarioProcess p, Step st) {
        Process proc = p.process;
        switch (st.kind()) {
            case "mmap" -> {
                long len = (st.size() + PAGE - 1) / PAGE * PAGE;
                Step.Options o = st.options();
                long align = o.align() == null ? PAGE : o.align();
                // an aligned mapping as programs make one: map align more, unmap the ends around the aligned start
                long mapLen = align > PAGE ? len + align : len;
                long addr = o.addr() == null ? 0 : o.addr();
                boolean fixed = Boolean.TRUE.equals(o.fixed());
                MapResult r;
                if (st.file() == null) {
                    r = mm.mmapAnon(proc, addr, mapLen, st.prot(), Boolean.TRUE.equals(st.shared()), fixed);
                } else {
                    long off = st.offset() == null ? 0 : st.offset();
                    r = mm.mmapFile(proc, addr, mapLen, st.prot(), Boolean.TRUE.equals(st.shared()), fixed,
                            files.openFile(st.file()), off);
                }
                mapOk(r, "mmap");
                long start = r.orThrow();
                if (align > PAGE) {
                    long aligned = (start + align - 1) & -align;
                    if (aligned > start) {
                        mapOk(mm.munmap(proc, start, aligned - start), "munmap of the alignment's head");
                    }
                    if (start + mapLen > aligned + len) {
                        mapOk(mm.munmap(proc, aligned + len, start + mapLen - aligned - len), "munmap of the alignment's tail");
                    }
                    start = aligned;
                }
                p.regions.put(st.name(), new Region(start, len));
            }
            case "write" -> {
                if (st.options().via() != null) {
                    held.access(p, st, true); // the region may be unmapped: the pages are held
                    return null;
                }
                Region r = p.region(st);
                long[] or = range(st, r.len());
                if (data) {
                    byte[] buf = new byte[(int) or[1]];
                    java.util.Arrays.fill(buf, (byte) (int) st.fill());
                    mm.write(proc, r.addr() + or[0], buf, 0, buf.length);
                } else {
                    touchRange(proc, r.addr() + or[0], or[1], true);
                }
            }
            case "read" -> {
                Region r = p.region(st);
                long[] or = range(st, r.len());
                if (data) {
                    mm.read(proc, r.addr() + or[0], new byte[(int) or[1]], 0, (int) or[1]);
                } else {
                    touchRange(proc, r.addr() + or[0], or[1], false);
                }
            }
            case "expect" -> {
                if (st.options().via() != null) {
                    held.access(p, st, false);
                    return null;
                }
                Region r = p.region(st);
                long[] or = range(st, r.len());
                int want = st.equals();
                java.util.Arrays.fill(expected, (byte) want);
                for (long done = 0; done < or[1]; done += EXPECT_CHUNK) {
                    int n = (int) Math.min(EXPECT_CHUNK, or[1] - done);
                    Access a = mm.read(proc, r.addr() + or[0] + done, readBack, 0, n);
                    if (a != Access.OK) {
                        if (!proc.alive()) {
                            killedInExpect = st; // killed while reading: killCheck decides
                            return null;
                        }
                        throw new StepFailed("reading region '" + st.region() + "' failed: " + a);
                    }
                    int i = java.util.Arrays.mismatch(readBack, 0, n, expected, 0, n);
                    if (i >= 0) {
                        throw new StepFailed(String.format("region '%s' byte at offset %d is 0x%02x, expected 0x%02x",
                                st.region(), or[0] + done + i, readBack[i] & 0xff, want));
                    }
                }
            }
            case "touch" -> {
                Region r = p.region(st);
                long[] or = range(st, r.len());
                long base = r.addr() + or[0];
                if (or[1] == 0) {
                    return null;
                }
                long pages = (or[1] + PAGE - 1) / PAGE;
                long count = st.count() == null ? StepLimits.withinEventLimit(source, st, pages) : st.count();
                boolean w = Boolean.TRUE.equals(st.write());
                double[] cdf = st.pattern().equals("zipf") ? zipfCdf(pages, st.alpha() == null ? 1.0 : st.alpha()) : null;
                for (long i = 0; i < count && proc.alive(); i++) {
                    long page = switch (st.pattern()) {
                        case "random" -> rnd.nextLong(pages);
                        case "zipf" -> zipf(cdf);
                        default -> i % pages;
                    };
                    mm.touch(proc, base + page * PAGE, w);
                }
            }
            case "mprotect" -> {
                Region r = pages(p.region(st), st);
                mapOk(mm.mprotect(proc, r.addr(), r.len(), st.prot()), "mprotect");
            }
            case "madvise" -> {
                Region r = pages(p.region(st), st);
                MapResult res = switch (st.advice()) {
                    case "cold" -> mm.madviseColdOrPageout(proc, r.addr(), r.len(), false);
                    case "pageout" -> mm.madviseColdOrPageout(proc, r.addr(), r.len(), true);
                    case "hugepage" -> mm.madviseHugepage(proc, r.addr(), r.len(), true);
                    case "nohugepage" -> mm.madviseHugepage(proc, r.addr(), r.len(), false);
                    case "dontneed" -> mm.madviseDontneed(proc, r.addr(), r.len());
                    // best effort: whether a range collapses depends on the memory's state, so a
                    // failure (EAGAIN, EBUSY, ENOMEM, EINVAL) does not fail the step
                    case "collapse" -> {
                        mm.madviseCollapse(proc, r.addr(), r.len());
                        yield new MapResult.Mapped(r.addr());
                    }
                    default -> mm.madvise().advise(proc, r.addr(), r.len(),
                            org.pagelab.memory.Madvise.Advice.valueOf(st.advice().toUpperCase(java.util.Locale.ROOT)));
                };
                mapOk(res, "madvise");
            }
            case "munmap" -> {
                Region whole = p.region(st);
                Region r = pages(whole, st);
                mapOk(mm.munmap(proc, r.addr(), r.len()), "munmap");
                if (r.equals(whole)) {
                    p.regions.remove(st.region()); // a part leaves the name to the rest, holes included
                }
            }
            case "mremap" -> mremap(p, st);
            case "clear_refs" -> mm.clearRefs(proc, (int) (long) st.count());
            case "expect_kill" -> throw new StepFailed("expected a kill by " + st.options().signal()
                    + ", but the process is alive");
            case "sleep" -> machine.sim().sleepFor(st.timeNs());
            case "inject_error" -> {
                long off = st.offset() == null ? 0 : st.offset();
                long first = off / PAGE;
                long pages = st.length() == null ? Long.MAX_VALUE / 2 : Math.max(1, (off + st.length() + PAGE - 1) / PAGE - first);
                machine.ioFaults().add(new org.pagelab.sim.IoFaults.Rule(
                        st.file() != null ? st.file() : st.options().device(),
                        st.options().op().equals("read") ? org.pagelab.sim.IoFaults.Op.READ : org.pagelab.sim.IoFaults.Op.WRITE,
                        first, pages, machine.sim().now() + (st.timeNs() == null ? 0 : st.timeNs()),
                        st.count() == null ? org.pagelab.sim.IoFaults.UNLIMITED : st.count()));
            }
            case "cgroup_set" -> {
                var cg = machine.memcg().byPath(st.name());
                if (cg == null) {
                    throw new StepFailed("cgroup " + st.name() + " does not exist (removed?)");
                }
                setLimits(cg, st.limits());
            }
            case "cgroup_move" -> {
                try {
                    machine.memcg().attach(proc, st.name());
                } catch (IllegalArgumentException e) {
                    throw new StepFailed(e.getMessage());
                }
            }
            case "cgroup_remove" -> {
                try {
                    machine.memcg().remove(st.name());
                } catch (IllegalArgumentException e) {
                    throw new StepFailed(e.getMessage());
                }
            }
            case "pin", "get" -> held.take(p, st);
            case "unpin", "put" -> held.release(p, st);
            case "poison" -> {
                Region r = p.region(st);
                long off = st.offset() == null ? 0 : st.offset();
                if (off < 0 || off >= r.len()) {
                    throw new StepFailed("offset " + off + " is outside region '" + st.region() + "' of " + r.len() + " bytes");
                }
                if (machine.memoryFailure().injectAt(proc, r.addr() + off) == null && proc.alive()) {
                    throw new StepFailed("nothing mapped to poison at offset " + off + " of region '" + st.region() + "'");
                }
            }
            case "fork" -> {
                Process child = mm.fork(proc);
                if (child == null && !proc.alive()) {
                    // the OOM killer chose the forking process while fork charged for the
                    // child: the process is gone, as any killed process is (the kill rules judge it)
                    return null;
                }
                if (child == null && killsAllowed) {
                    // under kills: allowed a child may die at birth: fork returned ENOMEM, it never runs
                    mm.logEvent("pid " + proc.pid() + " (" + proc.name() + "): fork of " + st.name() + " failed: ENOMEM");
                    return null;
                }
                if (child == null) {
                    throw new StepFailed("fork failed for lack of memory");
                }
                return new ScenarioProcess(st.name(), child, st.children(), new HashMap<>(p.regions));
            }
            case "file_write", "file_read", "fsync", "sync", "close", "unlink" -> files.step(st);
            case "drop_caches" -> new org.pagelab.filemap.DropCaches(vfs, machine.vmstat(), () -> machine.vmscan().shrinkers().dropSlab()).drop((int) (long) st.count());
            case "compact_memory" -> machine.compaction().compactNode();
            case "mark" -> marks.accept(new Mark(st.name(), machine.sim().now(), p.name,
                    org.pagelab.proc.CounterSnapshot.of(machine)));
            case "exit" -> mm.exit(proc);
            default -> throw new IllegalStateException("unknown step kind " + st.kind());
        }
        return null;
    }

    /**
     * An mremap step: the step's range of the region (all of it by default) becomes {@code size}
     * bytes (the same by default), moved when {@code move} allows or {@code addr} demands. The
     * moved or resized range is named {@code name} when the step gives one; else, when it was the
     * whole region, the region follows it.
     */
    private void mremap(ScenarioProcess p, Step st) {
        Region whole = p.region(st);
        Region r = pages(whole, st);
        long newLen = st.size() == null ? r.len() : (st.size() + PAGE - 1) / PAGE * PAGE;
        MapResult res = mm.mremap(p.process, r.addr(), r.len(), newLen, Boolean.TRUE.equals(st.options().move()),
                st.options().addr());
        mapOk(res, "mremap");
        Region now = new Region(res.orThrow(), newLen);
        if (st.name() != null) {
            p.regions.put(st.name(), now);
        } else if (r.equals(whole)) {
            p.regions.put(st.region(), now);
        }
    }

    private void touchRange(Process proc, long addr, long len, boolean write) {
        for (long off = 0; off < len && proc.alive(); off += PAGE) {
            mm.touch(proc, addr + off, write);
        }
    }

    private static double[] zipfCdf(long pages, double alpha) {
        int n = (int) Math.min(pages, 1 << 20);
        double[] cdf = new double[n];
        double sum = 0;
        for (int k = 0; k < n; k++) {
            sum += 1.0 / Math.pow(k + 1, alpha);
            cdf[k] = sum;
        }
        for (int k = 0; k < n; k++) {
            cdf[k] /= sum;
        }
        return cdf;
    }

    private long zipf(double[] cdf) {
        double u = rnd.nextDouble();
        int i = java.util.Arrays.binarySearch(cdf, u);
        int k = i >= 0 ? i : -i - 1;
        return Math.min(k, cdf.length - 1);
    }

    /** Writes the memory.* values of a scenario's cgroup entry or cgroup_set step, in file order. */
    private void setLimits(org.pagelab.memcg.MemCgroup cg, Map<String, Long> limits) {
        for (Map.Entry<String, Long> e : limits.entrySet()) {
            machine.memcg().set(cg, org.pagelab.memcg.MemoryCgroups.Knob.valueOf(e.getKey().toUpperCase(java.util.Locale.ROOT)),
                    e.getValue());
        }
    }
}
