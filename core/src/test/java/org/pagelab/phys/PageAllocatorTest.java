package org.pagelab.phys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.pagelab.desc.AnonFolio;
import org.pagelab.desc.FileFolio;
import org.pagelab.desc.PageCacheFolio;
import org.pagelab.desc.Folio;
import org.pagelab.desc.FreeBlock;
import org.pagelab.desc.MemDesc;
import org.pagelab.desc.ReservedBlock;
import org.pagelab.stat.VmItem;
import org.pagelab.stat.VmStat;
import org.pagelab.testing.SeedSource;

class PageAllocatorTest {

    private static PageAllocator boot(String size, boolean data) {
        PageAllocator pa = new PageAllocator(PhysConfig.of(MemSize.parse(size), data), new VmStat());
        pa.check();
        return pa;
    }

    @Test
    void bootReservesFirmwareAndMemmapAndFreesTheRest() {
        PageAllocator pa = boot("64M", false);
        int n = 16384;
        long memmap = n * 64L / 4096;
        assertThat(pa.managedPages()).isEqualTo(n - 256 - 1 - memmap);
        assertThat(pa.zeroPage().pfn()).isEqualTo(256);
        assertThat(pa.freePages()).isEqualTo(pa.managedPages());
        assertThat(pa.owner(0)).isInstanceOf(ReservedBlock.class);
        assertThat(pa.owner(n - 1)).isInstanceOf(ReservedBlock.class);
        assertThat(pa.owner(5000)).isInstanceOf(FreeBlock.class);
        assertThat(pa.zone(ZoneType.DMA32).spannedPages()).isEqualTo(1024);
        assertThat(pa.vmstat().get(VmItem.NR_FREE_PAGES)).isEqualTo(pa.freePages());
    }

    @Test
    void watermarksFollowTheKernelsFormulas() {
        PageAllocator pa = boot("1G", false);
        long managed = pa.managedPages();
        int expectedMin = (int) Math.max(128, Math.min(262144, (long) Math.floor(Math.sqrt(managed * 4 * 16.0))));
        assertThat(pa.minFreeKbytes()).isEqualTo(expectedMin);
        long pagesMin = expectedMin / 4;
        long sumMin = 0;
        for (Zone z : pa.zones()) {
            long min = pagesMin * z.managedPages() / managed;
            long gap = Math.max(min / 4, z.managedPages() * 10 / 10000);
            assertThat(z.watermark(Watermark.MIN)).isEqualTo(min);
            assertThat(z.watermark(Watermark.LOW)).isEqualTo(min + gap);
            assertThat(z.watermark(Watermark.HIGH)).isEqualTo(min + 2 * gap);
            sumMin += min;
        }
        assertThat(sumMin).isBetween(pagesMin - 2, pagesMin);
        Zone dma = pa.zone(ZoneType.DMA32);
        assertThat(dma.lowmemReserve(ZoneType.NORMAL)).isEqualTo(pa.zone(ZoneType.NORMAL).managedPages() / 256);
        assertThat(dma.lowmemReserve(ZoneType.DMA32)).isZero();
    }

    @Test
    void minFreeKbytesIsClampedToItsFloorOnTinyMachines() {
        PageAllocator pa = boot("16M", false);
        assertThat(pa.minFreeKbytes()).isEqualTo(Math.max(128, (int) Math.sqrt(pa.managedPages() * 4 * 16.0)));
    }

    @Test
    void splittingAndMergingRestoresTheBootLayout() {
        PageAllocator pa = boot("64M", false);
        long[] before = freeCounts(pa);
        Folio f = pa.alloc(AllocRequest.pageCache(0), PageCacheFolio::new);
        assertThat(f).isNotNull();
        pa.check();
        assertThat(pa.owner(f.pfn())).isSameAs(f);
        assertThat(freeCounts(pa)).isNotEqualTo(before);
        pa.folioPut(f);
        pa.check();
        assertThat(f.isDead()).isTrue();
        assertThat(freeCounts(pa)).isEqualTo(before);
        assertThat(pa.vmstat().get(VmItem.PGALLOC_NORMAL)).isEqualTo(1);
        assertThat(pa.vmstat().get(VmItem.PGFREE)).isEqualTo(1);
    }

    @Test
    void largeFolioIsOneDescriptorForAllItsFrames() {
        PageAllocator pa = boot("64M", false);
        AnonFolio f = pa.alloc(AllocRequest.anon(9), AnonFolio::new);
        assertThat(f.nrPages()).isEqualTo(512);
        assertThat(f.pfn() % 512).isZero();
        for (int p = f.pfn(); p < f.endPfn(); p++) {
            assertThat(pa.owner(p)).isSameAs(f);
        }
        pa.check();
        pa.folioPut(f);
        pa.check();
    }

    @Test
    void allocationsFallBackToDma32OnlyAboveItsLowmemReserve() {
        PageAllocator pa = boot("64M", false);
        List<Folio> held = new ArrayList<>();
        Folio f;
        while ((f = pa.alloc(AllocRequest.pageCache(0), PageCacheFolio::new)) != null) {
            held.add(f);
        }
        Zone dma = pa.zone(ZoneType.DMA32);
        Zone normal = pa.zone(ZoneType.NORMAL);
        assertThat(normal.freePages()).isLessThanOrEqualTo(normal.watermark(Watermark.MIN));
        assertThat(dma.freePages()).isLessThanOrEqualTo(dma.watermark(Watermark.MIN) + dma.lowmemReserve(ZoneType.NORMAL));
        assertThat(held.stream().anyMatch(x -> dma.contains(x.pfn()))).isTrue();
        assertThat(pa.vmstat().get(VmItem.PGALLOC_DMA32)).isPositive();
        pa.check();
        for (Folio x : held) {
            pa.folioPut(x);
        }
        pa.check();
        assertThat(pa.freePages()).isEqualTo(pa.managedPages());
    }

    @Test
    void directReclaimIsEnteredBelowMinAndKswapdWokenBelowLow() {
        PageAllocator pa = boot("64M", false);
        int[] wakes = {0};
        int[] directs = {0};
        pa.setReclaimHooks(new ReclaimHooks() {
            @Override
            public void wakeKswapd(Zone zone, int order, ZoneType highestZone) {
                wakes[0]++;
            }

            @Override
            public long directReclaim(AllocRequest request) {
                directs[0]++;
                return 0;
            }
        });
        List<Folio> held = new ArrayList<>();
        Folio f;
        while ((f = pa.alloc(AllocRequest.pageCache(0), PageCacheFolio::new)) != null) {
            held.add(f);
        }
        assertThat(wakes[0]).isPositive();
        // reclaim that frees nothing is retried MAX_RECLAIM_RETRIES (16) times before the allocation fails
        assertThat(directs[0]).isEqualTo(16);
        for (Folio x : held) {
            pa.folioPut(x);
        }
    }

    @Test
    void theSlowPathReschedulesBeforeEachDirectReclaimAndRetriesTheFreeListsAfterKswapdRan() {
        // __alloc_pages_slowpath: __perform_reclaim begins with cond_resched, so a kswapd the
        // allocation woke gets the CPU before the task reclaims; should_reclaim_retry ends with
        // cond_resched, and the retry tries the free lists again before reclaiming once more
        PageAllocator pa = boot("64M", false);
        List<Folio> held = new ArrayList<>();
        Folio f;
        while ((f = pa.alloc(AllocRequest.pageCache(0), PageCacheFolio::new)) != null) {
            held.add(f);
        }
        StringBuilder calls = new StringBuilder();
        boolean[] kswapdRan = {false};
        pa.setReclaimHooks(new ReclaimHooks() {
            @Override
            public void preempt() {
                calls.append('P');
                if (calls.indexOf("D") >= 0 && !kswapdRan[0]) {
                    kswapdRan[0] = true; // kswapd, woken below low, reclaims while the task waits for the CPU
                    for (int i = 0; i < 64; i++) {
                        pa.folioPut(held.remove(held.size() - 1));
                    }
                }
            }

            @Override
            public void wakeKswapd(Zone zone, int order, ZoneType highestZone) {
                calls.append('W');
            }

            @Override
            public long directReclaim(AllocRequest request) {
                calls.append('D');
                return 1; // progress, but not enough for the min watermark
            }
        });
        Folio got = pa.alloc(AllocRequest.pageCache(0), PageCacheFolio::new);
        assertThat(got).as("the retry found kswapd's pages").isNotNull();
        // fast path, a wake per zone below low, min-watermark try, cond_resched, direct reclaim,
        // cond_resched, and the retry's first try of the free lists succeeds
        assertThat(calls.toString()).matches("PW+PPDP");
        held.add(got);
        for (Folio x : held) {
            pa.folioPut(x);
        }
        pa.check();
    }

    @Test
    void dataModeZeroesFramesForZeroRequests() {
        try (DataFrames ignored = null) {
            PageAllocator pa = boot("32M", true);
            Folio f = pa.alloc(AllocRequest.pageCache(0), PageCacheFolio::new);
            long phys = (long) f.pfn() * MemSize.PAGE_SIZE;
            byte[] junk = new byte[4096];
            java.util.Arrays.fill(junk, (byte) 0x5a);
            pa.contents().write(phys, junk, 0, junk.length);
            int pfn = f.pfn();
            pa.folioPut(f);
            AnonFolio a = pa.alloc(AllocRequest.anon(0), AnonFolio::new);
            assertThat(a.pfn()).isEqualTo(pfn);
            byte[] back = new byte[4096];
            pa.contents().read(phys, back, 0, back.length);
            assertThat(back).containsOnly((byte) 0);
            pa.contents().close();
        }
    }

    @Test
    void freeingTwiceOrFreeingReservedFramesIsABug() {
        PageAllocator pa = boot("32M", false);
        Folio f = pa.alloc(AllocRequest.pageCache(0), PageCacheFolio::new);
        pa.folioPut(f);
        assertThatThrownBy(() -> pa.folioPut(f)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> pa.free(pa.owner(0))).isInstanceOf(IllegalStateException.class);
        pa.check();
    }

    @ParameterizedTest(name = "seed {0}")
    @SeedSource({1, 2, 3, 0x5eed, 20261125})
    void randomAllocAndFreeKeepsTheBuddyInvariants(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        PageAllocator pa = boot("48M", false);
        long[] before = freeCounts(pa);
        List<MemDesc> held = new ArrayList<>();
        for (int step = 0; step < 3000; step++) {
            if (held.isEmpty() || rnd.nextInt(100) < 55) {
                int order = rnd.nextInt(100) < 70 ? 0 : rnd.nextInt(MemDesc.MAX_ORDER + 1);
                Folio f = pa.alloc(AllocRequest.pageCache(order), PageCacheFolio::new);
                if (f != null) {
                    held.add(f);
                }
            } else {
                MemDesc d = held.remove(rnd.nextInt(held.size()));
                pa.folioPut((Folio) d);
            }
            if (step % 10 == 0) {
                checkOrFail(pa, seed, step);
            }
        }
        for (MemDesc d : held) {
            pa.folioPut((Folio) d);
        }
        checkOrFail(pa, seed, -1);
        assertThat(freeCounts(pa)).as("seed %d: free lists return to the boot layout", seed).isEqualTo(before);
    }

    private static void checkOrFail(PageAllocator pa, long seed, int step) {
        try {
            pa.check();
        } catch (IllegalStateException e) {
            throw new AssertionError("seed " + seed + " step " + step + ": " + e.getMessage(), e);
        }
    }

    private static long[] freeCounts(PageAllocator pa) {
        long[] c = new long[2 * (MemDesc.MAX_ORDER + 1)];
        int i = 0;
        for (Zone z : pa.zones()) {
            for (int o = 0; o <= MemDesc.MAX_ORDER; o++) {
                c[i++] = z.nrFree(o);
            }
        }
        return c;
    }
}
