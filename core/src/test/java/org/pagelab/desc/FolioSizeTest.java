package org.pagelab.desc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The metadata budget of an order-0 folio (docs/performance.md): its descriptor is at most 72 bytes
 * with the 8-byte compact object header ./pagelab runs with, and what only large folios use lives
 * in a {@link FolioTail} that an order-0 folio never gets.
 */
class FolioSizeTest {
    /** The compact object header (-XX:+UseCompactObjectHeaders). */
    private static final int HEADER = 8;
    /**
     * The most an order-0 descriptor may take: 72 bytes, the figure docs/performance.md measures
     * (84.3 bytes per resident page with the PTE, the memmap slot and page-table pages). One more
     * field rounds the object up to 80 bytes, 8 more per page.
     */
    private static final int LIMIT = 72;

    /** Bytes of the instance fields of {@code c} and its superclasses, references compressed (4 bytes): a lower bound of the layout. */
    private static int fieldBytes(Class<?> c) {
        int sum = 0;
        for (Class<?> k = c; k != null; k = k.getSuperclass()) {
            for (Field f : k.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers())) {
                    continue;
                }
                Class<?> t = f.getType();
                sum += t == long.class || t == double.class ? 8
                        : t == int.class || t == float.class ? 4
                        : t == short.class || t == char.class ? 2
                        : t == byte.class || t == boolean.class ? 1
                        : 4;
            }
        }
        return sum;
    }

    @ParameterizedTest
    @ValueSource(classes = {AnonFolio.class, PageCacheFolio.class, ShmemFolio.class})
    void anOrderZeroDescriptorFitsInSeventyTwoBytes(Class<?> kind) {
        int bytes = HEADER + fieldBytes(kind);
        assertThat(bytes).as("%s: header and fields, %d bytes, before padding to 8", kind.getSimpleName(), bytes)
                .isLessThanOrEqualTo(LIMIT);
    }

    @Test
    void anOrderZeroFolioHasNoTail() {
        AnonFolio f = new AnonFolio(0, 0);
        f.set(FolioFlags.Flag.ANON_EXCLUSIVE);
        assertThat(f.pageExclusive(0)).isTrue();
        f.clearPageExclusive(0);
        assertThat(f.pageExclusive(0)).isFalse();
        f.setPageExclusive(0);
        assertThat(f.pageExclusive(0)).isTrue();
        f.entireMapcountAdd(0);
        assertThat(f.entireMapcount()).isZero();
        assertThat(f.pincount()).isZero();
        assertThat(f.tail()).as("nothing of a large folio was set").isNull();
        assertThatThrownBy(() -> f.pincountAdd(1)).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("pin count on an order-0 folio");
        assertThatThrownBy(() -> f.entireMapcountAdd(1)).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("an order-0 folio has no tail pages");
    }

    @Test
    void aLargeFolioGetsItsTailOnFirstUseAndKeepsEachValue() {
        AnonFolio f = new AnonFolio(512, 9);
        f.set(FolioFlags.Flag.ANON_EXCLUSIVE);
        assertThat(f.tail()).isNull();
        assertThat(f.pageExclusive(300)).isTrue();
        f.clearPageExclusive(300);
        assertThat(f.tail()).isNotNull();
        assertThat(f.pageExclusive(300)).isFalse();
        assertThat(f.pageExclusive(299)).isTrue();
        f.pincountAdd(2);
        f.entireMapcountAdd(1);
        assertThat(f.pincount()).isEqualTo(2);
        assertThat(f.entireMapcount()).isEqualTo(1);
        assertThat(f.maybeDmaPinned()).isTrue();
        assertThatThrownBy(() -> f.pincountAdd(-3)).hasMessageStartingWith("pincount underflow by -3");
        assertThatThrownBy(() -> f.entireMapcountAdd(-2)).hasMessageStartingWith("entire mapcount below zero");
        AnonFolio moved = new AnonFolio(1024, 9);
        moved.set(FolioFlags.Flag.ANON_EXCLUSIVE);
        moved.takeAnonState(f);
        assertThat(moved.pageExclusive(300)).as("the marks move with a migration").isFalse();
        assertThat(moved.pageExclusive(0)).isTrue();
        f.setPageExclusive(300);
        assertThat(moved.pageExclusive(300)).as("a copy, not shared").isFalse();
        AnonFolio fresh = new AnonFolio(1536, 9);
        moved.takeAnonState(fresh);
        assertThat(moved.pageExclusive(300)).as("a source without marks clears them").isTrue();
        assertThat(moved.pincount()).as("pins stay with their folio").isZero();
    }
}
