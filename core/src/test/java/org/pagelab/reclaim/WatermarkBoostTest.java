package org.pagelab.reclaim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.pagelab.machine.Machine;
import org.pagelab.machine.MachineTest;
import org.pagelab.memory.Access;
import org.pagelab.memory.Process;
import org.pagelab.phys.PhysConfig;
import org.pagelab.phys.Watermark;
import org.pagelab.phys.Zone;
import org.pagelab.phys.ZoneType;
import org.pagelab.stat.VmItem;
import org.pagelab.swap.SwaponResult;
import org.pagelab.vma.VmFlags;

/**
 * kswapd and a boosted watermark (balance_pgdat): a movable allocation that falls back into an
 * unmovable pageblock raises every watermark by a pageblock; kswapd, woken for it, reclaims until
 * the node is above the boosted high watermark, then takes the boost away.
 */
class WatermarkBoostTest extends MachineTest {
    private static final int RW = VmFlags.VM_READ | VmFlags.VM_WRITE;

    /** The user-mode Linux guest of docs/fidelity.md: one Normal zone, pageblocks of 1024 frames. */
    private void bootGuest() {
        machine.close();
        PhysConfig c = new PhysConfig(64L << 20, 0, false, 0, 10, 0, PhysConfig.ZoneLayout.NORMAL)
                .withMemTotal(53456L << 10).withAntiFragmentation(10, 15000);
        machine = Machine.boot(c);
        mm = machine.memory();
        assertThat(machine.holdKernelMemory(13164L << 10, 7)).isTrue();
        assertThat(machine.swap().swapon("swapfile", (256L << 20) / 4096, null)).isInstanceOf(SwaponResult.Ok.class);
    }

    @Test
    void kswapdWokenForABoostReclaimsToTheBoostedHighWatermarkThenDropsTheBoost() {
        bootGuest();
        Zone z = machine.phys().zone(ZoneType.NORMAL);
        assertThat(z.nrBlocks(org.pagelab.phys.MigrateType.UNMOVABLE)).isGreaterThanOrEqualTo(7);
        Process p = mm.spawn("writer");
        long len = 64L << 20;
        long a = mm.mmapAnon(p, 0, len, RW, false).orThrow();
        long off = 0;
        while (z.watermarkBoost() == 0 && off < len) {
            assertThat(mm.touch(p, a + off, true)).isEqualTo(Access.OK);
            off += 4096;
            if (z.watermarkBoost() == 0 && !z.watermarkOk(0, z.watermark(Watermark.LOW), ZoneType.NORMAL)) {
                machine.runKswapd(); // ordinary pressure before any fallback: kswapd as usual
            }
        }
        long boost = z.watermarkBoost();
        assertThat(boost).as("a movable fallback into the spread kernel pageblocks boosted").isEqualTo(1024);
        assertThat(z.watermark(Watermark.HIGH)).isEqualTo(z.baseWatermark(Watermark.HIGH) + boost);
        long runs = machine.vmstat().get(VmItem.PAGEOUTRUN);
        machine.runKswapd();
        assertThat(machine.vmstat().get(VmItem.PAGEOUTRUN)).isGreaterThan(runs);
        assertThat(z.freePages()).as("balanced against the boosted high watermark")
                .isGreaterThan(z.baseWatermark(Watermark.HIGH) + boost);
        assertThat(z.watermarkBoost()).as("balance_pgdat took the boost it started with away").isZero();
        assertThat(z.watermark(Watermark.HIGH)).isEqualTo(z.baseWatermark(Watermark.HIGH));
        assertThat(machine.kcompactd().pending())
                .as("the boosted run's end woke kcompactd for a pageblock (wakeup_kcompactd)").isTrue();
    }

    @Test
    void aKswapdRunWithoutBoostDoesNotWakeKcompactd() {
        bootGuest();
        Process p = mm.spawn("writer");
        long a = mm.mmapAnon(p, 0, 4L << 20, RW, false).orThrow();
        for (long off = 0; off < 4L << 20; off += 4096) {
            assertThat(mm.touch(p, a + off, true)).isEqualTo(Access.OK);
        }
        assertThat(machine.phys().zone(ZoneType.NORMAL).watermarkBoost()).isZero();
        machine.runKswapd();
        assertThat(machine.kcompactd().pending()).isFalse();
    }
}
