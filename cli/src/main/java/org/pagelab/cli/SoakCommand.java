package org.pagelab.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.pagelab.machine.Machine;
import org.pagelab.scenario.Scenario;
import org.pagelab.scenario.ScenarioWriter;
import org.pagelab.soak.Soak;
import org.pagelab.soak.SoakReducer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code pagelab soak}: random valid workloads, generated in-process from a seed, run with every
 * invariant checker at intervals and every predictable byte checked; on a failure the scenario is
 * reduced and written as a file {@code pagelab run} replays.
 */
@Command(name = "soak",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = {"Run random workloads (processes, fork, shared and private memory, files, shmem, memory cgroups,"
                + " swap pressure, pins, memory-failure), checking every invariant and every byte the model predicts.",
            "On a failure the scenario is reduced to a small one that fails the same way and written to the working"
                + " directory as soak-SEED.yaml, which 'pagelab run' replays."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {Main.EXIT_OK_HELP, " 1:a seed failed (its reduced scenario is written)", Main.EXIT_USAGE_HELP,
            Main.EXIT_INTERNAL_HELP})
final class SoakCommand implements Callable<Integer> {
    /** Steps one seed may have: the generated scenario is held in memory. */
    static final long MAX_OPS = 5_000_000;

    @Spec
    private CommandSpec spec;

    @Option(names = "--ops", paramLabel = "N", defaultValue = "100000",
            description = "Steps per seed, all processes together (default ${DEFAULT-VALUE}, at most 5000000).")
    private long ops;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "The first seed (default ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--seeds", paramLabel = "K", defaultValue = "1",
            description = "How many seeds to run: S, S+1, ..., S+K-1 (default ${DEFAULT-VALUE}).")
    private int seeds;

    @Option(names = "--check-every", paramLabel = "K", defaultValue = "1000",
            description = "Run every invariant checker after each K steps (default ${DEFAULT-VALUE}; 0: only at the end).")
    private int checkEvery;

    @Option(names = "--reduce-time", paramLabel = "SECONDS", defaultValue = "120",
            description = "Time the reducer may spend on a failure (default ${DEFAULT-VALUE} s; 0: write the whole scenario).")
    private int reduceSeconds;

    @Option(names = "--keep-going", description = "Run the remaining seeds after a failure.")
    private boolean keepGoing;

    @Option(names = "--workdir", paramLabel = "DIR",
            description = "Where runs keep their files and failures their reproducers (default: a fresh temporary"
                    + " directory, kept only when a seed fails).")
    private Path workdir;

    @Option(names = "--debug", description = "Print the stack trace of an internal error, and of a seed's crash or broken invariant (as PAGELAB_DEBUG=1 does).")
    private boolean debug;

    @Override
    public Integer call() throws IOException {
        if (ops < 1 || ops > MAX_OPS) {
            throw new ParameterException(spec.commandLine(), "--ops " + ops + " is out of range 1.." + MAX_OPS
                    + " (for more steps, run more seeds with --seeds)");
        }
        if (seeds < 1) {
            throw new ParameterException(spec.commandLine(), "--seeds " + seeds + " must be at least 1");
        }
        if (checkEvery < 0) {
            throw new ParameterException(spec.commandLine(), "--check-every " + checkEvery + " must be 0 or more");
        }
        if (reduceSeconds < 0) {
            throw new ParameterException(spec.commandLine(), "--reduce-time " + reduceSeconds + " must be 0 or more");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean temporary = workdir == null;
        Path dir;
        try {
            dir = temporary ? Files.createTempDirectory("pagelab-soak-") : Files.createDirectories(workdir);
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "cannot use working directory '" + workdir + "': " + e.getMessage());
        }
        long totalSteps = 0;
        long totalRun = 0;
        long totalExpects = 0;
        int failures = 0;
        long t0 = System.nanoTime();
        try {
            for (long s = seed; s < seed + seeds; s++) {
                Scenario sc = Soak.generate(s, ops);
                Progress progress = Progress.onTerminal(err, "steps");
                long start = System.nanoTime();
                Path run = Soak.freshDir(dir, "seed-" + s);
                Soak.Result r = Soak.run(sc, run, checkEvery, progress::update);
                progress.done();
                Machine.deleteTree(run);
                totalSteps += r.steps();
                totalRun += r.stepsRun();
                totalExpects += r.expects();
                out.printf(Locale.ROOT, "seed %d: %,d steps (%,d run, %,d expects), %.1f s; %s: %s%n", s, r.steps(),
                        r.stepsRun(), r.expects(), (System.nanoTime() - start) / 1e9, counters(r),
                        r.passed() ? "ok" : "FAILED");
                out.flush();
                if (!r.passed()) {
                    failures++;
                    out.println("  " + r.failure());
                    if (r.failure().cause() != null && (debug || System.getenv("PAGELAB_DEBUG") != null)) {
                        out.flush();
                        r.failure().cause().printStackTrace(err);
                        err.flush();
                    }
                    Path file = reproduce(sc, r, dir);
                    out.println("  reproducer: " + file + " (" + replayHint(file, Files.size(file), s, ops, checkEvery) + ")");
                    out.flush();
                    if (!keepGoing) {
                        break;
                    }
                }
            }
        } finally {
            if (temporary && failures == 0) {
                Machine.deleteTree(dir);
            }
        }
        out.printf(Locale.ROOT, "soak: %d seed%s from %d, %,d steps (%,d run, %,d expects), %d failed, %.1f s%n",
                seeds, seeds == 1 ? "" : "s", seed, totalSteps, totalRun, totalExpects, failures,
                (System.nanoTime() - t0) / 1e9);
        out.flush();
        return failures == 0 ? 0 : Main.EXIT_EXPECT;
    }

    /**
     * How to replay a failure: 'pagelab run FILE' when the reproducer is small enough for the
     * scenario reader, else the soak command that regenerates the same seed (generation is
     * deterministic) and a longer reduction.
     */
    static String replayHint(Path file, long size, long s, long ops, int checkEvery) {
        if (size <= org.pagelab.input.Limits.MAX_SCENARIO_BYTES) {
            return "pagelab run " + file;
        }
        return String.format(Locale.ROOT, "%,d bytes: too large for pagelab run, which reads at most %,d; replay with"
                + " pagelab soak --seed %d --ops %d --check-every %d, or reduce further with a larger --reduce-time",
                size, org.pagelab.input.Limits.MAX_SCENARIO_BYTES, s, ops, checkEvery);
    }

    private static String counters(Soak.Result r) {
        StringBuilder b = new StringBuilder();
        r.counters().forEach((k, v) -> b.append(b.isEmpty() ? "" : " ").append(k).append(' ').append(v));
        return b.toString();
    }

    /** Reduces the failing scenario (within the time budget) and writes it as soak-SEED.yaml in {@code dir}. */
    private Path reproduce(Scenario sc, Soak.Result r, Path dir) throws IOException {
        Scenario small = sc;
        String how = "not reduced";
        Soak.Failure failure = r.failure();
        if (reduceSeconds > 0) {
            SoakReducer.Reduced red = SoakReducer.reduce(sc, r, dir, checkEvery, reduceSeconds * 1_000_000_000L);
            small = red.scenario();
            failure = red.failure();
            how = "reduced from " + r.steps() + " steps in " + red.runs() + " runs" + (red.exhaustive() ? "" : " (time ran out)");
        }
        Path file = dir.resolve("soak-" + r.seed() + ".yaml");
        Files.writeString(file, ScenarioWriter.write(small, List.of(
                "pagelab soak reproducer: seed " + r.seed() + ", " + Soak.stepCount(small) + " steps, " + how,
                "failure: " + failure.toString().replace('\n', ' '))));
        return file;
    }
}
