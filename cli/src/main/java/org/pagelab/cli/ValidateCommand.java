package org.pagelab.cli;

import org.pagelab.report.RunReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code pagelab validate}: runs the validation workloads in pagelab and compares every counter,
 * phase by phase, with a real Linux 6.1 kernel running the same programs: the kernel's results
 * recorded in this jar ({@code --recorded}, the default), or a user-mode Linux kernel booted now
 * ({@code --live}). See docs/fidelity.md for the method and the tolerances.
 */
@Command(name = "validate",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        sortOptions = false,
        description = {
            "Compare pagelab with a real Linux 6.1 kernel on the validation workloads: every shared counter per phase,"
                    + " the kernel's median and range beside pagelab's figure, the ratio and its band, and the tally"
                    + " (docs/fidelity.md).",
            "--recorded (default) uses the kernel results recorded in pagelab; --live boots user-mode Linux"
                    + " (apt-get install user-mode-linux busybox-static gcc) and runs each workload --runs times."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {" 0:the comparison ran (whatever the tally)", " 1:a live kernel run failed",
            Main.EXIT_USAGE_HELP, Main.EXIT_INTERNAL_HELP})
final class ValidateCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    static final class Source {
        @Option(names = "--recorded", description = "Compare with the kernel results recorded in pagelab (default).")
        boolean recorded;

        @Option(names = "--live", description = "Boot user-mode Linux and run the workloads in it now.")
        boolean live;
    }

    @ArgGroup(exclusive = true)
    private Source source = new Source();

    @Option(names = "--workload", paramLabel = "NAME", split = ",",
            description = "Only these workloads (default: all): ${COMPLETION-CANDIDATES}",
            completionCandidates = WorkloadNames.class)
    private List<String> workloads = new ArrayList<>();

    @Option(names = "--runs", paramLabel = "N", defaultValue = "3",
            description = "Kernel runs per workload with --live, 1..50 (default: ${DEFAULT-VALUE}).")
    private int runs;

    @Option(names = "--workdir", paramLabel = "DIR",
            description = "With --live: where to build the images and boot (created; kept). Default: a temporary"
                    + " directory, removed afterwards.")
    private Path workdir;

    @Option(names = "--record", paramLabel = "DIR",
            description = "With --live: also write each workload's kernel runs to DIR/NAME.txt, in the form"
                    + " --recorded reads (the recorded results live in cli/src/main/resources/org/pagelab/cli/validate/kernel).")
    private Path record;

    @Option(names = "--tools", paramLabel = "DIR[:DIR...]",
            description = "With --live: the directories to find linux.uml, busybox, gcc, mke2fs, mkswap and setarch in"
                    + " (default: the PATH, then /usr/sbin and /sbin).")
    private String toolPath;

    @Option(names = "--json", description = "Print one JSON object instead of the text report.")
    private boolean json;

    @Option(names = "--all", description = "List every pair in the text report, not only those with enough events.")
    private boolean all;

    @Option(names = "--report", paramLabel = "FILE.html", description = "Also write the comparison as an HTML page.")
    private Path report;

    /** Declared for parsing and help; {@link ErrorHandlers} reads it from the parse result. */
    @Option(names = "--debug", description = "Print the stack trace of an internal error (as PAGELAB_DEBUG=1 does).")
    private boolean debug;

    /** The workload names, for --help. */
    static final class WorkloadNames extends ArrayList<String> {
        WorkloadNames() {
            super(ValidationSuite.WORKLOADS.stream().map(ValidationSuite.Workload::name).toList());
        }
    }

    @Override
    public Integer call() throws IOException {
        List<ValidationSuite.Workload> chosen = chosen();
        if (!source.live && (record != null || workdir != null || toolPath != null)) {
            throw new ParameterException(spec.commandLine(), (record != null ? "--record" : workdir != null ? "--workdir"
                    : "--tools") + " needs --live (the recorded results are already in pagelab)");
        }
        if (runs < 1 || runs > 50) {
            throw new ParameterException(spec.commandLine(), "--runs must be 1..50, not " + runs);
        }
        if (report != null) {
            HtmlReport.checkPath(spec.commandLine(), "--report", report);
        }
        PrintWriter err = spec.commandLine().getErr();
        Tolerances tolerances = Tolerances.load();
        List<FidelityComparison.Result> results = new ArrayList<>();
        String what;
        if (source.live) {
            KernelOracle oracle;
            Workdir wd = workdir == null ? Workdir.temporary(false) : Workdir.given(workdir);
            try (wd) {
                try {
                    oracle = KernelOracle.open(wd.path(), toolPath == null ? KernelOracle.systemPath()
                            : java.util.Arrays.stream(toolPath.split(":")).filter(d -> !d.isEmpty()).map(Path::of).toList());
                } catch (KernelOracle.Unavailable e) {
                    err.println(spec.qualifiedName() + ": --live: " + e.getMessage());
                    return Main.EXIT_USAGE;
                }
                if (record != null) {
                    Files.createDirectories(record);
                }
                for (ValidationSuite.Workload w : chosen) {
                    List<KernelRun> kernel = live(oracle, w, err);
                    if (kernel == null) {
                        return Main.EXIT_EXPECT;
                    }
                    if (record != null) {
                        Files.writeString(record.resolve(w.name() + ".txt"), KernelRun.compact(kernel));
                    }
                    results.add(compare(w, kernel, tolerances));
                }
            }
            what = "live: Linux 6.1 user-mode, mem=" + KernelOracle.GUEST_MEMORY + ", " + runs + " runs per workload";
        } else {
            for (ValidationSuite.Workload w : chosen) {
                results.add(compare(w, recorded(w), tolerances));
            }
            what = "recorded: Linux 6.1 user-mode, mem=" + KernelOracle.GUEST_MEMORY;
        }
        ValidateReport out = new ValidateReport(results, what);
        PrintWriter pw = spec.commandLine().getOut();
        pw.print(json ? RunReport.pretty(out.json()) : out.text(all));
        pw.flush();
        if (report != null) {
            out.html().write(spec.commandLine(), "--report", report);
        }
        return 0;
    }

    private List<ValidationSuite.Workload> chosen() {
        if (workloads.isEmpty()) {
            return ValidationSuite.WORKLOADS;
        }
        List<ValidationSuite.Workload> out = new ArrayList<>();
        for (String n : workloads) {
            ValidationSuite.Workload w = ValidationSuite.byName(n);
            if (w == null) {
                throw new ParameterException(spec.commandLine(), "unknown workload '" + n + "' for --workload (expected "
                        + String.join(", ", new WorkloadNames()) + ")");
            }
            out.add(w);
        }
        return out;
    }

    /** The recorded kernel runs of {@code w}. */
    static List<KernelRun> recorded(ValidationSuite.Workload w) {
        String file = "kernel/" + w.name() + ".txt";
        try {
            return KernelRun.parseAll(file, ValidationSuite.resource(file));
        } catch (KernelRun.FormatException e) {
            throw new IllegalStateException("recorded kernel results are malformed: " + e.getMessage(), e);
        }
    }

    /** {@code runs} live runs of {@code w}; null (after saying why) when one fails. */
    private List<KernelRun> live(KernelOracle oracle, ValidationSuite.Workload w, PrintWriter err) throws IOException {
        Path program = oracle.compile(w.name());
        List<KernelRun> out = new ArrayList<>();
        for (int i = 1; i <= runs; i++) {
            long t0 = System.nanoTime();
            String console = oracle.boot(program, i);
            KernelRun run;
            try {
                List<KernelRun> parsed = KernelRun.parseAll(w.name() + " run " + i, console);
                run = parsed.getFirst();
            } catch (KernelRun.FormatException e) {
                err.println(spec.qualifiedName() + ": " + e.getMessage());
                return null;
            }
            if (!run.done()) {
                err.println(spec.qualifiedName() + ": " + w.name() + " run " + i + " did not finish"
                        + (run.errors().isEmpty() ? "" : ": " + run.errors().getFirst()));
                return null;
            }
            err.printf("%s: %s run %d/%d: %d marks in %.1f s%n", spec.qualifiedName(), w.name(), i, runs,
                    run.marks().size(), (System.nanoTime() - t0) / 1e9);
            err.flush();
            out.add(run);
        }
        return out;
    }

    private static FidelityComparison.Result compare(ValidationSuite.Workload w, List<KernelRun> kernel,
                                                     Tolerances tolerances) {
        return FidelityComparison.compare(w, kernel, ValidationSuite.runPagelab(w), tolerances);
    }
}
