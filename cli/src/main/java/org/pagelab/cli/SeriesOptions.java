package org.pagelab.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.pagelab.machine.Machine;
import org.pagelab.machine.TimeSeries;
import org.pagelab.sim.Units;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * --series, --series-interval and --report, shared by the commands that run a machine: the run is
 * sampled into a {@link TimeSeries} when either file is asked for. Relative paths resolve against
 * the current directory; the user named them, so they may be outside the run's working directory.
 */
public final class SeriesOptions {
    @Spec(Spec.Target.MIXEE)
    private CommandSpec mixee;

    @Option(names = "--series", paramLabel = "FILE",
            description = "Write a CSV time series of the run to FILE: simulated time, free memory, the LRU lists,"
                    + " swap in use, and cumulative fault, scan, steal, refault and swap counters.")
    private Path seriesFile;

    @Option(names = "--series-interval", paramLabel = "TIME", defaultValue = "1ms",
            description = "Simulated time between rows of --series, such as 500us or 10ms (default: ${DEFAULT-VALUE}).")
    private String seriesInterval;

    @Option(names = "--report", paramLabel = "FILE.html",
            description = "Write an HTML page with charts of the run over simulated time to FILE.html: memory by kind,"
                    + " the LRU lists, swap in use, fault, refault, reclaim and swap rates (one file, viewable offline).")
    private Path reportFile;

    /**
     * The time series --series or --report asks for, sampling after every step of {@code machine}, or
     * null. Checks the files' directories first, so that a bad path fails before the run.
     */
    TimeSeries install(Machine machine) {
        if (seriesFile == null && reportFile == null) {
            return null;
        }
        if (seriesFile != null) {
            HtmlReport.checkPath(mixee.commandLine(), "--series", seriesFile);
        }
        if (reportFile != null) {
            HtmlReport.checkPath(mixee.commandLine(), "--report", reportFile);
        }
        long ns;
        try {
            ns = Units.durationNs("--series-interval", "time", seriesInterval.trim());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(mixee.commandLine(), "invalid time '" + seriesInterval
                    + "' for --series-interval: expected a duration such as 500us, 10ms or 1s");
        }
        if (ns <= 0) {
            throw new ParameterException(mixee.commandLine(), "--series-interval must be positive, got '" + seriesInterval + "'");
        }
        TimeSeries s = new TimeSeries(machine, ns);
        machine.addStepListener(s::afterStep);
        return s;
    }

    /** Whether --report names a file. */
    boolean reportRequested() {
        return reportFile != null;
    }

    /**
     * Writes {@code series} to the --series file and the --report page, titled {@code title}, with
     * {@code facts} above the charts.
     */
    void write(TimeSeries series, String title, Map<String, String> facts) {
        if (series == null) {
            return;
        }
        series.finish();
        String csv = series.csv();
        if (seriesFile != null) {
            try {
                Files.writeString(seriesFile, csv);
            } catch (IOException e) {
                throw new ParameterException(mixee.commandLine(), "cannot write --series file '" + seriesFile + "': "
                        + org.pagelab.input.IoReason.of(e));
            }
        }
        if (reportFile != null) {
            HtmlReport page = new HtmlReport(title);
            facts.forEach(page::fact);
            page.fact("series interval", seriesInterval.trim() + " of simulated time (" + series.size() + " samples)");
            MachineCharts.of(csv).forEach(page::chart);
            page.write(mixee.commandLine(), "--report", reportFile);
        }
    }
}
