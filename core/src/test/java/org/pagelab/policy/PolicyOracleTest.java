package org.pagelab.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.pagelab.testing.SeedSource;

/** The fast policies decide every access as the slow list-based references do. */
class PolicyOracleTest {

    static final int[] CAPACITIES = {1, 2, 3, 7, 16, 50};

    static boolean[] fast(CachePolicy policy, long[] trace) {
        boolean[] hit = new boolean[trace.length];
        // every 97 accesses, or about 100 times over a long trace: a check walks the whole cache,
        // and checking a cache of 2^18 pages every 97 accesses made one seed take minutes
        int every = Math.max(97, trace.length / 100);
        for (int i = 0; i < trace.length; i++) {
            hit[i] = policy.access(trace[i]);
            if (i % every == 0) {
                policy.check();
            }
        }
        policy.check();
        return hit;
    }

    static long[] stream(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int keySpace = 1 + random.nextInt(120);
        return random.nextBoolean()
                ? PolicyStreams.uniform(random.nextLong(), 3000, keySpace)
                : PolicyStreams.zipfLike(random.nextLong(), 3000, keySpace);
    }

    @ParameterizedTest(name = "seed {0}")
    @SeedSource({1, 2, 3, 42, 0x5EEDL, 20231023})
    void lruFifoClockAndOptMatchTheirReferences(long seed) {
        System.out.println("PolicyOracleTest seed " + seed);
        long[] trace = stream(seed);
        for (int c : CAPACITIES) {
            assertThat(fast(new LruPolicy(c), trace)).as("lru c=%d", c).isEqualTo(PolicyReference.lru(trace, c));
            assertThat(fast(new FifoPolicy(c), trace)).as("fifo c=%d", c).isEqualTo(PolicyReference.fifo(trace, c));
            assertThat(fast(new ClockPolicy(c), trace)).as("clock c=%d", c).isEqualTo(PolicyReference.clock(trace, c));
            OptPolicy opt = new OptPolicy(c, trace);
            fast(opt, trace);
            assertThat(opt.stats().misses()).as("opt c=%d", c).isEqualTo(PolicyReference.optMisses(trace, c));
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @SeedSource({4, 5, 6, 77, 31337})
    void arcAndS3fifoMatchTheirPapersReferences(long seed) {
        System.out.println("PolicyOracleTest seed " + seed);
        long[] trace = stream(seed);
        for (int c : CAPACITIES) {
            assertThat(fast(new ArcPolicy(c, true), trace)).as("arc-intp c=%d", c).isEqualTo(PolicyReference.arc(trace, c));
            assertThat(fast(new ArcPolicy(c, false), trace)).as("arc c=%d", c)
                    .isEqualTo(PolicyReference.arc(trace, c, false));
            assertThat(fast(new S3FifoPolicy(c, true), trace)).as("s3fifo-sosp c=%d", c)
                    .isEqualTo(PolicyReference.s3fifo(trace, c));
            assertThat(fast(new S3FifoPolicy(c, false), trace)).as("s3fifo c=%d", c)
                    .isEqualTo(PolicyReference.s3fifoLibCacheSim(trace, c));
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @SeedSource({7, 8, 9, 1234567})
    void everyPolicyKeepsItsInvariantsAfterEveryAccess(long seed) {
        System.out.println("PolicyOracleTest seed " + seed);
        long[] trace = stream(seed);
        for (int c : CAPACITIES) {
            for (String name : Policies.NAMES) {
                if (c < Policies.minimumCapacity(name)) {
                    continue;
                }
                CachePolicy policy = Policies.create(name, c, trace);
                for (long key : trace) {
                    policy.access(key);
                    policy.check();
                }
                assertThat(policy.stats().accesses()).isEqualTo(trace.length);
            }
        }
    }
}
