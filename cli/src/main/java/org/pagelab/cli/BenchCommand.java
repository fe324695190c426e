package org.pagelab.cli;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.pagelab.filemap.OpenFile;
import org.pagelab.machine.Machine;
import org.pagelab.memory.MemoryManager;
import org.pagelab.memory.Process;
import org.pagelab.phys.MemSize;
import org.pagelab.phys.PhysConfig;
import org.pagelab.policy.Policies;
import org.pagelab.vma.VmFlags;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pagelab bench}: measures pagelab's own event rates, each the median of several runs in
 * this JVM, wall and CPU time. The native references of the performance issue (C programs run
 * beside it) are not part of it yet, so no ratio is printed.
 */
@Command(name = "bench",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = "Measure pagelab's event rates: faults, touches, COW, fork, page-cache reads, policy replay,"
                + " metadata bytes per page. Medians of --runs runs; figures, not pass/fail.",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {Main.EXIT_OK_HELP, Main.EXIT_USAGE_HELP, Main.EXIT_INTERNAL_HELP})
final class BenchCommand implements Callable<Integer> {
    private static final int RW = VmFlags.VM_READ | VmFlags.VM_WRITE;
    private static final int PAGE = (int) MemSize.PAGE_SIZE;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "5", description = "Runs per figure (default: ${DEFAULT-VALUE}).")
    private int runs;

    @Option(names = "--pages", paramLabel = "N", defaultValue = "65536",
            description = "Pages each run touches (default: ${DEFAULT-VALUE}, 256 MiB).")
    private int pages;

    @Option(names = "--records", paramLabel = "N", defaultValue = "16000000",
            description = "Records of the policy-only replay (default: ${DEFAULT-VALUE}).")
    private int records;

    @Option(names = "--debug", description = "Print the stack trace of an internal error (as PAGELAB_DEBUG=1 does).")
    private boolean debug;

    @picocli.CommandLine.Spec
    private picocli.CommandLine.Model.CommandSpec spec;

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    /** One measurement: events done, wall and CPU nanoseconds. */
    private record Sample(long events, long wallNs, long cpuNs) {
    }

    @FunctionalInterface
    private interface Run {
        Sample run() throws Exception;
    }

    private Sample timed(long events, Runnable r) {
        long c0 = threads.getCurrentThreadCpuTime();
        long w0 = System.nanoTime();
        r.run();
        return new Sample(events, System.nanoTime() - w0, threads.getCurrentThreadCpuTime() - c0);
    }

    private void figure(PrintWriter out, String name, String unit, Run run) throws Exception {
        run.run(); // warm-up
        double[] perSec = new double[runs];
        double[] cpuNs = new double[runs];
        for (int i = 0; i < runs; i++) {
            Sample s = run.run();
            perSec[i] = s.events() * 1e9 / Math.max(1, s.wallNs());
            cpuNs[i] = s.cpuNs() / (double) Math.max(1, s.events());
        }
        Arrays.sort(perSec);
        Arrays.sort(cpuNs);
        out.printf(Locale.ROOT, "%-44s %14.0f %-10s %10.1f ns CPU/event%n", name, perSec[runs / 2], unit, cpuNs[runs / 2]);
        out.flush();
    }

    private static Machine boot(long bytes, boolean data) {
        return data ? Machine.boot(PhysConfig.of(bytes, true)) : Machine.boot(PhysConfig.of(bytes, false));
    }

    @Override
    public Integer call() throws Exception {
        if (runs < 1 || pages < 1024 || records < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--runs and --records must be >= 1 and --pages >= 1024");
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "# pagelab bench: %d runs per figure (median), %d pages per run, %d CPUs, Java %s%n", runs, pages,
                Runtime.getRuntime().availableProcessors(), Runtime.version());
        long mem = (long) pages * PAGE * 3 + (64L << 20);
        for (boolean data : new boolean[] {true, false}) {
            String mode = data ? "data, frames zeroed" : "metadata";
            figure(out, "anon write faults (" + mode + ")", "faults/s", () -> {
                try (Machine m = boot(mem, data)) {
                    MemoryManager mm = m.memory();
                    Process p = mm.spawn("bench");
                    long a = mm.mmapAnon(p, 0, (long) pages * PAGE, RW, false).orThrow();
                    return timed(pages, () -> {
                        for (long off = 0; off < (long) pages * PAGE; off += PAGE) {
                            mm.touch(p, a + off, true);
                        }
                    });
                }
            });
        }
        figure(out, "touches hitting a present PTE", "touches/s", () -> {
            try (Machine m = boot(mem, false)) {
                MemoryManager mm = m.memory();
                Process p = mm.spawn("bench");
                long a = mm.mmapAnon(p, 0, (long) pages * PAGE, RW, false).orThrow();
                for (long off = 0; off < (long) pages * PAGE; off += PAGE) {
                    mm.touch(p, a + off, true);
                }
                int rounds = 8;
                return timed((long) pages * rounds, () -> {
                    for (int r = 0; r < rounds; r++) {
                        for (long off = 0; off < (long) pages * PAGE; off += PAGE) {
                            mm.touch(p, a + off, false);
                        }
                    }
                });
            }
        });
        figure(out, "fork, per mapped page", "pages/s", () -> {
            try (Machine m = boot(mem, false)) {
                MemoryManager mm = m.memory();
                Process p = mm.spawn("bench");
                long a = mm.mmapAnon(p, 0, (long) pages * PAGE, RW, false).orThrow();
                for (long off = 0; off < (long) pages * PAGE; off += PAGE) {
                    mm.touch(p, a + off, true);
                }
                return timed(pages, () -> mm.fork(p));
            }
        });
        figure(out, "COW write faults after fork (data)", "faults/s", () -> {
            try (Machine m = boot(mem, true)) {
                MemoryManager mm = m.memory();
                Process p = mm.spawn("bench");
                long a = mm.mmapAnon(p, 0, (long) pages * PAGE, RW, false).orThrow();
                for (long off = 0; off < (long) pages * PAGE; off += PAGE) {
                    mm.touch(p, a + off, true);
                }
                Process c = mm.fork(p);
                return timed(pages, () -> {
                    for (long off = 0; off < (long) pages * PAGE; off += PAGE) {
                        mm.touch(c, a + off, true);
                    }
                });
            }
        });
        figure(out, "file read faults, cached (each maps 16 pages)", "faults/s", () -> {
            try (Machine m = boot(mem, false)) {
                OpenFile f = m.vfs().create("bench", (long) pages * PAGE).orThrow();
                m.vfs().readDataless(f, (long) pages * PAGE);
                MemoryManager mm = m.memory();
                Process p = mm.spawn("bench");
                long a = mm.mmapFile(p, 0, (long) pages * PAGE, VmFlags.VM_READ, false, false, f, 0).orThrow();
                long faults0 = m.vmstat().get(org.pagelab.stat.VmItem.PGFAULT);
                Sample s = timed(pages, () -> {
                    for (long off = 0; off < (long) pages * PAGE; off += PAGE) {
                        mm.touch(p, a + off, false);
                    }
                });
                long faults = m.vmstat().get(org.pagelab.stat.VmItem.PGFAULT) - faults0;
                return new Sample(faults, s.wallNs(), s.cpuNs());
            }
        });
        figure(out, "page-cache 4 KiB preads (cached, data)", "reads/s", () -> {
            try (Machine m = boot(mem, true)) {
                OpenFile f = m.vfs().create("bench", (long) pages * PAGE).orThrow();
                byte[] buf = new byte[PAGE];
                for (long off = 0; off < (long) pages * PAGE; off += PAGE) {
                    m.vfs().pread(f, off, buf, 0, PAGE);
                }
                return timed(pages, () -> {
                    for (long off = 0; off < (long) pages * PAGE; off += PAGE) {
                        m.vfs().pread(f, off, buf, 0, PAGE);
                    }
                });
            }
        });
        long[] trace = zipfLike(records, 1 << 20);
        figure(out, "policy-only LRU replay, 64 Ki pages", "records/s", () -> {
            var lru = Policies.create("lru", 64 << 10);
            return timed(trace.length, () -> lru.replay(trace, 0, trace.length));
        });
        metadataBytes(out);
        return 0;
    }

    /** Heap bytes per resident order-0 anon page in metadata mode (descriptors, memmap, page tables, LRU). */
    private void metadataBytes(PrintWriter out) {
        int n = Math.max(pages, 1 << 18);
        long mem = (long) n * PAGE * 2 + (64L << 20);
        Runtime rt = Runtime.getRuntime();
        try (Machine m = boot(mem, false)) {
            MemoryManager mm = m.memory();
            Process p = mm.spawn("bench");
            long a = mm.mmapAnon(p, 0, (long) n * PAGE, RW, false).orThrow();
            long before = usedHeap(rt);
            for (long off = 0; off < (long) n * PAGE; off += PAGE) {
                mm.touch(p, a + off, true);
            }
            long after = usedHeap(rt);
            out.printf(Locale.ROOT, "%-44s %14.1f %-10s (%d resident pages)%n", "metadata per resident order-0 page",
                    (after - before) / (double) n, "bytes", n);
            if (p.rssAnon() != n) {
                throw new IllegalStateException("bench: expected " + n + " resident pages, got " + p.rssAnon());
            }
        }
    }

    private static long usedHeap(Runtime rt) {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    private static long[] zipfLike(int n, int keys) {
        SplittableRandom rnd = new SplittableRandom(8);
        long[] t = new long[n];
        for (int i = 0; i < n; i++) {
            double u = rnd.nextDouble();
            t[i] = (long) Math.floor(keys * Math.pow(u, 3)); // skewed towards small keys
        }
        return t;
    }
}
