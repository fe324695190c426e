package org.pagelab.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pagelab.cli.RunCommandTest.pagelab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.pagelab.testing.Seeds;

@ExtendWith(Seeds.class)
class ReplayCommandTest {
    private static Path plainTrace(Path dir, int records, long seed) throws IOException {
        SplittableRandom rnd = new SplittableRandom(Seeds.derive(seed));
        StringBuilder sb = new StringBuilder("# random accesses over 48M\n");
        for (int i = 0; i < records; i++) {
            sb.append(rnd.nextInt(10) < 9 ? "W " : "R ").append("0x")
                    .append(Long.toHexString(0x10000000L + rnd.nextLong(48L << 20))).append('\n');
        }
        return Files.writeString(dir.resolve("t.txt"), sb);
    }

    @Test
    void aMemoryTraceBiggerThanRamSwapsAndReportsTheReplay(@TempDir Path tmp) throws IOException {
        Path t = plainTrace(tmp, 30000, 1);
        RunCommandTest.Result r = pagelab("replay", "plain:" + t, "--memory", "32M", "--swap", "64M", "--json");
        assertThat(r.status()).as("stderr: %s", r.err()).isZero();
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertThat(root.get("replay").get("records").asLong()).isEqualTo(30000);
        assertThat(root.get("replay").get("processes").asInt()).isEqualTo(1);
        assertThat(root.get("vmstat").get("pswpout").asLong()).isPositive();
        assertThat(root.get("time").get("elapsed_ns").asLong()).isPositive();
        assertThat(root.get("machine").get("mode").asText()).isEqualTo("metadata");
    }

    /**
     * --policy mglru boots the machine with the multi-generational LRU: the same trace under memory
     * pressure then reclaims differently from twolist (until this was fixed, every replay booted the
     * default policy and only the report said mglru).
     */
    @Test
    void theMachinesReclaimPolicyIsTheOneNamed(@TempDir Path tmp) throws IOException {
        Path t = plainTrace(tmp, 30000, 3);
        JsonNode[] vmstat = new JsonNode[2];
        String[] names = {"twolist", "mglru"};
        for (int i = 0; i < 2; i++) {
            RunCommandTest.Result r = pagelab("replay", "plain:" + t, "--memory", "32M", "--swap", "64M", "--policy", names[i],
                    "--json");
            assertThat(r.status()).as("%s, stderr: %s", names[i], r.err()).isZero();
            vmstat[i] = new ObjectMapper().readTree(r.out()).get("vmstat");
            assertThat(vmstat[i].get("pswpout").asLong()).as(names[i]).isPositive();
        }
        assertThat(vmstat[1]).as("mglru's counters are its own").isNotEqualTo(vmstat[0]);
    }

    /** A trace that writes 4M sequentially from a 2M-aligned address: two PMD-sized ranges. */
    static Path alignedWrites(Path dir) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 1024; i++) {
            sb.append("W 0x").append(Long.toHexString(0x40000000L + i * 4096L)).append('\n');
        }
        return Files.writeString(dir.resolve("aligned.txt"), sb);
    }

    @Test
    void theThpSettingDecidesWhetherAlignedAnonymousRangesGetHugePages(@TempDir Path tmp) throws IOException {
        Path t = alignedWrites(tmp);
        long[] alloc = new long[3];
        String[] modes = {"always", "madvise", "never"};
        for (int i = 0; i < 3; i++) {
            RunCommandTest.Result r = pagelab("replay", "plain:" + t, "--memory", "64M", "--thp", modes[i], "--json");
            assertThat(r.status()).as("%s, stderr: %s", modes[i], r.err()).isZero();
            alloc[i] = new ObjectMapper().readTree(r.out()).get("vmstat").get("thp_fault_alloc").asLong();
        }
        assertThat(alloc[0]).as("always: both 2M ranges").isEqualTo(2);
        assertThat(alloc[1]).as("madvise: a trace's VMAs are not madvised").isZero();
        assertThat(alloc[2]).isZero();
    }

    @Test
    void aBadThpSettingIsRefusedNamingTheValue(@TempDir Path tmp) throws IOException {
        RunCommandTest.Result r = pagelab("replay", "plain:" + alignedWrites(tmp), "--thp", "sometimes");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("--thp").contains("'sometimes': expected always, madvise or never");
        RunCommandTest.Result p = pagelab("replay", "plain:" + alignedWrites(tmp), "--policy-only", "--pages", "8",
                "--policy", "lru", "--thp", "never");
        assertThat(p.status()).isEqualTo(2);
        assertThat(p.err()).contains("--policy-only has no machine");
    }

    /**
     * 4M written from a 2M-aligned address (1,024 pages) faults once per folio: what --thp and
     * --thp-size choose decides the folio size, so pgfault is 1,024 divided by the pages of the
     * largest size allowed, and thp_fault_alloc counts only PMD-sized folios.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "''                                   | 2    | 2",
        "--thp never --thp-size 64K=always    | 64   | 0",
        "--thp-size 16K=always,2M=never       | 256  | 0",
        "--thp-size 1M=always --thp-size 2M=never | 4 | 0",
        "--thp-size 2M=never                  | 1024 | 0",
        "--thp never --thp-size 2M=always     | 2    | 2",
        "--thp never --thp-size 64K=inherit   | 1024 | 0",
        "--thp always --thp-size 64K=inherit,2M=never | 64 | 0",
        "--thp madvise --thp-size 32K=madvise | 1024 | 0",
        "--thp-size 64kB=always,2048K=never   | 64   | 0",
    })
    void perSizeSettingsChooseTheFolioSizeOfEachFault(String options, long pgfault, long thpFaultAlloc, @TempDir Path tmp)
            throws IOException {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("replay", "plain:" + alignedWrites(tmp),
                "--memory", "64M", "--json"));
        if (!options.isBlank()) {
            args.addAll(java.util.List.of(options.trim().split(" +")));
        }
        RunCommandTest.Result r = pagelab(args.toArray(String[]::new));
        assertThat(r.status()).as("stderr: %s", r.err()).isZero();
        JsonNode vmstat = new ObjectMapper().readTree(r.out()).get("vmstat");
        assertThat(vmstat.get("pgfault").asLong()).isEqualTo(pgfault);
        assertThat(vmstat.get("thp_fault_alloc").asLong()).isEqualTo(thpFaultAlloc);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "64K=sometimes | invalid value for option '--thp-size' (SIZE=MODE): '64K=sometimes': bad mode 'sometimes' for"
                + " hugepages-64kB/enabled: expected always, inherit, madvise or never",
        "8K=always     | invalid value for option '--thp-size' (SIZE=MODE): '8K=always': no transparent huge page size"
                + " '8K' (expected 16K, 32K, 64K, 128K, 256K, 512K, 1M or 2M)",
        "4M=never      | invalid value for option '--thp-size' (SIZE=MODE): '4M=never': no transparent huge page size"
                + " '4M' (expected 16K, 32K, 64K, 128K, 256K, 512K, 1M or 2M)",
        "64K           | invalid value for option '--thp-size' (SIZE=MODE): '64K': expected SIZE=MODE, such as 64K=always",
        "=always       | invalid value for option '--thp-size' (SIZE=MODE): '=always': no transparent huge page size ''"
                + " (expected 16K, 32K, 64K, 128K, 256K, 512K, 1M or 2M)",
        "64K=always,64kB=never | --thp-size: size 64K is given twice (64K=always, 64K=never)",
    })
    void aBadPerSizeSettingIsRefusedNamingTheOptionAndTheValue(String value, String message, @TempDir Path tmp)
            throws IOException {
        RunCommandTest.Result r = pagelab("replay", "plain:" + alignedWrites(tmp), "--thp-size", value);
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).startsWith("pagelab replay: " + message + "\n");
        assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void perSizeSettingsNeedAMachine(@TempDir Path tmp) throws IOException {
        RunCommandTest.Result p = pagelab("replay", "plain:" + alignedWrites(tmp), "--policy-only", "--pages", "8",
                "--policy", "lru", "--thp-size", "64K=always");
        assertThat(p.status()).isEqualTo(2);
        assertThat(p.err()).contains("--thp-size sets a whole machine's huge pages; --policy-only has no machine");
    }

    @Test
    void aReplayWhoseProcessTheOomKillerEndsSaysSoOnItsSummary(@TempDir Path tmp) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            sb.append("W 0x").append(Long.toHexString(0x10000000L + i * 4096L)).append('\n');
        }
        Path t = Files.writeString(tmp.resolve("grow.txt"), sb);
        RunCommandTest.Result r = pagelab("replay", "plain:" + t, "--memory", "16M");
        assertThat(r.out()).as("stderr: %s", r.err())
                .contains("\nkilled 1 (the OOM killer ended processes of the trace before their last record)\n")
                .contains("killed by SIGKILL (oom-kill)");
    }

    /**
     * A cgroup at its limit with no swap, THP on: khugepaged collapses the replay's ranges while
     * the replay runs into its limit. An order-9 charge fails without the OOM killer (the kernel's
     * mem_cgroup_oom skips costly orders), and when something else kills the replay while a kernel
     * thread runs, the replay ends cleanly. Before, the collapse's charge killed the replay and
     * khugepaged went on to walk its destroyed page table (a NullPointerException, found by
     * SparkSweepTest).
     */
    @Test
    void aCgroupLimitWithoutSwapUnderKhugepagedEndsCleanly(@TempDir Path tmp) throws IOException {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(20261204L);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 30_000; i++) {
            sb.append(rnd.nextInt(3) == 0 ? "W" : "R").append(" 0x")
                    .append(Long.toHexString(0x10000000L + rnd.nextInt(6000) * 4096L)).append('\n');
        }
        Path t = Files.writeString(tmp.resolve("t.txt"), sb);
        for (String memory : new String[] {"16M", "32M"}) {
            RunCommandTest.Result r = pagelab("replay", "plain:" + t, "--memory", memory, "--swap", "0", "--cgroup-max", "8M");
            assertThat(r.status()).as("%s: stderr: %s", memory, r.err()).isIn(0);
            assertThat(r.err()).doesNotContain("internal error");
        }
    }

    @Test
    void cgroupMaxKeepsTheReplayInsideItsLimitOnABigMachine(@TempDir Path tmp) throws IOException {
        Path t = plainTrace(tmp, 30000, 2);
        RunCommandTest.Result r = pagelab("replay", "plain:" + t, "--memory", "256M", "--swap", "64M", "--cgroup-max", "8M",
                "--json");
        assertThat(r.status()).as("stderr: %s", r.err()).isZero();
        JsonNode root = new ObjectMapper().readTree(r.out());
        JsonNode cg = root.get("cgroups").get("/replay");
        assertThat(cg.get("memory.max").asLong()).isEqualTo(8L << 20);
        assertThat(cg.get("memory.peak").asLong()).isLessThanOrEqualTo(8L << 20);
        assertThat(cg.get("memory.events").get("max").asLong()).isPositive();
        assertThat(cg.get("memory.stat").get("pswpout").asLong()).as("swapped at its limit, with 256M free around it")
                .isPositive().isEqualTo(root.get("vmstat").get("pswpout").asLong());
        assertThat(root.get("vmstat").get("pgscan_direct").asLong()).as("cgroup reclaim is not counted machine-wide")
                .isZero();
        assertThat(pagelab("replay", "plain:" + t, "--policy-only", "--pages", "10", "--cgroup-max", "8M").status())
                .isEqualTo(Main.EXIT_USAGE);
    }

    @Test
    void aBlockTraceGoesThroughThePageCache(@TempDir Path tmp) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            sb.append(i % 100).append('\n');
        }
        Path t = Files.writeString(tmp.resolve("b.lirs"), sb);
        RunCommandTest.Result r = pagelab("replay", "lirs:" + t, "--json");
        assertThat(r.status()).as("stderr: %s", r.err()).isZero();
        JsonNode vmstat = new ObjectMapper().readTree(r.out()).get("vmstat");
        assertThat(vmstat.get("nr_file_pages").asLong()).isGreaterThanOrEqualTo(100);
    }

    @Test
    void aMalformedTraceIsExit2NamingFileLineAndValue(@TempDir Path tmp) throws IOException {
        Path t = Files.writeString(tmp.resolve("bad.txt"), "R 0x10000000\nR 0xZZ\n");
        RunCommandTest.Result r = pagelab("replay", "plain:" + t);
        assertThat(r.status()).isEqualTo(Main.EXIT_USAGE);
        assertThat(r.errLines()).containsExactly("pagelab replay: " + t + ":2: bad address '0xZZ' (expected 0x and 1 to 16 hexadecimal digits, or a decimal"
                + " integer below 2^64)");
    }

    @Test
    void anAddressOutsideUserSpaceIsExit2NamingTheRecord(@TempDir Path tmp) throws IOException {
        Path t = Files.writeString(tmp.resolve("low.txt"), "R 0x10000000\nW 0x1000\n");
        RunCommandTest.Result r = pagelab("replay", "plain:" + t);
        assertThat(r.status()).isEqualTo(Main.EXIT_USAGE);
        assertThat(r.errLines()).containsExactly("pagelab replay: " + t
                + ":2: record 2: address 0x1000 is outside user space (0x10000 to 0x7ffffffff000)");
    }

    @Test
    void unknownFormatPolicyAndDataModeAreUsageErrors(@TempDir Path tmp) throws IOException {
        Path t = plainTrace(tmp, 10, 2);
        assertThat(pagelab("replay", "wiki:" + t).errLines().getFirst()).startsWith("pagelab replay: wiki:")
                .contains("unknown trace format 'wiki'");
        assertThat(pagelab("replay", "plain:" + t, "--policy", "magic").errLines())
                .containsExactly("pagelab replay: unknown --policy 'magic' for a whole machine (known: twolist, mglru)");
        assertThat(pagelab("replay", "plain:" + t, "--mode", "data").status()).isEqualTo(Main.EXIT_USAGE);
    }

    @Test
    void convertWritesThePagelabFormatThatReplaysTheSame(@TempDir Path tmp) throws IOException {
        Path t = plainTrace(tmp, 5000, 3);
        Path out = tmp.resolve("t.pglt");
        RunCommandTest.Result c = pagelab("convert", "plain:" + t, out.toString());
        assertThat(c.status()).as("stderr: %s", c.err()).isZero();
        assertThat(c.out()).isEqualTo("5000 records written to " + out + "\n");
        assertThat(pagelab("convert", "plain:" + t, out.toString()).status()).as("refuses to overwrite")
                .isEqualTo(Main.EXIT_USAGE);
        JsonNode a = new ObjectMapper().readTree(pagelab("replay", "plain:" + t, "--json").out());
        JsonNode b = new ObjectMapper().readTree(pagelab("replay", "pagelab:" + out, "--json").out());
        assertThat(b.get("vmstat")).isEqualTo(a.get("vmstat"));
        assertThat(b.get("time").get("elapsed_ns")).isEqualTo(a.get("time").get("elapsed_ns"));
    }

    @Test
    void theSameTraceReplayedTwiceGivesByteIdenticalJson(@TempDir Path tmp) throws IOException {
        Path t = plainTrace(tmp, 20000, 4);
        String first = pagelab("replay", "plain:" + t, "--memory", "32M", "--swap", "32M", "--json").out();
        String second = pagelab("replay", "plain:" + t, "--memory", "32M", "--swap", "32M", "--json").out();
        assertThat(second).isEqualTo(first);
        assertThat(pagelab("replay", "plain:" + t, "--policy-only", "--pages", "100", "--policy", "arc", "--json").out())
                .isEqualTo(pagelab("replay", "plain:" + t, "--policy-only", "--pages", "100", "--policy", "arc", "--json").out());
    }

    @Test
    void theReportOfAReplayChartsItsSwappingAndIsTheSamePageEveryTime(@TempDir Path tmp) throws IOException {
        Path t = plainTrace(tmp, 30000, 1);
        Path a = tmp.resolve("a.html");
        Path b = tmp.resolve("b.html");
        Path csv = tmp.resolve("a.csv");
        RunCommandTest.Result r = pagelab("replay", "plain:" + t, "--memory", "32M", "--swap", "64M", "--report", a.toString(),
                "--series", csv.toString(), "--series-interval", "200us");
        assertThat(r.status()).as("stderr: %s", r.err()).isZero();
        assertThat(pagelab("replay", "plain:" + t, "--memory", "32M", "--swap", "64M", "--report", b.toString(),
                "--series-interval", "200us").status()).isZero();
        String page = Files.readString(a);
        assertThat(Files.readString(b)).as("the page depends on the run alone").isEqualTo(page);
        assertThat(page).as("usable swap: the header page is not a slot").contains("<th>records</th><td>30000</td>", "<th>machine</th><td>32M memory, 65532K swap, 2 CPUs</td>",
                "<div class=\"chart\" id=\"chart-swap\"></div>");
        String[] last = Files.readAllLines(csv).getLast().split(",");
        long swapKb = Long.parseLong(last[org.pagelab.machine.TimeSeries.COLUMNS.indexOf("swap_used_kb")]);
        assertThat(swapKb).isPositive();
        assertThat(page).as("the swap chart ends at the last sample's swap in use, in MiB")
                .containsPattern("\"id\":\"swap\".*\"y\":\\[[^\\]]*," + java.util.regex.Pattern.quote(
                        Double.toString(swapKb / 1024.0)) + "\\]");
    }
}
