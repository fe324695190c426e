package org.pagelab.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.pagelab.desc.AnonFolio;
import org.pagelab.desc.Folio;
import org.pagelab.desc.PageTablePage;
import org.pagelab.desc.ReservedBlock;
import org.pagelab.gup.Gup;
import org.pagelab.pgtable.Pte;
import org.pagelab.proc.SmapsRollup;
import org.pagelab.stat.VmItem;
import org.pagelab.vma.VmFlags;

/**
 * PMD mappings of transparent huge pages, the deferred split of partly unmapped ones, and the
 * huge zero page, as mm/huge_memory.c keeps them; every test ends with the machine's checkers
 * (huge tables uniform, entire mapcounts and nr_anon_transparent_hugepages recounted, the
 * deferred-split queue consistent).
 */
class ThpPmdTest extends HugeRangeTest {
    private PageTablePage table(Process p, long addr) {
        return p.pageTable().pteTable(addr);
    }

    private long smaps(Process p, String field) {
        return new SmapsRollup(machine, p).fields().get(field);
    }

    @Test
    void aWriteFaultMapsTheAlignedRangeWithOnePmdCountedInAnonHugePages() {
        Process p = mm.spawn("p");
        long h = hugeRange(p);
        writeRandom(p, h, 1);
        AnonFolio f = (AnonFolio) ownerAt(p, h);
        assertThat(table(p, h).huge()).isTrue();
        assertThat(f.entireMapcount()).isEqualTo(1);
        assertThat(f.mapcount()).as("one per page, as page_mapcount sums them").isEqualTo(512);
        assertThat(vm(VmItem.NR_ANON_TRANSPARENT_HUGEPAGES)).isEqualTo(1);
        assertThat(meminfo("AnonHugePages")).isEqualTo(2048);
        assertThat(smaps(p, "AnonHugePages")).isEqualTo(2048);
        assertThat(smaps(p, "Pss")).isEqualTo(2048);
    }

    @Test
    void partialMunmapSplitsThePmdAndDefersTheFolioSplitUntilTheShrinkerRuns() {
        Process p = mm.spawn("p");
        long h = hugeRange(p);
        byte[] data = writeRandom(p, h, 2);
        AnonFolio f = (AnonFolio) ownerAt(p, h);
        long free = machine.phys().freePages();
        mm.munmap(p, h + 200 * PAGE, 100 * PAGE).orThrow();
        assertThat(vm(VmItem.THP_SPLIT_PMD)).isEqualTo(1);
        assertThat(vm(VmItem.THP_DEFERRED_SPLIT_PAGE)).isEqualTo(1);
        assertThat(table(p, h).huge()).isFalse();
        assertThat(f.entireMapcount()).isZero();
        assertThat(meminfo("AnonHugePages")).isZero();
        assertThat(machine.phys().freePages()).as("unmapped pages stay allocated and charged").isEqualTo(free);
        assertThat(mm.deferredSplitQueued()).isEqualTo(1);
        mm.munmap(p, h + 400 * PAGE, PAGE).orThrow();
        assertThat(vm(VmItem.THP_DEFERRED_SPLIT_PAGE)).as("queued once").isEqualTo(1);
        machine.check();
        machine.vmscan().shrinkers().shrinkSlab(12);
        assertThat(f.isDead()).as("at DEF_PRIORITY shrink_slab scans nothing of a one-folio queue").isFalse();
        machine.vmscan().shrinkers().dropSlab();
        assertThat(f.isDead()).isTrue();
        assertThat(vm(VmItem.THP_SPLIT_PAGE)).isEqualTo(1);
        assertThat(machine.phys().freePages()).isEqualTo(free + 101);
        assertThat(mm.deferredSplitQueued()).isZero();
        assertThat(read(p, h, 200 * PAGE)).isEqualTo(Arrays.copyOf(data, 200 * PAGE));
        assertThat(read(p, h + 300 * PAGE, 100 * PAGE)).isEqualTo(Arrays.copyOfRange(data, 300 * PAGE, 400 * PAGE));
        assertThat(read(p, h + 401 * PAGE, 111 * PAGE)).isEqualTo(Arrays.copyOfRange(data, 401 * PAGE, 512 * PAGE));
    }

    /**
     * With no swap, reclaim cannot free anonymous memory, so its priority falls to zero and
     * shrink_slab then scans the whole deferred-split queue: the unmapped pages of the queued
     * folios are what lets a later writer get its memory without the OOM killer.
     */
    @Test
    void underMemoryPressureTheShrinkerFreesTheUnmappedPagesOfQueuedFolios() {
        Process owner = mm.spawn("owner");
        long[] ranges = new long[4];
        for (int i = 0; i < ranges.length; i++) {
            ranges[i] = hugeRange(owner);
            assertThat(mm.write(owner, ranges[i], new byte[] {(byte) (i + 1)}, 0, 1)).isEqualTo(Access.OK);
            mm.madviseDontneed(owner, ranges[i] + PAGE, HUGE - PAGE).orThrow();
        }
        assertThat(mm.deferredSplitQueued()).isEqualTo(4);
        mm.setTransparentHugepage(TransparentHugepage.NEVER);
        Process writer = mm.spawn("writer");
        long pages = machine.phys().freePages() + 1000;
        long a = mm.mmapAnon(writer, 0, pages * PAGE, RW, false).orThrow();
        for (long k = 0; k < pages; k++) {
            assertThat(mm.touch(writer, a + k * PAGE, true)).as("page %d", k).isEqualTo(Access.OK);
        }
        assertThat(vm(VmItem.OOM_KILL)).isZero();
        assertThat(vm(VmItem.THP_SPLIT_PAGE)).isEqualTo(4);
        assertThat(mm.deferredSplitQueued()).isZero();
        for (int i = 0; i < ranges.length; i++) {
            assertThat(peek(owner, ranges[i])).isEqualTo(i + 1);
        }
    }

    @Test
    void forkKeepsBothPmdMappedUntilACowWriteSplitsTheWritersPmd() {
        Process parent = mm.spawn("parent");
        long h = hugeRange(parent);
        byte[] data = writeRandom(parent, h, 3);
        AnonFolio f = (AnonFolio) ownerAt(parent, h);
        Process child = mm.fork(parent);
        assertThat(table(child, h).huge()).isTrue();
        assertThat(table(parent, h).huge()).isTrue();
        assertThat(f.entireMapcount()).isEqualTo(2);
        assertThat(Pte.writable(parent.pageTable().getPte(h + 5 * PAGE))).as("both write-protected").isFalse();
        assertThat(Pte.writable(child.pageTable().getPte(h + 5 * PAGE))).isFalse();
        assertThat(f.pageExclusive(0)).isFalse();
        assertThat(meminfo("AnonHugePages")).as("one folio, counted once").isEqualTo(2048);
        assertThat(smaps(parent, "AnonHugePages")).isEqualTo(2048);
        assertThat(smaps(child, "AnonHugePages")).isEqualTo(2048);
        assertThat(smaps(parent, "Pss") + smaps(child, "Pss")).as("Pss shares the folio between the two").isEqualTo(2048);
        assertThat(vm(VmItem.THP_SPLIT_PMD)).isZero();
        assertThat(mm.write(child, h + 7 * PAGE, new byte[] {1}, 0, 1)).isEqualTo(Access.OK);
        assertThat(vm(VmItem.THP_SPLIT_PMD)).as("do_huge_pmd_wp_page falls back after splitting the PMD").isEqualTo(1);
        assertThat(table(child, h).huge()).isFalse();
        assertThat(table(parent, h).huge()).isTrue();
        assertThat(ownerAt(child, h + 7 * PAGE).order()).isZero();
        assertThat(ownerAt(child, h + 8 * PAGE)).isSameAs(f);
        assertThat(f.entireMapcount()).isEqualTo(1);
        assertThat(smaps(child, "AnonHugePages")).isZero();
        assertThat(meminfo("AnonHugePages")).isEqualTo(2048);
        assertThat(vm(VmItem.THP_DEFERRED_SPLIT_PAGE)).as("the parent's PMD still maps every page").isZero();
        machine.check();
        byte[] expectChild = data.clone();
        expectChild[7 * PAGE] = 1;
        assertThat(read(child, h, (int) HUGE)).isEqualTo(expectChild);
        assertThat(read(parent, h, (int) HUGE)).isEqualTo(data);
        mm.exit(child);
        long faults = vm(VmItem.PGFAULT);
        assertThat(mm.write(parent, h + 9 * PAGE, new byte[] {4}, 0, 1)).isEqualTo(Access.OK);
        assertThat(vm(VmItem.PGFAULT)).isEqualTo(faults + 1);
        assertThat(table(parent, h).huge()).as("mapped once, held by nothing else: the PMD is reused").isTrue();
        assertThat(ownerAt(parent, h + 9 * PAGE)).isSameAs(f);
        assertThat(f.pageExclusive(100)).isTrue();
        assertThat(vm(VmItem.THP_SPLIT_PMD)).isEqualTo(1);
    }

    @Test
    void fullMunmapFreesTheFolioWithNoSplitAtAll() {
        Process p = mm.spawn("p");
        long h = hugeRange(p);
        writeRandom(p, h, 4);
        long free = machine.phys().freePages();
        AnonFolio f = (AnonFolio) ownerAt(p, h);
        mm.munmap(p, h, HUGE).orThrow();
        assertThat(f.isDead()).isTrue();
        assertThat(vm(VmItem.THP_SPLIT_PMD)).isZero();
        assertThat(vm(VmItem.THP_DEFERRED_SPLIT_PAGE)).isZero();
        assertThat(vm(VmItem.THP_SPLIT_PAGE)).isZero();
        assertThat(machine.phys().freePages()).as("the folio and its emptied page tables").isGreaterThan(free + 512);
        assertThat(vm(VmItem.NR_ANON_TRANSPARENT_HUGEPAGES)).isZero();
    }

    @Test
    void mprotectOfTheWhole2MiBKeepsThePmdAndOfPartSplitsIt() {
        Process p = mm.spawn("p");
        long h = hugeRange(p);
        byte[] data = writeRandom(p, h, 5);
        mm.mprotect(p, h, HUGE, VmFlags.VM_READ).orThrow();
        assertThat(table(p, h).huge()).isTrue();
        assertThat(Pte.writable(p.pageTable().getPte(h + 3 * PAGE))).isFalse();
        mm.mprotect(p, h, HUGE, RW).orThrow();
        assertThat(Pte.writable(p.pageTable().getPte(h))).as("change_huge_pmd never grants write to an anon PMD").isFalse();
        long faults = vm(VmItem.PGFAULT);
        assertThat(mm.write(p, h + 3 * PAGE, new byte[] {7}, 0, 1)).isEqualTo(Access.OK);
        assertThat(vm(VmItem.PGFAULT)).isEqualTo(faults + 1);
        assertThat(table(p, h).huge()).as("an exclusive PMD is reused by the write").isTrue();
        assertThat(Pte.writable(p.pageTable().getPte(h + 511 * PAGE))).isTrue();
        assertThat(vm(VmItem.THP_SPLIT_PMD)).isZero();
        mm.mprotect(p, h + 10 * PAGE, 4 * PAGE, VmFlags.VM_READ).orThrow();
        assertThat(vm(VmItem.THP_SPLIT_PMD)).isEqualTo(1);
        assertThat(table(p, h).huge()).isFalse();
        assertThat(vm(VmItem.THP_DEFERRED_SPLIT_PAGE)).as("every page is still mapped").isZero();
        data[3 * PAGE] = 7;
        assertThat(read(p, h, (int) HUGE)).isEqualTo(data);
    }

    @Test
    void aReadFaultMapsTheHugeZeroPageAllocatedOnceAndAWriteSplitsItsPmd() {
        Process p = mm.spawn("p");
        long h1 = hugeRange(p);
        long h2 = hugeRange(p);
        long free = machine.phys().freePages();
        assertThat(read(p, h1 + 3 * PAGE, PAGE)).isEqualTo(new byte[PAGE]);
        assertThat(table(p, h1).huge()).isTrue();
        assertThat(ownerAt(p, h1)).isInstanceOf(ReservedBlock.class);
        assertThat(((ReservedBlock) ownerAt(p, h1)).purpose()).isEqualTo(ReservedBlock.HUGE_ZERO_PAGE);
        assertThat(vm(VmItem.THP_ZERO_PAGE_ALLOC)).isEqualTo(1);
        assertThat(read(p, h2, PAGE)).isEqualTo(new byte[PAGE]);
        assertThat(vm(VmItem.THP_ZERO_PAGE_ALLOC)).as("allocated once, then shared").isEqualTo(1);
        assertThat(ownerAt(p, h2)).isSameAs(ownerAt(p, h1));
        assertThat(machine.phys().freePages()).isLessThanOrEqualTo(free - 512);
        assertThat(meminfo("AnonHugePages")).isZero();
        assertThat(meminfo("AnonPages")).isZero();
        assertThat(p.rssAnon()).isZero();
        Process child = mm.fork(p);
        assertThat(table(child, h1).huge()).as("fork maps the huge zero page again").isTrue();
        mm.exit(child);
        assertThat(mm.write(p, h1 + 5 * PAGE, new byte[] {9}, 0, 1)).isEqualTo(Access.OK);
        assertThat(vm(VmItem.THP_SPLIT_PMD)).isEqualTo(1);
        assertThat(table(p, h1).huge()).isFalse();
        assertThat(ownerAt(p, h1 + 5 * PAGE)).isInstanceOf(Folio.class);
        assertThat(ownerAt(p, h1 + 5 * PAGE).order()).isZero();
        assertThat(ownerAt(p, h1 + 6 * PAGE)).as("the other PTEs map the 4 KiB zero page").isSameAs(machine.phys().zeroPage());
        assertThat(vm(VmItem.THP_FAULT_ALLOC)).isZero();
        byte[] want = new byte[(int) HUGE];
        want[5 * PAGE] = 9;
        assertThat(read(p, h1, (int) HUGE)).isEqualTo(want);
        machine.check();
        assertThat(mm.hugeZeroPageAllocated()).isTrue();
        mm.munmap(p, h2, HUGE).orThrow();
        machine.vmscan().shrinkers().dropSlab();
        assertThat(mm.hugeZeroPageAllocated()).as("its shrinker frees it once no PMD maps it").isFalse();
        mm.mmapAnon(p, h2, HUGE, RW, false, true).orThrow();
        assertThat(read(p, h2 + PAGE, PAGE)).isEqualTo(new byte[PAGE]);
        assertThat(vm(VmItem.THP_ZERO_PAGE_ALLOC)).isEqualTo(2);
    }

    /**
     * transparent_hugepage/use_zero_page 0: do_huge_pmd_anonymous_page skips the huge zero page
     * and allocates a THP at the read, mapped writable and dirty, so the write that follows does
     * not fault; the 4 KiB zero page still serves a read the 2 MiB size cannot.
     */
    @Test
    void withUseZeroPageOffAReadFaultAllocatesAHugePageMappedByOnePmd() {
        mm.setUseZeroPage(false);
        Process p = mm.spawn("p");
        long h = hugeRange(p);
        assertThat(read(p, h + 3 * PAGE, PAGE)).isEqualTo(new byte[PAGE]);
        assertThat(table(p, h).huge()).isTrue();
        AnonFolio f = (AnonFolio) ownerAt(p, h);
        assertThat(f.order()).isEqualTo(9);
        assertThat(vm(VmItem.THP_FAULT_ALLOC)).isEqualTo(1);
        assertThat(vm(VmItem.THP_ZERO_PAGE_ALLOC)).isZero();
        assertThat(mm.mthp().stat(9, MthpStat.ANON_FAULT_ALLOC)).isEqualTo(1);
        assertThat(mm.khugepaged().registered(p)).as("the PMD-sized fault registers the address space").isTrue();
        assertThat(meminfo("AnonHugePages")).isEqualTo(2048);
        assertThat(p.rssAnon()).isEqualTo(512);
        long faults = vm(VmItem.PGFAULT);
        assertThat(mm.write(p, h + 7 * PAGE, new byte[] {5}, 0, 1)).isEqualTo(Access.OK);
        assertThat(vm(VmItem.PGFAULT)).as("mapped writable at the read").isEqualTo(faults);
        assertThat(ownerAt(p, h + 7 * PAGE)).isSameAs(f);
        Process small = mm.spawn("small");
        long a = mm.mmapAnon(small, 0, 64 * PAGE, RW, false).orThrow();
        assertThat(read(small, a, PAGE)).isEqualTo(new byte[PAGE]);
        assertThat(ownerAt(small, a)).as("no 2 MiB range fits: the 4 KiB zero page").isSameAs(machine.phys().zeroPage());
        mm.setUseZeroPage(true);
        long h2 = hugeRange(p);
        assertThat(read(p, h2, PAGE)).isEqualTo(new byte[PAGE]);
        assertThat(vm(VmItem.THP_ZERO_PAGE_ALLOC)).as("back on: the huge zero page").isEqualTo(1);
        assertThat(vm(VmItem.THP_FAULT_ALLOC)).isEqualTo(1);
        machine.check();
    }

    /** do_huge_pmd_anonymous_page registers the address space with khugepaged before it maps the huge zero page. */
    @Test
    void aReadFaultThatMapsTheHugeZeroPageRegistersWithKhugepaged() {
        Process p = mm.spawn("p");
        long h = hugeRange(p);
        assertThat(mm.khugepaged().registered(p)).isFalse();
        assertThat(read(p, h, PAGE)).isEqualTo(new byte[PAGE]);
        assertThat(table(p, h).huge()).isTrue();
        assertThat(mm.khugepaged().registered(p)).isTrue();
    }

    @Test
    void gupAndMigrationKeepThePmdWhole() {
        Process p = mm.spawn("p");
        long h = hugeRange(p);
        byte[] data = writeRandom(p, h, 6);
        AnonFolio f = (AnonFolio) ownerAt(p, h);
        var got = (Gup.Got) machine.gup().pin(p, h + 10 * PAGE, 3, true);
        assertThat(table(p, h).huge()).as("follow_trans_huge_pmd").isTrue();
        machine.gup().unpin(got.pages());
        MigrateSteps.migrateRange(machine, p, h, 1);
        AnonFolio moved = (AnonFolio) ownerAt(p, h);
        assertThat(moved).isNotSameAs(f);
        assertThat(table(p, h).huge()).as("a PMD migration entry comes back as a PMD").isTrue();
        assertThat(moved.entireMapcount()).isEqualTo(1);
        assertThat(vm(VmItem.NR_ANON_TRANSPARENT_HUGEPAGES)).isEqualTo(1);
        assertThat(read(p, h, (int) HUGE)).isEqualTo(data);
    }

    @Test
    void reclaimSplitsThePmdAndSwapsTheFolioOutWholeIntoAFreeCluster() {
        assertThat(machine.swap().swapon("swapfile", 4096, null)).isInstanceOf(org.pagelab.swap.SwaponResult.Ok.class);
        Process p = mm.spawn("p");
        long h = hugeRange(p);
        byte[] data = writeRandom(p, h, 7);
        mm.madviseColdOrPageout(p, h, HUGE, true).orThrow();
        assertThat(vm(VmItem.THP_SPLIT_PMD)).as("try_to_unmap with TTU_SPLIT_HUGE_PMD").isEqualTo(1);
        assertThat(vm(VmItem.THP_SWPOUT)).as("a PMD-mapped folio with a free swap cluster goes out whole").isEqualTo(1);
        assertThat(vm(VmItem.THP_SPLIT_PAGE)).isZero();
        assertThat(vm(VmItem.NR_ANON_TRANSPARENT_HUGEPAGES)).isZero();
        assertThat(vm(VmItem.PSWPOUT)).isEqualTo(512);
        machine.check();
        assertThat(read(p, h, (int) HUGE)).isEqualTo(data);
    }

    /**
     * copy_huge_pmd refuses to share a possibly pinned exclusive folio: the parent's PMD is split
     * and the PTE-level copy gives the child its own copy of every page, so the pin keeps seeing
     * the parent's writes.
     */
    @Test
    void forkOfAPinnedPmdMappedFolioSplitsTheParentsPmdAndCopiesThePagesForTheChild() {
        Process parent = mm.spawn("parent");
        long h = hugeRange(parent);
        byte[] data = writeRandom(parent, h, 8);
        AnonFolio f = (AnonFolio) ownerAt(parent, h);
        var got = (Gup.Got) machine.gup().pin(parent, h, 1, true);
        Process child = mm.fork(parent);
        assertThat(vm(VmItem.THP_SPLIT_PMD)).isEqualTo(1);
        assertThat(table(parent, h).huge()).isFalse();
        assertThat(table(child, h).huge()).isFalse();
        assertThat(ownerAt(child, h)).isNotSameAs(f);
        assertThat(ownerAt(parent, h + 5 * PAGE)).isSameAs(f);
        assertThat(f.pageExclusive(5)).isTrue();
        assertThat(read(child, h, (int) HUGE)).isEqualTo(data);
        poke(parent, h, 0x5a);
        assertThat(peek(child, h)).isEqualTo(data[0]);
        machine.gup().unpin(got.pages());
    }

    /**
     * A shared PTE-mapped huge page whose page both mappers have replaced by COW copies is mapped
     * nowhere at that page: page_remove_rmap queues the folio for a deferred split then.
     */
    @Test
    void aPageCowCopiedByEveryMapperQueuesTheFolioForADeferredSplit() {
        Process parent = mm.spawn("parent");
        long h = hugeRange(parent);
        writeRandom(parent, h, 9);
        AnonFolio f = (AnonFolio) ownerAt(parent, h);
        Process child = mm.fork(parent);
        poke(child, h + 3 * PAGE, 1);
        assertThat(vm(VmItem.THP_DEFERRED_SPLIT_PAGE)).as("the parent still maps page 3").isZero();
        poke(parent, h + 3 * PAGE, 2);
        assertThat(vm(VmItem.THP_SPLIT_PMD)).isEqualTo(2);
        assertThat(vm(VmItem.THP_DEFERRED_SPLIT_PAGE)).isEqualTo(1);
        assertThat(mm.deferredSplitQueued()).isEqualTo(1);
        machine.check();
        machine.vmscan().shrinkers().dropSlab();
        assertThat(f.isDead()).isTrue();
        assertThat(peek(child, h + 3 * PAGE)).isEqualTo(1);
        assertThat(peek(parent, h + 3 * PAGE)).isEqualTo(2);
    }
}
