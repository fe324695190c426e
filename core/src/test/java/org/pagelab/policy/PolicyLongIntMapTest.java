package org.pagelab.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.pagelab.testing.SeedSource;

/** The primitive map behaves as java.util.HashMap under random puts, gets and removes. */
class PolicyLongIntMapTest {

    @ParameterizedTest(name = "seed {0}")
    @SeedSource({1, 2, 3, 99})
    void behavesAsHashMap(long seed) {
        System.out.println("PolicyLongIntMapTest seed " + seed);
        SplittableRandom random = new SplittableRandom(seed);
        LongIntMap map = new LongIntMap(4);
        Map<Long, Integer> model = new HashMap<>();
        long[] special = {Long.MIN_VALUE, Long.MAX_VALUE, 0, -1, 1L << 40};
        for (int step = 0; step < 200_000; step++) {
            long key = random.nextInt(10) == 0 ? special[random.nextInt(special.length)] : random.nextInt(3000);
            switch (random.nextInt(3)) {
                case 0 -> {
                    int value = random.nextInt(Integer.MAX_VALUE);
                    map.put(key, value);
                    model.put(key, value);
                }
                case 1 -> {
                    Integer old = model.remove(key);
                    assertThat(map.remove(key)).isEqualTo(old == null ? LongIntMap.MISSING : old);
                }
                default -> assertThat(map.get(key)).isEqualTo(model.getOrDefault(key, LongIntMap.MISSING));
            }
            assertThat(map.size()).isEqualTo(model.size());
            if (step % 10_000 == 0) {
                map.check();
            }
        }
        map.check();
        for (Map.Entry<Long, Integer> e : model.entrySet()) {
            assertThat(map.get(e.getKey())).isEqualTo(e.getValue());
        }
    }
}
