package org.pagelab.workingset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.pagelab.testing.SeedSource;

/** The shadow word encoding: fields, round trips, truncation of the timestamp, bucket order. */
class WorkingsetShadowWordTest {

    private static void assertRoundTrip(int node, int memcg, long eviction, boolean ws) {
        long w = ShadowWord.pack(node, memcg, eviction, ws);
        assertThat(ShadowWord.nodeId(w)).isEqualTo(node);
        assertThat(ShadowWord.memcgId(w)).isEqualTo(memcg);
        assertThat(ShadowWord.eviction(w)).isEqualTo(eviction & ShadowWord.EVICTION_MASK);
        assertThat(ShadowWord.workingset(w)).isEqualTo(ws);
        assertThat(w).as("reserved top bit stays clear").isNotNegative();
    }

    @Test
    void fieldsFillTheWordWithTheKernelsTimestampWidth() {
        assertThat(ShadowWord.EVICTION_BITS).isEqualTo(36);
        assertThat(ShadowWord.EVICTION_SHIFT + ShadowWord.EVICTION_BITS + ShadowWord.RESERVED_BITS).isEqualTo(64);
    }

    @Test
    void zeroAndMaximumValuesRoundTrip() {
        assertRoundTrip(0, 0, 0, false);
        assertRoundTrip(ShadowWord.NODE_MASK, ShadowWord.MEMCG_ID_MASK, ShadowWord.EVICTION_MASK, true);
        assertRoundTrip(ShadowWord.NODE_MASK, 0, 0, false);
        assertRoundTrip(0, ShadowWord.MEMCG_ID_MASK, 0, false);
        assertRoundTrip(0, 0, ShadowWord.EVICTION_MASK, false);
        assertRoundTrip(0, 0, 0, true);
    }

    @Test
    void fieldsDoNotBleedIntoEachOther() {
        long all = ShadowWord.pack(ShadowWord.NODE_MASK, ShadowWord.MEMCG_ID_MASK, ShadowWord.EVICTION_MASK, true);
        assertThat(all).isEqualTo(Long.MAX_VALUE);
        assertThat(ShadowWord.pack(0, 0, ShadowWord.EVICTION_MASK, false)).isEqualTo(ShadowWord.EVICTION_MASK << 27);
        assertThat(ShadowWord.pack(0, ShadowWord.MEMCG_ID_MASK, 0, false)).isEqualTo(0xffffL << 11);
        assertThat(ShadowWord.pack(ShadowWord.NODE_MASK, 0, 0, false)).isEqualTo(0x3ffL << 1);
        assertThat(ShadowWord.pack(0, 0, 0, true)).isEqualTo(1L);
    }

    @Test
    void timestampWrapsAtItsWidth() {
        long w = ShadowWord.pack(3, 7, ShadowWord.EVICTION_MASK + 5, false);
        assertThat(ShadowWord.eviction(w)).isEqualTo(4);
        assertThat(ShadowWord.nodeId(w)).isEqualTo(3);
        assertThat(ShadowWord.memcgId(w)).isEqualTo(7);
    }

    @Test
    void idsOutsideTheirFieldsAreRejected() {
        assertThatThrownBy(() -> ShadowWord.pack(ShadowWord.NODE_MASK + 1, 0, 0, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1024");
        assertThatThrownBy(() -> ShadowWord.pack(-1, 0, 0, false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ShadowWord.pack(0, ShadowWord.MEMCG_ID_MASK + 1, 0, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("65536");
    }

    @ParameterizedTest(name = "seed {0}")
    @SeedSource(first = 0x5eed_0001L, count = 20)
    void randomWordsRoundTrip(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = 0; i < 1000; i++) {
            int node = rnd.nextInt(ShadowWord.NODE_MASK + 1);
            int memcg = rnd.nextInt(ShadowWord.MEMCG_ID_MASK + 1);
            long eviction = rnd.nextLong() >>> 1;
            boolean ws = rnd.nextBoolean();
            long w = ShadowWord.pack(node, memcg, eviction, ws);
            assertThat(ShadowWord.pack(ShadowWord.nodeId(w), ShadowWord.memcgId(w), ShadowWord.eviction(w),
                    ShadowWord.workingset(w))).as("seed %d", seed).isEqualTo(w);
            assertThat(ShadowWord.eviction(w)).as("seed %d", seed).isEqualTo(eviction & ShadowWord.EVICTION_MASK);
        }
    }

    @Test
    void bucketOrderIsZeroUntilMemoryOutgrowsTheTimestamp() {
        assertThat(ShadowWord.bucketOrder(1)).isZero();
        assertThat(ShadowWord.bucketOrder(1L << 18)).isZero();
        assertThat(ShadowWord.bucketOrder(1L << 36)).isZero();
        assertThat(ShadowWord.bucketOrder((1L << 36) + 1)).isEqualTo(1);
        assertThat(ShadowWord.bucketOrder(1L << 40)).isEqualTo(4);
        assertThat(ShadowWord.bucketOrder(Long.MAX_VALUE)).isEqualTo(63 - 36);
        assertThatThrownBy(() -> ShadowWord.bucketOrder(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void describeNamesTheFields() {
        assertThat(ShadowWord.describe(ShadowWord.pack(1, 2, 3, true)))
                .isEqualTo("node=1 memcg=2 eviction=3 workingset");
    }
}
