package org.pagelab.scenario;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.pagelab.filemap.IoResult;
import org.pagelab.filemap.OpenFile;
import org.pagelab.filemap.OpenResult;
import org.pagelab.filemap.Vfs;
import org.pagelab.machine.Machine;
import org.pagelab.sim.CpuEvent;
import org.pagelab.sim.Sim;
import org.pagelab.sim.SimTask;
import org.pagelab.memory.Access;
import org.pagelab.memory.MemoryManager;
import org.pagelab.memory.Process;
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

    private record Region(long addr, long len) {
    }

    /** A list of steps being run: a process's own, or the body of a repeat with the rounds left after this one. */
    private static final class Frame {
        final List<Step> steps;
        int pc;
        long roundsLeft;

        Frame(List<Step> steps, long roundsLeft) {
            this.steps = steps;
            this.roundsLeft = roundsLeft;
        }
    }

    private static final class Proc {
        final String name;
        final Process process;
        final Map<String, Region> regions;
        /** The lists being run, innermost last; the first is the process's own. */
        final java.util.ArrayDeque<Frame> frames = new java.util.ArrayDeque<>();

        Proc(String name, Process process, List<Step> steps, Map<String, Region> regions) {
            this.name = name;
            this.process = process;
            this.regions = regions;
            frames.addLast(new Frame(steps, 0));
        }

        /** 1-based index, in the process's own list, of the step last taken (the repeat a nested step is in). */
        int topIndex() {
            return frames.peekFirst().pc;
        }

        /**
         * Settles the frames on the next step to run, entering repeats and starting their next
         * rounds; null when the process has no step left.
         */
        Step peek() {
            for (;;) {
                Frame f = frames.peekLast();
                if (f == null) {
                    return null;
                }
                if (f.pc < f.steps.size()) {
                    Step st = f.steps.get(f.pc);
                    if (!st.kind().equals("repeat")) {
                        return st;
                    }
                    f.pc++;
                    if (st.count() > 0 && !st.children().isEmpty()) {
                        frames.addLast(new Frame(st.children(), st.count() - 1));
                    }
                } else if (f.roundsLeft > 0) {
                    f.roundsLeft--;
                    f.pc = 0;
                } else if (frames.size() > 1) {
                    frames.removeLast();
                } else {
                    return null;
                }
            }
        }

        /** Takes the step {@link #peek} settled on. */
        Step take() {
            Step st = peek();
            frames.peekLast().pc++;
            return st;
        }

        boolean runnable() {
            return process.alive() && peek() != null;
        }
    }

    /** Thrown inside a step to fail the run. */
    private static final class StepFailed extends RuntimeException {
        StepFailed(String message) {
            super(message, null, false, false);
        }
    }

    private final Machine machine;
    private final MemoryManager mm;
    private final Vfs vfs;
    private final boolean data;
    private final SplittableRandom rnd;
    private final Map<String, OpenFile> open = new LinkedHashMap<>();
    /** Files an unlink step removed. */
    private final java.util.Set<String> unlinked = new java.util.HashSet<>();
    /** Pins held, by "pid/region", in the order taken. */
    private final Map<String, List<org.pagelab.gup.Gup.Held>> pins = new LinkedHashMap<>();
    /** The scenario's file name, for errors of input found only while running (a step's default count). */
    private String source;

    private final java.util.function.Consumer<Mark> marks;
    private boolean forkMayFail;

    private ScenarioRunner(Machine machine, long seed, java.util.function.Consumer<Mark> marks) {
        this.marks = marks;
        this.machine = machine;
        this.mm = machine.memory();
        this.vfs = machine.vfs();
        this.data = machine.config().dataMode();
        this.rnd = new SplittableRandom(seed);
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
        return run(machine, s, seed, marks, started, false);
    }

    /**
     * Runs {@code s} as {@link #run(Machine, Scenario, long, java.util.function.Consumer, Map)}
     * does; with {@code forkMayFail}, a fork that fails for lack of memory is what fork(2)
     * returning ENOMEM is to a program that copes with it: the parent goes on and the child's
     * steps never run (the soak's generated workloads, which cannot know in advance when memory
     * runs out, run this way). Without it such a fork fails the run.
     */
    public static Failure run(Machine machine, Scenario s, long seed, java.util.function.Consumer<Mark> marks,
                              Map<String, Integer> started, boolean forkMayFail) {
        ScenarioChecks.forMode(s, machine.config().dataMode());
        ScenarioRunner r = new ScenarioRunner(machine, seed, marks);
        r.forkMayFail = forkMayFail;
        try {
            return r.run(s);
        } finally {
            r.byName.forEach((name, p) -> started.put(name, p.topIndex()));
        }
    }

    private final Map<String, Proc> byName = new LinkedHashMap<>();

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
                var r = machine.swap().swapon(name, a.bytes() / 4096, a.priority());
                if (r instanceof org.pagelab.swap.SwaponResult.Failed f) {
                    throw new ScenarioException(s.source(), a.line(), "machine.swap: cannot set up swap area '" + name
                            + "' of " + MemSize.format(a.bytes()) + ": " + f.reason());
                }
            }
        }
    }

    private Failure run(Scenario s) {
        source = s.source();
        tune(s);
        for (Scenario.CgroupSpec c : s.cgroups()) {
            var cg = machine.memcg().create(c.path());
            setLimits(cg, c.limits());
        }
        try {
            for (Scenario.FileSpec f : s.files()) {
                OpenResult r = f.memfd() ? vfs.memfdCreate(f.name()) : vfs.create(f.name(), f.size());
                if (r instanceof OpenResult.OpenFailed failed) {
                    throw new ScenarioException(s.source(), f.line(), "cannot create file '"
                            + org.pagelab.input.Escape.quote(f.name()) + "': " + failed.describe());
                }
                OpenFile of = r.orThrow();
                if (f.memfd()) {
                    vfs.truncate(of, f.size()).orThrow();
                }
                open.put(f.name(), of);
            }
            Map<SimTask, Proc> byTask = new HashMap<>();
            for (Scenario.ProcessSpec ps : s.processes()) {
                Process p = mm.spawn(ps.name());
                if (p == null) {
                    return new Failure(ps.name(), 0, "spawn", "out of memory");
                }
                p.setOomScoreAdj(ps.oomScoreAdj());
                if (ps.cgroup() != null) {
                    machine.memcg().attach(p, ps.cgroup());
                }
                Proc proc = new Proc(ps.name(), p, ps.steps(), new HashMap<>());
                byTask.put(machine.taskOf(p), proc);
                byName.put(ps.name(), proc);
            }
            Sim sim = machine.sim();
            for (SimTask t; (t = sim.next()) != null; ) {
                if (machine.kernelThread(t)) {
                    machine.runTaskStep(t);
                    continue;
                }
                Proc p = byTask.get(t);
                if (p == null || !p.runnable()) {
                    sim.exit();
                    sim.endStep();
                    continue;
                }
                Step st = p.take();
                sim.cpu(CpuEvent.SYSCALL);
                try {
                    Proc child = step(p, st);
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
                if (!p.runnable()) {
                    sim.exit();
                }
                sim.endStep();
                machine.afterStep();
            }
            sim.drainTimers(); // what is still in flight completes: writes end, their folios rotate
            return null;
        } finally {
            for (List<org.pagelab.gup.Gup.Held> held : pins.values()) {
                machine.gup().unpin(held); // the end of the run releases what is still pinned
            }
            pins.clear();
            for (OpenFile f : open.values()) {
                if (!f.isClosed()) {
                    vfs.close(f);
                }
            }
        }
    }

    private Region region(Proc p, Step st) {
        Region r = p.regions.get(st.region());
        if (r == null) {
            throw new StepFailed("region '" + st.region() + "' is not mapped");
        }
        return r;
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

    private static int ioLength(Step st) {
        long n = st.length();
        if (n > Integer.MAX_VALUE - 8) {
            throw new StepFailed("length " + n + " is too large for one step");
        }
        return (int) n;
    }

    private static void mapOk(MapResult r, String what) {
        if (r instanceof MapResult.MapFailed f) {
            throw new StepFailed(what + " failed: " + f.errno());
        }
    }

    private static void ioOk(IoResult r, String what) {
        if (r instanceof IoResult.Failed f) {
            throw new StepFailed(what + " failed: " + f.errno());
        }
    }

    private Proc step(Proc p, Step st) {
        Process proc = p.process;
        switch (st.kind()) {
            case "mmap" -> {
                long len = (st.size() + PAGE - 1) / PAGE * PAGE;
                MapResult r;
                if (st.file() == null) {
                    r = mm.mmapAnon(proc, 0, len, st.prot(), Boolean.TRUE.equals(st.shared()), false);
                } else {
                    long off = st.offset() == null ? 0 : st.offset();
                    r = mm.mmapFile(proc, 0, len, st.prot(), Boolean.TRUE.equals(st.shared()), false,
                            openFile(st.file()), off);
                }
                mapOk(r, "mmap");
                p.regions.put(st.name(), new Region(r.orThrow(), len));
            }
            case "write" -> {
                Region r = region(p, st);
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
                Region r = region(p, st);
                long[] or = range(st, r.len());
                if (data) {
                    mm.read(proc, r.addr() + or[0], new byte[(int) or[1]], 0, (int) or[1]);
                } else {
                    touchRange(proc, r.addr() + or[0], or[1], false);
                }
            }
            case "expect" -> {
                Region r = region(p, st);
                long[] or = range(st, r.len());
                int want = st.equals();
                java.util.Arrays.fill(expected, (byte) want);
                for (long done = 0; done < or[1]; done += EXPECT_CHUNK) {
                    int n = (int) Math.min(EXPECT_CHUNK, or[1] - done);
                    Access a = mm.read(proc, r.addr() + or[0] + done, readBack, 0, n);
                    if (a != Access.OK) {
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
                Region r = region(p, st);
                long[] or = range(st, r.len());
                long base = r.addr() + or[0];
                if (or[1] == 0) {
                    return null;
                }
                long pages = (or[1] + PAGE - 1) / PAGE;
                long count = st.count() == null ? withinEventLimit(st, pages) : st.count();
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
                Region r = pages(region(p, st), st);
                mapOk(mm.mprotect(proc, r.addr(), r.len(), st.prot()), "mprotect");
            }
            case "madvise" -> {
                Region r = pages(region(p, st), st);
                MapResult res = switch (st.advice()) {
                    case "cold" -> mm.madviseColdOrPageout(proc, r.addr(), r.len(), false);
                    case "pageout" -> mm.madviseColdOrPageout(proc, r.addr(), r.len(), true);
                    case "hugepage" -> mm.madviseHugepage(proc, r.addr(), r.len(), true);
                    case "nohugepage" -> mm.madviseHugepage(proc, r.addr(), r.len(), false);
                    default -> mm.madviseDontneed(proc, r.addr(), r.len());
                };
                mapOk(res, "madvise");
            }
            case "munmap" -> {
                Region whole = region(p, st);
                Region r = pages(whole, st);
                mapOk(mm.munmap(proc, r.addr(), r.len()), "munmap");
                if (r.equals(whole)) {
                    p.regions.remove(st.region()); // a part leaves the name to the rest, holes included
                }
            }
            case "sleep" -> machine.sim().sleepFor(st.timeNs());
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
            case "pin" -> {
                Region r = region(p, st);
                long off = st.offset() == null ? 0 : st.offset();
                long len = st.length() == null ? r.len() - off : st.length();
                if (off < 0 || len <= 0 || off + len > r.len()) {
                    throw new StepFailed("range " + off + "+" + len + " is outside region '" + st.region() + "' of "
                            + r.len() + " bytes");
                }
                long first = (r.addr() + off) & -PAGE;
                int nr = (int) withinEventLimit(st, (r.addr() + off + len - first + PAGE - 1) / PAGE);
                boolean write = Boolean.TRUE.equals(st.write());
                org.pagelab.gup.Gup.Result res = Boolean.TRUE.equals(st.longterm())
                        ? machine.gup().pinLongterm(proc, first, nr, write, org.pagelab.gup.PageVisitor.NONE)
                        : machine.gup().pin(proc, first, nr, write, org.pagelab.gup.PageVisitor.NONE);
                switch (res) {
                    case org.pagelab.gup.Gup.Got got -> pins.computeIfAbsent(proc.pid() + "/" + st.region(),
                            k -> new ArrayList<>()).addAll(got.pages());
                    case org.pagelab.gup.Gup.Failed f -> throw new StepFailed("pin failed with " + f.errno() + " at 0x"
                            + Long.toHexString(f.addr()));
                }
            }
            case "unpin" -> {
                List<org.pagelab.gup.Gup.Held> held = pins.remove(proc.pid() + "/" + st.region());
                if (held == null) {
                    throw new StepFailed("region '" + st.region() + "' has no pins to release");
                }
                machine.gup().unpin(held);
            }
            case "poison" -> {
                Region r = region(p, st);
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
                    // child: the process is gone, as any killed process is, its steps with it
                    return p;
                }
                if (child == null && forkMayFail) {
                    machine.memory().logEvent("fork of '" + st.name() + "' by pid " + proc.pid() + " ("
                            + proc.name() + ") failed: ENOMEM; its steps do not run");
                    return p;
                }
                if (child == null) {
                    throw new StepFailed("fork failed for lack of memory");
                }
                return new Proc(st.name(), child, st.children(), new HashMap<>(p.regions));
            }
            case "file_write" -> {
                OpenFile f = openFile(st.file());
                long off = st.offset() == null ? 0 : st.offset();
                int len = ioLength(st);
                if (data) {
                    byte[] buf = new byte[len];
                    java.util.Arrays.fill(buf, (byte) (int) st.fill());
                    ioOk(vfs.pwrite(f, off, buf, 0, len), "file_write");
                } else {
                    f.seekTo(off);
                    ioOk(vfs.writeDataless(f, len), "file_write");
                }
            }
            case "file_read" -> {
                OpenFile f = openFile(st.file());
                long off = st.offset() == null ? 0 : st.offset();
                int len = ioLength(st);
                if (data) {
                    ioOk(vfs.pread(f, off, new byte[len], 0, len), "file_read");
                } else {
                    f.seekTo(off);
                    ioOk(vfs.readDataless(f, len), "file_read");
                }
            }
            case "fsync" -> ioOk(vfs.fsync(openFile(st.file())), "fsync");
            case "sync" -> vfs.sync();
            case "close" -> {
                OpenFile f = open.get(st.file());
                if (f == null || f.isClosed()) {
                    throw new StepFailed("file '" + st.file() + "' is not open");
                }
                ioOk(vfs.close(f), "close");
            }
            case "unlink" -> {
                ioOk(vfs.unlink(st.file()), "unlink");
                unlinked.add(st.file());
            }
            case "drop_caches" -> new org.pagelab.filemap.DropCaches(vfs, machine.vmstat()).drop((int) (long) st.count());
            case "mark" -> marks.accept(new Mark(st.name(), machine.sim().now(), p.name,
                    org.pagelab.proc.CounterSnapshot.of(machine)));
            case "exit" -> mm.exit(proc);
            default -> throw new IllegalStateException("unknown step kind " + st.kind());
        }
        return null;
    }

    /**
     * {@code pages}, the touches a step's range stands for when the file gives no count, when it is
     * within {@link org.pagelab.input.Limits#MAX_EVENTS}; bad input naming the step's line otherwise.
     */
    private long withinEventLimit(Step st, long pages) {
        if (pages > org.pagelab.input.Limits.MAX_EVENTS) {
            throw new ScenarioException(source, st.line(), st.kind() + " of region '" + st.region() + "' spans " + pages
                    + " pages, too many for one step: at most " + org.pagelab.input.Limits.MAX_EVENTS
                    + " (give a count or a length)");
        }
        return pages;
    }

    /**
     * The scenario's open file {@code name}, opened again (open(2)) when a close step closed it;
     * a step on a file an unlink step removed fails.
     */
    private OpenFile openFile(String name) {
        if (unlinked.contains(name)) {
            throw new StepFailed("file '" + name + "' was unlinked");
        }
        OpenFile f = open.get(name);
        if (f.isClosed()) {
            var r = vfs.open(name);
            if (r instanceof org.pagelab.filemap.OpenResult.OpenFailed failed) {
                throw new StepFailed("open of '" + name + "' failed: " + failed.errno());
            }
            f = r.orThrow();
            open.put(name, f);
        }
        return f;
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
