package org.pagelab.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import org.pagelab.scenario.ScenarioException;
import org.pagelab.sweep.LocalEngine;
import org.pagelab.sweep.Point;
import org.pagelab.sweep.PointResult;
import org.pagelab.sweep.ResultStore;
import org.pagelab.sweep.SweepEngine;
import org.pagelab.sweep.SweepException;
import org.pagelab.sweep.SweepSpec;
import org.pagelab.phys.MemSize;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code pagelab sweep SPEC}: runs one workload at every point of a space of machine settings,
 * each point on a machine of its own, appending each result to the results directory as it
 * finishes; a sweep run again skips the points done. Points run on this JVM's threads, or with
 * {@code --engine spark} as an Apache Spark job (module sweep-spark, which ./pagelab puts on the
 * class path). See docs/sweeps.md.
 */
@Command(name = "sweep",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        sortOptions = false,
        description = {
            "Run a workload (a scenario or traces) at every point of a sweep spec: machine settings along axes, their cross"
                    + " product or a list of points, each point a machine of its own with a seed derived from the sweep's.",
            "Results go to DIR/results.csv and DIR/results.jsonl as points finish; running the sweep again runs only the"
                    + " points not done yet. Format of SPEC: docs/sweeps.md."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {Main.EXIT_OK_HELP, " 1:a point's workload failed (its status column says why)",
            Main.EXIT_USAGE_HELP, " 3:internal error (a broken invariant) in a point or the sweep; the other points ran"})
final class SweepCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SPEC", description = "The sweep spec (YAML).")
    private Path specFile;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Results directory: created if missing; a directory of the same sweep resumes it."
                    + " Default: SPEC's name without .yaml, plus .sweep, in the current directory.")
    private Path out;

    @Option(names = "--engine", paramLabel = "NAME", defaultValue = LocalEngine.NAME,
            description = "local (threads of this JVM, the default) or spark (an Apache Spark job; ./pagelab adds Spark).")
    private String engine;

    @Option(names = "--threads", paramLabel = "N",
            description = "Local engine: threads, one machine each (default: the host's processors).")
    private Integer threads;

    @Option(names = "--memory-budget", paramLabel = "SIZE", converter = MemorySizeConverter.class,
            description = "Local engine: host memory the machines in flight may need together; a point waits until its"
                    + " share is free (default: three quarters of the JVM's maximum heap).")
    private Long memoryBudget;

    @Option(names = "--master", paramLabel = "URL",
            description = "Spark engine: the master, such as spark://host:7077 (default: local[*], bound to 127.0.0.1).")
    private String master;

    @Option(names = "--conf", paramLabel = "KEY=VALUE",
            description = "Spark engine: a Spark setting, such as spark.executor.memory=4g; may be repeated.")
    private List<String> conf = new ArrayList<>();

    @Option(names = "--report", paramLabel = "FILE.html",
            description = "Write an HTML page charting the report's metrics against each axis, one line per setting of"
                    + " the other axes, and a table of the points.")
    private Path report;

    @Option(names = "--debug", description = "Print the stack trace of an internal error (as PAGELAB_DEBUG=1 does).")
    private boolean debug;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        String me = spec.qualifiedName();
        if (report != null) {
            HtmlReport.checkPath(spec.commandLine(), "--report", report);
        }
        SweepSpec sweep;
        try {
            sweep = SweepSpec.load(specFile);
        } catch (SweepException | ScenarioException e) {
            err.println(e.getMessage().startsWith("cannot read") ? me + ": " + e.getMessage() : e.getMessage());
            return Main.EXIT_USAGE;
        }
        Path dir = out != null ? out : Path.of(stem(specFile) + ".sweep");
        long start = System.nanoTime();
        List<String> errors = new ArrayList<>();
        List<PointResult> results;
        int ran;
        try (SweepEngine eng = engine(); ResultStore store = openStore(dir, sweep)) {
            List<Point> todo = store.todo();
            ran = todo.size();
            err.println(me + ": " + sweep.points().size() + " points, " + (sweep.points().size() - todo.size())
                    + " done before; running " + todo.size() + " on the " + eng.name() + " engine" + detail());
            Progress progress = Progress.onTerminal(err, "points");
            AtomicLong finished = new AtomicLong();
            try {
                eng.run(sweep, todo, listener(store, progress, finished, errors, sweep, todo.size()));
            } catch (SweepException e) {
                progress.done();
                err.println(me + ": " + e.getMessage());
                return Main.EXIT_USAGE;
            }
            progress.done();
            results = store.finish();
            eng.writeResults(sweep, results, dir);
        }
        return summary(sweep, dir, results, ran, errors, (System.nanoTime() - start) / 1e9);
    }

    /** What the engine reports to: the results store, the progress bar, and the list of points without a result. */
    private static SweepEngine.Listener listener(ResultStore store, Progress progress, AtomicLong finished, List<String> errors,
                                                 SweepSpec sweep, int total) {
        return new SweepEngine.Listener() {
            @Override
            public void finished(PointResult r) {
                store.append(r);
                long n = finished.incrementAndGet();
                progress.update(n, (double) n / total);
            }

            @Override
            public void failed(Point p, String error) {
                synchronized (errors) {
                    errors.add("point " + p.index() + " (" + sweep.key(p) + "): " + error);
                }
                long n = finished.incrementAndGet();
                progress.update(n, (double) n / total);
            }
        };
    }

    /** Writes the report, prints the summary and the points that failed; returns the exit status. */
    private int summary(SweepSpec sweep, Path dir, List<PointResult> results, int ran, List<String> errors, double secs)
            throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter stdout = spec.commandLine().getOut();
        String me = spec.qualifiedName();
        if (report != null) {
            SweepReport.of(sweep, results).write(spec.commandLine(), "--report", report);
        }
        long failed = results.stream().filter(r -> !r.ok()).count();
        stdout.printf(Locale.ROOT, "points %d (%d run now, %d done before, %d without a result)%n", sweep.points().size(),
                ran - errors.size(), sweep.points().size() - ran, errors.size());
        stdout.printf(Locale.ROOT, "ok %d%nfailed %d%n", results.size() - failed, failed);
        stdout.printf(Locale.ROOT, "engine %s%s%n", engine, detail());
        stdout.printf(Locale.ROOT, "wall time %.1f s%n", secs);
        stdout.println("results " + String.join(" ", resultFiles(dir)));
        stdout.flush();
        for (PointResult r : results) {
            if (!r.ok()) {
                err.println(me + ": point " + r.point() + " (" + sweep.key(sweep.points().get(r.point())) + "): " + r.status());
            }
        }
        if (!errors.isEmpty()) {
            errors.forEach(e -> err.println("pagelab: internal error: " + e));
            err.println(me + ": " + errors.size() + " points have no result; running the sweep again retries them");
            return Main.EXIT_INTERNAL;
        }
        return failed > 0 ? Main.EXIT_EXPECT : 0;
    }

    private String detail() {
        if (engine.equals(LocalEngine.NAME)) {
            return String.format(Locale.ROOT, ", %d threads, memory budget %s", threads(),
                    MemSize.format(budget() >> 20 << 20));
        }
        return ", master " + (master == null ? "local[*]" : master);
    }

    private int threads() {
        return threads != null ? threads : Runtime.getRuntime().availableProcessors();
    }

    private long budget() {
        return memoryBudget != null ? memoryBudget : LocalEngine.defaultBudget();
    }

    private SweepEngine engine() {
        if (engine.equals(LocalEngine.NAME)) {
            if (master != null || !conf.isEmpty()) {
                throw new ParameterException(spec.commandLine(), (master != null ? "--master" : "--conf")
                        + " is for --engine spark; the local engine takes --threads and --memory-budget");
            }
            if (threads() < 1 || threads() > 4096) {
                throw new ParameterException(spec.commandLine(), "--threads must be 1..4096, not " + threads());
            }
            try {
                return new LocalEngine(threads(), budget());
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--memory-budget: " + e.getMessage());
            }
        }
        if (threads != null || memoryBudget != null) {
            throw new ParameterException(spec.commandLine(), (threads != null ? "--threads" : "--memory-budget")
                    + " is for the local engine; give Spark's settings with --conf");
        }
        Map<String, String> options = new LinkedHashMap<>();
        if (master != null) {
            options.put("master", master);
        }
        for (String kv : conf) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new ParameterException(spec.commandLine(), "invalid --conf '" + kv + "': expected KEY=VALUE");
            }
            options.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        List<String> known = new ArrayList<>(List.of(LocalEngine.NAME));
        for (SweepEngine.Factory f : ServiceLoader.load(SweepEngine.Factory.class)) {
            if (f.name().equals(engine)) {
                try {
                    return f.create(options);
                } catch (IllegalArgumentException e) {
                    throw new ParameterException(spec.commandLine(), "--engine " + engine + ": " + e.getMessage());
                }
            }
            known.add(f.name());
        }
        throw new ParameterException(spec.commandLine(), "unknown --engine '" + engine + "' (here: " + String.join(", ", known)
                + (engine.equals("spark") ? "; the spark engine is module sweep-spark, which ./pagelab puts on the class"
                + " path when it sees --engine spark" : "") + ")");
    }

    private ResultStore openStore(Path dir, SweepSpec sweep) throws IOException {
        try {
            return ResultStore.open(dir, sweep);
        } catch (SweepException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** The results files in {@code dir}: results.csv, results.jsonl, and what the engine added. */
    private static List<String> resultFiles(Path dir) throws IOException {
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith("results.")
                    && !f.getFileName().toString().endsWith(".tmp")).map(Path::toString).sorted().toList();
        }
    }

    private static String stem(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
