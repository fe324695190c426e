package org.pagelab.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pagelab.cli.RunCommandTest.pagelab;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Same input, same output: two runs of one scenario print the same bytes, JSON included. */
class SameOutputTest {
    @ParameterizedTest
    @ValueSource(strings = {"anon-fork-cow.yaml", "oom.yaml", "tmpfs-shm.yaml", "file-reader.yaml"})
    void twoRunsOfAScenarioPrintTheSameJsonBytes(String example) {
        String file = "../examples/" + example;
        RunCommandTest.Result a = pagelab("run", "--json", file);
        RunCommandTest.Result b = pagelab("run", "--json", file);
        assertThat(a.status()).as("stderr: %s", a.err()).isZero();
        assertThat(b.status()).as("stderr: %s", b.err()).isZero();
        assertThat(a.out().getBytes(StandardCharsets.UTF_8)).isEqualTo(b.out().getBytes(StandardCharsets.UTF_8));
        assertThat(a.out()).doesNotContain("\"workdir\"").doesNotContain("pagelab-run-");
    }

    @ParameterizedTest
    @ValueSource(strings = {"anon-fork-cow.yaml", "noisy-neighbour.yaml", "file-phases.yaml"})
    void theJavaApiPrintsTheSameJsonBytesAsRun(String example) {
        String file = "../examples/" + example;
        RunCommandTest.Result cli = pagelab("run", "--json", file);
        assertThat(cli.status()).as("stderr: %s", cli.err()).isZero();
        org.pagelab.api.ScenarioRun run = org.pagelab.api.Lab.runScenario(Path.of(file));
        try (org.pagelab.api.Lab lab = run.lab()) {
            assertThat(run.failure()).isNull();
            assertThat(lab.json()).isEqualTo(cli.out());
        }
    }

    @Test
    void twoReplaysOfATracePrintTheSameJsonBytes(@TempDir Path tmp) throws IOException {
        Path trace = Files.writeString(tmp.resolve("t.plain"), "R 0x10000\nW 0x20000\nR 0x10000\n");
        RunCommandTest.Result a = pagelab("replay", "--json", "--memory", "32M", "--mode", "metadata", "plain:" + trace);
        RunCommandTest.Result b = pagelab("replay", "--json", "--memory", "32M", "--mode", "metadata", "plain:" + trace);
        assertThat(a.status()).as("stderr: %s", a.err()).isZero();
        assertThat(a.out()).isEqualTo(b.out()).doesNotContain("\"workdir\"");
    }

    @Test
    void aKeptTemporaryDirectoryIsNamedBecauseTheUserAskedForIt() throws IOException {
        RunCommandTest.Result r = pagelab("run", "--json", "--keep-workdir", "../examples/anon-fork-cow.yaml");
        assertThat(r.status()).as("stderr: %s", r.err()).isZero();
        Path kept = Path.of(new ObjectMapper().readTree(r.out()).get("workdir").asText());
        try {
            assertThat(kept).isDirectory();
            assertThat(kept.getFileName().toString()).startsWith("pagelab-run-");
        } finally {
            try (Stream<Path> s = Files.walk(kept)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    @Test
    void aNamedWorkingDirectoryIsNamedAndTheSameDirectoryGivesTheSameJson(@TempDir Path tmp) {
        Path dir = tmp.resolve("wd");
        RunCommandTest.Result a = pagelab("run", "--json", "--memory", "32M", "--mode", "metadata", "--workdir", dir.toString());
        RunCommandTest.Result b = pagelab("run", "--json", "--memory", "32M", "--mode", "metadata", "--workdir", dir.toString());
        assertThat(a.status()).as("stderr: %s", a.err()).isZero();
        assertThat(a.out()).contains("\"workdir\" : \"" + dir + "\"").isEqualTo(b.out());
    }
}
