package org.pagelab.phys;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pagelab.desc.MemDesc;
import org.pagelab.desc.ReservedBlock;
import org.pagelab.stat.VmStat;

/** The high-atomic reserve (mm/page_alloc.c: reserve_highatomic_pageblock, unreserve_highatomic_pageblock). */
class HighatomicReserveTest {

    /** Counts direct-reclaim calls; reclaims nothing. */
    private static final class NoReclaim implements ReclaimHooks {
        int directReclaims;

        @Override
        public void wakeKswapd(Zone zone, int order, ZoneType highestZone) {
        }

        @Override
        public long directReclaim(AllocRequest request) {
            directReclaims++;
            return 0;
        }
    }

    private static final AllocRequest MOVABLE = new AllocRequest(0, ZoneType.NORMAL, false, false,
            AllocRequest.Purpose.ANON);
    private static final AllocRequest MOVABLE_MAY_RECLAIM = new AllocRequest(0, ZoneType.NORMAL, false, true,
            AllocRequest.Purpose.ANON);

    private final NoReclaim hooks = new NoReclaim();
    private final PageAllocator pa = new PageAllocator(
            new PhysConfig(64L << 20, 0, false, 128, 10, 0, PhysConfig.ZoneLayout.NORMAL).withAntiFragmentation(10, 15000),
            new VmStat());
    private final Zone z = pa.zone(ZoneType.NORMAL);
    private final List<MemDesc> held = new ArrayList<>();

    HighatomicReserveTest() {
        pa.setReclaimHooks(hooks);
    }

    /** Allocates for {@code req}: single pages as frames that can be freed again, larger blocks for good. */
    private MemDesc alloc(AllocRequest req) {
        return pa.alloc(req, (p, o) -> o == 0 ? new org.pagelab.desc.PageTablePage(p, 1) : new ReservedBlock(p, o, "test"));
    }

    /** Allocates single movable pages until the zone is at its low watermark. */
    private void fillToLow() {
        while (z.freePages() > z.watermark(Watermark.LOW)) {
            MemDesc d = alloc(MOVABLE);
            assertThat(d).isNotNull();
            held.add(d);
        }
    }

    private void free(int n) {
        for (int i = 0; i < n; i++) {
            pa.free(held.removeLast());
        }
    }

    /** An order-3 GFP_ATOMIC allocation with the zone at its low watermark, past the fast path. */
    private MemDesc atomicAllocAtLow() {
        fillToLow();
        MemDesc d = alloc(AllocRequest.atomic(3, AllocRequest.Purpose.SLAB));
        assertThat(d).as("GFP_ATOMIC may go below the low and min watermarks").isNotNull();
        z.reduceBoost(z.watermarkBoost()); // its fallback into another type boosted; kswapd takes that away
        return d;
    }

    /** Frees the held pages in the pageblock starting at {@code blockStart}; returns how many. */
    private long freeHeldIn(int blockStart) {
        int pb = 1 << z.pageblockOrder();
        long n = 0;
        for (int i = held.size() - 1; i >= 0; i--) {
            if ((held.get(i).pfn() & ~(pb - 1)) == blockStart) {
                pa.free(held.remove(i));
                n++;
            }
        }
        return n;
    }

    @Test
    void aHighOrderAtomicAllocationAboveTheLowWatermarkReservesNothing() {
        MemDesc d = alloc(AllocRequest.atomic(3, AllocRequest.Purpose.SLAB));
        assertThat(d).isNotNull();
        assertThat(z.reservedHighatomic()).isZero();
        assertThat(z.nrBlocks(MigrateType.HIGHATOMIC)).isZero();
        pa.check();
    }

    @Test
    void aHighOrderAtomicAllocationPastTheFastPathReservesItsPageblockWhichNormalWatermarksLeaveOut() {
        int pb = 1 << z.pageblockOrder();
        MemDesc d = atomicAllocAtLow();
        assertThat(z.blockType(d.pfn())).isEqualTo(MigrateType.HIGHATOMIC);
        assertThat(z.reservedHighatomic()).isEqualTo(pb);
        assertThat(z.nrBlocks(MigrateType.HIGHATOMIC)).isEqualTo(1);
        assertThat(alloc(MOVABLE)).as("the reserve is not free memory to a normal request").isNull();
        // pages freed in the reserved pageblock go to its lists, and no normal allocation takes them
        long freedInBlock = freeHeldIn(d.pfn() & ~(pb - 1));
        assertThat(freedInBlock).isPositive();
        long haFree = 0;
        for (int o = 0; o <= MemDesc.MAX_ORDER; o++) {
            haFree += z.nrFree(o, MigrateType.HIGHATOMIC) << o;
        }
        assertThat(haFree).isGreaterThanOrEqualTo(freedInBlock);
        free(pb + 2 * (int) z.watermark(Watermark.HIGH));
        // kswapd's balance (pgdat_balanced) counts free memory without the reserve too
        long free = z.freePages();
        assertThat(z.watermarkOk(0, z.watermark(Watermark.HIGH), ZoneType.NORMAL))
                .isEqualTo(free - pb > z.watermark(Watermark.HIGH));
        for (int i = 0; i < 100; i++) {
            MemDesc m = alloc(MOVABLE);
            assertThat(m).isNotNull();
            assertThat(z.blockType(m.pfn())).isNotEqualTo(MigrateType.HIGHATOMIC);
            held.add(m);
        }
        pa.check();
    }

    @Test
    void anAllocationAboutToFailAfterDirectReclaimTakesTheLastReservedPageblockBack() {
        int pb = 1 << z.pageblockOrder();
        MemDesc d = atomicAllocAtLow();
        int blockStart = d.pfn() & ~(pb - 1);
        freeHeldIn(blockStart);
        assertThat(z.reservedHighatomic()).isEqualTo(pb);
        // direct reclaim frees nothing: a single reserved pageblock survives the drain after each
        // round (it keeps one), and goes before the allocation would fail
        MemDesc m = alloc(MOVABLE_MAY_RECLAIM);
        assertThat(hooks.directReclaims).isPositive();
        assertThat(m).isNotNull();
        assertThat(z.reservedHighatomic()).isZero();
        assertThat(z.blockType(blockStart)).isEqualTo(MigrateType.MOVABLE);
        assertThat(z.nrBlocks(MigrateType.HIGHATOMIC)).isZero();
        pa.check();
    }
}
