package org.pagelab.phys;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.pagelab.machine.MachineTest;
import org.pagelab.memory.Process;
import org.pagelab.memory.TransparentHugepage;
import org.pagelab.stat.VmItem;
import org.pagelab.vma.VmFlags;

/**
 * The compaction free scanner obeys the min watermark (mm/page_alloc.c __isolate_free_page): a free
 * block is taken as a migration target only if the zone's free pages, the high-atomic reserve not
 * counted, stay above min plus the block's size. When the first block it meets is refused,
 * isolate_freepages gives up, migrate_pages fails with -ENOMEM on the folio it was moving (one
 * pgmigrate_fail) and compact_zone ends the run at once (COMPACT_CONTENDED): the pattern the
 * guest of {@code pagelab validate} shows in phase after phase, 32 pages isolated and nothing
 * moved. In this package because the reserve is made directly on the zone.
 */
class FreeScannerWatermarkTest extends MachineTest {
    private static final int RW = VmFlags.VM_READ | VmFlags.VM_WRITE;
    private static final int PAGE = 4096;

    private Process filler;
    private long base;
    private int pages;

    /**
     * On a machine of one Normal zone (as user-mode Linux has), fills memory down to about the
     * high watermark plus 100 pages, then frees every other page of the first 256.
     */
    private Zone fragmentALittle() throws java.io.IOException {
        machine.close();
        machine = org.pagelab.machine.Machine.boot(
                new PhysConfig(32L << 20, 0, true, 0, 10, 0, PhysConfig.ZoneLayout.NORMAL), java.nio.file.Files.createDirectories(dir.resolve("one-zone")));
        mm = machine.memory();
        Zone z = machine.phys().zone(ZoneType.NORMAL);
        mm.setTransparentHugepage(TransparentHugepage.NEVER);
        filler = mm.spawn("filler");
        pages = (int) (machine.phys().freePages() - z.watermark(Watermark.HIGH) - 100);
        base = mm.mmapAnon(filler, 0, (long) pages * PAGE, RW, false).orThrow();
        for (int i = 0; i < pages; i++) {
            poke(filler, base + (long) i * PAGE, (byte) (i * 13 + 5));
        }
        for (int i = 1; i < 256; i += 2) {
            mm.madviseDontneed(filler, base + (long) i * PAGE, PAGE).orThrow();
        }
        return z;
    }

    private void checkFiller() {
        for (int i = 0; i < pages; i++) {
            if (i >= 256 || i % 2 == 0) {
                assertThat(peek(filler, base + (long) i * PAGE)).as("filler page " + i).isEqualTo((int) (byte) (i * 13 + 5));
            }
        }
    }

    @Test
    void aFreeScannerThatWouldTakeTheZoneBelowMinWithoutTheHighAtomicReserveEndsTheRunAtOnce() throws java.io.IOException {
        Zone z = fragmentALittle();
        z.reserveHighatomic(z.endPfn() - 1); // a pageblock's worth of frames no longer counts as free
        assertThat(z.freePages() - z.reservedHighatomic()).as("free memory less the reserve is below min")
                .isLessThan(z.watermark(Watermark.MIN));
        long success = vm(VmItem.PGMIGRATE_SUCCESS);
        long fail = vm(VmItem.PGMIGRATE_FAIL);
        long isolated = vm(VmItem.COMPACT_ISOLATED);
        long free = z.freePages();
        machine.compaction().compactNode();
        assertThat(vm(VmItem.PGMIGRATE_SUCCESS) - success).as("nothing moved").isZero();
        assertThat(vm(VmItem.PGMIGRATE_FAIL) - fail).as("-ENOMEM on the first folio only").isEqualTo(1);
        assertThat(vm(VmItem.COMPACT_ISOLATED) - isolated).as("one batch of the migrate scanner, no free block")
                .isBetween(1L, 32L);
        assertThat(z.freePages()).as("no frame taken").isEqualTo(free);
        checkFiller();
        machine.check();
        z.unreserveHighatomic(true, MigrateType.MOVABLE);
    }

    @Test
    void theSameMemoryWithoutTheReserveIsCompacted() throws java.io.IOException {
        Zone z = fragmentALittle();
        long success = vm(VmItem.PGMIGRATE_SUCCESS);
        long fail = vm(VmItem.PGMIGRATE_FAIL);
        machine.compaction().compactNode();
        assertThat(vm(VmItem.PGMIGRATE_SUCCESS) - success).as("the filler's pages move up").isPositive();
        assertThat(vm(VmItem.PGMIGRATE_FAIL) - fail).as("at most the folio that was moving when the scanners met").isLessThanOrEqualTo(1);
        assertThat(z.freePages() - z.reservedHighatomic()).isGreaterThan(z.watermark(Watermark.MIN));
        checkFiller();
        machine.check();
    }
}
