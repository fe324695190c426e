package org.pagelab.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.pagelab.testing.SeedSource;
import org.pagelab.trace.TraceKeys;

/**
 * A trace packed into dense ids ({@link KeyTrace.Builder}, what {@link TraceKeys#load(List, long)}
 * returns) gives every key back, and the same replays, curves and next uses as the keys as a plain
 * array, across the boundaries of its chunks of 2^20 accesses.
 */
class PolicyKeyTraceTest {
    @TempDir
    Path dir;

    private static KeyTrace packed(long[] keys) {
        KeyTrace.Builder b = new KeyTrace.Builder();
        for (long k : keys) {
            b.add(k);
        }
        KeyTrace t = b.build();
        t.check();
        return t;
    }

    @ParameterizedTest(name = "seed {0}")
    @SeedSource({71, 72})
    void aPackedTraceReplaysAsItsKeysDo(long seed) {
        System.out.println("PolicyKeyTraceTest seed " + seed);
        long[] keys = PolicyStreams.zipfLike(seed, (1 << 20) + 12_345, 200_000);
        keys[0] = Long.MIN_VALUE; // LongIntMap's free-slot marker is a key like any other
        KeyTrace t = packed(keys);
        assertThat(t.packed()).isTrue();
        assertThat(t.length()).isEqualTo(keys.length);
        assertThat(t.toArray()).isEqualTo(keys);
        assertThat(t.distinct()).isEqualTo(TraceKeys.distinct(keys));
        assertThat(OptPolicy.nextUses(t)).isEqualTo(OptPolicy.nextUses(keys));
        int[] sizes = {100, 5_000, 50_000};
        assertThat(MissRatioCurve.lru(StackDistances.of(t, 1), sizes))
                .isEqualTo(MissRatioCurve.lru(StackDistances.of(keys, 1), sizes));
        for (String name : List.of("lru", "wtinylfu", "opt")) {
            PolicyStats[][] flat = PolicyRuns.run(List.of(name), sizes, keys, getClass().getClassLoader(), 2);
            PolicyStats[][] fromPacked = PolicyRuns.run(List.of(name), sizes, t, null, getClass().getClassLoader(), 2)
                    .stats();
            assertThat(fromPacked).as(name).isEqualTo(flat);
        }
        int[] small = {7, 300};
        int[] nextUse = OptPolicy.nextUses(t);
        assertThat(MissRatioCurve.optInOnePass(t, nextUse, small))
                .isEqualTo(MissRatioCurve.optInOnePass(keys, OptPolicy.nextUses(keys), small));
    }

    /** Sizes that start after the first chunk of keys: the pages before them are counted as 4096 bytes each. */
    @Test
    void sizesThatStartPastAChunkKeepThePagesBefore() throws IOException {
        int pages = (1 << 20) + 3;
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < pages; i++) {
            text.append(i).append(',').append(i % 1000).append(",4096\n");
        }
        text.append(pages).append(",7,100\n");
        Path csv = dir.resolve("t.csv");
        Files.writeString(csv, text, StandardCharsets.US_ASCII);
        TraceKeys.Sampled s = TraceKeys.load(List.of("cachesim-csv:" + csv), 1L << Shards.MODULUS_BITS);
        assertThat(s.keys().length()).isEqualTo(pages + 1);
        assertThat(s.keys().distinct()).isEqualTo(1000);
        assertThat(s.sizes()).hasSize(pages + 1);
        assertThat(s.sizes()[0]).isEqualTo(4096);
        assertThat(s.sizes()[pages - 1]).isEqualTo(4096);
        assertThat(s.sizes()[pages]).isEqualTo(100);
    }
}
