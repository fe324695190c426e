package org.pagelab.swap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pagelab.machine.Machine;
import org.pagelab.machine.MachineTest;
import org.pagelab.memory.Access;
import org.pagelab.memory.Process;
import org.pagelab.pgtable.Pte;
import org.pagelab.phys.MemSize;
import org.pagelab.phys.PhysConfig;
import org.pagelab.stat.VmItem;
import org.pagelab.testing.Seeds;
import org.pagelab.vma.VmFlags;

/**
 * Swap readahead as mm/swap_state.c has it: the VMA window of solid-state swap, the aligned
 * cluster of rotational swap, page-cluster, and the window that follows the readahead hits
 * (swapin_nr_pages). Each test names the kernel behaviour it reproduces.
 */
class SwapReadaheadTest extends MachineTest {
    private static final int PAGE = 4096;
    private static final int RW = VmFlags.VM_READ | VmFlags.VM_WRITE;

    private void swapon(boolean rotational) {
        assertThat(machine.swap().swapon("swapfile", 16L * 1024, null, rotational)).isInstanceOf(SwaponResult.Ok.class);
    }

    /** A process with {@code pages} anonymous pages written, paged out and dropped from the swap cache. */
    private long swappedOut(Process p, int pages) {
        long a = mm.mmapAnon(p, 0, (long) pages * PAGE, RW, false).orThrow();
        for (int i = 0; i < pages; i++) {
            poke(p, a + (long) i * PAGE, i + 1);
        }
        mm.madviseColdOrPageout(p, a, (long) pages * PAGE, true).orThrow();
        for (int i = 0; i < 16 && machine.swap().cachedPages() > 0; i++) {
            machine.vmscan().tryToFreeMemcgPages(machine.memcg().root(), 2L * pages);
        }
        assertThat(machine.swap().cachedPages()).as("every page out of memory").isZero();
        for (int i = 0; i < pages; i++) {
            assertThat(Pte.isSwap(p.pageTable().getPte(a + (long) i * PAGE))).as("page %d swapped", i).isTrue();
        }
        return a;
    }

    private boolean cached(Process p, long addr) {
        long pte = p.pageTable().getPte(addr);
        return Pte.isSwap(pte) && machine.swap().lookup(Pte.swapEntry(pte)) != null;
    }

    /** Reads page {@code i} of {@code a}; returns how many pages that read ahead (swap_ra). */
    private long readPage(Process p, long a, int i) {
        long ra = vm(VmItem.SWAP_RA);
        assertThat(peek(p, a + (long) i * PAGE)).as("page %d keeps its byte", i).isEqualTo((byte) (i + 1));
        return vm(VmItem.SWAP_RA) - ra;
    }

    @Test
    void theWindowIsHitsPlusTwoRoundedUpToAPowerOfTwoAndShrinksAtMostByHalf() {
        assertThat(SwapReadahead.nrPages(0, 100, 4, 8, 0)).as("boot: 4 hits give 8").isEqualTo(8);
        assertThat(SwapReadahead.nrPages(0, 100, 1, 8, 0)).as("3 rounds up to 4").isEqualTo(4);
        assertThat(SwapReadahead.nrPages(0, 100, 7, 32, 0)).as("9 rounds up to 16").isEqualTo(16);
        assertThat(SwapReadahead.nrPages(0, 100, 40, 8, 0)).as("capped at 2^page-cluster").isEqualTo(8);
        assertThat(SwapReadahead.nrPages(99, 100, 0, 8, 0)).as("no hits, next to the last: 2").isEqualTo(2);
        assertThat(SwapReadahead.nrPages(101, 100, 0, 8, 0)).as("no hits, just below the last: 2").isEqualTo(2);
        assertThat(SwapReadahead.nrPages(50, 100, 0, 8, 0)).as("no hits, elsewhere: 1").isEqualTo(1);
        assertThat(SwapReadahead.nrPages(50, 100, 0, 8, 8)).as("not below half the last window").isEqualTo(4);
    }

    @Test
    void sequentialSwapInsGrowTheWindowToTwoToThePageCluster() {
        swapon(false);
        Process p = mm.spawn("p");
        long a = swappedOut(p, 256);
        assertThat(machine.swap().readahead().pageCluster()).isEqualTo(3);
        long majors = vm(VmItem.PGMAJFAULT);
        List<Long> windows = new ArrayList<>();
        for (int i = 0; i < 256; i++) {
            boolean miss = !cached(p, a + (long) i * PAGE);
            long ra = readPage(p, a, i);
            if (miss) {
                windows.add(ra);
            }
        }
        // the first fault has the boot hits (4): a centred window of 8 clipped at the VMA's start;
        // each later one follows the page just below, with 7 hits since: 8 pages ahead of it
        assertThat(windows.getFirst()).as("first fault: pages 1..4 read ahead").isEqualTo(4);
        assertThat(windows.subList(1, windows.size() - 1)).as("later faults read 2^3 - 1 ahead").allMatch(w -> w == 7);
        assertThat(vm(VmItem.PGMAJFAULT) - majors).isEqualTo(windows.size()).isEqualTo(1 + (256 - 5 + 7) / 8);
        assertThat(vm(VmItem.PSWPIN)).as("every page read once").isEqualTo(256);
        assertThat(vm(VmItem.SWAP_RA_HIT)).as("every page read ahead was used").isEqualTo(vm(VmItem.SWAP_RA));
    }

    @Test
    void randomSwapInsShrinkTheWindowToOnePage() {
        swapon(false);
        Process p = mm.spawn("p");
        long a = swappedOut(p, 512);
        // pages 16 apart in a random order: no fault is next to the last, no page read ahead is used
        List<Integer> order = new ArrayList<>();
        for (int i = 8; i < 512; i += 16) {
            order.add(i);
        }
        long seed = Seeds.derive(41);
        java.util.Collections.shuffle(order, new java.util.Random(seed));
        List<Long> windows = new ArrayList<>();
        for (int i : order) {
            windows.add(readPage(p, a, i));
        }
        assertThat(windows.subList(0, 4)).as("seed %d: 8, then halving to 1 (pages read ahead)", seed)
                .containsExactly(7L, 3L, 1L, 0L);
        assertThat(windows.subList(4, windows.size())).as("seed %d: one page per fault from then on", seed)
                .allMatch(w -> w == 0);
        assertThat(vm(VmItem.SWAP_RA_HIT)).isZero();
        assertThat(vm(VmItem.PSWPIN)).isEqualTo(order.size() + 7 + 3 + 1);
    }

    @Test
    void aReadaheadHitWidensTheWindowAgainAfterRandomFaults() {
        swapon(false);
        Process p = mm.spawn("p");
        long a = swappedOut(p, 512);
        for (int i : new int[] {300, 100, 200, 400}) {
            readPage(p, a, i); // windows 8, 4, 2, 1: the last reads nothing ahead
        }
        assertThat(readPage(p, a, 50)).as("random again: one page").isZero();
        assertThat(readPage(p, a, 51)).as("the page next to it: a window of 2").isEqualTo(1);
        assertThat(readPage(p, a, 52)).as("a hit").isZero();
        assertThat(readPage(p, a, 53)).as("one hit since: 1 + 2 rounds up to 4").isEqualTo(3);
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "rotational {0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void pageClusterZeroReadsOnePage(boolean rotational) {
        swapon(rotational);
        machine.swap().readahead().setPageCluster(0);
        Process p = mm.spawn("p");
        long a = swappedOut(p, 64);
        for (int i = 0; i < 64; i++) {
            assertThat(readPage(p, a, i)).isZero();
        }
        assertThat(vm(VmItem.PGMAJFAULT)).isEqualTo(64);
        assertThat(vm(VmItem.PSWPIN)).isEqualTo(64);
        assertThat(vm(VmItem.SWAP_RA)).isZero();
    }

    @Test
    void vmaReadaheadDoesNotCrossTheVmaOrReadNonSwapPtes() {
        swapon(false);
        Process p = mm.spawn("p");
        long a = swappedOut(p, 32);
        mm.mprotect(p, a + 16L * PAGE, 16L * PAGE, VmFlags.VM_READ).orThrow(); // two VMAs: pages 0..15, 16..31
        assertThat(p.mm().find(a).end()).isEqualTo(a + 16L * PAGE);
        machine.swap().readahead().setPageCluster(0);
        readPage(p, a, 5); // present now, read with no readahead (and the window left as it was)
        machine.swap().readahead().setPageCluster(3);
        assertThat(readPage(p, a, 8)).as("centred window 5..12: 5 is present, 8 is the fault").isEqualTo(6);
        for (int i = 6; i <= 12; i++) {
            if (i != 8) {
                assertThat(cached(p, a + (long) i * PAGE)).as("page %d read ahead", i).isTrue();
            }
        }
        assertThat(cached(p, a + 4L * PAGE)).isFalse();
        assertThat(cached(p, a + 13L * PAGE)).isFalse();
        // no hits since, not next to 8: half the last window (4), centred on 15 (14..17), cut at the VMA's end
        assertThat(readPage(p, a, 15)).isEqualTo(1);
        assertThat(cached(p, a + 13L * PAGE)).isFalse();
        assertThat(cached(p, a + 14L * PAGE)).isTrue();
        for (int i = 16; i < 32; i++) {
            assertThat(cached(p, a + (long) i * PAGE)).as("page %d of the next VMA", i).isFalse();
        }
    }

    @Test
    void theVmaWindowStopsAtTheEndOfItsPageTable() {
        swapon(false);
        Process p = mm.spawn("p");
        long table = 0x40000000L; // a 2 MiB boundary: one page table maps below it, another above
        long a = mm.mmapAnon(p, table - 16L * PAGE, 32L * PAGE, RW, true).orThrow();
        for (int i = 0; i < 32; i++) {
            poke(p, a + (long) i * PAGE, i + 1);
        }
        mm.madviseColdOrPageout(p, a, 32L * PAGE, true).orThrow();
        for (int i = 0; i < 16 && machine.swap().cachedPages() > 0; i++) {
            machine.vmscan().tryToFreeMemcgPages(machine.memcg().root(), 64);
        }
        assertThat(readPage(p, a, 12)).as("centred window 9..16 cut at page 16, the next table's first").isEqualTo(6);
        assertThat(cached(p, a + 16L * PAGE)).isFalse();
        // no hits since: half the last window (4), centred on 16 (15..18), cut at this table's first page
        assertThat(readPage(p, a, 16)).isEqualTo(2);
        assertThat(cached(p, a + 15L * PAGE)).as("read ahead by the fault at 12").isTrue();
        assertThat(cached(p, a + 19L * PAGE)).isFalse();
    }

    @Test
    void clusterReadaheadReadsTheAlignedClusterOnRotational() {
        swapon(true);
        assertThat(machine.swap().readahead().usesVmaReadahead()).isFalse();
        Process p = mm.spawn("p");
        long a = swappedOut(p, 64);
        long entry = p.pageTable().getPte(a + 20L * PAGE);
        long off = Pte.swapEntry(entry).offset();
        long[] slots = new long[64];
        for (int i = 0; i < 64; i++) {
            slots[i] = Pte.swapEntry(p.pageTable().getPte(a + (long) i * PAGE)).offset();
        }
        assertThat(readPage(p, a, 20)).as("the 8 aligned slots around the fault's, but it").isEqualTo(7);
        for (int i = 0; i < 64; i++) {
            boolean inCluster = slots[i] / 8 == off / 8;
            if (i != 20) {
                assertThat(cached(p, a + (long) i * PAGE)).as("page %d at slot %d (fault at %d)", i, slots[i], off)
                        .isEqualTo(inCluster);
            }
        }
    }

    @Test
    void clusterReadaheadKeepsOneWindowForTheMachine() {
        swapon(true);
        Process p = mm.spawn("p");
        long a = swappedOut(p, 512);
        for (int i : new int[] {300, 100, 200, 400, 40}) {
            readPage(p, a, i);
        }
        assertThat(readPage(p, a, 140)).as("no hits, far from the last: one page").isZero();
        Process q = mm.spawn("q");
        long b = swappedOut(q, 64);
        assertThat(readPage(q, b, 30)).as("another process faults: the same machine-wide window").isZero();
    }

    @Test
    void aRotationalDeviceSwitchesEveryFaultToClusterReadahead() {
        swapon(false);
        assertThat(machine.swap().readahead().usesVmaReadahead()).isTrue();
        var disk = machine.swap().swapon("disk", 1024, null, true);
        assertThat(disk).isInstanceOf(SwaponResult.Ok.class);
        assertThat(machine.swap().readahead().usesVmaReadahead()).as("nr_rotate_swap > 0").isFalse();
        assertThat(mm.swapoff(((SwaponResult.Ok) disk).device().type())).isNull();
        assertThat(machine.swap().readahead().usesVmaReadahead()).as("the disk is off again").isTrue();
        machine.swap().readahead().setVmaEnabled(false);
        assertThat(machine.swap().readahead().usesVmaReadahead()).as("vma_ra_enabled false").isFalse();
    }

    @Test
    void pageClusterIsTwoBelowSixteenMegabytesOfRamAndThreeAbove() {
        assertThat(machine.swap().readahead().pageCluster()).isEqualTo(3);
        machine.close();
        machine = Machine.boot(PhysConfig.of(MemSize.parse("16M"), false));
        mm = machine.memory();
        assertThat(machine.swap().readahead().pageCluster()).isEqualTo(2);
    }

    @Test
    void theVmaWindowGoesWithTheVmaThroughFork() {
        swapon(false);
        Process p = mm.spawn("p");
        long a = swappedOut(p, 64);
        readPage(p, a, 0);
        long word = p.mm().find(a).swapReadaheadInfo();
        assertThat(word).isNotZero();
        Process c = mm.fork(p);
        assertThat(c.mm().find(a).swapReadaheadInfo()).isEqualTo(word);
    }
}
