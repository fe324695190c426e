package org.pagelab.swap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.PrimitiveIterator;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SwapDeviceTest {
    private final SwapDevices swaps = new SwapDevices();
    private SwapDevice dev;

    private SwapDevice swapon(long pages) {
        SwaponResult r = swaps.swapon("/swap" + swaps.devices().size(), new SyntheticSwap(pages));
        assertThat(r).isInstanceOf(SwaponResult.Ok.class);
        dev = ((SwaponResult.Ok) r).device();
        return dev;
    }

    @AfterEach
    void invariantsHold() {
        swaps.check();
    }

    @Test
    void headerSlotIsNeverAllocatedAndEveryOtherSlotIs() {
        SwapDevice d = swapon(1000);
        assertThat(d.usage(0)).isEqualTo(SwapDevice.SWAP_MAP_BAD);
        TreeSet<Long> got = new TreeSet<>();
        long off;
        while ((off = d.allocSlot()) != SwapDevice.NO_SLOT) {
            assertThat(got.add(off)).as("slot %d handed out twice", off).isTrue();
        }
        assertThat(got).hasSize(999);
        assertThat(got.first()).isEqualTo(1);
        assertThat(got.last()).isEqualTo(999);
        assertThat(d.inusePages()).isEqualTo(999);
        assertThat(d.freePages()).isZero();
        assertThat(d.usage(0)).isEqualTo(SwapDevice.SWAP_MAP_BAD);
    }

    @Test
    void slotsComeFromFreeClustersInOrderBeforeTheHeaderClustersHoles() {
        int c = SwapDevice.SWAPFILE_CLUSTER;
        int size = 4 * c - 24;
        SwapDevice d = swapon(size);
        // cluster 0 holds the header and cluster 3 is cut short, so neither is on the free list:
        // clusters 1 and 2 go first, then the scan from the last slot finds the rest of 3, then 0
        for (long expect = c; expect < size; expect++) {
            assertThat(d.allocSlot()).isEqualTo(expect);
        }
        assertThat(d.allocSlot()).isEqualTo(1);
        assertThat(d.allocSlot()).isEqualTo(2);
    }

    @Test
    void slotsFreedBehindTheCurrentPositionAreNotReusedAtOnce() {
        SwapDevice d = swapon(1000);
        long a = d.allocSlot();
        long b = d.allocSlot();
        assertThat(d.cacheClear(a)).isTrue();
        assertThat(d.allocSlot()).isEqualTo(b + 1);
    }

    @Test
    void anEmptiedClusterGoesToTheTailOfTheFreeList() {
        int c = SwapDevice.SWAPFILE_CLUSTER;
        SwapDevice d = swapon(4 * c);
        long first = d.allocSlot();
        assertThat(first).isEqualTo(c);
        d.cacheClear(first);
        // cluster 1 is free again but queued behind 2 and 3
        assertThat(d.allocSlot()).isEqualTo(2 * c);
    }

    @Test
    void allocFreeRoundTrip() {
        SwapDevice d = swapon(100);
        long off = d.allocSlot();
        assertThat(d.usage(off)).isEqualTo(SwapDevice.SWAP_HAS_CACHE);
        assertThat(d.hasCache(off)).isTrue();
        assertThat(d.swapCount(off)).isZero();
        assertThat(d.inusePages()).isEqualTo(1);
        assertThat(d.duplicate(off)).isEqualTo(SwapResult.OK);
        assertThat(d.duplicate(off)).isEqualTo(SwapResult.OK);
        assertThat(d.swapCount(off)).isEqualTo(2);
        assertThat(d.cacheClear(off)).isFalse();
        assertThat(d.hasCache(off)).isFalse();
        assertThat(d.free(off)).isFalse();
        assertThat(d.free(off)).isTrue();
        assertThat(d.isFree(off)).isTrue();
        assertThat(d.inusePages()).isZero();
        assertThat(d.freePages()).isEqualTo(99);
    }

    @Test
    void cacheBitIsTakenOnlyOnceAndOnlyOnAReferencedSlot() {
        SwapDevice d = swapon(100);
        long off = d.allocSlot();
        assertThat(d.cachePrepare(off)).as("allocation already set the bit").isEqualTo(SwapResult.EEXIST);
        d.duplicate(off);
        d.cacheClear(off);
        assertThat(d.cachePrepare(off)).isEqualTo(SwapResult.OK);
        assertThat(d.cachePrepare(off)).isEqualTo(SwapResult.EEXIST);
        d.cacheClear(off);
        d.free(off);
        assertThat(d.cachePrepare(off)).as("free slot").isEqualTo(SwapResult.ENOENT);
        assertThat(d.duplicate(off)).as("free slot").isEqualTo(SwapResult.ENOENT);
    }

    @Test
    void countOverflowIsRefused() {
        SwapDevice d = swapon(100);
        long off = d.allocSlot();
        for (int i = 0; i < SwapDevice.SWAP_MAP_MAX; i++) {
            assertThat(d.duplicate(off)).isEqualTo(SwapResult.OK);
        }
        assertThat(d.duplicate(off)).isEqualTo(SwapResult.COUNT_MAX);
        assertThat(d.swapCount(off)).isEqualTo(SwapDevice.SWAP_MAP_MAX);
        assertThat(d.hasCache(off)).isTrue();
        for (int i = 0; i < SwapDevice.SWAP_MAP_MAX; i++) {
            assertThat(d.free(off)).isFalse();
        }
        assertThat(d.cacheClear(off)).isTrue();
    }

    @Test
    void droppingWhatIsNotHeldIsABug() {
        SwapDevice d = swapon(100);
        long off = d.allocSlot();
        assertThatThrownBy(() -> d.free(off)).isInstanceOf(IllegalStateException.class).hasMessageContaining("swap_free");
        d.cacheClear(off);
        assertThatThrownBy(() -> d.cacheClear(off)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> d.duplicate(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.duplicate(100)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void usedSlotsToleratesFreeingWhileIterating() {
        SwapDevice d = swapon(600);
        List<Long> held = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            held.add(d.allocSlot());
        }
        for (int i = 0; i < held.size(); i += 3) {
            d.duplicate(held.get(i));
            d.cacheClear(held.get(i));
        }
        List<Long> seen = new ArrayList<>();
        PrimitiveIterator.OfLong it = d.usedSlots();
        while (it.hasNext()) {
            long off = it.nextLong();
            seen.add(off);
            while (d.swapCount(off) > 0) {
                d.free(off);
            }
            if (d.hasCache(off)) {
                d.cacheClear(off);
            }
            d.check();
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(held).isSorted();
        assertThat(d.inusePages()).isZero();
        assertThat(d.findNextInUse(0)).isEqualTo(SwapDevice.NO_SLOT);
    }

    @Test
    void noSlotsOnceSwapoffHasBegun() {
        SwapDevice d = swapon(100);
        swaps.stopAllocating(d.type());
        assertThat(d.writeok()).isFalse();
        assertThat(d.allocSlot()).isEqualTo(SwapDevice.NO_SLOT);
        assertThat(swaps.allocSwapEntry()).isNull();
    }

    @Test
    void largeAreaFillsColumnsInTheKernelsOrder() {
        SwapDevice d = swapon(70L * SwapDevice.SWAPFILE_CLUSTER);
        for (int i = 0; i < SwapDevice.SWAPFILE_CLUSTER; i++) {
            assertThat(d.allocSlot() / SwapDevice.SWAPFILE_CLUSTER).isEqualTo(64);
        }
        // column 0 is exhausted (cluster 0 holds the header); column 1 starts at cluster 1
        assertThat(d.allocSlot() / SwapDevice.SWAPFILE_CLUSTER).isEqualTo(1);
    }

    @Test
    void aClusterSizedRunIsTheHeadOfTheFreeClusterList() {
        int c = SwapDevice.SWAPFILE_CLUSTER;
        SwapDevice d = swapon(4 * c);
        assertThat(d.allocRun(c)).isEqualTo(c);
        for (int k = 0; k < c; k++) {
            assertThat(d.usage(c + k)).isEqualTo(SwapDevice.SWAP_HAS_CACHE);
        }
        assertThat(d.inusePages()).isEqualTo(c);
        assertThat(d.allocRun(c)).isEqualTo(2 * c);
        assertThat(d.allocRun(c)).isEqualTo(3 * c);
        // cluster 0 holds the header: no free cluster is left, although c - 1 slots are free
        assertThat(d.freePages()).isEqualTo(c - 1);
        assertThat(d.allocRun(c)).isEqualTo(SwapDevice.NO_SLOT);
        d.check();
        // freeing the run slot by slot gives the cluster back to the free list
        for (int k = 0; k < c; k++) {
            d.cacheClear(2 * c + k);
        }
        assertThat(d.allocRun(c)).isEqualTo(2 * c);
        d.check();
    }

    @Test
    void noClusterSizedRunFromFragmentedSwapEvenWithEnoughFreeSlots() {
        int c = SwapDevice.SWAPFILE_CLUSTER;
        SwapDevice d = swapon(4 * c);
        long off;
        while ((off = d.allocSlot()) != SwapDevice.NO_SLOT) {
            if (off % 2 == 0) {
                d.duplicate(off);
            }
        }
        for (long s = 1; s < 4 * c; s += 2) {
            d.cacheClear(s); // every odd slot is free again
        }
        assertThat(d.freePages()).isGreaterThanOrEqualTo(c);
        assertThat(d.allocRun(c)).isEqualTo(SwapDevice.NO_SLOT);
        assertThat(d.allocRun(2)).as("no aligned pair is free either").isEqualTo(SwapDevice.NO_SLOT);
        d.check();
    }

    @Test
    void aShorterRunIsAlignedInTheCurrentCluster() {
        int c = SwapDevice.SWAPFILE_CLUSTER;
        SwapDevice d = swapon(4 * c);
        assertThat(d.allocSlot()).isEqualTo(c);
        assertThat(d.allocRun(16)).isEqualTo(c + 16);
        assertThat(d.allocSlot()).isEqualTo(c + 32);
        assertThat(d.allocRun(4)).isEqualTo(c + 36);
        d.check();
        assertThatThrownBy(() -> d.allocRun(3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.allocRun(2 * c)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRunOfASwapAreaWhoseSwapoffBegunIsRefused() {
        SwapDevice d = swapon(4 * SwapDevice.SWAPFILE_CLUSTER);
        swaps.stopAllocating(d.type());
        assertThat(d.allocRun(SwapDevice.SWAPFILE_CLUSTER)).isEqualTo(SwapDevice.NO_SLOT);
        assertThat(swaps.allocSwapRun(SwapDevice.SWAPFILE_CLUSTER)).isNull();
    }

    @Test
    void anAreaSwappedOnWithoutThpSwapHasTheSmallerClustersAndNoRuns() {
        swaps.setThpSwap(false);
        SwapDevice d = swapon(4 * SwapDevice.SWAPFILE_CLUSTER);
        swaps.setThpSwap(true);
        assertThat(d.clusterSize()).isEqualTo(SwapDevice.SWAPFILE_CLUSTER_NO_THP_SWAP);
        assertThat(d.allocSlot()).isEqualTo(SwapDevice.SWAPFILE_CLUSTER_NO_THP_SWAP);
        assertThat(d.allocRun(SwapDevice.SWAPFILE_CLUSTER)).isEqualTo(SwapDevice.NO_SLOT);
        assertThat(d.allocRun(2)).isEqualTo(SwapDevice.NO_SLOT);
        assertThat(swapon(4 * SwapDevice.SWAPFILE_CLUSTER).clusterSize()).isEqualTo(SwapDevice.SWAPFILE_CLUSTER);
    }
}
