package org.pagelab.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.pagelab.testing.SeedSource;

/** The one-pass LRU miss-ratio curve equals LRU replayed separately at each size. */
class PolicyMrcTest {

    private static final int[] SIZES = {1, 2, 3, 5, 8, 64, 100, 500, 1000, 4096, 100_000};

    @ParameterizedTest(name = "seed {0}")
    @SeedSource({21, 22, 23})
    void lruCurveEqualsPerSizeLru(long seed) {
        System.out.println("PolicyMrcTest seed " + seed);
        for (long[] trace : new long[][] {
            PolicyStreams.uniform(seed, 40_000, 3_000), PolicyStreams.zipfLike(seed, 40_000, 50_000)}) {
            MissRatioCurve curve = MissRatioCurve.lru(trace, SIZES);
            long[] misses = curve.misses();
            for (int k = 0; k < SIZES.length; k++) {
                assertThat(misses[k]).as("size %d", SIZES[k]).isEqualTo(Policies.replay("lru", SIZES[k], trace).misses());
            }
            for (int k = 1; k < SIZES.length; k++) {
                assertThat(misses[k]).as("LRU is a stack policy: no anomaly").isLessThanOrEqualTo(misses[k - 1]);
            }
        }
    }

    @Test
    void optCurveEqualsPerSizeOptAndBoundsLru() {
        long[] trace = PolicyStreams.zipfLike(31, 20_000, 5_000);
        int[] sizes = {1, 10, 100, 1000};
        MissRatioCurve opt = MissRatioCurve.opt(trace, sizes);
        MissRatioCurve lru = MissRatioCurve.lru(trace, sizes);
        for (int k = 0; k < sizes.length; k++) {
            assertThat(opt.misses()[k]).isEqualTo(Policies.replay("opt", sizes[k], trace).misses());
            assertThat(opt.missRatio(k)).isLessThanOrEqualTo(lru.missRatio(k));
        }
    }

    @Test
    void curveOfTheBeladySequenceMatchesTheTextbook() {
        long[] trace = PolicyStreams.of(1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5);
        assertThat(MissRatioCurve.lru(trace, new int[] {3, 4, 5}).misses()).containsExactly(10, 8, 5);
    }

    @Test
    void sizesBelowOnePageAreRejected() {
        assertThatThrownBy(() -> MissRatioCurve.lru(new long[] {1}, new int[] {4, 0}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[4, 0]");
    }
}
