package org.pagelab.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.pagelab.phys.MemSize;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code pagelab bench}: measures pagelab's own event rates, each the median of several runs in
 * this JVM, wall and CPU time; beside four of them the same events in the host's kernel, timed by
 * native C programs ({@link NativeBench}) built and run in the same bench, with the ratio
 * pagelab/native; then the scale step ({@link BenchScale}) in a child JVM. All host files
 * (data-mode machines, native programs) go to the working directory.
 */
@Command(name = "bench",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        sortOptions = false,
        description = "Measure pagelab's event rates (faults, touches, COW, fork, page-cache reads, reclaim, replay,"
                + " policy replay, metadata bytes per page, scale to large machines) beside native C programs doing the"
                + " same in the host's kernel. Medians of --runs runs; figures, not pass/fail.",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {Main.EXIT_OK_HELP, Main.EXIT_USAGE_HELP, Main.EXIT_INTERNAL_HELP})
final class BenchCommand implements Callable<Integer> {
    /** Capacity in pages of the policy-only and whole-machine replays. */
    static final int REPLAY_CAPACITY = 64 << 10;
    /** Distinct pages of the replayed stream. */
    static final int REPLAY_KEYS = 1 << 20;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "5", description = "Runs per figure (default: ${DEFAULT-VALUE}).")
    private int runs;

    @Option(names = "--pages", paramLabel = "N", defaultValue = "65536",
            description = "Pages each run touches (default: ${DEFAULT-VALUE}, 256 MiB).")
    private int pages;

    @Option(names = "--records", paramLabel = "N", defaultValue = "16000000",
            description = "Records of the policy-only replay; the whole-machine replays run the first quarter of them"
                    + " (all resident) and the first 64th (under memory pressure) (default: ${DEFAULT-VALUE}).")
    private int records;

    @Option(names = "--scale-from", paramLabel = "SIZE", defaultValue = "1G", converter = MemorySizeConverter.class,
            description = "Smallest machine of the scale step (default: ${DEFAULT-VALUE}).")
    private long scaleFrom;

    @Option(names = "--scale-to", paramLabel = "SIZE", defaultValue = "64G", converter = MemorySizeConverter.class,
            description = "Largest machine of the scale step, doubling from --scale-from (default: ${DEFAULT-VALUE}).")
    private long scaleTo;

    @Option(names = "--no-scale", description = "Skip the scale step.")
    private boolean noScale;

    @Option(names = "--no-native", description = "Skip the native reference programs.")
    private boolean noNative;

    @Option(names = "--workdir", paramLabel = "DIR",
            description = "Directory for the bench's host files (data-mode machines, native programs); default: a fresh"
                    + " temporary directory, removed at the end.")
    private Path workdir;

    @Option(names = "--debug", description = "Print the stack trace of an internal error (as PAGELAB_DEBUG=1 does).")
    private boolean debug;

    @picocli.CommandLine.Spec
    private picocli.CommandLine.Model.CommandSpec spec;

    @FunctionalInterface
    private interface Run {
        BenchFigures.Sample run() throws Exception;
    }

    private PrintWriter out;
    private NativeBench natives;

    private void validate() {
        if (runs < 1 || runs > 1000) {
            throw bad("--runs", runs, "must be 1..1000");
        }
        if (pages < 1024 || pages > 1 << 22) {
            throw bad("--pages", pages, "must be 1024..4194304");
        }
        if (records < 1000) {
            throw bad("--records", records, "must be at least 1000");
        }
        long min = 16L << 20;
        if (scaleFrom < min || Long.bitCount(scaleFrom >> 20) != 1 || scaleFrom % (1L << 20) != 0) {
            throw bad("--scale-from", MemSize.format(scaleFrom), "must be a power of two of at least 16M");
        }
        if (scaleTo < scaleFrom || scaleTo > 1L << 40 || scaleTo % scaleFrom != 0 || Long.bitCount(scaleTo / scaleFrom) != 1) {
            throw bad("--scale-to", MemSize.format(scaleTo), "must be --scale-from times a power of two, up to 1T");
        }
    }

    private ParameterException bad(String option, Object value, String why) {
        return new ParameterException(spec.commandLine(), "invalid value '" + value + "' for " + option + ": " + why);
    }

    @Override
    public Integer call() throws Exception {
        validate();
        out = spec.commandLine().getOut();
        Workdir wd;
        try {
            wd = workdir == null ? Workdir.temporary(false) : Workdir.given(workdir);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e, spec.findOption("--workdir"), workdir.toString());
        }
        try (wd) {
            run(wd.path());
        }
        return 0;
    }

    private void run(Path dir) throws Exception {
        out.printf(Locale.ROOT, "# pagelab bench: %d runs per figure (median), %d pages per run, %d CPUs, Java %s, %s%n", runs,
                pages, Runtime.getRuntime().availableProcessors(), Runtime.version(), cpuModel());
        natives = noNative ? null : NativeBench.build(dir.resolve("native"));
        if (noNative) {
            out.println("# native column: skipped (--no-native)");
        } else if (natives.unavailable() != null) {
            out.println("# native column: unavailable: " + natives.unavailable());
        } else {
            out.println("# native column: the same events in this host's kernel (gcc -O2 programs), rate and CPU ns;"
                    + " ratio = pagelab/native");
        }
        out.flush();
        BenchFigures f = new BenchFigures(dir, pages);
        figure("anon write faults (data, frames zeroed)", "faults/s", () -> f.anonFaults(true), "anon_fault");
        figure("anon write faults (metadata)", "faults/s", () -> f.anonFaults(false), "anon_fault");
        figure("touches hitting a present PTE", "touches/s", f::touches, null);
        figure("fork, per mapped page", "pages/s", f::fork, null);
        figure("COW write faults after fork (data)", "faults/s", f::cowFaults, "cow_fault");
        figure("file read faults, cached, fault-around", "faults/s", f::fileFaults, "file_fault");
        figure("page-cache 4 KiB preads (cached, data)", "reads/s", f::preads, "pread");
        figure("reclaim: clean file pages dropped (metadata)", "pages/s", () -> f.reclaimFile(false), null);
        figure("reclaim: clean file pages dropped (data)", "pages/s", () -> f.reclaimFile(true), null);
        figure("reclaim: anon pages to swap (metadata)", "pages/s", () -> f.reclaimAnon(false), null);
        figure("reclaim: anon pages to swap (data)", "pages/s", () -> f.reclaimAnon(true), null);
        long[] keys = BenchFigures.skewedKeys(records, REPLAY_KEYS);
        long[] quarter = Arrays.copyOf(keys, records / 4);
        long[] sixtyFourth = Arrays.copyOf(keys, records / 64);
        figure("whole-machine replay, twolist, all resident", "records/s", () -> f.replay(quarter, 0), null);
        figure("whole-machine replay, twolist, 256 MiB + swap", "records/s", () -> f.replay(sixtyFourth, REPLAY_CAPACITY), null);
        figure("policy-only LRU replay, 64 Ki pages", "records/s", () -> f.policyOnly(keys, REPLAY_CAPACITY), null);
        if (noScale) {
            out.println("# scale: skipped (--no-scale)");
        } else {
            out.printf(Locale.ROOT, "# scale: metadata machines %s to %s, each filled by one process writing every free page;"
                    + " child JVM %s%n", MemSize.format(scaleFrom), MemSize.format(scaleTo), BenchScale.HEAP);
            out.flush();
            BenchScale.runChild(out, scaleFrom, scaleTo);
        }
        out.flush();
    }

    /**
     * Prints one figure: the median of {@link #runs} runs of {@code run} after a warm-up, and beside
     * it, when {@code nativeProgram} is given and the programs are built, the median of as many
     * runs of that program, interleaved with pagelab's, with the ratios pagelab/native.
     */
    private void figure(String name, String unit, Run run, String nativeProgram) throws Exception {
        boolean withNative = nativeProgram != null && natives != null && natives.unavailable() == null;
        run.run();
        if (withNative) {
            natives.run(nativeProgram, pages);
        }
        double[] rate = new double[runs];
        double[] cpu = new double[runs];
        double[] nRate = new double[runs];
        double[] nCpu = new double[runs];
        for (int i = 0; i < runs; i++) {
            BenchFigures.Sample s = run.run();
            rate[i] = s.events() * 1e9 / Math.max(1, s.wallNs());
            cpu[i] = s.cpuNs() / (double) Math.max(1, s.events());
            if (withNative) {
                NativeBench.Result r = natives.run(nativeProgram, pages);
                nRate[i] = r.events() * 1e9 / Math.max(1, r.wallNs());
                nCpu[i] = r.cpuNs() / (double) Math.max(1, r.events());
            }
        }
        double mRate = median(rate);
        double mCpu = median(cpu);
        String line = String.format(Locale.ROOT, "%-50s %12.0f %-10s %9.1f ns CPU/event", name, mRate, unit, mCpu);
        if (withNative) {
            double nr = median(nRate);
            double nc = median(nCpu);
            line += String.format(Locale.ROOT, " | native %10.0f %-9s %9.1f ns CPU | ratio rate %.2fx CPU %.2fx", nr, unit, nc,
                    mRate / nr, mCpu / nc);
        } else if (nativeProgram != null) {
            line += " | native -";
        }
        out.println(line);
        out.flush();
    }

    private static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** The host's CPU model from /proc/cpuinfo, or "CPU model unknown". */
    private static String cpuModel() {
        try {
            for (String l : java.nio.file.Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (l.startsWith("model name")) {
                    return l.substring(l.indexOf(':') + 1).strip();
                }
            }
        } catch (IOException | RuntimeException e) {
            return "CPU model unknown";
        }
        return "CPU model unknown";
    }
}
