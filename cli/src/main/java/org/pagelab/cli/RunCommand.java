package org.pagelab.cli;

import org.pagelab.report.RunReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.pagelab.machine.DefaultWorkload;
import org.pagelab.machine.Machine;
import org.pagelab.phys.MemSize;
import org.pagelab.phys.PhysConfig;
import org.pagelab.scenario.Scenario;
import org.pagelab.scenario.ScenarioException;
import org.pagelab.scenario.ScenarioRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code pagelab run}: boots a machine, runs a workload on it, checks every invariant, and prints
 * the machine's /proc files (or, with {@code --json}, one JSON object; see {@link RunReport}).
 */
@Command(name = "run",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        sortOptions = false,
        description = {
            "Boot a machine, run a workload on it, and print its /proc/meminfo, /proc/vmstat and /proc/buddyinfo.",
            "Without SCENARIO the built-in default workload runs; with it, the scenario's processes run"
                    + " (format: docs/scenarios.md)."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {Main.EXIT_OK_HELP, Main.EXIT_EXPECT_HELP, Main.EXIT_USAGE_HELP, Main.EXIT_INTERNAL_HELP})
final class RunCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "SCENARIO",
            description = "Scenario file to run (YAML). Its machine: memory, mode and seed win over --memory, --mode"
                    + " and --seed, which fill in what the file leaves out.")
    private Path scenario;

    @Mixin
    private MachineOptions machineOptions;

    @Option(names = "--json", description = "Print one JSON object instead of the /proc files.")
    private boolean json;

    @Option(names = "--workdir", paramLabel = "DIR",
            description = "Working directory for the run's files; created if missing, never deleted."
                    + " Default: a fresh temporary directory, deleted after the run.")
    private Path workdir;

    @Option(names = "--keep-workdir", description = "Keep the temporary working directory after the run.")
    private boolean keepWorkdir;

    @Mixin
    private SeriesOptions seriesOptions;

    /** Declared for parsing and help; {@link ErrorHandlers} reads it from the parse result. */
    @Option(names = "--debug", description = "Print the stack trace of an internal error (as PAGELAB_DEBUG=1 does).")
    private boolean debug;

    @Override
    public Integer call() throws Exception {
        if (scenario != null) {
            return runScenario();
        }
        PhysConfig config = machineOptions.physConfig();
        PrintWriter out = spec.commandLine().getOut();
        long swapBytes = machineOptions.swapBytes();
        org.pagelab.sim.SimConfig time = org.pagelab.sim.SimConfig.DEFAULT.withCpus(machineOptions.cpus());
        try (Workdir wd = openWorkdir(); Machine machine = Machine.boot(config, wd.path(), time)) {
            machineOptions.swapon(machine, swapBytes);
            org.pagelab.machine.TimeSeries series = seriesOptions.install(machine);
            DefaultWorkload.run(machine, machineOptions.seed());
            try {
                machine.check();
            } catch (IllegalStateException e) {
                throw new CheckFailedException("invariant check failed after the run: " + e.getMessage(), e);
            }
            seriesOptions.write(series, "pagelab run", MachineCharts.facts(machine, "workload",
                    "built-in default workload, seed " + machineOptions.seed()));
            RunReport report = new RunReport(machine, machineOptions.seed(), wd.reported());
            out.print(json ? report.jsonText() : report.text());
            out.flush();
            if (!json && wd.keptTemporary()) {
                spec.commandLine().getErr().println(spec.qualifiedName() + ": kept working directory " + wd.path());
            }
        }
        return 0;
    }

    private int runScenario() throws IOException {
        Scenario s;
        try {
            s = Scenario.load(scenario);
        } catch (ScenarioException e) {
            String msg = e.getMessage();
            spec.commandLine().getErr().println(msg.startsWith("cannot read") ? spec.qualifiedName() + ": " + msg : msg);
            return Main.EXIT_USAGE;
        }
        Mode mode = s.dataMode() == null ? machineOptions.mode() : s.dataMode() ? Mode.DATA : Mode.METADATA;
        long seed = s.seed() != null ? s.seed() : machineOptions.seed();
        PhysConfig config;
        try {
            config = s.sizing().physConfig(s.source(), s.memory(), machineOptions.memoryBytes(), mode.dataMode());
        } catch (ScenarioException e) {
            spec.commandLine().getErr().println(e.getMessage());
            return Main.EXIT_USAGE;
        }
        PrintWriter out = spec.commandLine().getOut();
        long swapBytes = s.swap() == null ? machineOptions.swapBytes() : 0;
        org.pagelab.sim.SimConfig time = s.simConfig(machineOptions.cpus());
        try (Workdir wd = openWorkdir(); Machine machine = Machine.boot(config, wd.path(), time)) {
            machineOptions.swapon(machine, swapBytes);
            org.pagelab.machine.TimeSeries series = seriesOptions.install(machine);
            ScenarioRunner.Failure failure;
            java.util.List<ScenarioRunner.Mark> marks = new java.util.ArrayList<>();
            try {
                failure = ScenarioRunner.run(machine, s, seed, marks::add);
            } catch (ScenarioException e) {
                spec.commandLine().getErr().println(e.getMessage());
                return Main.EXIT_USAGE;
            }
            if (failure != null) {
                spec.commandLine().getErr().println(spec.qualifiedName() + ": " + scenario + ": " + failure);
                seriesOptions.write(series, "pagelab run " + scenario, scenarioFacts(machine, seed));
                return Main.EXIT_EXPECT;
            }
            try {
                machine.check();
            } catch (IllegalStateException e) {
                throw new CheckFailedException("invariant check failed after the run: " + e.getMessage(), e);
            }
            seriesOptions.write(series, "pagelab run " + scenario, scenarioFacts(machine, seed));
            RunReport report = new RunReport(machine, seed, wd.reported()).withMarks(marks);
            if (json) {
                out.print(report.jsonText());
            } else {
                out.print(report.text());
                if (!machine.memory().events().isEmpty()) {
                    out.println();
                    out.println("==> events <==");
                    machine.memory().events().forEach(out::println);
                }
            }
            out.flush();
            if (!json && wd.keptTemporary()) {
                spec.commandLine().getErr().println(spec.qualifiedName() + ": kept working directory " + wd.path());
            }
        }
        return 0;
    }

    private java.util.Map<String, String> scenarioFacts(Machine machine, long seed) {
        return MachineCharts.facts(machine, "workload", "scenario " + scenario + ", seed " + seed);
    }

    private Workdir openWorkdir() throws IOException {
        if (workdir == null) {
            return Workdir.temporary(keepWorkdir);
        }
        try {
            return Workdir.given(workdir);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e, spec.findOption("--workdir"),
                    workdir.toString());
        }
    }
}
