package org.pagelab.pgtable;

import org.pagelab.desc.SwapEntry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.pagelab.testing.SeedSource;

class PteTest {
    private static final int ROUNDS = 10_000;

    @ParameterizedTest(name = "seed {0}")
    @SeedSource({0x9_7E01L})
    void presentEntriesRoundTrip(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = 0; i < ROUNDS; i++) {
            int pfn = rnd.nextInt(Integer.MAX_VALUE);
            boolean w = rnd.nextBoolean();
            boolean u = rnd.nextBoolean();
            long pte = Pte.present(pfn, w, u);
            String as = "seed " + seed + " pte " + Pte.describe(pte);
            assertThat(Pte.isPresent(pte)).as(as).isTrue();
            assertThat(Pte.isNone(pte)).as(as).isFalse();
            assertThat(Pte.pfn(pte)).as(as).isEqualTo(pfn);
            assertThat(Pte.writable(pte)).as(as).isEqualTo(w);
            assertThat(Pte.user(pte)).as(as).isEqualTo(u);
            assertThat(Pte.accessed(pte)).as(as).isTrue();
            assertThat(Pte.dirty(pte)).as(as).isFalse();
            assertThat(Pte.special(pte)).as(as).isFalse();
            assertThat(Pte.noExecute(pte)).as(as).isFalse();
            assertThat(Pte.isValid(pte)).as(as).isTrue();

            long s = Pte.presentSpecial(pfn);
            assertThat(Pte.special(s)).as(as).isTrue();
            assertThat(Pte.pfn(s)).as(as).isEqualTo(pfn);
            assertThat(Pte.writable(s)).as(as).isFalse();

            long t = Pte.table(pfn);
            assertThat(Pte.pfn(t)).as(as).isEqualTo(pfn);
            assertThat(Pte.isPresent(t) && Pte.writable(t) && Pte.user(t)).as(as).isTrue();
            assertThat(Pte.isValid(t)).as(as).isTrue();
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @SeedSource({0x9_7E02L})
    void swapAndPoisonEntriesRoundTrip(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = 0; i < ROUNDS; i++) {
            int type = rnd.nextInt(SwapEntry.MAX_TYPES);
            long offset = rnd.nextLong(SwapEntry.MAX_OFFSET);
            long e = Pte.swap(new SwapEntry(type, offset));
            String as = "seed " + seed + " entry " + Pte.describe(e);
            assertThat(e).as(as).isNotZero();
            assertThat(Pte.isPresent(e)).as(as).isFalse();
            assertThat(Pte.isSwap(e)).as(as).isTrue();
            assertThat(Pte.kind(e)).as(as).isEqualTo(Pte.KIND_SWAP);
            assertThat(Pte.swapEntry(e).type()).as(as).isEqualTo(type);
            assertThat(Pte.swapEntry(e).offset()).as(as).isEqualTo(offset);
            assertThat(Pte.isValid(e)).as(as).isTrue();

            int pfn = rnd.nextInt(Integer.MAX_VALUE);
            long p = Pte.poison(pfn);
            assertThat(Pte.isPoison(p)).as(as).isTrue();
            assertThat(Pte.kind(p)).as(as).isEqualTo(Pte.KIND_POISON);
            assertThat(Pte.poisonPfn(p)).as(as).isEqualTo(pfn);
            assertThat(Pte.isValid(p)).as(as).isTrue();
        }
        long max = Pte.swap(new SwapEntry(SwapEntry.MAX_TYPES - 1, SwapEntry.MAX_OFFSET - 1));
        assertThat(Pte.swapEntry(max).type()).isEqualTo(SwapEntry.MAX_TYPES - 1);
        assertThat(Pte.swapEntry(max).offset()).isEqualTo(SwapEntry.MAX_OFFSET - 1);
        assertThat(Pte.isSwap(Pte.swap(new SwapEntry(0, 0)))).isTrue();
    }

    @ParameterizedTest(name = "seed {0}")
    @SeedSource({0x9_7E03L})
    void kindsAreMutuallyExclusive(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = 0; i < ROUNDS; i++) {
            long[] words = {
                0,
                Pte.present(rnd.nextInt(Integer.MAX_VALUE), rnd.nextBoolean(), rnd.nextBoolean()),
                Pte.swap(new SwapEntry(rnd.nextInt(SwapEntry.MAX_TYPES), rnd.nextLong(SwapEntry.MAX_OFFSET))),
                Pte.poison(rnd.nextInt(Integer.MAX_VALUE)),
            };
            for (int k = 0; k < words.length; k++) {
                long w = words[k];
                String as = "seed " + seed + " kind " + k + " " + Pte.describe(w);
                assertThat(Pte.isNone(w)).as(as).isEqualTo(k == 0);
                assertThat(Pte.isPresent(w)).as(as).isEqualTo(k == 1);
                assertThat(Pte.isSwap(w)).as(as).isEqualTo(k == 2);
                assertThat(Pte.isPoison(w)).as(as).isEqualTo(k == 3);
                assertThat(Pte.isMigration(w)).as(as).isFalse();
            }
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @SeedSource({0x9_7E04L})
    void modifiersTouchOnlyTheirBit(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = 0; i < ROUNDS; i++) {
            long pte = Pte.present(rnd.nextInt(Integer.MAX_VALUE), rnd.nextBoolean(), rnd.nextBoolean());
            if (rnd.nextBoolean()) {
                pte = Pte.mkDirty(pte);
            }
            if (rnd.nextBoolean()) {
                pte = Pte.mkOld(pte);
            }
            if (rnd.nextBoolean()) {
                pte |= Pte.SPECIAL;
            }
            if (rnd.nextBoolean()) {
                pte = Pte.mkNoExecute(pte);
            }
            String as = "seed " + seed + " pte " + Pte.describe(pte);
            assertThat(Pte.mkDirty(pte)).as(as).isEqualTo(pte | Pte.DIRTY);
            assertThat(Pte.mkClean(pte)).as(as).isEqualTo(pte & ~Pte.DIRTY);
            assertThat(Pte.mkYoung(pte)).as(as).isEqualTo(pte | Pte.ACCESSED);
            assertThat(Pte.mkOld(pte)).as(as).isEqualTo(pte & ~Pte.ACCESSED);
            assertThat(Pte.mkWrite(pte)).as(as).isEqualTo(pte | Pte.WRITABLE);
            assertThat(Pte.wrprotect(pte)).as(as).isEqualTo(pte & ~Pte.WRITABLE);
            assertThat(Pte.mkNoExecute(pte)).as(as).isEqualTo(pte | Pte.NX);
            assertThat(Pte.dirty(Pte.mkDirty(pte))).as(as).isTrue();
            assertThat(Pte.dirty(Pte.mkClean(pte))).as(as).isFalse();
            assertThat(Pte.accessed(Pte.mkYoung(pte))).as(as).isTrue();
            assertThat(Pte.accessed(Pte.mkOld(pte))).as(as).isFalse();
            assertThat(Pte.writable(Pte.mkWrite(pte))).as(as).isTrue();
            assertThat(Pte.writable(Pte.wrprotect(pte))).as(as).isFalse();
            assertThat(Pte.pfn(Pte.wrprotect(Pte.mkClean(Pte.mkOld(pte))))).as(as).isEqualTo(Pte.pfn(pte));
        }
    }

    @Test
    void badInputIsRejectedWithTheValue() {
        assertThatThrownBy(() -> Pte.present(-1, true, true)).hasMessageContaining("-1");
        assertThatThrownBy(() -> Pte.swap(new SwapEntry(SwapEntry.MAX_TYPES, 0))).hasMessageContaining("32");
        assertThatThrownBy(() -> Pte.swap(new SwapEntry(0, SwapEntry.MAX_OFFSET))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Pte.swap(new SwapEntry(0, -1))).isInstanceOf(IllegalArgumentException.class);
        long swap = Pte.swap(new SwapEntry(3, 77));
        assertThatThrownBy(() -> Pte.mkDirty(swap)).hasMessageContaining("swap[type=3 offset=77");
        assertThatThrownBy(() -> Pte.pfn(swap)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Pte.swapEntry(Pte.present(1, true, true)).type()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Pte.kind(0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Pte.isValid(Pte.KIND_MASK & ~0L | (1L << 60))).isFalse();
        assertThat(Pte.isValid(Pte.PRESENT | (1L << 3))).isFalse();
    }

    @Test
    void layoutMatchesX86() {
        long pte = Pte.mkDirty(Pte.present(0x12345, true, true)) | Pte.NX;
        assertThat(pte).isEqualTo(0x8000_0000_1234_5067L);
        assertThat(Pte.table(1)).isEqualTo(0x1067L);
        assertThat(Pte.presentSpecial(0) & Pte.SPECIAL).isEqualTo(0x200L);
    }
}
