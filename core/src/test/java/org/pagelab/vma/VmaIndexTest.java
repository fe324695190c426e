package org.pagelab.vma;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.pagelab.testing.SeedSource;

class VmaIndexTest {
    private static final long PAGE = 4096;

    /** The index answers floor queries as a TreeMap of the same VMAs does, through random inserts and removals. */
    @ParameterizedTest(name = "seed {0}")
    @SeedSource({1, 2, 3, 20261126})
    void floorAgreesWithATreeMapUnderRandomInsertsAndRemovals(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        VmaIndex index = new VmaIndex();
        TreeMap<Long, Vma> reference = new TreeMap<>();
        for (int step = 0; step < 3000; step++) {
            long start = (1 + rnd.nextInt(500)) * 16 * PAGE;
            if (reference.containsKey(start)) {
                Vma v = reference.remove(start);
                index.remove(v);
            } else {
                Vma v = new Vma(null, start, start + (1 + rnd.nextInt(15)) * PAGE, 0, null, 0, null);
                reference.put(start, v);
                index.insert(v);
            }
            long probe = rnd.nextLong(520 * 16 * PAGE);
            Map.Entry<Long, Vma> e = reference.floorEntry(probe);
            assertThat(index.floor(probe)).as("seed %d step %d floor(0x%x)", seed, step, probe)
                    .isSameAs(e == null ? null : e.getValue());
            assertThat(index.size()).isEqualTo(reference.size());
        }
        index.check(reference.values());
    }

    @Test
    void aSecondVmaAtTheSameStartOrAMissingOneIsRefused() {
        VmaIndex index = new VmaIndex();
        Vma a = new Vma(null, 16 * PAGE, 32 * PAGE, 0, null, 0, null);
        index.insert(a);
        assertThatThrownBy(() -> index.insert(new Vma(null, 16 * PAGE, 20 * PAGE, 0, null, 0, null)))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> index.remove(new Vma(null, 64 * PAGE, 65 * PAGE, 0, null, 0, null)))
                .isInstanceOf(IllegalStateException.class);
        assertThat(index.floor(15 * PAGE)).isNull();
        assertThat(index.floor(100 * PAGE)).isSameAs(a);
    }
}
