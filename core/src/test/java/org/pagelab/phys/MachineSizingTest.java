package org.pagelab.phys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.pagelab.desc.ReservedBlock;
import org.pagelab.stat.VmStat;

/** A machine described by the kernel's own figures: MemTotal, one zone, the watermarks that follow. */
class MachineSizingTest {
    private static PageAllocator boot(PhysConfig c) {
        PageAllocator pa = new PageAllocator(c, new VmStat());
        pa.check();
        return pa;
    }

    @Test
    void memTotalOfARealBootIsReproducedExactly() {
        PhysConfig c = PhysConfig.of(MemSize.parse("128M"), false).withMemTotal(117872L << 10);
        PageAllocator pa = boot(c);
        assertThat(pa.managedPages() * 4).isEqualTo(117872);
        assertThat(c.managedBytes()).isEqualTo(117872L << 10);
        assertThat(pa.freePages()).isEqualTo(pa.managedPages());
        int kernelFrames = (int) (c.kernelBytes() / 4096);
        assertThat(pa.owner(32768 - c.memmapFrames() - 1)).isInstanceOfSatisfying(ReservedBlock.class,
                r -> assertThat(r.purpose()).isEqualTo("kernel"));
        assertThat(pa.owner(32768 - c.memmapFrames() - kernelFrames - 1)).isNotInstanceOf(ReservedBlock.class);
    }

    @Test
    void aSingleNormalZoneHasTheWatermarksOfAUserModeLinuxGuest() {
        // a 128M user-mode Linux 6.1 guest: MemTotal 117872 kB, one Normal zone with managed 29468,
        // min_free_kbytes 1373 and min/low/high 343/428/513 (its /proc/zoneinfo)
        PhysConfig c = new PhysConfig(128L << 20, 0, false, 0, 10, 0, PhysConfig.ZoneLayout.NORMAL)
                .withMemTotal(117872L << 10);
        PageAllocator pa = boot(c);
        assertThat(pa.zone(ZoneType.DMA32).managedPages()).isZero();
        assertThat(pa.zone(ZoneType.DMA32).spannedPages()).isZero();
        Zone normal = pa.zone(ZoneType.NORMAL);
        assertThat(normal.managedPages()).isEqualTo(29468);
        assertThat(pa.minFreeKbytes()).isEqualTo(1373);
        assertThat(normal.watermark(Watermark.MIN)).isEqualTo(343);
        assertThat(normal.watermark(Watermark.LOW)).isEqualTo(428);
        assertThat(normal.watermark(Watermark.HIGH)).isEqualTo(513);
    }

    @Test
    void theSmallestMemoryForAMemTotalIsFound() {
        long memory = PhysConfig.memoryForMemTotal(117872L << 10, PhysConfig.ZoneLayout.NORMAL);
        assertThat(memory).isEqualTo(120L << 20);
        PhysConfig c = new PhysConfig(memory, 0, false, 0, 10, 0, PhysConfig.ZoneLayout.NORMAL);
        assertThat(c.managedBytes()).isGreaterThanOrEqualTo(117872L << 10);
        PhysConfig smaller = new PhysConfig(memory - (4L << 20), 0, false, 0, 10, 0, PhysConfig.ZoneLayout.NORMAL);
        assertThat(smaller.managedBytes()).isLessThan(117872L << 10);
    }

    @Test
    void aMemTotalTheMachineCannotManageIsRefusedNamingBoth() {
        assertThatThrownBy(() -> PhysConfig.of(64L << 20, false).withMemTotal(64L << 20))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("64M").hasMessageContaining("manage");
        assertThatThrownBy(() -> PhysConfig.of(64L << 20, false).withMemTotal(1000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("multiple of 4K");
        assertThatThrownBy(() -> new PhysConfig(64L << 20, 0, false, 0, 10, 62L << 20, PhysConfig.ZoneLayout.DMA32_NORMAL))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not fit");
    }

    @Test
    void theDefaultLayoutIsUnchanged() {
        PhysConfig c = PhysConfig.of(64L << 20, false);
        assertThat(c.kernelBytes()).isZero();
        assertThat(c.zoneLayout()).isEqualTo(PhysConfig.ZoneLayout.DMA32_NORMAL);
        assertThat(boot(c).managedPages()).isEqualTo(16384 - 257 - 256);
    }
}
