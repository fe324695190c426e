package org.pagelab.slab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.pagelab.machine.Machine;
import org.pagelab.phys.MemSize;
import org.pagelab.phys.PhysConfig;
import org.pagelab.stat.VmItem;
import org.pagelab.testing.SeedSource;

class KmemCacheTest {
    @Test
    void slabOrderHoldsAtLeastEightObjects() {
        assertThat(KmemCache.slabOrder(64)).isZero();
        assertThat(KmemCache.slabOrder(512)).isZero();
        assertThat(KmemCache.slabOrder(576)).isEqualTo(1);
        assertThat(KmemCache.slabOrder(4096)).isEqualTo(3);
    }

    @ParameterizedTest(name = "seed {0}")
    @SeedSource({3, 17, 20261125})
    void pagesComeFromTheBuddyAllocatorAndGoBackWhenEmpty(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        try (Machine m = Machine.boot(PhysConfig.of(MemSize.parse("32M"), false))) {
            long free = m.phys().freePages();
            KmemCache c = m.slab().createCache("test_objs", 200, false);
            List<SlabObject> held = new ArrayList<>();
            for (int i = 0; i < 4000; i++) {
                if (held.isEmpty() || rnd.nextInt(10) < 6) {
                    held.add(c.alloc());
                } else {
                    c.free(held.remove(rnd.nextInt(held.size())));
                }
                if (i % 50 == 0) {
                    m.check();
                    assertThat(m.vmstat().get(VmItem.NR_SLAB_UNRECLAIMABLE)).isEqualTo(c.pages());
                    assertThat(m.phys().freePages()).isEqualTo(free - c.pages());
                }
            }
            held.forEach(c::free);
            m.check();
            assertThat(c.pages()).isZero();
            assertThat(m.phys().freePages()).isEqualTo(free);
        }
    }

    @Test
    void doubleFreeIsCaught() {
        try (Machine m = Machine.boot(PhysConfig.of(MemSize.parse("32M"), false))) {
            KmemCache c = m.slab().createCache("dbl", 100, true);
            SlabObject a = c.alloc();
            SlabObject b = c.alloc();
            c.free(a);
            assertThatThrownBy(() -> c.free(a)).hasMessageContaining("double free");
            c.free(b);
            assertThatThrownBy(() -> c.free(b)).hasMessageContaining("already returned");
        }
    }
}
