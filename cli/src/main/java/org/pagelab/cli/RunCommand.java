package org.pagelab.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.pagelab.machine.DefaultWorkload;
import org.pagelab.machine.Machine;
import org.pagelab.phys.MemSize;
import org.pagelab.phys.PhysConfig;
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
            "Without SCENARIO the built-in default workload runs."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {Main.EXIT_OK_HELP, Main.EXIT_USAGE_HELP, Main.EXIT_INTERNAL_HELP})
final class RunCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "SCENARIO",
            description = "Scenario file to run; scenario files are not supported yet.")
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

    /** Declared for parsing and help; {@link ErrorHandlers} reads it from the parse result. */
    @Option(names = "--debug", description = "Print the stack trace of an internal error (as PAGELAB_DEBUG=1 does).")
    private boolean debug;

    @Override
    public Integer call() throws Exception {
        if (scenario != null) {
            throw new ParameterException(spec.commandLine(), "scenario files are not supported yet (got '" + scenario
                    + "'); run without a file for the built-in default workload");
        }
        PhysConfig config = machineOptions.physConfig();
        if (config.memoryBytes() < DefaultWorkload.MIN_MEMORY) {
            throw new ParameterException(spec.commandLine(), "the built-in workload needs --memory of at least "
                    + MemSize.format(DefaultWorkload.MIN_MEMORY) + " (got " + MemSize.format(config.memoryBytes()) + ")");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (Workdir wd = openWorkdir(); Machine machine = Machine.boot(config, wd.path())) {
            DefaultWorkload.run(machine, machineOptions.seed());
            try {
                machine.check();
            } catch (IllegalStateException e) {
                throw new CheckFailedException("invariant check failed after the run: " + e.getMessage(), e);
            }
            RunReport report = new RunReport(machine, machineOptions.mode(), machineOptions.seed(), wd.path());
            out.print(json ? report.jsonText() : report.text());
            out.flush();
            if (!json && wd.keptTemporary()) {
                spec.commandLine().getErr().println(spec.qualifiedName() + ": kept working directory " + wd.path());
            }
        }
        return 0;
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
