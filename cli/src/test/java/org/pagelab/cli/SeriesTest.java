package org.pagelab.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pagelab.cli.RunCommandTest.pagelab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pagelab.machine.TimeSeries;

class SeriesTest {
    @Test
    void seriesIsACsvWithMonotoneTimeAndCumulativeCounters(@TempDir Path tmp) throws IOException {
        Path csv = tmp.resolve("run.csv");
        RunCommandTest.Result r = pagelab("run", "../examples/workingset-on.yaml", "--series", csv.toString(),
                "--series-interval", "10ms");
        assertThat(r.status()).as("stderr: %s", r.err()).isZero();
        List<String> lines = Files.readAllLines(csv);
        assertThat(lines.getFirst()).isEqualTo(String.join(",", TimeSeries.COLUMNS));
        assertThat(lines.size()).isGreaterThan(5);
        long prevTime = -1;
        long prevSteal = -1;
        int steal = TimeSeries.COLUMNS.indexOf("pgsteal");
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            assertThat(f).hasSize(TimeSeries.COLUMNS.size());
            long t = Long.parseLong(f[0]);
            assertThat(t).isGreaterThanOrEqualTo(prevTime);
            assertThat(Long.parseLong(f[steal])).isGreaterThanOrEqualTo(prevSteal);
            prevTime = t;
            prevSteal = Long.parseLong(f[steal]);
        }
        String[] last = lines.getLast().split(",");
        assertThat(TimeSeries.COLUMNS).contains("psi_memory_some_avg10", "psi_memory_full_avg10", "psi_io_some_avg10",
                "psi_io_full_avg300", "psi_memory_some_total_us", "psi_io_full_total_us");
        long[] prevTotals = new long[4];
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            int i = 0;
            for (String res : List.of("memory", "io")) {
                long some = Long.parseLong(f[TimeSeries.COLUMNS.indexOf("psi_" + res + "_some_total_us")]);
                long full = Long.parseLong(f[TimeSeries.COLUMNS.indexOf("psi_" + res + "_full_total_us")]);
                assertThat(full).isLessThanOrEqualTo(some);
                assertThat(some).isGreaterThanOrEqualTo(prevTotals[i]);
                assertThat(full).isGreaterThanOrEqualTo(prevTotals[i + 1]);
                prevTotals[i] = some;
                prevTotals[i + 1] = full;
                i += 2;
                assertThat(f[TimeSeries.COLUMNS.indexOf("psi_" + res + "_some_avg10")]).matches("\\d+\\.\\d\\d");
            }
        }
        assertThat(Long.parseLong(last[TimeSeries.COLUMNS.indexOf("psi_memory_some_total_us")])).isPositive();
        assertThat(Long.parseLong(last[TimeSeries.COLUMNS.indexOf("psi_io_some_total_us")])).isPositive();
        assertThat(Long.parseLong(last[TimeSeries.COLUMNS.indexOf("workingset_activate_file")])).isPositive();
    }

    @Test
    void badIntervalIsAUsageError(@TempDir Path tmp) {
        RunCommandTest.Result r = pagelab("run", "--series", tmp.resolve("x.csv").toString(), "--series-interval", "5x");
        assertThat(r.status()).isEqualTo(Main.EXIT_USAGE);
        assertThat(r.errLines()).containsExactly("pagelab run: invalid time '5x' for --series-interval: expected a duration"
                + " such as 500us, 10ms or 1s");
    }
}
