package org.pagelab.phys;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pagelab.desc.MemDesc;
import org.pagelab.desc.ReservedBlock;
import org.pagelab.stat.VmStat;

/** Pageblock migratetypes, fallback stealing and watermark boosting (mm/page_alloc.c). */
class AntiFragmentationTest {

    /** Counts kswapd wakeups; never reclaims. */
    private static final class Wakeups implements ReclaimHooks {
        int woken;

        @Override
        public void wakeKswapd(Zone zone, int order, ZoneType highestZone) {
            woken++;
        }

        @Override
        public long directReclaim(AllocRequest request) {
            return 0;
        }
    }

    private static final AllocRequest UNMOVABLE = new AllocRequest(0, ZoneType.NORMAL, false, false,
            AllocRequest.Purpose.OTHER);
    private static final AllocRequest MOVABLE = new AllocRequest(0, ZoneType.NORMAL, false, false,
            AllocRequest.Purpose.ANON);

    private static MemDesc alloc(PageAllocator pa, AllocRequest req) {
        MemDesc d = pa.alloc(req, (p, o) -> new ReservedBlock(p, o, "test"));
        assertThat(d).as("allocation above the watermarks").isNotNull();
        return d;
    }

    private static PageAllocator boot(Wakeups hooks) {
        PhysConfig c = new PhysConfig(64L << 20, 0, false, 128, 10, 0, PhysConfig.ZoneLayout.NORMAL);
        PageAllocator pa = new PageAllocator(c, new VmStat());
        pa.setReclaimHooks(hooks);
        return pa;
    }

    /** One Normal zone of 64 MiB with pageblocks of order 10, as user-mode Linux has, and boost factor {@code boostFactor}. */
    private static PageAllocator bootUserModeLinux(Wakeups hooks, int boostFactor) {
        PhysConfig c = new PhysConfig(64L << 20, 0, false, 128, 10, 0, PhysConfig.ZoneLayout.NORMAL)
                .withAntiFragmentation(10, boostFactor);
        PageAllocator pa = new PageAllocator(c, new VmStat());
        pa.setReclaimHooks(hooks);
        return pa;
    }

    @Test
    void everyPageblockIsMovableAtBootAndAnUnmovableAllocationTakesAWholeFreeOneWithoutBoosting() {
        Wakeups hooks = new Wakeups();
        PageAllocator pa = boot(hooks);
        Zone z = pa.zone(ZoneType.NORMAL);
        long blocks = z.nrBlocks(MigrateType.MOVABLE);
        assertThat(z.nrBlocks(MigrateType.UNMOVABLE)).isZero();
        MemDesc d = alloc(pa, UNMOVABLE);
        assertThat(z.blockType(d.pfn())).isEqualTo(MigrateType.UNMOVABLE);
        // the largest free block, of order 10, spans two pageblocks of order 9: both change type
        // (change_pageblock_range)
        int spanned = 1 << (MemDesc.MAX_ORDER - z.pageblockOrder());
        assertThat(z.nrBlocks(MigrateType.UNMOVABLE)).isEqualTo(spanned);
        assertThat(z.nrBlocks(MigrateType.MOVABLE)).isEqualTo(blocks - spanned);
        assertThat(z.watermarkBoost()).as("a whole free pageblock taken is no fragmentation").isZero();
        assertThat(hooks.woken).isZero();
        // the next unmovable allocations come from the same pageblock
        assertThat(z.blockType(alloc(pa, UNMOVABLE).pfn())).isEqualTo(MigrateType.UNMOVABLE);
        assertThat(z.nrBlocks(MigrateType.UNMOVABLE)).isEqualTo(spanned);
        pa.check();
    }

    @Test
    void aMovableAllocationThatFallsBackIntoAnUnmovablePageblockBoostsTheWatermarksAndWakesKswapd() {
        Wakeups hooks = new Wakeups();
        PageAllocator pa = boot(hooks);
        Zone z = pa.zone(ZoneType.NORMAL);
        long highBefore = z.watermark(Watermark.HIGH);
        // one unmovable pageblock, half of it kernel memory in runs of 16 between free runs of 16
        int pb = 1 << z.pageblockOrder();
        int[] holes = pa.holdLayoutHoles(1, 1, 16);
        int kernelFrames = (pb - PageAllocator.FIRST_HOLE) / 2;
        assertThat(holes).hasSize(pb - kernelFrames);
        List<MemDesc> kernel = new ArrayList<>();
        for (int i = 0; i < kernelFrames; i++) {
            kernel.add(alloc(pa, UNMOVABLE));
        }
        pa.releaseLayoutHoles(holes);
        pa.check();
        long unmovableFree = 0;
        for (int o = 0; o <= MemDesc.MAX_ORDER; o++) {
            unmovableFree += z.nrFree(o, MigrateType.UNMOVABLE) << o;
        }
        assertThat(unmovableFree).isEqualTo(pb - kernelFrames);
        assertThat(z.nrFree(4, MigrateType.UNMOVABLE)).as("a free run of 16 after each kernel run of 16")
                .isEqualTo((pb - PageAllocator.FIRST_HOLE) / 32);
        assertThat(z.nrFree(6, MigrateType.UNMOVABLE)).as("the pageblock's first 64 frames").isEqualTo(1);
        // use up the movable free lists: no fallback, no boost
        while (z.freePages() > unmovableFree) {
            assertThat(z.blockType(alloc(pa, MOVABLE).pfn())).isEqualTo(MigrateType.MOVABLE);
        }
        assertThat(z.watermarkBoost()).isZero();
        assertThat(hooks.woken).isZero();
        // the next movable page comes out of the unmovable pageblock; its largest free block (order 6)
        // is big enough to steal every free block of the pageblock, and with half of it free the
        // pageblock becomes movable
        MemDesc stolen = alloc(pa, MOVABLE);
        assertThat(z.blockType(stolen.pfn())).isEqualTo(MigrateType.MOVABLE);
        long stillUnmovable = 0;
        for (int o = 0; o <= MemDesc.MAX_ORDER; o++) {
            stillUnmovable += z.nrFree(o, MigrateType.UNMOVABLE);
        }
        assertThat(stillUnmovable).as("every free block of the pageblock moved to the movable lists").isZero();
        long expectedBoost = Math.max(1L << z.pageblockOrder(), z.baseWatermark(Watermark.HIGH) * 15000 / 10000);
        expectedBoost = Math.min(expectedBoost, 1L << z.pageblockOrder());
        assertThat(z.watermarkBoost()).isEqualTo(expectedBoost);
        assertThat(z.watermark(Watermark.HIGH)).isEqualTo(highBefore + expectedBoost);
        assertThat(z.watermark(Watermark.MIN)).isEqualTo(z.baseWatermark(Watermark.MIN) + expectedBoost);
        assertThat(hooks.woken).as("rmqueue wakes kswapd for a boost").isEqualTo(1);
        pa.check();
        // kswapd's balance_pgdat gives the boost back when it is done
        z.reduceBoost(expectedBoost);
        assertThat(z.watermark(Watermark.HIGH)).isEqualTo(highBefore);
    }

    @Test
    void aFreedPageGoesToTheListOfItsPageblocksTypeAndABoostFactorOfZeroNeverBoosts() {
        Wakeups hooks = new Wakeups();
        PageAllocator pa = bootUserModeLinux(hooks, 0);
        Zone z = pa.zone(ZoneType.NORMAL);
        assertThat(z.pageblockOrder()).isEqualTo(10);
        int[] holes = pa.holdLayoutHoles(1, 1, 24); // three quarters kernel memory: the pageblock stays unmovable
        int kernelFrames = (1024 - PageAllocator.FIRST_HOLE) / 32 * 24;
        List<MemDesc> kernel = new ArrayList<>();
        for (int i = 0; i < kernelFrames; i++) {
            kernel.add(alloc(pa, UNMOVABLE));
        }
        pa.releaseLayoutHoles(holes);
        while (z.freePages() > 1024 - kernelFrames) {
            alloc(pa, MOVABLE);
        }
        assertThat(z.watermark(Watermark.LOW)).isLessThan(1024 - kernelFrames);
        org.pagelab.desc.Folio stolen = pa.alloc(AllocRequest.pageCache(0), org.pagelab.desc.PageCacheFolio::new);
        assertThat(z.blockType(stolen.pfn())).as("too little of it free to change its type").isEqualTo(MigrateType.UNMOVABLE);
        assertThat(z.watermarkBoost()).isZero();
        assertThat(hooks.woken).isZero();
        pa.folioPut(stolen);
        assertThat(pa.owner(stolen.pfn())).isInstanceOf(org.pagelab.desc.FreeBlock.class);
        assertThat(((org.pagelab.desc.FreeBlock) pa.owner(stolen.pfn())).listType())
                .isEqualTo(MigrateType.UNMOVABLE.ordinal());
        pa.check();
    }

    private static long freeOfType(Zone z, MigrateType t) {
        long n = 0;
        for (int o = 0; o <= MemDesc.MAX_ORDER; o++) {
            n += z.nrFree(o, t) << o;
        }
        return n;
    }

    @Test
    void aMovableFallbackTakesAllFreeMemoryOfAPageblockWithALargeFreeBlockButOneSmallBlockOfAPageblockWithout() {
        Wakeups hooks = new Wakeups();
        PageAllocator pa = bootUserModeLinux(hooks, 15000);
        Zone z = pa.zone(ZoneType.NORMAL);
        int pb = 1 << z.pageblockOrder();
        // two unmovable pageblocks, half kernel memory: the upper one with a free block of 64 frames
        // (order 6, at least half pageblock_order), the lower one with free blocks of 16 only
        int[] holes = pa.holdLayoutHoles(2, 1, 16);
        int withHoleKernel = (pb - PageAllocator.FIRST_HOLE) / 2;
        for (int i = 0; i < withHoleKernel + pb / 2; i++) {
            alloc(pa, UNMOVABLE);
        }
        pa.releaseLayoutHoles(holes);
        int upper = (z.endPfn() & ~(pb - 1)) - pb;
        while (upper + pb > z.endPfn() || z.blockType(upper) != MigrateType.UNMOVABLE) {
            upper -= pb;
        }
        int lower = upper - pb;
        assertThat(z.blockType(lower)).isEqualTo(MigrateType.UNMOVABLE);
        long upperFree = pb - withHoleKernel;
        long lowerFree = pb / 2;
        assertThat(freeOfType(z, MigrateType.UNMOVABLE)).isEqualTo(upperFree + lowerFree);
        assertThat(z.nrFree(6, MigrateType.UNMOVABLE)).isEqualTo(1);
        while (z.freePages() > upperFree + lowerFree) {
            alloc(pa, MOVABLE);
        }
        assertThat(hooks.woken).isZero();
        // the movable lists are empty: the fallback finds the order-6 block first (largest first)
        // and takes every free block of its pageblock, which turns movable
        MemDesc first = alloc(pa, MOVABLE);
        assertThat(first.pfn() & ~(pb - 1)).isEqualTo(upper);
        assertThat(z.blockType(upper)).isEqualTo(MigrateType.MOVABLE);
        assertThat(freeOfType(z, MigrateType.UNMOVABLE)).isEqualTo(lowerFree);
        assertThat(hooks.woken).as("a fallback into another type's pageblock boosts and wakes kswapd").isEqualTo(1);
        z.reduceBoost(z.watermarkBoost());
        // the rest of that pageblock's free memory serves movable allocations without a fallback
        while (z.freePages() > lowerFree) {
            assertThat(alloc(pa, MOVABLE).pfn() & ~(pb - 1)).isEqualTo(upper);
        }
        assertThat(hooks.woken).isEqualTo(1);
        assertThat(z.watermarkBoost()).isZero();
        // the lower pageblock has no block of order 5: a fallback takes one block of 16, which boosts
        MemDesc second = alloc(pa, MOVABLE);
        assertThat(second.pfn() & ~(pb - 1)).isEqualTo(lower);
        assertThat(z.blockType(lower)).isEqualTo(MigrateType.UNMOVABLE);
        assertThat(freeOfType(z, MigrateType.UNMOVABLE)).isEqualTo(lowerFree - 16);
        assertThat(freeOfType(z, MigrateType.MOVABLE)).isEqualTo(15);
        assertThat(hooks.woken).isEqualTo(2);
        assertThat(z.watermarkBoost()).isEqualTo(pb);
        pa.check();
    }
}
