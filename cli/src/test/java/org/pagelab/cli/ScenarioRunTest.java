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

    private static long vmstat(String out, String name) {
        for (String line : out.split("\n")) {
            if (line.startsWith(name + " ")) {
                return Long.parseLong(line.substring(name.length() + 1).trim());
            }
        }
        throw new AssertionError("no " + name + " in the report");
    }

    @Test
    void refaultDetectionLetsTheNewFileSetTakeOverTheCache() {
        RunCommandTest.Result on = pagelab("run", "../examples/workingset-on.yaml");
        RunCommandTest.Result off = pagelab("run", "../examples/workingset-off.yaml");
        long setKb = 48 * 1024;
        // without detection every one of the 8 passes over set B reads all of it from the file
        assertThat(vmstat(off.out(), "pgpgin")).isEqualTo(setKb + 8 * setKb);
        assertThat(vmstat(off.out(), "workingset_activate_file")).isZero();
        assertThat(vmstat(off.out(), "workingset_refault_file")).isPositive();
        // with it, B's refaults activate and the later passes hit in the cache
        assertThat(vmstat(on.out(), "workingset_activate_file")).isPositive();
        assertThat(vmstat(on.out(), "pgpgin")).isLessThan(setKb + 4 * setKb);
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

    @Test
    void jsonListsTheMarksInOrderWithEveryCounter() throws IOException {
        RunCommandTest.Result r = pagelab("run", "../examples/file-phases.yaml", "--json");
        assertThat(r.status()).as("stderr: %s", r.err()).isZero();
        com.fasterxml.jackson.databind.JsonNode marks = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out())
                .get("marks");
        List<String> names = new java.util.ArrayList<>();
        marks.forEach(m -> names.add(m.get("name").asText()));
        assertThat(names).containsExactly("start", "write", "sync", "drop", "read", "read", "unlink");
        long fileKb = 96 * 1024;
        com.fasterxml.jackson.databind.JsonNode drop = marks.get(3).get("counters");
        com.fasterxml.jackson.databind.JsonNode read = marks.get(4).get("counters");
        assertThat(read.get("vmstat").get("pgpgin").asLong() - drop.get("vmstat").get("pgpgin").asLong())
                .isEqualTo(fileKb);
        assertThat(drop.get("meminfo").get("Cached").asLong()).isZero();
        assertThat(marks.get(4).get("time_ns").asLong()).isGreaterThan(marks.get(3).get("time_ns").asLong());
        assertThat(marks.get(0).get("process").asText()).isEqualTo("io");
    }
}
