package org.pagelab.desc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.pagelab.testing.SeedSource;

class DescListTest {
    @ParameterizedTest(name = "seed {0}")
    @SeedSource({7, 99, 20261125})
    void behavesLikeADequeAndChecksBothWays(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        DescList<FileFolio> list = new DescList<>("test");
        Deque<FileFolio> ref = new ArrayDeque<>();
        int pfn = 0;
        for (int i = 0; i < 5000; i++) {
            int op = rnd.nextInt(5);
            if (op == 0) {
                FileFolio f = new PageCacheFolio(pfn++, 0);
                list.addHead(f);
                ref.addFirst(f);
            } else if (op == 1) {
                FileFolio f = new PageCacheFolio(pfn++, 0);
                list.addTail(f);
                ref.addLast(f);
            } else if (op == 2) {
                assertThat(list.pollHead()).isSameAs(ref.pollFirst());
            } else if (op == 3) {
                assertThat(list.pollTail()).isSameAs(ref.pollLast());
            } else if (!ref.isEmpty()) {
                List<FileFolio> all = new ArrayList<>(ref);
                FileFolio victim = all.get(rnd.nextInt(all.size()));
                list.remove(victim);
                ref.remove(victim);
            }
            list.check();
            assertThat(list.size()).as("seed %d", seed).isEqualTo(ref.size());
        }
        assertThat(list).containsExactlyElementsOf(ref);
    }

    @Test
    void aDescriptorSitsOnOneListAtATime() {
        DescList<FileFolio> a = new DescList<>("a");
        DescList<FileFolio> b = new DescList<>("b");
        FileFolio f = new PageCacheFolio(0, 0);
        a.addTail(f);
        assertThatThrownBy(() -> b.addTail(f)).hasMessageContaining("already on list a");
        assertThatThrownBy(() -> b.remove(f)).hasMessageContaining("not on list b");
        assertThatThrownBy(f::markDead).hasMessageContaining("still on a list");
    }
}
