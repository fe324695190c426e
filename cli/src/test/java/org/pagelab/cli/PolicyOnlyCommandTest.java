package org.pagelab.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pagelab.cli.RunCommandTest.pagelab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.pagelab.testing.Seeds;

/** replay --policy-only over several policies and sizes, policies from a user's jar, and compare's counts. */
@ExtendWith(Seeds.class)
class PolicyOnlyCommandTest {

    /** A plain trace of {@code records} reads of pages 0..pages-1, skewed to small ones; and its page numbers. */
    private static long[] trace(Path file, int records, int pages, long seed) throws IOException {
        SplittableRandom rnd = new SplittableRandom(Seeds.derive(seed));
        StringBuilder sb = new StringBuilder();
        long[] keys = new long[records];
        for (int i = 0; i < records; i++) {
            double u = rnd.nextDouble();
            keys[i] = (long) (pages * u * u);
            sb.append("R 0x").append(Long.toHexString(0x10000000L + keys[i] * 4096)).append('\n');
        }
        Files.writeString(file, sb);
        return keys;
    }

    @Test
    void severalPoliciesAndSizesGiveWhatOneRunEachGives(@TempDir Path tmp) throws IOException {
        Path t = tmp.resolve("t.txt");
        trace(t, 5000, 400, 3);
        RunCommandTest.Result all = pagelab("replay", "plain:" + t, "--policy-only", "--policy", "lru,lirs,wtinylfu",
                "--pages", "20,100", "--json");
        assertThat(all.status()).as("stderr: %s", all.err()).isZero();
        JsonNode runs = new ObjectMapper().readTree(all.out()).get("runs");
        assertThat(runs).hasSize(6);
        for (JsonNode run : runs) {
            JsonNode one = new ObjectMapper().readTree(pagelab("replay", "plain:" + t, "--policy-only", "--policy",
                    run.get("policy").asText(), "--pages", run.get("pages").asText(), "--json").out());
            assertThat(run).as("%s at %s pages", run.get("policy"), run.get("pages")).isEqualTo(one);
        }
        RunCommandTest.Result text = pagelab("replay", "plain:" + t, "--policy-only", "--policy", "lru,lirs",
                "--pages", "20,100");
        assertThat(text.out().lines().toList()).hasSize(2 + 4).first().isEqualTo("# 5000 accesses, read once");
    }

    @Test
    void machineOptionsAreRefusedWithPolicyOnly(@TempDir Path tmp) throws IOException {
        Path t = tmp.resolve("t.txt");
        trace(t, 100, 10, 1);
        for (String[] extra : List.of(new String[] {"--memory", "64M"}, new String[] {"--swap", "64M"},
                new String[] {"--cpus", "4"})) {
            List<String> args = new ArrayList<>(List.of("replay", "plain:" + t, "--policy-only", "--pages", "10"));
            args.addAll(List.of(extra));
            RunCommandTest.Result r = pagelab(args.toArray(String[]::new));
            assertThat(r.status()).isEqualTo(Main.EXIT_USAGE);
            assertThat(r.errLines().getFirst()).isEqualTo("pagelab replay: " + extra[0]
                    + " shapes a whole machine; --policy-only has no machine (its capacity is --pages)");
        }
    }

    /** Compiles examples/policy/MruPolicy.java against the class path of this test and jars it. */
    private static Path mruJar(Path tmp) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        Path classes = Files.createDirectories(tmp.resolve("classes"));
        int status = javac.run(null, null, null, "-d", classes.toString(), "-cp", System.getProperty("java.class.path"),
                "../examples/policy/MruPolicy.java");
        assertThat(status).as("javac of the example policy").isZero();
        Path jar = tmp.resolve("mru.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            Path cls = classes.resolve("com/example/MruPolicy.class");
            out.putNextEntry(new JarEntry("com/example/MruPolicy.class"));
            out.write(Files.readAllBytes(cls));
            out.closeEntry();
        }
        return jar;
    }

    /** Hits of MRU with {@code c} pages, computed here the plain way. */
    private static long mruHits(long[] keys, int c) {
        List<Long> cache = new ArrayList<>();
        long hits = 0;
        Long last = null;
        for (long k : keys) {
            if (cache.contains(k)) {
                hits++;
            } else {
                if (cache.size() == c) {
                    cache.remove(last);
                }
                cache.add(k);
            }
            last = k;
        }
        return hits;
    }

    @Test
    void aPolicyFromTheUsersJarReplaysAndCompares(@TempDir Path tmp) throws IOException {
        Path t = tmp.resolve("t.txt");
        long[] keys = trace(t, 3000, 200, 9);
        Path jar = mruJar(tmp);
        RunCommandTest.Result r = pagelab("replay", "plain:" + t, "--policy-only", "--pages", "50", "--policy",
                "com.example.MruPolicy", "--policy-jar", jar.toString(), "--json");
        assertThat(r.status()).as("stderr: %s", r.err()).isZero();
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertThat(root.get("policy").asText()).isEqualTo("mru");
        assertThat(root.get("hits").asLong()).isEqualTo(mruHits(keys, 50));
        RunCommandTest.Result c = pagelab("compare", "plain:" + t, "--policy-only", "--policies",
                "lru,com.example.MruPolicy", "--policy-jar", jar.toString(), "--sizes", "50", "--json");
        assertThat(c.status()).as("stderr: %s", c.err()).isZero();
        assertThat(new ObjectMapper().readTree(c.out()).get("hits").get("mru").get(0).asLong())
                .isEqualTo(mruHits(keys, 50));
        RunCommandTest.Result missing = pagelab("replay", "plain:" + t, "--policy-only", "--pages", "50", "--policy",
                "com.example.MruPolicy");
        assertThat(missing.status()).isEqualTo(Main.EXIT_USAGE);
        assertThat(missing.errLines().getFirst()).startsWith("pagelab replay: --policy: policy class com.example.MruPolicy"
                + " not found (give its jar with --policy-jar)");
    }

    @Test
    void compareReportsMissAndHitCountsBesideTheRatios(@TempDir Path tmp) throws IOException {
        Path t = tmp.resolve("t.txt");
        trace(t, 4000, 300, 5);
        JsonNode root = new ObjectMapper().readTree(pagelab("compare", "plain:" + t, "--policy-only", "--policies",
                "lru,sieve,car", "--sizes", "10,100", "--json").out());
        long accesses = root.get("accesses").asLong();
        for (String p : List.of("lru", "sieve", "car", "opt")) {
            for (int k = 0; k < 2; k++) {
                long misses = root.get("misses").get(p).get(k).asLong();
                assertThat(misses + root.get("hits").get(p).get(k).asLong()).isEqualTo(accesses);
                assertThat(root.get("miss_ratio").get(p).get(k).asDouble()).isEqualTo((double) misses / accesses);
            }
        }
        String text = pagelab("compare", "plain:" + t, "--policy-only", "--policies", "lru", "--sizes", "10,100").out();
        assertThat(text).contains("# misses (hits = 4000 - misses)")
                .containsPattern("(?m)^lru +" + root.get("misses").get("lru").get(0).asLong() + " +"
                        + root.get("misses").get("lru").get(1).asLong() + "$");
    }
}
