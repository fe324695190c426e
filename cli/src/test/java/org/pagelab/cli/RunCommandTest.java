package org.pagelab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class RunCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One in-process invocation of {@code pagelab}: exit status and what it printed. */
    record Result(int status, String out, String err) {
        List<String> errLines() {
            return err.isEmpty() ? List.of() : List.of(err.split("\n"));
        }
    }

    static Result pagelab(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int status = cl.execute(args);
        return new Result(status, out.toString(), err.toString());
    }

    private static JsonNode json(Result r) throws IOException {
        assertThat(r.status()).as("stderr: %s", r.err()).isZero();
        return JSON.readTree(r.out());
    }

    /** A usage error: status 2, exactly one line on stderr, no stack trace, nothing on stdout. */
    static String usageError(Result r) {
        assertThat(r.status()).as("stderr: %s", r.err()).isEqualTo(Main.EXIT_USAGE);
        assertThat(r.out()).isEmpty();
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
        return r.errLines().getFirst();
    }

    // ---- successful runs ----

    @Test
    void defaultTextRunPrintsTheThreeFilesWithHeaders() {
        Result r = pagelab("run");
        assertThat(r.status()).as("stderr: %s", r.err()).isZero();
        assertThat(r.err()).isEmpty();
        String out = r.out();
        assertThat(out).startsWith("==> /proc/meminfo <==\nMemTotal:  ");
        assertThat(out).containsPattern("(?m)^MemTotal: +\\d+ kB$");
        assertThat(out).contains("\n\n==> /proc/vmstat <==\nnr_free_pages ");
        assertThat(out).contains("\n\n==> /proc/buddyinfo <==\nNode 0, zone    DMA32 ");
        assertThat(out).endsWith("\n");
        assertThat(out).doesNotContain("\n\n\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"data", "metadata"})
    void jsonRunHasTheStableKeysAndConsistentTotals(String mode) throws IOException {
        JsonNode root = json(pagelab("run", "--json", "--memory", "64M", "--mode", mode));
        List<String> keys = new ArrayList<>();
        root.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).contains("machine", "seed", "meminfo", "vmstat", "buddyinfo").doesNotContain("workdir");
        JsonNode machine = root.get("machine");
        assertThat(machine.get("memory_bytes").asLong()).isEqualTo(64L << 20);
        assertThat(machine.get("mode").asText()).isEqualTo(mode);
        assertThat(machine.get("min_free_kbytes").asInt()).isPositive();
        long managed = 0;
        for (Map.Entry<String, JsonNode> z : machine.get("zones").properties()) {
            assertThat(z.getValue().get("present").asLong()).isGreaterThanOrEqualTo(z.getValue().get("managed").asLong());
            managed += z.getValue().get("managed").asLong();
        }
        JsonNode meminfo = root.get("meminfo");
        assertThat(meminfo.get("MemTotal").isIntegralNumber()).isTrue();
        assertThat(meminfo.get("MemTotal").asLong()).isEqualTo(managed * 4);
        assertThat(root.get("vmstat").get("nr_free_pages").asLong() * 4).isEqualTo(meminfo.get("MemFree").asLong());
        long freeKb = 0;
        for (Map.Entry<String, JsonNode> z : root.get("buddyinfo").properties()) {
            assertThat(z.getValue().isArray()).isTrue();
            assertThat(z.getValue().size()).isEqualTo(11);
            for (int o = 0; o < 11; o++) {
                freeKb += (z.getValue().get(o).asLong() << o) * 4;
            }
        }
        assertThat(freeKb).isEqualTo(meminfo.get("MemFree").asLong());
        assertThat(root.get("buddyinfo").has("DMA32")).isTrue();
        JsonNode pressure = root.get("pressure");
        assertThat(pressure.fieldNames()).toIterable().containsExactly("memory", "io");
        for (JsonNode res : pressure) {
            assertThat(res.fieldNames()).toIterable().containsExactly("some", "full");
            assertThat(res.get("some").fieldNames()).toIterable().containsExactly("avg10", "avg60", "avg300", "total");
            assertThat(res.get("full").get("total").asLong()).isLessThanOrEqualTo(res.get("some").get("total").asLong());
            assertThat(res.get("some").get("avg10").isNumber()).isTrue();
        }
        assertThat(root.get("buddyinfo").has("Normal")).isTrue();
    }

    @Test
    void swapOptionTurnsOnASwapFileShownInMeminfoAndSwaps() throws IOException {
        JsonNode root = json(pagelab("run", "--json", "--memory", "64M", "--swap", "32M"));
        assertThat(root.get("meminfo").get("SwapTotal").asLong()).isEqualTo(32 * 1024 - 4);
        JsonNode swaps = root.get("swaps");
        assertThat(swaps).hasSize(1);
        assertThat(swaps.get(0).get("size_kb").asLong()).isEqualTo(32 * 1024 - 4);
        assertThat(swaps.get(0).get("priority").asInt()).isEqualTo(-2);
        Result bad = pagelab("run", "--swap", "4K");
        assertThat(bad.status()).isEqualTo(Main.EXIT_USAGE);
        assertThat(bad.errLines()).containsExactly("pagelab run: a swap area needs at least 8K (a header page and one slot),"
                + " or 0 for none");
    }

    @Test
    void sameRunTwiceGivesTheSameJson() {
        Result a = pagelab("run", "--json", "--memory", "64M");
        Result b = pagelab("run", "--json", "--memory", "64M");
        assertThat(a.status()).isZero();
        assertThat(b.status()).isZero();
        assertThat(a.out()).doesNotContain("workdir").isEqualTo(b.out());
    }

    @ParameterizedTest
    @ValueSource(strings = {"data", "metadata"})
    void processesAppearWithAnonymousRssAndPssAtMostRss(String mode) throws IOException {
        JsonNode root = json(pagelab("run", "--json", "--memory", "64M", "--mode", mode));
        JsonNode processes = root.get("processes");
        assertThat(processes).isNotNull();
        List<String> live = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : processes.properties()) {
            JsonNode p = e.getValue();
            assertThat(p.get("name").isTextual()).isTrue();
            if (!p.get("state").asText().equals("S (sleeping)")) {
                assertThat(p.get("state").asText()).isEqualTo("Z (zombie)");
                assertThat(p.has("status")).isFalse();
                continue;
            }
            live.add(p.get("name").asText());
            JsonNode status = p.get("status");
            JsonNode rollup = p.get("smaps_rollup");
            assertThat(status.get("Pid").asText()).isEqualTo(e.getKey());
            assertThat(status.get("RssAnon").asLong()).isPositive();
            assertThat(status.get("VmRSS").asLong()).isEqualTo(status.get("RssAnon").asLong());
            assertThat(rollup.get("Rss").asLong()).isEqualTo(status.get("VmRSS").asLong());
            assertThat(rollup.get("Pss").asLong()).isPositive().isLessThanOrEqualTo(rollup.get("Rss").asLong());
        }
        assertThat(live).containsExactly("anon-alloc", "forker");
        long committedKb = 0;
        for (JsonNode p : processes) {
            if (p.has("status")) {
                committedKb += p.get("status").get("VmSize").asLong();
            }
        }
        assertThat(root.get("meminfo").get("Committed_AS").asLong()).isEqualTo(committedKb);
    }

    @Test
    void textRunShowsTheLiveProcessesFiles() {
        Result r = pagelab("run", "--memory", "64M");
        assertThat(r.status()).as("stderr: %s", r.err()).isZero();
        // pid 1 "file-io" did the file work and exited; anon-alloc and forker stay; forker's child exited
        assertThat(r.out()).doesNotContain("==> /proc/1/");
        assertThat(r.out()).contains("\n\n==> /proc/2/status <==\nName:\tanon-alloc\nState:\tS (sleeping)\n");
        assertThat(r.out()).contains("\n\n==> /proc/3/smaps_rollup <==\n");
        assertThat(r.out()).containsPattern("(?m)^Pss: +\\d+ kB$");
        assertThat(r.out()).doesNotContain("==> /proc/4/");
        assertThat(r.out()).doesNotContain("\n\n\n");
    }

    @Test
    void seedIsReportedAndDifferentSeedsKeepTheShape() throws IOException {
        JsonNode root = json(pagelab("run", "--json", "--memory", "64M", "--seed", "7"));
        assertThat(root.get("seed").asLong()).isEqualTo(7);
    }

    // ---- the working directory ----

    @Test
    void temporaryWorkdirIsRemovedAfterTheRun() throws IOException {
        List<Path> before = temporaryWorkdirs();
        json(pagelab("run", "--json", "--memory", "64M"));
        assertThat(temporaryWorkdirs()).isSubsetOf(before);
    }

    private static List<Path> temporaryWorkdirs() throws IOException {
        try (var s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return s.filter(p -> p.getFileName().toString().startsWith("pagelab-run-")).toList();
        }
    }

    @Test
    void keepWorkdirKeepsTheTemporaryDirectory() throws IOException {
        JsonNode root = json(pagelab("run", "--json", "--memory", "64M", "--keep-workdir"));
        Path workdir = Path.of(root.get("workdir").asText());
        try {
            assertThat(workdir.getFileName().toString()).startsWith("pagelab-run-");
            assertThat(workdir).isDirectory();
        } finally {
            try (var s = Files.walk(workdir)) {
                for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    @Test
    void givenWorkdirIsCreatedAndNeverDeleted(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("a/b");
        JsonNode root = json(pagelab("run", "--json", "--memory", "64M", "--workdir", dir.toString()));
        assertThat(root.get("workdir").asText()).isEqualTo(dir.toString());
        assertThat(dir).isDirectory();
    }

    @Test
    void textRunSaysNothingAboutATemporaryWorkdir() {
        Result r = pagelab("run", "--memory", "64M", "--mode", "metadata");
        assertThat(r.status()).isZero();
        assertThat(r.out()).doesNotContain("pagelab-run-");
        assertThat(r.err()).isEmpty();
    }

    // ---- bad input ----

    @Test
    void malformedMemorySizeIsOneLineNamingTheValueAndTheOption() {
        String line = usageError(pagelab("run", "--memory", "1x"));
        assertThat(line).isEqualTo("pagelab run: invalid size '1x' for --memory:"
                + " expected a number with an optional K, M, G or T suffix");
    }

    @Test
    void memoryTooSmallForAMachineIsOneLine() {
        String line = usageError(pagelab("run", "--memory", "8k"));
        assertThat(line).startsWith("pagelab run: ").contains("'8k'").contains("--memory").contains("16M");
    }

    @Test
    void theBuiltInWorkloadRunsOnTheSmallestMachineThroughReclaim() throws IOException {
        // its files and processes need about 50M; on 16M reclaim recycles the page cache
        Result r = pagelab("run", "--json", "--memory", "16M");
        assertThat(r.status()).as("stderr: %s", r.err()).isZero();
        JsonNode vmstat = json(r).get("vmstat");
        assertThat(vmstat.get("pgsteal_file").asLong()).isPositive();
        assertThat(vmstat.get("oom_kill").asLong()).isZero();
    }

    @Test
    void unknownModeIsOneLine() {
        String line = usageError(pagelab("run", "--mode", "foo"));
        assertThat(line).isEqualTo("pagelab run: invalid mode 'foo' for --mode: expected data or metadata");
    }

    @Test
    void unknownOptionIsOneLine() {
        String line = usageError(pagelab("run", "--frobnicate"));
        assertThat(line).startsWith("pagelab run: ").contains("'--frobnicate'").contains("pagelab run --help");
    }

    @Test
    void missingOptionValueIsOneLine() {
        String line = usageError(pagelab("run", "--memory"));
        assertThat(line).startsWith("pagelab run: ").contains("--memory");
    }

    @Test
    void missingScenarioFileIsOneLine() {
        String line = usageError(pagelab("run", "workload.yaml"));
        assertThat(line).startsWith("pagelab run: cannot read scenario file 'workload.yaml'");
    }

    @Test
    void workdirThatIsAFileIsOneLine(@TempDir Path tmp) throws IOException {
        Path file = Files.writeString(tmp.resolve("f"), "x");
        String line = usageError(pagelab("run", "--workdir", file.toString()));
        assertThat(line).contains("--workdir").contains(file.toString());
    }

    @Test
    void unknownCommandAndNoCommandAreUsageErrors() {
        assertThat(usageError(pagelab("frobnicate"))).isEqualTo("pagelab: unknown command 'frobnicate'; see 'pagelab --help'");
        assertThat(usageError(pagelab())).startsWith("pagelab: missing command");
    }

    // ---- help and version ----

    @Test
    void helpAndVersionSucceed() {
        Result help = pagelab("--help");
        assertThat(help.status()).isZero();
        assertThat(help.out()).contains("Usage: pagelab").contains("run").contains("Exit status:");
        Result runHelp = pagelab("run", "--help");
        assertThat(runHelp.status()).isZero();
        assertThat(runHelp.out()).contains("--memory=SIZE").contains("--mode=MODE").contains("--json")
                .contains("--workdir=DIR").contains("--seed=N").contains("--keep-workdir");
        Result version = pagelab("--version");
        assertThat(version.status()).isZero();
        assertThat(version.out()).startsWith("pagelab ").contains("Java ");
    }
}
