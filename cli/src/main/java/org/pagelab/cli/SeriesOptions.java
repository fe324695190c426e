package org.pagelab.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.pagelab.machine.Machine;
import org.pagelab.machine.TimeSeries;
import org.pagelab.sim.Units;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** --series and --series-interval, shared by the commands that run a machine. */
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

    /** The time series --series asks for, sampling after every step of {@code machine}, or null. */
    TimeSeries install(Machine machine) {
        if (seriesFile == null) {
            return null;
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

    /** Writes {@code series} to the --series file (the user named it, so it may be outside the working directory). */
    void write(TimeSeries series) {
        if (series == null) {
            return;
        }
        series.finish();
        try {
            Files.writeString(seriesFile, series.csv());
        } catch (IOException e) {
            throw new ParameterException(mixee.commandLine(), "cannot write --series file '" + seriesFile + "': "
                    + e.getMessage());
        }
    }
}
