package org.pagelab.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.pagelab.desc.AnonFolio;
import org.pagelab.desc.Folio;
import org.pagelab.desc.FolioFlags.Flag;
import org.pagelab.desc.MemDesc;
import org.pagelab.desc.SwapEntry;
import org.pagelab.machine.MachineTest;
import org.pagelab.pgtable.Pte;
import org.pagelab.stat.VmItem;
import org.pagelab.swap.SwapDevice;
import org.pagelab.swap.SwaponResult;
import org.pagelab.vma.VmFlags;

/**
 * Reclaim and swap of PMD-sized anonymous folios, as 6.1 does them: swapped out whole into a
 * free swap cluster (thp_swpout), split when there is none (thp_swpout_fallback), found page by
 * page in the swap cache while they are there, and back as order-0 pages once they left it.
 */
class ThpSwapTest extends MachineTest {
    private static final int RW = VmFlags.VM_READ | VmFlags.VM_WRITE;
    private static final int PAGE = 4096;
    private static final long HUGE = 2L << 20;

    private int swapon(long pages) {
        SwaponResult r = machine.swap().swapon("swapfile", pages, null);
        assertThat(r).isInstanceOf(SwaponResult.Ok.class);
        return ((SwaponResult.Ok) r).device().type();
    }

    /** A huge page written with random bytes from {@code seed} at the returned 2 MiB-aligned address of {@code p}. */
    private long hugePage(Process p, long seed, byte[][] data) {
        long a = mm.mmapAnon(p, 0, 2 * HUGE, RW, false).orThrow();
        long h = (a + HUGE - 1) & -HUGE;
        data[0] = random(seed, (int) HUGE);
        assertThat(mm.write(p, h, data[0], 0, data[0].length)).isEqualTo(Access.OK);
        assertThat(ownerAt(p, h).order()).isEqualTo(9);
        return h;
    }

    private MemDesc ownerAt(Process p, long addr) {
        return machine.phys().memmap().raw(Pte.pfn(p.pageTable().getPte(addr)));
    }

    private byte[] read(Process p, long addr, int len) {
        byte[] b = new byte[len];
        assertThat(mm.read(p, addr, b, 0, len)).isEqualTo(Access.OK);
        return b;
    }

    /** A process's huge page at {@code h}, its bytes, and the folio that held it when it was swapped out. */
    private record Swapped(Process p, long h, byte[] data, AnonFolio f) {
    }

    /** A huge page of random bytes from {@code seed}, swapped out whole by MADV_PAGEOUT into a 4096-page swap area. */
    private Swapped swappedOutWhole(long seed) {
        swapon(4096);
        Process p = mm.spawn("p");
        byte[][] data = new byte[1][];
        long h = hugePage(p, seed, data);
        return new Swapped(p, h, data[0], pageout(p, h));
    }

    /** MADV_PAGEOUT of the huge page at {@code h}; returns the folio it was. */
    private AnonFolio pageout(Process p, long h) {
        AnonFolio f = (AnonFolio) ownerAt(p, h);
        mm.madviseColdOrPageout(p, h, HUGE, true).orThrow();
        return f;
    }

    @Test
    void aHugePageIsSwappedOutWholeIntoAFreeCluster() {
        Swapped x = swappedOutWhole(1);
        assertThat(vm(VmItem.THP_SWPOUT)).isEqualTo(1);
        assertThat(mm.mthp().stat(9, org.pagelab.memory.MthpStat.SWPOUT)).as("hugepages-2048kB/stats/swpout").isEqualTo(1);
        assertThat(vm(VmItem.PSWPOUT)).isEqualTo(512);
        assertThat(vm(VmItem.THP_SWPOUT_FALLBACK)).isZero();
        assertThat(vm(VmItem.THP_SPLIT_PAGE)).isZero();
        assertThat(x.p().rssAnon()).isZero();
        assertThat(x.p().swapEnts()).isEqualTo(512);
        assertThat(x.f().isDead()).isFalse();
        assertThat(x.f().test(Flag.SWAPCACHE)).isTrue();
        assertThat(vm(VmItem.NR_SWAPCACHED)).isEqualTo(512);
        assertThat(vm(VmItem.NR_ANON_TRANSPARENT_HUGEPAGES)).isZero();
        SwapEntry first = machine.swap().entryOf(x.f());
        assertThat(first.offset() % SwapDevice.SWAPFILE_CLUSTER).as("a whole cluster").isZero();
        for (int k = 0; k < 512; k++) {
            long pte = x.p().pageTable().getPte(x.h() + (long) k * PAGE);
            assertThat(Pte.isSwap(pte)).isTrue();
            assertThat(Pte.swapEntry(pte)).as("page %d has its own slot", k).isEqualTo(first.plus(k));
            assertThat(machine.swap().lookup(first.plus(k))).isSameAs(x.f());
        }
        machine.check();
        assertThat(read(x.p(), x.h(), (int) HUGE)).isEqualTo(x.data());
        machine.check();
    }

    @Test
    void withNoFreeClusterTheHugePageIsSplitAndSwappedOutPageByPage() {
        swapon(SwapDevice.SWAPFILE_CLUSTER + 400); // cluster 0 holds the header, cluster 1 is cut short
        Process p = mm.spawn("p");
        byte[][] data = new byte[1][];
        long h = hugePage(p, 2, data);
        pageout(p, h);
        assertThat(vm(VmItem.THP_SWPOUT)).isZero();
        assertThat(vm(VmItem.THP_SWPOUT_FALLBACK)).isEqualTo(1);
        assertThat(vm(VmItem.THP_SPLIT_PAGE)).isEqualTo(1);
        assertThat(vm(VmItem.PSWPOUT)).isEqualTo(512);
        assertThat(p.rssAnon()).isZero();
        machine.check();
        assertThat(read(p, h, (int) HUGE)).isEqualTo(data[0]);
        assertThat(ownerAt(p, h).order()).isZero();
        machine.check();
    }

    @Test
    void aPageOfAHugePageStillInTheSwapCacheMapsWithoutIo() {
        Swapped x = swappedOutWhole(3);
        assertThat(x.f().test(Flag.WRITEBACK)).as("its write is in flight, which does not make it shared").isTrue();
        long majfaults = vm(VmItem.PGMAJFAULT);
        assertThat(read(x.p(), x.h() + 7L * PAGE, PAGE)).isEqualTo(java.util.Arrays.copyOfRange(x.data(), 7 * PAGE, 8 * PAGE));
        assertThat(vm(VmItem.PSWPIN)).isZero();
        assertThat(vm(VmItem.PGMAJFAULT)).isEqualTo(majfaults);
        assertThat(Pte.pfn(x.p().pageTable().getPte(x.h() + 7L * PAGE))).isEqualTo(x.f().pfn() + 7);
        assertThat(x.f().mapcount()).isEqualTo(1);
        assertThat(x.p().rssAnon()).isEqualTo(1);
        assertThat(x.p().swapEnts()).isEqualTo(511);
        assertThat(vm(VmItem.NR_ANON_TRANSPARENT_HUGEPAGES)).as("mapped by a PTE, not a PMD: not AnonHugePages").isZero();
        assertThat(x.f().pageExclusive(7)).as("no other PTE or reference: exclusive").isTrue();
        machine.check();
        // a write to that page finds it exclusive: written in place, no copy
        mm.write(x.p(), x.h() + 7L * PAGE, new byte[] {9}, 0, 1);
        assertThat(ownerAt(x.p(), x.h() + 7L * PAGE)).isSameAs(x.f());
        x.data()[7 * PAGE] = 9;
        assertThat(read(x.p(), x.h(), (int) HUGE)).isEqualTo(x.data());
        assertThat(x.f().mapcount()).isEqualTo(512);
        assertThat(vm(VmItem.PSWPIN)).isZero();
        machine.check();
    }

    @Test
    void aHugePageThatLeftTheSwapCacheComesBackAsOrderZeroPages() {
        Swapped x = swappedOutWhole(4);
        machine.writebackIo().waitFor(x.f());
        assertThat(x.f().test(Flag.WRITEBACK)).isFalse();
        machine.vmscan().reclaimPages(List.of(x.f())); // the next reclaim pass finds it clean and unmapped
        assertThat(x.f().isDead()).isTrue();
        assertThat(vm(VmItem.NR_SWAPCACHED)).isZero();
        assertThat(machine.swap().devices().inusePages()).as("the slots stay, named by the PTEs").isEqualTo(512);
        machine.check();
        assertThat(read(x.p(), x.h(), (int) HUGE)).isEqualTo(x.data());
        assertThat(vm(VmItem.PSWPIN)).isEqualTo(512);
        assertThat(ownerAt(x.p(), x.h()).order()).isZero();
        machine.check();
    }

    @Test
    void splittingAHugePageInTheSwapCacheKeepsEachPagesSwapEntry() {
        Swapped x = swappedOutWhole(5);
        machine.writebackIo().waitFor(x.f());
        SwapEntry first = machine.swap().entryOf(x.f());
        read(x.p(), x.h() + 3L * PAGE, 1); // page 3 is mapped again, the others are named by swap entries
        assertThat(mm.splitHugePage(x.f())).isTrue();
        assertThat(x.f().isDead()).isTrue();
        assertThat(vm(VmItem.THP_SPLIT_PAGE)).isEqualTo(1);
        for (int k = 0; k < 512; k++) {
            var part = machine.swap().lookup(first.plus(k));
            assertThat(part).as("page %d stays in the swap cache", k).isInstanceOf(AnonFolio.class);
            Folio pf = part.folio();
            assertThat(pf.order()).isZero();
            assertThat(pf.pfn()).isEqualTo(x.f().pfn() + k);
            assertThat(pf.index()).isEqualTo(first.offset() + k);
            assertThat(machine.swap().entryOf(pf)).isEqualTo(first.plus(k));
        }
        assertThat(vm(VmItem.NR_SWAPCACHED)).isEqualTo(512);
        machine.check();
        assertThat(read(x.p(), x.h(), (int) HUGE)).isEqualTo(x.data());
        assertThat(vm(VmItem.PSWPIN)).isZero();
        machine.check();
    }

    @Test
    void swapoffBringsAHugePageBackFromTheSwapCache() {
        Swapped x = swappedOutWhole(6);
        int type = machine.swap().devices().devices().getFirst().type();
        assertThat(mm.swapoff(type)).isNull();
        assertThat(x.f().isDead()).isFalse();
        assertThat(x.f().test(Flag.SWAPCACHE)).isFalse();
        assertThat(x.f().mapcount()).isEqualTo(512);
        assertThat(x.p().swapEnts()).isZero();
        assertThat(vm(VmItem.NR_SWAPCACHED)).isZero();
        assertThat(vm(VmItem.NR_ANON_TRANSPARENT_HUGEPAGES)).as("swapoff maps PTEs (unuse_pte), no PMD").isZero();
        assertThat(vm(VmItem.PSWPIN)).isZero();
        machine.check();
        assertThat(read(x.p(), x.h(), (int) HUGE)).isEqualTo(x.data());
        machine.check();
    }

    @Test
    void aHugePageUnderMemoryPressureIsSwappedOutWholeAndComesBackIntact() {
        swapon(16384);
        Process p = mm.spawn("p");
        byte[][] data = new byte[1][];
        long h = hugePage(p, 7, data);
        mm.setTransparentHugepage(TransparentHugepage.NEVER);
        Process q = mm.spawn("q");
        long size = 48L << 20;
        long a = mm.mmapAnon(q, 0, size, RW, false).orThrow();
        byte[] chunk = random(8, PAGE);
        for (long off = 0; off < size; off += PAGE) {
            assertThat(mm.write(q, a + off, chunk, 0, PAGE)).isEqualTo(Access.OK);
        }
        assertThat(vm(VmItem.THP_SWPOUT)).isEqualTo(1);
        assertThat(vm(VmItem.THP_SWPOUT_FALLBACK)).isZero();
        machine.check();
        assertThat(read(p, h, (int) HUGE)).isEqualTo(data[0]);
        machine.check();
    }

    @Test
    void aSwapAreaOfAKernelWithoutThpSwapTakesNoHugePageWhole() {
        mm.setTransparentHugepage(TransparentHugepage.NEVER); // stands for a kernel built without THP
        swapon(4096);
        mm.setTransparentHugepage(TransparentHugepage.ALWAYS);
        Process p = mm.spawn("p");
        byte[][] data = new byte[1][];
        long h = hugePage(p, 9, data);
        pageout(p, h);
        assertThat(vm(VmItem.THP_SWPOUT)).isZero();
        assertThat(vm(VmItem.THP_SWPOUT_FALLBACK)).isEqualTo(1);
        assertThat(vm(VmItem.PSWPOUT)).isEqualTo(512);
        machine.check();
        assertThat(read(p, h, (int) HUGE)).isEqualTo(data[0]);
    }

    @Test
    void theSwapChargeOfAHugePageSwappedOutWholeIsOnePagePerSlotAndEndsSlotBySlot() {
        swapon(4096);
        var a = machine.memcg().create("/a");
        Process p = mm.spawn("p");
        machine.memcg().attach(p, "/a");
        byte[][] data = new byte[1][];
        long h = hugePage(p, 10, data);
        AnonFolio f = pageout(p, h);
        assertThat(vm(VmItem.THP_SWPOUT)).isEqualTo(1);
        assertThat(a.swapPages()).as("memory.swap.current").isEqualTo(512);
        mm.munmap(p, h, 4L * PAGE).orThrow();
        assertThat(a.swapPages()).as("four entries gone, but the swap cache still holds their slots").isEqualTo(512);
        machine.writebackIo().waitFor(f);
        machine.vmscan().reclaimPages(List.of(f)); // the folio leaves the swap cache: those four slots are free
        assertThat(f.isDead()).isTrue();
        assertThat(a.swapPages()).isEqualTo(508);
        machine.check();
        assertThat(read(p, h + 4L * PAGE, (int) HUGE - 4 * PAGE))
                .isEqualTo(java.util.Arrays.copyOfRange(data[0], 4 * PAGE, (int) HUGE));
        machine.check();
    }

    @Test
    void migratingAHugePageInTheSwapCacheMovesEverySlotToTheNewFolio() {
        Swapped x = swappedOutWhole(11);
        machine.writebackIo().waitFor(x.f());
        SwapEntry first = machine.swap().entryOf(x.f());
        read(x.p(), x.h() + 5L * PAGE, 1); // one page mapped again, the others named by swap entries
        assertThat(machine.compaction().migrate().migrate(x.f())).isEqualTo(org.pagelab.compaction.Migrate.Outcome.SUCCESS);
        assertThat(x.f().isDead()).isTrue();
        Folio g = (Folio) ownerAt(x.p(), x.h() + 5L * PAGE);
        assertThat(g.order()).isEqualTo(9);
        assertThat(g.test(Flag.SWAPCACHE)).isTrue();
        for (int k = 0; k < 512; k++) {
            assertThat(machine.swap().lookup(first.plus(k))).isSameAs(g);
        }
        machine.check();
        assertThat(read(x.p(), x.h(), (int) HUGE)).isEqualTo(x.data());
        assertThat(vm(VmItem.PSWPIN)).isZero();
        machine.check();
    }

    @Test
    void aPoisonedPageOfAHugePageInTheSwapCacheCostsThatPageAlone() {
        Swapped x = swappedOutWhole(12);
        int bad = 40;
        var r = machine.memoryFailure().memoryFailure(x.f().pfn() + bad); // waits for the write, then splits
        assertThat(r.type()).isEqualTo(org.pagelab.failure.MemoryFailure.PageType.CLEAN_SWAPCACHE);
        assertThat(r.outcome()).isEqualTo(org.pagelab.failure.MemoryFailure.Outcome.RECOVERED);
        assertThat(vm(VmItem.THP_SPLIT_PAGE)).isEqualTo(1);
        assertThat(x.f().isDead()).isTrue();
        machine.check();
        byte[] back = read(x.p(), x.h(), (int) HUGE);
        assertThat(back).as("every page but the poisoned one, whose clean copy on swap is read back")
                .isEqualTo(x.data());
        assertThat(vm(VmItem.PSWPIN)).as("only the poisoned page's slot is read").isBetween(1L, 8L);
        machine.check();
    }
}
