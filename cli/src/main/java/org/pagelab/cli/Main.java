package org.pagelab.cli;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code pagelab} command: the entry point that dispatches to one subcommand per task.
 *
 * <p>Exit status, for every subcommand:
 * <pre>
 *   0  success
 *   2  bad usage or bad input (an unknown option, a malformed value, a value out of range);
 *      one line on stderr names the option and the value
 *   3  internal error (a broken invariant or an unexpected exception); one line on stderr,
 *      the stack trace too with --debug or PAGELAB_DEBUG=1
 * </pre>
 * Subcommands are listed in {@code subcommands} below; each is a class of this package with its
 * options, sharing {@link MachineOptions} for the machine's shape.
 */
@Command(name = "pagelab",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = "An executable model of the Linux memory manager.",
        subcommands = {RunCommand.class, ReplayCommand.class, CompareCommand.class, SweepCommand.class, ConvertCommand.class,
            BenchCommand.class, SoakCommand.class, ValidateCommand.class, picocli.AutoComplete.GenerateCompletion.class,
            CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {Main.EXIT_OK_HELP, Main.EXIT_EXPECT_HELP, Main.EXIT_USAGE_HELP, Main.EXIT_INTERNAL_HELP})
public final class Main implements Runnable {
    /** Exit status for bad usage or bad input. */
    public static final int EXIT_USAGE = 2;
    /** A scenario's expect step (or a system call it needed) failed. */
    public static final int EXIT_EXPECT = 1;
    /** Exit status for an internal error. */
    public static final int EXIT_INTERNAL = 3;

    static final String EXIT_OK_HELP = " 0:success";
    static final String EXIT_EXPECT_HELP = " 1:a scenario step failed (an expect saw other bytes)";
    static final String EXIT_USAGE_HELP = " 2:bad usage or bad input";
    static final String EXIT_INTERNAL_HELP = " 3:internal error (a broken invariant); --debug shows the stack trace";

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "missing command; try 'pagelab run' or 'pagelab --help'");
    }

    /** A command line for {@code pagelab} with pagelab's error handling and exit statuses. */
    public static CommandLine commandLine() {
        System.setProperty("pagelab.policies", String.join(", ", org.pagelab.policy.Policies.NAMES));
        CommandLine cl = new CommandLine(new Main());
        cl.setParameterExceptionHandler(ErrorHandlers::handleParameterException);
        cl.setExecutionExceptionHandler(ErrorHandlers::handleExecutionException);
        cl.setExitCodeExceptionMapper(t -> EXIT_INTERNAL);
        // picocli hides its completion command; pagelab lists it, as the README's install line uses it
        cl.getSubcommands().get("generate-completion").getCommandSpec().usageMessage().hidden(false);
        return cl;
    }

    /** Runs {@code pagelab args} and exits with its status. */
    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), false);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        CommandLine cl = commandLine();
        cl.setOut(out);
        cl.setErr(err);
        int status;
        try {
            status = cl.execute(args);
        } catch (OutOfMemoryError e) {
            out.flush();
            err.println("pagelab: out of Java heap (maximum " + (Runtime.getRuntime().maxMemory() >> 20)
                    + " MiB): give the JVM more, e.g. PAGELAB_JAVA_OPTS=-Xmx8g, or simulate a smaller machine");
            status = EXIT_INTERNAL;
        }
        out.flush();
        err.flush();
        System.exit(status);
    }
}
