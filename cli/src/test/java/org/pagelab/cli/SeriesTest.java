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
