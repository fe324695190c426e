package org.pagelab.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.pagelab.filemap.OpenFile;
import org.pagelab.machine.Machine;
import org.pagelab.memory.Access;
import org.pagelab.memory.MemoryManager;
import org.pagelab.memory.Process;
import org.pagelab.phys.MemSize;
import org.pagelab.phys.PhysConfig;
import org.pagelab.policy.Policies;
import org.pagelab.stat.VmItem;
import org.pagelab.trace.Replay;
import org.pagelab.trace.ArrayTraceReader;
import org.pagelab.vma.VmFlags;

/**
 * The workloads of {@code pagelab bench}, one method per figure: each boots what it needs, times
 * only the events it names, and returns one {@link Sample}. Data-mode machines keep their files
 * in a fresh subdirectory of the bench's working directory, removed when the machine is.
 */
final class BenchFigures {
    static final int RW = VmFlags.VM_READ | VmFlags.VM_WRITE;
    static final int PAGE = (int) MemSize.PAGE_SIZE;
    /** Where the whole-machine replay maps its trace's pages. */
    private static final long TRACE_BASE = 1L << 32;

    /** One measurement: events done, wall and CPU nanoseconds of the measuring thread. */
    record Sample(long events, long wallNs, long cpuNs) {
    }

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final Path workdir;
    private final int pages;

    /** Figures over {@code pages} pages each, with data-mode files under {@code workdir}. */
    BenchFigures(Path workdir, int pages) {
        this.workdir = workdir;
        this.pages = pages;
    }

    Sample timed(long events, Runnable r) {
        long c0 = threads.getCurrentThreadCpuTime();
        long w0 = System.nanoTime();
        r.run();
        return new Sample(events, System.nanoTime() - w0, threads.getCurrentThreadCpuTime() - c0);
    }

    /** A booted machine and the directory of its files (null in metadata mode), both gone on close. */
    private record Booted(Machine m, Path dir) implements AutoCloseable {
        @Override
        public void close() {
            m.close();
            if (dir != null) {
                Machine.deleteTree(dir);
            }
        }
    }

    /**
     * A machine for one figure, with transparent huge pages off: every figure here is per 4 KiB
     * page, as the native programs' are (they run with the host's setting, which gives them 4 KiB
     * pages unless it is "always"; the 2 MiB case is the scale step's).
     */
    private Booted boot(long bytes, boolean data) throws IOException {
        Booted b;
        if (!data) {
            b = new Booted(Machine.boot(PhysConfig.of(bytes, false), workdir), null);
        } else {
            Path dir = Files.createTempDirectory(workdir, "machine-");
            b = new Booted(Machine.boot(PhysConfig.of(bytes, true), dir), dir);
        }
        b.m().memory().setTransparentHugepage(org.pagelab.memory.TransparentHugepage.NEVER);
        return b;
    }

    private long bytes() {
        return (long) pages * PAGE;
    }

    /** A machine with room for three times the bench's pages: no reclaim in the fault figures. */
    private long roomy() {
        return bytes() * 3 + (64L << 20);
    }

    /** A process with {@code pages} pages of private anonymous memory mapped at the returned address. */
    private long mapAnon(MemoryManager mm, Process p, long pageCount) {
        return mm.mmapAnon(p, 0, pageCount * PAGE, RW, false).orThrow();
    }

    private static void writeEach(MemoryManager mm, Process p, long addr, long from, long to) {
        for (long i = from; i < to; i++) {
            Access a = mm.touch(p, addr + i * PAGE, true);
            if (a != Access.OK) {
                throw new IllegalStateException("bench: write of page " + i + " failed: " + a);
            }
        }
    }

    /** A process and the address of its {@code pages} written anonymous pages. */
    private record Filled(MemoryManager mm, Process p, long addr) {
    }

    private Filled filled(Machine m) {
        MemoryManager mm = m.memory();
        Process p = mm.spawn("bench");
        long a = mapAnon(mm, p, pages);
        writeEach(mm, p, a, 0, pages);
        return new Filled(mm, p, a);
    }

    Sample anonFaults(boolean data) throws IOException {
        try (Booted b = boot(roomy(), data)) {
            MemoryManager mm = b.m().memory();
            Process p = mm.spawn("bench");
            long a = mapAnon(mm, p, pages);
            return timed(pages, () -> writeEach(mm, p, a, 0, pages));
        }
    }

    Sample touches() throws IOException {
        try (Booted b = boot(roomy(), false)) {
            Filled f = filled(b.m());
            MemoryManager mm = f.mm();
            int rounds = 8;
            return timed((long) pages * rounds, () -> {
                for (int r = 0; r < rounds; r++) {
                    for (long off = 0; off < bytes(); off += PAGE) {
                        mm.touch(f.p(), f.addr() + off, false);
                    }
                }
            });
        }
    }

    Sample fork() throws IOException {
        try (Booted b = boot(roomy(), false)) {
            Filled f = filled(b.m());
            return timed(pages, () -> f.mm().fork(f.p()));
        }
    }

    Sample cowFaults() throws IOException {
        try (Booted b = boot(roomy(), true)) {
            Filled f = filled(b.m());
            Process c = f.mm().fork(f.p());
            return timed(pages, () -> writeEach(f.mm(), c, f.addr(), 0, pages));
        }
    }

    /** Read faults of a private read-only mapping of a cached file; the events are the faults counted, not the pages. */
    Sample fileFaults() throws IOException {
        try (Booted b = boot(roomy(), false)) {
            Machine m = b.m();
            OpenFile f = m.vfs().create("bench", bytes()).orThrow();
            m.vfs().readDataless(f, bytes());
            MemoryManager mm = m.memory();
            Process p = mm.spawn("bench");
            long a = mm.mmapFile(p, 0, bytes(), VmFlags.VM_READ, false, false, f, 0).orThrow();
            long faults0 = m.vmstat().get(VmItem.PGFAULT);
            Sample s = timed(pages, () -> {
                for (long off = 0; off < bytes(); off += PAGE) {
                    mm.touch(p, a + off, false);
                }
            });
            return new Sample(m.vmstat().get(VmItem.PGFAULT) - faults0, s.wallNs(), s.cpuNs());
        }
    }

    Sample preads() throws IOException {
        try (Booted b = boot(roomy(), true)) {
            Machine m = b.m();
            OpenFile f = m.vfs().create("bench", bytes()).orThrow();
            byte[] buf = new byte[PAGE];
            Runnable readAll = () -> {
                for (long off = 0; off < bytes(); off += PAGE) {
                    m.vfs().pread(f, off, buf, 0, PAGE);
                }
            };
            readAll.run();
            return timed(pages, readAll);
        }
    }

    /** A machine that holds half the bench's pages, at least 32 MiB: the reclaim figures overflow it. */
    private long tight() {
        return Math.max(32L << 20, bytes() / 2);
    }

    /**
     * Clean file pages reclaimed under memory pressure: a file is read sequentially until the page
     * cache fills the machine, then the next {@code pages} pages are read, timed; each needs a
     * page reclaimed. The events are the pages stolen from the file LRU in the timed part.
     */
    Sample reclaimFile(boolean data) throws IOException {
        try (Booted b = boot(tight(), data)) {
            Machine m = b.m();
            OpenFile f = m.vfs().create("bench", tight() + bytes()).orThrow();
            byte[] buf = new byte[PAGE];
            readFile(m, f, 0, tight(), data, buf);
            long stolen0 = m.vmstat().get(VmItem.PGSTEAL_FILE);
            Sample s = timed(pages, () -> readFile(m, f, tight(), tight() + bytes(), data, buf));
            return new Sample(m.vmstat().get(VmItem.PGSTEAL_FILE) - stolen0, s.wallNs(), s.cpuNs());
        }
    }

    private static void readFile(Machine m, OpenFile f, long from, long to, boolean data, byte[] buf) {
        for (long off = from; off < to; off += PAGE) {
            if (data) {
                m.vfs().pread(f, off, buf, 0, PAGE);
            } else {
                f.seekTo(off);
                m.vfs().readDataless(f, PAGE);
            }
        }
    }

    /**
     * Anonymous pages written to swap under memory pressure: a process writes pages until memory
     * is full, then writes {@code pages} more, timed; each needs a page swapped out. The events
     * are the pages written to swap (pswpout) in the timed part.
     */
    Sample reclaimAnon(boolean data) throws IOException {
        try (Booted b = boot(tight(), data)) {
            Machine m = b.m();
            long fill = tight() / PAGE;
            long total = fill + pages;
            if (m.swap().swapon("swap", total + 1, null) instanceof org.pagelab.swap.SwaponResult.Failed f) {
                throw new IllegalStateException("bench: swapon failed: " + f.reason());
            }
            MemoryManager mm = m.memory();
            Process p = mm.spawn("bench");
            long a = mapAnon(mm, p, total);
            writeEach(mm, p, a, 0, fill);
            long out0 = m.vmstat().get(VmItem.PSWPOUT);
            Sample s = timed(pages, () -> writeEach(mm, p, a, fill, total));
            return new Sample(m.vmstat().get(VmItem.PSWPOUT) - out0, s.wallNs(), s.cpuNs());
        }
    }

    /**
     * Whole-machine replay ({@link Replay}, the kernel's two-list policy) of {@code keys} as one
     * process's page accesses, every other one a write, on a metadata machine with swap for all of
     * them: of {@code capacity} pages (the same stream and capacity as the policy-only figure, so
     * reclaim and swap-ins run), or, with {@code capacity} 0, large enough for every page the
     * stream touches (faults on first touch, no reclaim).
     */
    Sample replay(long[] keys, int capacity) throws IOException {
        long maxKey = 0;
        for (long k : keys) {
            maxKey = Math.max(maxKey, k);
        }
        long bytes = capacity > 0 ? (long) capacity * PAGE : ((maxKey + 1) * 9 / 8) * PAGE + (64L << 20);
        try (Booted b = boot(bytes, false)) {
            Machine m = b.m();
            if (m.swap().swapon("swap", maxKey + 2, null) instanceof org.pagelab.swap.SwaponResult.Failed f) {
                throw new IllegalStateException("bench: swapon failed: " + f.reason());
            }
            Replay r = new Replay(m);
            Replay.Result[] res = new Replay.Result[1];
            Sample s = timed(keys.length, () -> res[0] = r.run(new ArrayTraceReader("bench", TRACE_BASE, keys), null));
            r.close();
            if (res[0].records() != keys.length || res[0].killed() != 0) {
                throw new IllegalStateException("bench: replay ran " + res[0]);
            }
            return s;
        }
    }

    Sample policyOnly(long[] keys, int capacity) {
        var lru = Policies.create("lru", capacity);
        return timed(keys.length, () -> lru.replay(keys, 0, keys.length));
    }

    /** {@code n} page numbers below {@code keys}, skewed towards small ones (u^3 of uniform u), from a fixed seed. */
    static long[] skewedKeys(int n, int keys) {
        SplittableRandom rnd = new SplittableRandom(8);
        long[] t = new long[n];
        for (int i = 0; i < n; i++) {
            double u = rnd.nextDouble();
            t[i] = (long) Math.floor(keys * u * u * u);
        }
        return t;
    }
}
