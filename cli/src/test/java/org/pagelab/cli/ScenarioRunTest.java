package org.pagelab.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pagelab.cli.RunCommandTest.pagelab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ScenarioRunTest {
    static List<Path> examples() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("../examples"))) {
            List<Path> all = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
            assertThat(all).isNotEmpty();
            return all;
        }
    }

    @ParameterizedTest
    @MethodSource("examples")
    void everyExampleRunsGreen(Path example) {
        RunCommandTest.Result r = pagelab("run", example.toString());
        assertThat(r.status()).as("stderr: %s", r.err()).isZero();
        assertThat(r.out()).startsWith("==> /proc/meminfo <==");
    }

    @Test
    void segfaultExampleShowsTheKill() {
        RunCommandTest.Result r = pagelab("run", "../examples/segfault.yaml");
        assertThat(r.out()).contains("==> events <==").contains("(crasher) killed by SIGSEGV");
    }

    @Test
    void badSizeIsExit2WithFileAndLine(@TempDir Path tmp) throws IOException {
        Path f = Files.writeString(tmp.resolve("s.yaml"), """
                processes:
                  - name: a
                    steps:
                      - mmap: { name: b, size: 1X, prot: rw }
                """);
        RunCommandTest.Result r = pagelab("run", f.toString());
        assertThat(r.status()).isEqualTo(Main.EXIT_USAGE);
        assertThat(r.out()).isEmpty();
        assertThat(r.errLines()).containsExactly(f + ":4: bad size: invalid size '1X': expected a number"
                + " with an optional K, M, G or T suffix");
    }

    @Test
    void failedExpectIsExit1NamingTheStep(@TempDir Path tmp) throws IOException {
        Path f = Files.writeString(tmp.resolve("s.yaml"), """
                processes:
                  - name: p
                    steps:
                      - mmap: { name: b, size: 8K, prot: rw }
                      - write: { region: b, offset: 4K, length: 4K, fill: 7 }
                      - expect: { region: b, length: 8K, equals: 0 }
                """);
        RunCommandTest.Result r = pagelab("run", f.toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.errLines()).containsExactly("pagelab run: " + f
                + ": process p step 3 (expect): region 'b' byte at offset 4096 is 0x07, expected 0x00");
    }

    @Test
    void fileValuesWinOverOptionsAndJsonWorks(@TempDir Path tmp) throws IOException {
        Path f = Files.writeString(tmp.resolve("s.yaml"), """
                machine: { memory: 32M, seed: 5 }
                processes:
                  - name: p
                    steps:
                      - mmap: { name: b, size: 8K, prot: rw }
                """);
        RunCommandTest.Result r = pagelab("run", "--json", "--memory", "128M", "--mode", "metadata", f.toString());
        assertThat(r.status()).as("stderr: %s", r.err()).isZero();
        assertThat(r.out()).contains("\"memory_bytes\" : " + (32L << 20)).contains("\"mode\" : \"metadata\"")
                .contains("\"seed\" : 5");
    }
}
