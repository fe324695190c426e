package org.pagelab.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pagelab.desc.AnonFolio;
import org.pagelab.desc.FolioFlags.Flag;
import org.pagelab.gup.Gup;
import org.pagelab.pgtable.Pte;
import org.pagelab.stat.VmItem;
import org.pagelab.swap.SwaponResult;

/**
 * MADV_COLD and MADV_PAGEOUT on large folios, as 6.1's madvise_cold_or_pageout_pte_range treats
 * them: a PMD-mapped folio the range covers in part is split and only the covered pages are
 * aged or reclaimed; a PTE-mapped one is split when this process alone maps it, and a shared one
 * stops the walk of its page table. Every test reads its bytes back and ends with the checkers.
 */
class ColdPageoutLargeFolioTest extends HugeRangeTest {
    private Process p;
    private long h;
    private byte[] data;

    @BeforeEach
    void swaponAndSpawn() {
        assertThat(machine.swap().swapon("swapfile", 4096, null)).isInstanceOf(SwaponResult.Ok.class);
        p = mm.spawn("p");
        h = hugeRange(p);
    }

    /** Writes {@code pages} random pages from {@code seed} at {@code at}; returns the folio mapped there. */
    private AnonFolio fill(long at, int pages, long seed) {
        data = random(seed, pages * PAGE);
        assertThat(mm.write(p, at, data, 0, data.length)).isEqualTo(Access.OK);
        return (AnonFolio) ownerAt(p, at);
    }

    private boolean swapped(Process p, long addr) {
        return Pte.isSwap(p.pageTable().getPte(addr));
    }

    private boolean young(Process p, long addr) {
        return Pte.accessed(p.pageTable().getPte(addr));
    }

    /** Top level never, 64 KiB always: a write to an untouched aligned 64 KiB gets one order-4 folio. */
    private void only64() {
        mm.setTransparentHugepage(TransparentHugepage.NEVER);
        mm.mthp().setEnabled(MthpSettings.orderOfKb(64), MthpEnabled.ALWAYS);
    }

    @Test
    void pageoutOfHalfAPmdMappedFolioSplitsItAndSwapsOutTheCoveredHalfOnly() {
        AnonFolio f = fill(h, 512, 11);
        mm.madviseColdOrPageout(p, h, HUGE / 2, true).orThrow();
        assertThat(f.isDead()).as("split_huge_page").isTrue();
        assertThat(vm(VmItem.THP_SPLIT_PAGE)).isEqualTo(1);
        assertThat(vm(VmItem.THP_SWPOUT)).as("no whole swap-out").isZero();
        assertThat(vm(VmItem.PSWPOUT)).as("the covered half").isEqualTo(256);
        assertThat(swapped(p, h)).isTrue();
        assertThat(swapped(p, h + 255L * PAGE)).isTrue();
        assertThat(swapped(p, h + 256L * PAGE)).as("outside the range: still mapped").isFalse();
        assertThat(ownerAt(p, h + 300L * PAGE).order()).isZero();
        assertThat(meminfo("AnonHugePages")).isZero();
        machine.check();
        assertThat(read(p, h, (int) HUGE)).isEqualTo(data);
    }

    @Test
    void coldOnPartOfAPmdMappedFolioSplitsItAndAgesTheCoveredPagesOnly() {
        AnonFolio f = fill(h, 512, 12);
        mm.madviseColdOrPageout(p, h + 64L * PAGE, 64L * PAGE, false).orThrow();
        assertThat(f.isDead()).isTrue();
        assertThat(young(p, h + 64L * PAGE)).isFalse();
        assertThat(young(p, h + 127L * PAGE)).isFalse();
        assertThat(young(p, h + 63L * PAGE)).as("before the range").isTrue();
        assertThat(young(p, h + 128L * PAGE)).as("after the range").isTrue();
        assertThat(ownerAt(p, h + 64L * PAGE).order()).isZero();
        assertThat(((AnonFolio) ownerAt(p, h + 64L * PAGE)).test(Flag.ACTIVE)).isFalse();
        assertThat(vm(VmItem.PSWPOUT)).isZero();
        machine.check();
        assertThat(read(p, h, (int) HUGE)).isEqualTo(data);
    }

    @Test
    void coldOnTheWhole2MiBKeepsThePmdAndTheFolioWhole() {
        AnonFolio f = fill(h, 512, 13);
        mm.madviseColdOrPageout(p, h, HUGE, false).orThrow();
        assertThat(f.isDead()).isFalse();
        assertThat(p.pageTable().pteTable(h).huge()).isTrue();
        assertThat(young(p, h + 9L * PAGE)).as("pmdp_test_and_clear_young").isFalse();
        assertThat(vm(VmItem.THP_SPLIT_PAGE)).isZero();
    }

    @Test
    void aSharedPmdMappedFolioIsLeftAloneEvenInPart() {
        AnonFolio f = fill(h, 512, 14);
        Process child = mm.fork(p);
        mm.madviseColdOrPageout(p, h, HUGE / 4, true).orThrow();
        assertThat(f.isDead()).isFalse();
        assertThat(f.entireMapcount()).isEqualTo(2);
        assertThat(vm(VmItem.PSWPOUT)).isZero();
        mm.exit(child);
        mm.madviseColdOrPageout(p, h, HUGE / 4, true).orThrow();
        assertThat(f.isDead()).as("mapped by this PMD alone once the child is gone").isTrue();
        assertThat(vm(VmItem.PSWPOUT)).isEqualTo(128);
        machine.check();
        assertThat(read(p, h, (int) HUGE)).isEqualTo(data);
    }

    @Test
    void aPinnedPmdMappedFolioCannotBeSplitAndStaysWhole() {
        AnonFolio f = fill(h, 512, 15);
        var got = (Gup.Got) machine.gup().pin(p, h, 1, true);
        mm.madviseColdOrPageout(p, h, HUGE / 2, true).orThrow();
        assertThat(f.isDead()).isFalse();
        assertThat(vm(VmItem.THP_SPLIT_PAGE_FAILED)).isEqualTo(1);
        assertThat(vm(VmItem.PSWPOUT)).isZero();
        machine.gup().unpin(got.pages());
    }

    @Test
    void coldSplitsAnExclusivePteMappedFolioEvenWhenItCoversItAll() {
        only64();
        AnonFolio f = fill(h, 16, 16);
        assertThat(f.order()).isEqualTo(4);
        mm.madviseColdOrPageout(p, h, 16L * PAGE, false).orThrow();
        assertThat(f.isDead()).as("6.1 splits whenever the process is the only owner").isTrue();
        for (int k = 0; k < 16; k++) {
            assertThat(ownerAt(p, h + (long) k * PAGE).order()).isZero();
            assertThat(young(p, h + (long) k * PAGE)).isFalse();
        }
        machine.check();
        assertThat(read(p, h, data.length)).isEqualTo(data);
    }

    @Test
    void pageoutOfPartOfAPteMappedFolioReclaimsTheCoveredPagesOnly() {
        only64();
        AnonFolio f = fill(h, 16, 17);
        mm.madviseColdOrPageout(p, h + 4L * PAGE, 4L * PAGE, true).orThrow();
        assertThat(f.isDead()).isTrue();
        assertThat(vm(VmItem.PSWPOUT)).isEqualTo(4);
        for (int k = 0; k < 16; k++) {
            assertThat(swapped(p, h + (long) k * PAGE)).as("page %d", k).isEqualTo(k >= 4 && k < 8);
        }
        machine.check();
        assertThat(read(p, h, data.length)).isEqualTo(data);
    }

    /** The kernel breaks out of its PTE loop at a shared large folio: the rest of that table is not looked at. */
    @Test
    void aSharedPteMappedFolioStopsTheWalkOfItsTable() {
        only64();
        poke(p, h, 1);
        Process child = mm.fork(p);
        AnonFolio mine = fill(h + 64L * PAGE, 64, 18);
        AnonFolio shared = (AnonFolio) ownerAt(p, h);
        assertThat(shared.mapcount()).isEqualTo(32);
        mm.madviseColdOrPageout(p, h, HUGE, true).orThrow();
        assertThat(shared.isDead()).isFalse();
        assertThat(mine.isDead()).as("after the shared folio in the same table: untouched").isFalse();
        assertThat(vm(VmItem.PSWPOUT)).isZero();
        mm.madviseColdOrPageout(p, h + 64L * PAGE, 64L * PAGE, true).orThrow();
        assertThat(vm(VmItem.PSWPOUT)).as("a range that starts after it").isEqualTo(64);
        machine.check();
        assertThat(read(p, h + 64L * PAGE, data.length)).isEqualTo(data);
        assertThat(peek(child, h)).isEqualTo(1);
        byte[] rest = new byte[(int) HUGE - 128 * PAGE];
        assertThat(read(p, h + 128L * PAGE, rest.length)).isEqualTo(rest);
        assertThat(Arrays.equals(read(p, h, 1), new byte[] {1})).isTrue();
    }
}
