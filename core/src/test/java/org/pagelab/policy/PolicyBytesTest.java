package org.pagelab.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.pagelab.testing.SeedSource;

/**
 * Byte-weighted miss ratios: the bytes {@link PolicyRuns} counts as missed are the sizes of exactly
 * the accesses the policy missed, for every registered policy, and LRU's equal a LinkedHashMap LRU
 * written here.
 */
class PolicyBytesTest {

    @ParameterizedTest(name = "seed {0}")
    @SeedSource({71, 72})
    void missedBytesAreTheSizesOfTheMissedAccesses(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        long[] keys = PolicyStreams.zipfLike(seed, 5_000, 800);
        int[] sizes = new int[keys.length];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = rnd.nextInt(10) == 0 ? -1 : 1 + rnd.nextInt(100_000); // -1: 2^32 - 1 bytes, unsigned
        }
        List<String> names = Policies.NAMES;
        int[] caps = {4, 50, 300};
        PolicyRuns.Result r = PolicyRuns.run(names, caps, keys, sizes, Policies.class.getClassLoader(), 2);
        long all = 0;
        for (int s : sizes) {
            all += Integer.toUnsignedLong(s);
        }
        assertThat(r.bytes()).isEqualTo(all);
        for (int i = 0; i < names.size(); i++) {
            for (int k = 0; k < caps.length; k++) {
                String pattern = PolicyStreams.hitPattern(Policies.create(names.get(i), caps[k], keys), keys);
                long missed = 0;
                for (int a = 0; a < keys.length; a++) {
                    if (pattern.charAt(a) == 'm') {
                        missed += Integer.toUnsignedLong(sizes[a]);
                    }
                }
                assertThat(r.missedBytes()[i][k]).as("seed %d: %s at %d pages", seed, names.get(i), caps[k])
                        .isEqualTo(missed);
                assertThat(r.stats()[i][k].misses()).isEqualTo(pattern.chars().filter(c -> c == 'm').count());
            }
        }
        int lru = names.indexOf("lru");
        for (int k = 0; k < caps.length; k++) {
            int capacity = caps[k];
            Map<Long, Boolean> cache = new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
                    return size() > capacity;
                }
            };
            long missed = 0;
            for (int a = 0; a < keys.length; a++) {
                if (cache.get(keys[a]) == null) {
                    missed += Integer.toUnsignedLong(sizes[a]);
                    cache.put(keys[a], true);
                }
            }
            assertThat(r.missedBytes()[lru][k]).as("seed %d: LinkedHashMap LRU at %d pages", seed, capacity).isEqualTo(missed);
            assertThat(r.byteMissRatio(lru, k)).isEqualTo((double) missed / all);
        }
    }
}
