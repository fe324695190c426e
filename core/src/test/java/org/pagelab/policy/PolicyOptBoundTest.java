package org.pagelab.policy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.pagelab.testing.SeedSource;

/** Belady's OPT is a lower bound on the misses of every other (demand-paging) policy. */
class PolicyOptBoundTest {

    @ParameterizedTest(name = "seed {0}")
    @SeedSource({11, 12, 13, 0xC0FFEEL})
    void optNeverMissesMoreThanAnyOtherPolicy(long seed) {
        System.out.println("PolicyOptBoundTest seed " + seed);
        long[][] traces = {
            PolicyStreams.uniform(seed, 50_000, 2_000),
            PolicyStreams.zipfLike(seed, 50_000, 20_000),
        };
        for (long[] trace : traces) {
            for (int c : new int[] {1, 10, 100, 1000}) {
                PolicyStats opt = Policies.replay("opt", c, trace);
                for (String name : Policies.NAMES) {
                    if (c < Policies.minimumCapacity(name)) {
                        continue;
                    }
                    CachePolicy policy = Policies.create(name, c, trace);
                    policy.replay(trace, 0, trace.length);
                    policy.check();
                    assertThat(opt.misses()).as("opt vs %s at %d pages, seed %d", name, c, seed)
                            .isLessThanOrEqualTo(policy.stats().misses());
                }
            }
        }
    }
}
