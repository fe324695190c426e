package org.pagelab.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.pagelab.testing.SeedSource;

/**
 * The stack-distance histogram against a reference that finds each distance by walking a list kept
 * in recency order, and SHARDS sampling: whole keys kept or dropped, the exact curve at rate 1, and
 * approximate curves close to the exact ones on skewed streams.
 */
class PolicyShardsTest {

    /** Distances by brute force: the position of the key in a most-recent-first list, plus one. */
    private static Map<Integer, Long> referenceDistances(long[] trace, long[] cold) {
        List<Long> stack = new ArrayList<>();
        Map<Integer, Long> hist = new HashMap<>();
        for (long k : trace) {
            int at = stack.indexOf(k);
            if (at < 0) {
                cold[0]++;
            } else {
                hist.merge(at + 1, 1L, Long::sum);
                stack.remove(at);
            }
            stack.addFirst(k);
        }
        return hist;
    }

    @ParameterizedTest(name = "seed {0}")
    @SeedSource({41, 42, 43})
    void histogramEqualsTheRecencyListReference(long seed) {
        long[] trace = PolicyStreams.zipfLike(seed, 6_000, 900);
        long[] cold = new long[1];
        Map<Integer, Long> ref = referenceDistances(trace, cold);
        StackDistances d = StackDistances.of(trace);
        assertThat(d.cold()).as("seed %d", seed).isEqualTo(cold[0]);
        assertThat(d.accesses()).isEqualTo(trace.length);
        for (int dist = 1; dist <= d.maxDistance() + 1; dist++) {
            assertThat(d.count(dist)).as("seed %d distance %d", seed, dist).isEqualTo(ref.getOrDefault(dist, 0L));
        }
        for (int c : new int[] {1, 7, 50, 300, 2000}) {
            assertThat(d.misses(c)).as("seed %d, %d pages", seed, c).isEqualTo(Policies.replay("lru", c, trace).misses());
        }
        long[] buckets = d.log2Buckets();
        long sum = 0;
        for (long b : buckets) {
            sum += b;
        }
        assertThat(sum + d.cold()).as("buckets and cold count every access").isEqualTo(trace.length);
        assertThat(buckets[0]).isEqualTo(d.count(1));
        assertThat(buckets.length > 2 ? buckets[2] : 0).isEqualTo(d.count(3) + d.count(4));
    }

    @ParameterizedTest(name = "seed {0}")
    @SeedSource({51, 52})
    void aSampleKeepsEveryAccessOfItsKeysAndNoneOfTheOthers(long seed) {
        long[] trace = PolicyStreams.uniform(seed, 20_000, 5_000);
        long threshold = Shards.threshold(0.1);
        long[] sample = Shards.sample(trace, threshold);
        Set<Long> kept = new HashSet<>();
        for (long k : sample) {
            kept.add(k);
        }
        long expected = 0;
        for (long k : trace) {
            if (kept.contains(k)) {
                expected++;
            }
        }
        assertThat(sample.length).as("seed %d", seed).isEqualTo(expected);
        assertThat(kept.size()).as("seed %d: about a tenth of 5000 keys", seed).isBetween(350, 650);
        assertThat(Shards.sample(trace, Shards.threshold(1.0))).isEqualTo(trace);
    }

    @ParameterizedTest(name = "seed {0}")
    @SeedSource({61, 62})
    void sampledCurvesStayCloseToTheExactOnes(long seed) {
        // 70% of the accesses to 5,000 hot keys, 30% to 100,000: no key holds more than 0.02% of
        // them (a key that held a large share would be in the sample or not, all or nothing)
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed);
        long[] trace = new long[400_000];
        for (int i = 0; i < trace.length; i++) {
            trace[i] = rnd.nextInt(10) < 7 ? rnd.nextInt(5_000) : 5_000 + rnd.nextInt(100_000);
        }
        double rate = 0.05;
        long[] sample = Shards.sample(trace, Shards.threshold(rate));
        StackDistances approx = StackDistances.of(sample, 1 / Shards.rate(Shards.threshold(rate)));
        StackDistances exact = StackDistances.of(trace);
        for (int c : new int[] {1_000, 4_000, 20_000}) {
            double truth = (double) exact.misses(c) / trace.length;
            double lru = (double) approx.misses(c) / sample.length;
            assertThat(lru).as("seed %d: LRU at %d pages, exact %f", seed, c, truth).isCloseTo(truth,
                    org.assertj.core.data.Offset.offset(0.03));
            for (String policy : List.of("arc", "s3fifo")) {
                double full = Policies.replay(policy, c, trace).missRatio();
                double mini = Policies.replay(policy, Shards.scaledCapacity(c, rate, 1), sample).missRatio();
                assertThat(mini).as("seed %d: %s at %d pages, exact %f", seed, policy, c, full).isCloseTo(full,
                        org.assertj.core.data.Offset.offset(0.04));
            }
        }
    }

    @Test
    void ratesOutsideTheSamplingsRangeAreRefused() {
        assertThatThrownBy(() -> Shards.threshold(0)).hasMessageContaining("(0, 1]");
        assertThatThrownBy(() -> Shards.threshold(1.5)).hasMessageContaining("(0, 1]");
        assertThatThrownBy(() -> Shards.threshold(1e-9)).hasMessageContaining("2^-24");
        assertThat(Shards.rate(Shards.threshold(0.25))).isEqualTo(0.25);
        assertThat(Shards.scaledCapacity(100, 0.001, 4)).isEqualTo(4);
    }
}
