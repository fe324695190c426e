package org.pagelab.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pagelab.cli.RunCommandTest.pagelab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.pagelab.testing.Seeds;

@ExtendWith(Seeds.class)
class CompareCommandTest {
    /** picocli reports a description it cannot format ("%" not doubled) on System.err, not on the command's stream. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"run", "replay", "compare", "convert", "bench"})
    void helpPrintsNoPicocliWarnings(String command) {
        java.io.PrintStream saved = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        RunCommandTest.Result r;
        try {
            System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
            r = pagelab(command, "--help");
        } finally {
            System.setErr(saved);
        }
        assertThat(r.status()).isZero();
        assertThat(captured.toString(java.nio.charset.StandardCharsets.UTF_8)).doesNotContain("picocli WARN");
        assertThat(r.out()).contains("Usage: pagelab " + command);
    }

    /** The reference string of Belady's anomaly, 1,2,3,4,1,2,5,1,2,3,4,5, as page accesses. */
    private static Path belady(Path dir) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int p : new int[] {1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5}) {
            sb.append("R 0x").append(Long.toHexString(0x10000000L + p * 4096L)).append('\n');
        }
        return Files.writeString(dir.resolve("belady.txt"), sb);
    }

    @Test
    void policyOnlyJsonHasTheCacheSimulatorFieldsAndBeladysAnomalyShows(@TempDir Path tmp) throws IOException {
        Path t = belady(tmp);
        ObjectMapper m = new ObjectMapper();
        JsonNode three = m.readTree(pagelab("replay", "plain:" + t, "--policy-only", "--policy", "fifo", "--pages", "3",
                "--json").out());
        JsonNode four = m.readTree(pagelab("replay", "plain:" + t, "--policy-only", "--policy", "fifo", "--pages", "4",
                "--json").out());
        assertThat(three.get("policy").asText()).isEqualTo("fifo");
        assertThat(three.get("accesses").asLong()).isEqualTo(12);
        assertThat(three.get("misses").asLong()).isEqualTo(9);
        assertThat(four.get("misses").asLong()).as("more memory, more misses under FIFO").isEqualTo(10);
        assertThat(three.get("miss_ratio").asDouble()).isEqualTo(9 / 12.0);
        assertThat(three.get("hits").asLong()).isEqualTo(3);
    }

    @Test
    void compareAddsOptAsTheBoundAndItIsNeverBeaten(@TempDir Path tmp) throws IOException {
        StringBuilder sb = new StringBuilder();
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(Seeds.derive(5));
        for (int i = 0; i < 20000; i++) {
            long page = rnd.nextInt(10) < 7 ? rnd.nextInt(200) : rnd.nextInt(5000);
            sb.append("R 0x").append(Long.toHexString(0x10000000L + page * 4096)).append('\n');
        }
        Path t = Files.writeString(tmp.resolve("t.txt"), sb);
        RunCommandTest.Result r = pagelab("compare", "plain:" + t, "--policies", "lru,arc", "--sizes", "64,256,1M", "--json");
        assertThat(r.status()).as("stderr: %s", r.err()).isZero();
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertThat(root.get("pages").toString()).isEqualTo("[64,256,256]");
        JsonNode mr = root.get("miss_ratio");
        assertThat(mr.fieldNames()).toIterable().containsExactly("lru", "arc", "opt");
        for (int k = 0; k < 3; k++) {
            assertThat(mr.get("opt").get(k).asDouble()).isLessThanOrEqualTo(mr.get("lru").get(k).asDouble());
            assertThat(mr.get("opt").get(k).asDouble()).isLessThanOrEqualTo(mr.get("arc").get(k).asDouble());
        }
        RunCommandTest.Result curve = pagelab("compare", "plain:" + t, "--mrc");
        assertThat(curve.status()).isZero();
        assertThat(curve.out()).startsWith("# 20000 accesses, footprint ");
    }

    @Test
    void theWholeMachineRunsTakeTheThpSettingAndSayWhichItWas(@TempDir Path tmp) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < 6000; i++) {
                sb.append("W 0x").append(Long.toHexString(0x40000000L + i * 4096L)).append('\n');
            }
        }
        Path t = Files.writeString(tmp.resolve("t.txt"), sb);
        JsonNode never = new ObjectMapper().readTree(pagelab("compare", "plain:" + t, "--policies", "lru,twolist", "--sizes", "8192",
                "--thp", "never", "--json").out()).get("machine");
        assertThat(never.get("transparent_hugepage").asText()).isEqualTo("never");
        JsonNode dflt = new ObjectMapper().readTree(pagelab("compare", "plain:" + t, "--policies", "lru,twolist", "--sizes", "8192",
                "--json").out()).get("machine");
        assertThat(dflt.has("transparent_hugepage")).as("no --thp: the kernel's default, not named").isFalse();
        RunCommandTest.Result text = pagelab("compare", "plain:" + t, "--policies", "lru,twolist", "--sizes", "8192", "--thp", "always");
        assertThat(text.status()).as("stderr: %s", text.err()).isZero();
        assertThat(text.out()).contains("swap, THP always, reclaim policies twolist");
        RunCommandTest.Result bad = pagelab("compare", "plain:" + t, "--thp", "yes");
        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.err()).contains("'yes': expected always, madvise or never");
    }

    @Test
    void theWholeMachineRunsTakePerSizeSettingsAndSayWhichTheyWere(@TempDir Path tmp) throws IOException {
        Path t = ReplayCommandTest.alignedWrites(tmp);
        JsonNode machine = new ObjectMapper().readTree(pagelab("compare", "plain:" + t, "--policies", "lru,twolist",
                "--sizes", "8192", "--thp", "never", "--thp-size", "2M=never", "--thp-size", "64K=always", "--json").out())
                .get("machine");
        assertThat(machine.get("transparent_hugepage").asText()).isEqualTo("never");
        assertThat(machine.get("transparent_hugepage_sizes").toString()).isEqualTo("{\"64kB\":\"always\",\"2048kB\":\"never\"}");
        RunCommandTest.Result text = pagelab("compare", "plain:" + t, "--policies", "lru,twolist", "--sizes", "8192",
                "--thp-size", "16K=always,2M=madvise");
        assertThat(text.status()).as("stderr: %s", text.err()).isZero();
        assertThat(text.out()).contains("swap, THP 16K=always 2M=madvise, reclaim policies twolist");
        RunCommandTest.Result bad = pagelab("compare", "plain:" + t, "--thp-size", "64K=yes");
        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.err()).startsWith("pagelab compare: invalid value for option '--thp-size' (SIZE=MODE): '64K=yes':"
                + " bad mode 'yes' for hugepages-64kB/enabled: expected always, inherit, madvise or never\n");
        RunCommandTest.Result twice = pagelab("compare", "plain:" + t, "--thp-size", "2M=never", "--thp-size", "2048kB=always");
        assertThat(twice.status()).isEqualTo(2);
        assertThat(twice.err()).startsWith("pagelab compare: --thp-size: size 2M is given twice (2M=never, 2M=always)\n");
    }

    /** A skewed stream of 20,000 page reads (70% to 200 pages, 30% to 5,000), from the test's seed. */
    private static Path skewed(Path dir, long seed) throws IOException {
        StringBuilder sb = new StringBuilder();
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed);
        for (int i = 0; i < 20000; i++) {
            long page = rnd.nextInt(10) < 7 ? rnd.nextInt(200) : rnd.nextInt(5000);
            sb.append("R 0x").append(Long.toHexString(0x10000000L + page * 4096)).append('\n');
        }
        return Files.writeString(dir.resolve("skewed.txt"), sb);
    }

    @Test
    void mrcOfEveryPolicyNamedEqualsTheTableAndTheHistogramGivesLrusCurve(@TempDir Path tmp) throws IOException {
        long seed = Seeds.derive(19);
        Path t = skewed(tmp, seed);
        ObjectMapper m = new ObjectMapper();
        RunCommandTest.Result curve = pagelab("compare", "plain:" + t, "--mrc", "--policies", "lru,arc,sieve", "--sizes",
                "16,64,256", "--json");
        assertThat(curve.status()).as("seed %d, stderr: %s", seed, curve.err()).isZero();
        JsonNode mrc = m.readTree(curve.out()).get("mrc");
        JsonNode table = m.readTree(pagelab("compare", "plain:" + t, "--policy-only", "--policies", "lru,arc,sieve",
                "--sizes", "16,64,256", "--json").out()).get("miss_ratio");
        JsonNode mrcMisses = m.readTree(curve.out()).get("misses");
        JsonNode tableMisses = m.readTree(pagelab("compare", "plain:" + t, "--policy-only", "--policies", "lru,arc,sieve",
                "--sizes", "16,64,256", "--json").out()).get("misses");
        for (int k = 0; k < 3; k++) {
            assertThat(mrcMisses.get(k).get("pages").asInt()).isEqualTo(mrc.get(k).get("pages").asInt());
            for (String p : new String[] {"lru", "arc", "sieve", "opt"}) {
                assertThat(mrc.get(k).get(p).asDouble()).as("seed %d %s at size %d", seed, p, k)
                        .isEqualTo(table.get(p).get(k).asDouble());
                assertThat(mrcMisses.get(k).get(p).asLong()).as("seed %d %s misses at size %d", seed, p, k)
                        .isEqualTo(tableMisses.get(p).get(k).asLong());
            }
        }
        JsonNode hist = m.readTree(pagelab("compare", "plain:" + t, "--stack-distances", "--json").out());
        long lruHitsAt64 = 0;
        for (JsonNode b : hist.get("buckets")) {
            if (b.get("to").asLong() <= 64) {
                lruHitsAt64 += b.get("accesses").asLong();
            }
        }
        assertThat(hist.get("accesses").asLong()).isEqualTo(20000);
        assertThat(20000 - lruHitsAt64).as("seed %d: LRU misses at 64 pages", seed)
                .isEqualTo(Math.round(table.get("lru").get(1).asDouble() * 20000));
        assertThat(pagelab("compare", "plain:" + t, "--stack-distances").out()).contains("cold (first access)")
                .startsWith("# LRU stack distances; 20000 accesses, footprint ");
    }

    /** 100,000 reads of one page and a first read of one more: ratios of 0.0000, but 2 misses, which --mrc prints. */
    @Test
    void mrcPrintsMissCountsSoThatARatioOfZeroHidesNoMiss(@TempDir Path tmp) throws IOException {
        Path t = Files.writeString(tmp.resolve("one.txt"), "R 0x10000\n".repeat(100_000) + "R 0x20000\n");
        RunCommandTest.Result r = pagelab("compare", "plain:" + t, "--mrc", "--policies", "lru,fifo", "--sizes", "4,8");
        assertThat(r.status()).as("stderr: %s", r.err()).isZero();
        assertThat(r.out().lines()).containsExactly(
                "# 100001 accesses, footprint 2 pages",
                "     pages      lru     fifo      opt",
                "         4   0.0000   0.0000   0.0000",
                "         8   0.0000   0.0000   0.0000",
                "",
                "# misses (hits = 100001 - misses)",
                "     pages      lru     fifo      opt",
                "         4        2        2        2",
                "         8        2        2        2");
        JsonNode misses = new ObjectMapper().readTree(pagelab("compare", "plain:" + t, "--mrc", "--sizes", "4", "--json").out())
                .get("misses");
        assertThat(misses.toString()).isEqualTo("[{\"pages\":4,\"lru\":2,\"opt\":2}]");
    }

    @Test
    void shardsReportsItsRateAndSampleAndRefusesBadRates(@TempDir Path tmp) throws IOException {
        long seed = Seeds.derive(23);
        Path t = skewed(tmp, seed);
        RunCommandTest.Result r = pagelab("compare", "plain:" + t, "--policy-only", "--policies", "lru", "--sizes", "1000",
                "--shards", "0.5", "--json");
        assertThat(r.status()).as("seed %d, stderr: %s", seed, r.err()).isZero();
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertThat(root.get("shards").get("rate").asDouble()).isEqualTo(0.5);
        assertThat(root.get("shards").get("accesses").asLong()).isEqualTo(20000);
        assertThat(root.get("shards").get("sampled_accesses").asLong()).as("seed %d", seed).isBetween(3000L, 17000L);
        assertThat(pagelab("compare", "plain:" + t, "--mrc", "--shards", "0.25").out())
                .startsWith("# SHARDS sample at rate 0.25: ");
        assertThat(pagelab("compare", "plain:" + t, "--policy-only", "--shards", "0").errLines().getFirst())
                .isEqualTo("pagelab compare: --shards: sampling rate must be in (0, 1], got 0.0");
        assertThat(pagelab("compare", "plain:" + t, "--shards", "0.1").errLines().getFirst())
                .startsWith("pagelab compare: --shards samples the policy replays");
        assertThat(pagelab("compare", "plain:" + t, "--mrc", "--stack-distances").status()).isEqualTo(Main.EXIT_USAGE);
    }

    @Test
    void objectTracesGetAByteMissRatioBesideTheObjectOne(@TempDir Path tmp) throws IOException {
        // two objects of 1 and 9000 bytes, one page of cache: every access misses but the repeats
        Path t = Files.writeString(tmp.resolve("o.csv"), "1,1,1\n2,2,9000\n3,2,9000\n4,1,1\n");
        ObjectMapper m = new ObjectMapper();
        JsonNode one = m.readTree(pagelab("replay", "cachesim-csv:" + t, "--policy-only", "--policy", "lru", "--pages", "1",
                "--json").out());
        assertThat(one.get("misses").asLong()).isEqualTo(3);
        assertThat(one.get("bytes").asLong()).isEqualTo(18002);
        assertThat(one.get("missed_bytes").asLong()).isEqualTo(9002);
        assertThat(pagelab("replay", "cachesim-csv:" + t, "--policy-only", "--policy", "lru", "--pages", "1").out())
                .contains("byte_miss_ratio 0.500056");
        JsonNode table = m.readTree(pagelab("compare", "cachesim-csv:" + t, "--policy-only", "--policies", "lru",
                "--sizes", "1,2", "--json").out());
        assertThat(table.get("missed_bytes").get("lru").toString()).isEqualTo("[9002,9001]");
        assertThat(pagelab("compare", "cachesim-csv:" + t, "--policy-only", "--policies", "lru", "--sizes", "1,2").out())
                .contains("# byte miss ratio (missed bytes / 18002 bytes requested)");
        assertThat(pagelab("replay", "cachesim-csv,pages=true:" + t, "--policy-only", "--policy", "lru", "--pages", "4")
                .out()).contains("accesses 8").contains("missed_bytes 9001");
    }

    @Test
    void badPolicyAndSizeAreUsageErrors(@TempDir Path tmp) throws IOException {
        Path t = belady(tmp);
        assertThat(pagelab("compare", "plain:" + t, "--policies", "lru,magic").errLines().getFirst())
                .startsWith("pagelab compare: --policies: unknown policy 'magic'");
        assertThat(pagelab("compare", "plain:" + t, "--sizes", "0").status()).isEqualTo(Main.EXIT_USAGE);
        assertThat(pagelab("replay", "plain:" + t, "--policy-only", "--policy", "lru").errLines())
                .containsExactly("pagelab replay: --policy-only needs --pages N, a capacity of at least 1 page");
    }

    @Test
    void wholeMachineSwapInsNeverBeatOptsBoundAndTheJsonIsTheSameEveryTime(@TempDir Path tmp) throws IOException {
        long seed = Seeds.derive(20261126L);
        System.out.println("CompareCommandTest seed " + seed);
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed);
        StringBuilder sb = new StringBuilder();
        for (int pass = 0; pass < 3; pass++) {
            for (int i = 0; i < 6000; i++) {
                String op = pass == 0 || rnd.nextInt(4) == 0 ? "W" : "R";
                sb.append(op).append(" 0x").append(Long.toHexString(0x10000000L + i * 4096L)).append('\n');
            }
        }
        // pages read before they are written map the zero page and do not count against the bound
        for (int i = 0; i < 500; i++) {
            sb.append("R 0x").append(Long.toHexString(0x40000000L + rnd.nextInt(3000) * 4096L)).append('\n');
        }
        Path t = Files.writeString(tmp.resolve("loop.txt"), sb);
        String[] args = {"compare", "plain:" + t, "--policies", "lru,twolist", "--sizes", "100,4096,8192", "--json"};
        RunCommandTest.Result r = pagelab(args);
        assertThat(r.status()).as("seed %d, stderr: %s", seed, r.err()).isZero();
        assertThat(pagelab(args).out()).as("seed %d: a second run prints the same JSON", seed).isEqualTo(r.out());
        JsonNode machine = new ObjectMapper().readTree(r.out()).get("machine");
        assertThat(machine.get("memory_bytes").toString()).isEqualTo("[null,16777216,33554432]");
        assertThat(machine.get("policies").fieldNames()).toIterable().as("lru is a policy-only simulator")
                .containsExactly("twolist");
        JsonNode twolist = machine.get("policies").get("twolist");
        JsonNode bound = machine.get("opt_pswpin_bound");
        assertThat(twolist.get("pswpin").get(0).isNull()).isTrue();
        assertThat(bound.get(0).isNull()).isTrue();
        assertThat(bound.get(1).asLong()).as("seed %d: 6000 pages in 16M must come back from swap", seed).isPositive();
        assertThat(bound.get(2).asLong()).as("seed %d: 6000 pages fit in 8192", seed).isZero();
        assertThat(twolist.get("pswpout").get(1).asLong()).as("seed %d", seed).isPositive();
        assertThat(twolist.get("oom_kill").get(1).asLong()).as("seed %d", seed).isZero();
        for (int k = 1; k < 3; k++) {
            assertThat(twolist.get("pswpin").get(k).asLong()).as("seed %d, size %d", seed, k)
                    .isGreaterThanOrEqualTo(bound.get(k).asLong());
            assertThat(twolist.get("pgmajfault").get(k).asLong()).as("seed %d: a major fault reads at least a page", seed)
                    .isLessThanOrEqualTo(twolist.get("pswpin").get(k).asLong());
        }
        RunCommandTest.Result text = pagelab("compare", "plain:" + t, "--policies", "twolist", "--sizes", "100,4096,8192");
        assertThat(text.out()).contains("# whole machine: memory = pages x 4K (from 16M)")
                .containsPattern("(?m)^twolist pswpin +- +" + twolist.get("pswpin").get(1).asLong() + " +"
                        + twolist.get("pswpin").get(2).asLong() + "$")
                .containsPattern("(?m)^opt pswpin \\(bound\\) +- +" + bound.get(1).asLong() + " +0$");
    }

    /**
     * A name that is both a cache policy and a machine reclaim policy (mglru, twolist) gets a
     * policy-only row and a whole-machine row, and the machine row is that policy's own: until this
     * was fixed every machine row booted the default policy.
     */
    @Test
    void mglruComparesAsACachePolicyAndAsTheMachinesReclaimPolicy(@TempDir Path tmp) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int pass = 0; pass < 3; pass++) {
            for (int i = 0; i < 6000; i++) {
                sb.append(pass == 0 ? "W" : "R").append(" 0x").append(Long.toHexString(0x10000000L + i * 4096L)).append('\n');
            }
        }
        Path t = Files.writeString(tmp.resolve("loop.txt"), sb);
        RunCommandTest.Result r = pagelab("compare", "plain:" + t, "--policies", "twolist,mglru", "--sizes", "100,4096",
                "--json");
        assertThat(r.status()).as("stderr: %s", r.err()).isZero();
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertThat(root.get("misses").get("mglru").get(0).asLong()).isPositive();
        JsonNode machine = root.get("machine").get("policies");
        assertThat(machine.fieldNames()).toIterable().containsExactly("twolist", "mglru");
        assertThat(machine.get("mglru").get("pswpout").get(1).asLong()).isPositive();
        assertThat(machine.get("mglru")).as("mglru's machine row is its own").isNotEqualTo(machine.get("twolist"));
    }

    @Test
    void policyOnlyLeavesTheMachineOutAndBlockTracesHaveNoOptBound(@TempDir Path tmp) throws IOException {
        Path t = belady(tmp);
        JsonNode only = new ObjectMapper().readTree(pagelab("compare", "plain:" + t, "--policy-only", "--json").out());
        assertThat(only.has("machine")).isFalse();
        assertThat(pagelab("compare", "plain:" + t).out()).endsWith("\n# whole machine: none of the sizes reaches the 16M"
                + " (4096 pages) a machine needs\n");
        Path blocks = Files.writeString(tmp.resolve("blocks.lirs"), "1\n2\n3\n1\n");
        RunCommandTest.Result r = pagelab("compare", "lirs:" + blocks, "--sizes", "2,4096", "--json");
        assertThat(r.status()).as("stderr: %s", r.err()).isZero();
        JsonNode machine = new ObjectMapper().readTree(r.out()).get("machine");
        assertThat(machine.has("opt_pswpin_bound")).isFalse();
        assertThat(machine.get("policies").get("twolist").get("pgmajfault").toString()).isEqualTo("[null,0]");
    }

    @Test
    void aTraceThatNoMachineCanReplayIsBadInputUnlessPolicyOnly(@TempDir Path tmp) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            sb.append("W 0x").append(Long.toHexString(0x10000000L + i * 4096L)).append('\n');
        }
        sb.append("R 0x0\n");
        Path t = Files.writeString(tmp.resolve("zero.txt"), sb);
        RunCommandTest.Result r = pagelab("compare", "plain:" + t, "--sizes", "4096");
        assertThat(r.status()).isEqualTo(Main.EXIT_USAGE);
        assertThat(r.errLines()).containsExactly("pagelab compare: " + t + ":5001: record 5001: address 0x0 is outside user space"
                + " (0x10000 to 0x7ffffffff000) (a machine cannot replay this trace; --policy-only compares the policies"
                + " without one)");
        assertThat(pagelab("compare", "plain:" + t, "--sizes", "4096", "--policy-only").status()).isZero();
    }
}
