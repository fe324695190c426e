package org.pagelab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code pagelab soak}: a passing run's report and status, and its refusals of bad options. */
class SoakCommandTest {
    @TempDir
    Path dir;

    private record Ran(int status, String out, String err) {
    }

    private static Ran run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int status = cl.execute(args);
        return new Ran(status, out.toString(), err.toString());
    }

    @Test
    void twoSmallSeedsPassAndTheSummaryCountsThem() throws Exception {
        Path wd = dir.resolve("wd");
        Ran r = run("soak", "--ops", "1500", "--seed", "41", "--seeds", "2", "--workdir", wd.toString());
        assertThat(r.status()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).containsPattern("(?m)^seed 41: [0-9,]+ steps \\([0-9,]+ run, [0-9,]+ expects\\), .*: ok$")
                .containsPattern("(?m)^seed 42: .*: ok$")
                .containsPattern("(?m)^soak: 2 seeds from 41, [0-9,]+ steps .*, 0 failed, ");
        try (var files = Files.list(wd)) {
            assertThat(files).as("a passing run leaves nothing in its working directory").isEmpty();
        }
    }

    @Test
    void badOptionsAreUsageErrorsNamingTheValue() {
        Ran ops = run("soak", "--ops", "0");
        assertThat(ops.status()).isEqualTo(Main.EXIT_USAGE);
        assertThat(ops.err()).contains("--ops 0 is out of range 1..5000000");
        Ran huge = run("soak", "--ops", "9999999999");
        assertThat(huge.status()).isEqualTo(Main.EXIT_USAGE);
        assertThat(run("soak", "--seeds", "0").err()).contains("--seeds 0 must be at least 1");
        assertThat(run("soak", "--check-every", "-1").status()).isEqualTo(Main.EXIT_USAGE);
    }

    @Test
    void aReproducerTooLargeForRunIsReplayedBySeedInstead() {
        Path file = Path.of("w", "soak-7.yaml");
        assertThat(SoakCommand.replayHint(file, 1000, 7, 5000, 1000)).isEqualTo("pagelab run " + file);
        assertThat(SoakCommand.replayHint(file, 2_974_425, 7, 100_000, 500))
                .contains("2,974,425 bytes: too large for pagelab run, which reads at most 1,048,576")
                .contains("pagelab soak --seed 7 --ops 100000 --check-every 500");
    }
}
