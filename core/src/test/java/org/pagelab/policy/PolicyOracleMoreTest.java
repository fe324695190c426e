package org.pagelab.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.pagelab.testing.SeedSource;
import org.pagelab.testing.Seeds;

/**
 * The policies added after the first seven decide every access as their collection-based references
 * ({@link PolicyReferenceMore}) do, on seeded random streams at small capacities (so every corner,
 * ghost lists full and empty, is reached) and with the invariant checks run along the way. Seeds:
 * {@link org.pagelab.testing.Seeds}.
 */
@ExtendWith(Seeds.class)
class PolicyOracleMoreTest {

    private static void same(String what, CachePolicy policy, long[] trace, boolean[] reference, long seed) {
        assertThat(PolicyOracleTest.fast(policy, trace))
                .as("%s at %d pages, seed %d", what, policy.capacity(), seed)
                .isEqualTo(reference);
    }

    @ParameterizedTest(name = "seed {0}")
    @SeedSource({11, 12, 13, 99, 4242})
    void recencyFamilyMatchesTheReferences(long seed) {
        System.out.println("PolicyOracleMoreTest seed " + seed);
        long[] trace = PolicyOracleTest.stream(seed);
        for (int c : PolicyOracleTest.CAPACITIES) {
            same("sieve", new SievePolicy(c), trace, PolicyReferenceMore.sieve(trace, c), seed);
            same("slru", new SlruPolicy(c), trace, PolicyReferenceMore.slru(trace, c), seed);
            same("2q", new TwoQueuePolicy(c), trace, PolicyReferenceMore.twoQueue(trace, c), seed);
            same("car", new CarPolicy(c), trace, PolicyReferenceMore.car(trace, c), seed);
            same("lirs", new LirsPolicy(c), trace, PolicyReferenceMore.lirs(trace, c), seed);
            same("random", new RandomPolicy(c, seed), trace, PolicyReferenceMore.random(trace, c, seed), seed);
            same("twolist", new TwoListCachePolicy(c), trace, PolicyReferenceMore.twolist(trace, c), seed);
            same("mglru", new MglruCachePolicy(c), trace, PolicyReferenceMore.mglru(trace, c), seed);
        }
    }

    /**
     * Above one GiB of pages the kernel keeps more active than inactive pages (ratio 3 at 1 to 1.6
     * GiB): every page is made active (two shuffled passes over c pages), a scan of c/8 new pages
     * then deactivates active tails only down to a quarter inactive, not half, and a third pass
     * shows which survived (with ratio 1 about 23,000 of its accesses would come out differently).
     */
    @ParameterizedTest(name = "seed {0}")
    @SeedSource({14, 15})
    void twolistAtAGibibyteUsesTheKernelsRatio(long seed) {
        int c = (1 << 18) + 1000;
        SplittableRandom rnd = new SplittableRandom(seed);
        long[] trace = new long[3 * c + c / 8];
        int n = 0;
        long[] perm = new long[c];
        for (int i = 0; i < c; i++) {
            perm[i] = i;
        }
        for (int pass = 0; pass < 3; pass++) {
            for (int i = c - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                long x = perm[i];
                perm[i] = perm[j];
                perm[j] = x;
            }
            if (pass == 2) {
                for (int i = 0; i < c / 8; i++) {
                    trace[n++] = c + i;
                }
            }
            for (int i = 0; i < c; i++) {
                trace[n++] = perm[i];
            }
        }
        TwoListCachePolicy policy = new TwoListCachePolicy(c);
        same("twolist", policy, trace, PolicyReferenceMore.twolist(trace, c), seed);
        assertThat(policy.activePages()).as("seed %d: the active list outgrows the inactive one", seed)
                .isGreaterThan(c / 2);
    }

    @ParameterizedTest(name = "seed {0}")
    @SeedSource({21, 22, 23, 77, 31337})
    void frequencyFamilyMatchesTheReferences(long seed) {
        System.out.println("PolicyOracleMoreTest seed " + seed);
        long[] trace = PolicyOracleTest.stream(seed);
        for (int c : PolicyOracleTest.CAPACITIES) {
            same("lfu", new LfuPolicy(c, false), trace, PolicyReferenceMore.lfu(trace, c, false), seed);
            same("lfuda", new LfuPolicy(c, true), trace, PolicyReferenceMore.lfu(trace, c, true), seed);
            same("lru2", new LruKPolicy(c), trace, PolicyReferenceMore.lru2(trace, c), seed);
            same("wtinylfu", new WTinyLfuPolicy(c), trace, PolicyReferenceMore.wtinylfu(trace, c), seed);
            same("lecar", new LeCaRPolicy(c, seed), trace, PolicyReferenceMore.lecar(trace, c, seed), seed);
        }
    }

    @Test
    void theSketchNeverUnderestimatesBeforeItsFirstReset() {
        int capacity = 64;
        FrequencySketch sketch = new FrequencySketch(capacity);
        SplittableRandom random = new SplittableRandom(Seeds.derive(5));
        int[] counts = new int[200];
        for (int i = 0; i < 10 * capacity - 1; i++) {
            int k = random.nextInt(counts.length);
            counts[k]++;
            sketch.increment(k);
        }
        for (int k = 0; k < counts.length; k++) {
            assertThat(sketch.frequency(k)).as("key %d", k).isGreaterThanOrEqualTo(Math.min(15, counts[k]));
        }
        sketch.increment(1000);
        for (int k = 0; k < counts.length; k++) {
            assertThat(sketch.frequency(k)).as("halved, key %d", k).isLessThanOrEqualTo(7);
        }
        sketch.check();
    }
}
