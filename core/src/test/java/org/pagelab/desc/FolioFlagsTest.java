package org.pagelab.desc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.pagelab.testing.SeedSource;

class FolioFlagsTest {
    @ParameterizedTest(name = "seed {0}")
    @SeedSource({1, 42, 20261125})
    void packAndExtractRoundTrip(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = 0; i < 10_000; i++) {
            int flags = rnd.nextInt(1 << FolioFlags.FLAG_BITS);
            int gen = rnd.nextInt(FolioFlags.GEN_MASK + 1);
            int word = FolioFlags.pack(flags, gen);
            assertThat(FolioFlags.flagBits(word)).as("seed %d", seed).isEqualTo(flags);
            assertThat(FolioFlags.gen(word)).as("seed %d", seed).isEqualTo(gen);
            for (FolioFlags.Flag f : FolioFlags.Flag.values()) {
                assertThat(FolioFlags.test(word, f)).isEqualTo((flags & f.bit()) != 0);
            }
        }
    }

    @Test
    void fieldsFillTheWordWithoutOverlap() {
        assertThat(FolioFlags.FLAG_BITS + FolioFlags.GEN_BITS).isEqualTo(32);
        assertThat(FolioFlags.FLAG_MASK & (FolioFlags.GEN_MASK << FolioFlags.GEN_SHIFT)).isZero();
        assertThat(FolioFlags.Flag.values().length).isLessThanOrEqualTo(FolioFlags.FLAG_BITS);
    }

    @Test
    void outOfRangeFieldsAreRejected() {
        assertThatThrownBy(() -> FolioFlags.pack(1 << FolioFlags.FLAG_BITS, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FolioFlags.pack(0, FolioFlags.GEN_MASK + 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void folioSettersKeepTheGenerationAndDescribeLikeDumpPage() {
        FileFolio f = new PageCacheFolio(8, 0);
        f.setGen(3);
        f.set(FolioFlags.Flag.UPTODATE);
        f.set(FolioFlags.Flag.DIRTY);
        assertThat(f.gen()).isEqualTo(3);
        assertThat(f.testAndClear(FolioFlags.Flag.DIRTY)).isTrue();
        assertThat(f.testAndClear(FolioFlags.Flag.DIRTY)).isFalse();
        assertThat(FolioFlags.describe(f.flagWord())).isEqualTo("uptodate|gen=3");
        assertThat(new AnonFolio(0, 0).test(FolioFlags.Flag.SWAPBACKED)).isTrue();
    }

    @Test
    void refcountUnderflowAndMisalignedDescriptorsAreBugs() {
        FileFolio f = new PageCacheFolio(4, 2);
        assertThat(f.refSub(1)).isZero();
        assertThatThrownBy(() -> f.refSub(1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new PageCacheFolio(3, 2)).hasMessageContaining("not aligned");
    }
}
