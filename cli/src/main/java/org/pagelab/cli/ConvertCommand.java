package org.pagelab.cli;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.pagelab.trace.TraceException;
import org.pagelab.trace.TraceSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code pagelab convert TRACE OUT}: rewrites any trace pagelab reads in pagelab's compact binary format. */
@Command(name = "convert",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = "Convert a trace (FORMAT:PATH) into pagelab's compact binary trace format, read back as pagelab:OUT.",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {Main.EXIT_OK_HELP, Main.EXIT_USAGE_HELP, Main.EXIT_INTERNAL_HELP})
final class ConvertCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TRACE", description = "The trace to read, as FORMAT:PATH.")
    private String trace;

    @Parameters(index = "1", paramLabel = "OUT", description = "The file to write; it must not exist unless --force.")
    private Path out;

    @Option(names = "--force", description = "Overwrite OUT if it exists.")
    private boolean force;

    @Option(names = "--debug", description = "Print the stack trace of an internal error (as PAGELAB_DEBUG=1 does).")
    private boolean debug;

    @Override
    public Integer call() {
        if (Files.exists(out) && !force) {
            throw new ParameterException(spec.commandLine(), "output '" + out + "' exists (use --force to overwrite it)");
        }
        long n;
        try {
            n = TraceSource.convert(trace, out);
        } catch (TraceException e) {
            spec.commandLine().getErr().println(spec.qualifiedName() + ": " + e.getMessage());
            return Main.EXIT_USAGE;
        } catch (UncheckedIOException e) {
            spec.commandLine().getErr().println(spec.qualifiedName() + ": cannot write '" + out + "': "
                    + org.pagelab.input.IoReason.of(e.getCause()));
            return Main.EXIT_USAGE;
        }
        spec.commandLine().getOut().println(n + " records written to " + out);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
