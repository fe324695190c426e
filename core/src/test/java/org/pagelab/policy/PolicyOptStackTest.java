package org.pagelab.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pagelab.testing.SeedSource;
import org.pagelab.trace.TraceKeys;

/**
 * The one-pass OPT curve ({@link OptStack}, Mattson's priority stack) gives exactly the misses of
 * {@link OptPolicy} replayed separately at each size: on seeded random streams at every size from
 * one page to past the footprint, and on the LIRS sample traces of the Caffeine simulator's jar.
 */
class PolicyOptStackTest {
    @TempDir
    Path dir;

    /** Misses of a separate OPT replay at {@code pages}, with the policy's checker at the end. */
    private static long perSize(long[] trace, int pages) {
        OptPolicy opt = new OptPolicy(pages, trace);
        opt.replay(trace, 0, trace.length);
        opt.check();
        return opt.stats().misses();
    }

    @ParameterizedTest(name = "seed {0}")
    @SeedSource({41, 42, 43, 44, 45})
    void everySizeOfSmallStreamsEqualsPerSizeOpt(long seed) {
        System.out.println("PolicyOptStackTest seed " + seed);
        for (long[] trace : new long[][] {
            PolicyStreams.uniform(seed, 3_000, 120), PolicyStreams.zipfLike(seed, 3_000, 400),
            PolicyStreams.uniform(seed, 500, 7)}) {
            int footprint = TraceKeys.distinct(trace);
            StackDistances d = OptStack.distances(trace);
            assertThat(d.accesses()).isEqualTo(trace.length);
            assertThat(d.cold()).isEqualTo(footprint);
            for (int pages = 1; pages <= footprint + 1; pages++) {
                assertThat(d.misses(pages)).as("seed %d, %d pages", seed, pages).isEqualTo(perSize(trace, pages));
            }
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @SeedSource({51, 52})
    void longerStreamsEqualPerSizeOptAndNeverExceedLru(long seed) {
        System.out.println("PolicyOptStackTest seed " + seed);
        int[] sizes = {1, 2, 3, 10, 64, 333, 1000, 4096, 20_000};
        for (long[] trace : new long[][] {
            PolicyStreams.uniform(seed, 60_000, 5_000), PolicyStreams.zipfLike(seed, 60_000, 80_000)}) {
            MissRatioCurve opt = MissRatioCurve.opt(trace, sizes);
            MissRatioCurve lru = MissRatioCurve.lru(trace, sizes);
            for (int k = 0; k < sizes.length; k++) {
                assertThat(opt.misses()[k]).as("seed %d, %d pages", seed, sizes[k]).isEqualTo(perSize(trace, sizes[k]));
                assertThat(opt.misses()[k]).isLessThanOrEqualTo(lru.misses()[k]);
            }
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @SeedSource({61, 62})
    void aStackCutAtTheLargestSizeIsExactUpToItAndTheBudgetIsKept(long seed) {
        System.out.println("PolicyOptStackTest seed " + seed);
        long[] trace = PolicyStreams.zipfLike(seed, 20_000, 3_000);
        int[] nextUse = OptPolicy.nextUses(trace);
        for (int cut : new int[] {1, 2, 17, 300}) {
            StackDistances d = OptStack.distances(trace, nextUse, cut, Long.MAX_VALUE);
            for (int pages = 1; pages <= cut; pages = pages * 3 + 1) {
                assertThat(d.misses(pages)).as("seed %d, cut %d, %d pages", seed, cut, pages)
                        .isEqualTo(perSize(trace, pages));
            }
            assertThat(d.misses(cut)).isEqualTo(perSize(trace, cut));
        }
        assertThat(OptStack.distances(trace, nextUse, 300, 1000)).as("a budget of 1000 slots").isNull();
        int[] sizes = {5, 50, 500};
        MissRatioCurve replayed = MissRatioCurve.opt(trace, sizes);
        for (int k = 0; k < sizes.length; k++) {
            assertThat(replayed.misses()[k]).isEqualTo(perSize(trace, sizes[k]));
        }
    }

    @org.junit.jupiter.api.Test
    void aLongReuseTraceIsLeftToPerSizeReplays() {
        // every access reuses a key last seen 5,000 distinct keys ago: the pass would scan 5,000 slots an access
        long[] trace = new long[100_000];
        for (int i = 0; i < trace.length; i++) {
            trace[i] = i % 5_000;
        }
        assertThat(MissRatioCurve.optInOnePass(trace, OptPolicy.nextUses(trace), new int[] {4_999, 5_000})).isNull();
        assertThat(MissRatioCurve.opt(trace, new int[] {4_999, 5_000}).misses())
                .containsExactly(perSize(trace, 4_999), 5_000);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"2_pools", "backf", "cpp", "cs", "gli", "loop", "multi1", "multi2", "multi3", "ps",
        "scan", "sprite", "zigzag"})
    void lirsSampleTracesEqualPerSizeOpt(String name) throws IOException {
        long[] trace = TraceKeys.load(List.of("lirs:" + PolicyStreams.lirsTrace(dir, name)));
        int footprint = TraceKeys.distinct(trace);
        StackDistances d = OptStack.distances(trace);
        for (int pages : new int[] {1, 10, 100, 250, 500, 1000, 2500, footprint / 2, footprint}) {
            if (pages >= 1) {
                assertThat(d.misses(pages)).as("%s at %d pages", name, pages).isEqualTo(perSize(trace, pages));
            }
        }
    }
}
