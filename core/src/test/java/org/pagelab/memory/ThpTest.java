package org.pagelab.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.pagelab.desc.AnonFolio;
import org.pagelab.desc.Folio;
import org.pagelab.desc.MemDesc;
import org.pagelab.gup.Gup;
import org.pagelab.gup.PageVisitor;
import org.pagelab.phys.AllocRequest;
import org.pagelab.phys.ZoneType;
import org.pagelab.pgtable.Pte;
import org.pagelab.stat.VmItem;
import org.pagelab.swap.SwaponResult;
import org.pagelab.vma.VmFlags;

/** Anonymous transparent huge pages: the fault, its fallback, and every path that splits them. */
class ThpTest extends HugeRangeTest {
    @Test
    void theDefaultIsAlwaysAsTheKernelsKconfigDefault() {
        assertThat(mm.transparentHugepage()).isEqualTo(TransparentHugepage.ALWAYS);
        assertThat(TransparentHugepage.ALWAYS.render()).isEqualTo("[always] madvise never");
    }

    @Test
    void oneWriteFaultMapsAWholeAlignedRangeWithOneOrder9Folio() {
        Process p = mm.spawn("p");
        long h = hugeRange(p);
        long faults = vm(VmItem.PGFAULT);
        assertThat(mm.write(p, h + 5 * PAGE + 3, new byte[] {42}, 0, 1)).isEqualTo(Access.OK);
        MemDesc d = ownerAt(p, h);
        assertThat(d).isInstanceOf(AnonFolio.class);
        assertThat(d.order()).isEqualTo(9);
        assertThat(ownerAt(p, h + HUGE - PAGE)).isSameAs(d);
        assertThat(vm(VmItem.PGFAULT)).isEqualTo(faults + 1);
        byte[] all = read(p, h, (int) HUGE);
        assertThat(vm(VmItem.PGFAULT)).as("the other 511 pages are mapped already").isEqualTo(faults + 1);
        for (int i = 0; i < all.length; i++) {
            if (all[i] != (i == 5 * PAGE + 3 ? 42 : 0)) {
                throw new AssertionError("byte " + i + " is " + all[i]);
            }
        }
        assertThat(vm(VmItem.THP_FAULT_ALLOC)).isEqualTo(1);
        assertThat(vm(VmItem.NR_ANON_TRANSPARENT_HUGEPAGES)).isEqualTo(1);
        assertThat(meminfo("AnonHugePages")).isEqualTo(2048);
        assertThat(meminfo("AnonPages")).isEqualTo(2048);
        assertThat(p.rssAnon()).isEqualTo(512);
        assertThat(((Folio) d).mapcount()).isEqualTo(512);
        machine.check();
        mm.exit(p);
        assertThat(meminfo("AnonHugePages")).isZero();
    }

    @Test
    void readFaultsAndRangesNotInsideTheVmaGetOrderZeroPages() {
        Process p = mm.spawn("p");
        long small = mm.mmapAnon(p, 0, HUGE - PAGE, RW, false).orThrow();
        assertThat(mm.touch(p, small, true)).isEqualTo(Access.OK);
        assertThat(ownerAt(p, small).order()).as("VMA smaller than 2 MiB").isZero();
        long h = hugeRange(p);
        assertThat(mm.touch(p, h, false)).isEqualTo(Access.OK);
        assertThat(Pte.special(p.pageTable().getPte(h))).as("a read maps the zero page").isTrue();
        assertThat(mm.touch(p, h + PAGE, true)).isEqualTo(Access.OK);
        assertThat(ownerAt(p, h + PAGE).order()).as("the range's table is in use: order 0, as after the huge zero page").isZero();
        assertThat(vm(VmItem.THP_FAULT_ALLOC)).isZero();
    }

    @Test
    void neverAndMadviseSettingsAndTheMadviseFlagsDecide() {
        Process p = mm.spawn("p");
        mm.setTransparentHugepage(TransparentHugepage.NEVER);
        long h1 = hugeRange(p);
        mm.touch(p, h1, true);
        assertThat(ownerAt(p, h1).order()).isZero();
        mm.setTransparentHugepage(TransparentHugepage.MADVISE);
        long h2 = hugeRange(p);
        mm.touch(p, h2, true);
        assertThat(ownerAt(p, h2).order()).as("madvise, VMA not marked").isZero();
        long h3 = hugeRange(p);
        mm.madviseHugepage(p, h3, HUGE, true).orThrow();
        assertThat(p.mm().find(h3).test(VmFlags.VM_HUGEPAGE)).isTrue();
        assertThat(p.mm().find(h3 + HUGE).test(VmFlags.VM_HUGEPAGE)).as("the VMA was split at the edge").isFalse();
        mm.touch(p, h3, true);
        assertThat(ownerAt(p, h3).order()).isEqualTo(9);
        mm.setTransparentHugepage(TransparentHugepage.ALWAYS);
        long h4 = hugeRange(p);
        mm.madviseHugepage(p, h4, HUGE, false).orThrow();
        mm.touch(p, h4, true);
        assertThat(ownerAt(p, h4).order()).as("MADV_NOHUGEPAGE wins over always").isZero();
        assertThat(vm(VmItem.THP_FAULT_ALLOC)).isEqualTo(1);
    }

    @Test
    void withNoFreeOrder9BlockTheFaultFallsBackToOrderZero() {
        List<AnonFolio> hog = hog(9);
        Process p = mm.spawn("p");
        long h = hugeRange(p);
        assertThat(mm.write(p, h, new byte[] {1}, 0, 1)).isEqualTo(Access.OK);
        assertThat(ownerAt(p, h).order()).isZero();
        assertThat(vm(VmItem.THP_FAULT_FALLBACK)).isEqualTo(1);
        assertThat(vm(VmItem.THP_FAULT_ALLOC)).isZero();
        release(hog);
        assertThat(mm.write(p, h + HUGE, new byte[] {1}, 0, 1)).isEqualTo(Access.OK);
        assertThat(ownerAt(p, h + HUGE).order()).as("a block is free again").isEqualTo(9);
    }

    @Test
    void munmapOfPartDefersTheSplitAndTheShrinkerFreesThoseFramesKeepingTheRestsBytes() {
        Process p = mm.spawn("p");
        long h = hugeRange(p);
        byte[] data = random(1, (int) HUGE);
        assertThat(mm.write(p, h, data, 0, data.length)).isEqualTo(Access.OK);
        long free = machine.phys().freePages();
        mm.munmap(p, h + 100 * PAGE, 50 * PAGE).orThrow();
        assertThat(vm(VmItem.THP_SPLIT_PMD)).isEqualTo(1);
        assertThat(vm(VmItem.THP_DEFERRED_SPLIT_PAGE)).isEqualTo(1);
        assertThat(vm(VmItem.THP_SPLIT_PAGE)).as("the folio waits on the deferred-split queue").isZero();
        assertThat(machine.phys().freePages()).as("its unmapped pages stay allocated").isEqualTo(free);
        assertThat(meminfo("AnonPages")).as("a partly mapped folio counts whole").isEqualTo(512 * 4);
        machine.check();
        machine.vmscan().shrinkers().dropSlab();
        assertThat(vm(VmItem.THP_SPLIT_PAGE)).isEqualTo(1);
        assertThat(machine.phys().freePages()).isEqualTo(free + 50);
        assertThat(meminfo("AnonHugePages")).isZero();
        assertThat(meminfo("AnonPages")).isEqualTo(462 * 4);
        assertThat(ownerAt(p, h).order()).isZero();
        assertThat(read(p, h, 100 * PAGE)).isEqualTo(java.util.Arrays.copyOfRange(data, 0, 100 * PAGE));
        assertThat(read(p, h + 150 * PAGE, 362 * PAGE)).isEqualTo(java.util.Arrays.copyOfRange(data, 150 * PAGE, data.length));
        machine.check();
    }

    @Test
    void dontneedOfPartReadsZerosThereAndTheRestSurvives() {
        Process p = mm.spawn("p");
        long h = hugeRange(p);
        byte[] data = writeRandom(p, h, 2);
        mm.madviseDontneed(p, h, 10 * PAGE).orThrow();
        assertThat(read(p, h, 10 * PAGE)).isEqualTo(new byte[10 * PAGE]);
        assertThat(read(p, h + 10 * PAGE, 502 * PAGE)).isEqualTo(java.util.Arrays.copyOfRange(data, 10 * PAGE, data.length));
        assertThat(vm(VmItem.THP_DEFERRED_SPLIT_PAGE)).isEqualTo(1);
        assertThat(vm(VmItem.THP_SPLIT_PAGE)).isZero();
        machine.vmscan().shrinkers().dropSlab();
        assertThat(vm(VmItem.THP_SPLIT_PAGE)).isEqualTo(1);
        mm.madviseDontneed(p, h + 20 * PAGE, PAGE).orThrow();
        assertThat(vm(VmItem.THP_SPLIT_PAGE)).as("order-0 pages need no split").isEqualTo(1);
    }

    @Test
    void mprotectOfPartChangesThosePtesOnlyAndKeepsTheFolioWhole() {
        Process p = mm.spawn("p");
        long h = hugeRange(p);
        byte[] data = writeRandom(p, h, 3);
        MemDesc thp = ownerAt(p, h);
        mm.mprotect(p, h + 4 * PAGE, 4 * PAGE, VmFlags.VM_READ).orThrow();
        assertThat(ownerAt(p, h)).as("a PTE-mapped folio needs no split for this").isSameAs(thp);
        assertThat(mm.write(p, h, new byte[] {9}, 0, 1)).isEqualTo(Access.OK);
        assertThat(read(p, h + 4 * PAGE, 4 * PAGE)).isEqualTo(java.util.Arrays.copyOfRange(data, 4 * PAGE, 8 * PAGE));
        mm.mprotect(p, h + 4 * PAGE, 4 * PAGE, RW).orThrow();
        long faults = vm(VmItem.PGFAULT);
        assertThat(mm.write(p, h + 5 * PAGE, new byte[] {9}, 0, 1)).isEqualTo(Access.OK);
        assertThat(vm(VmItem.PGFAULT)).as("mprotect made the exclusive huge page's PTEs writable again").isEqualTo(faults);
        assertThat(ownerAt(p, h + 5 * PAGE)).as("written in place").isSameAs(thp);
        machine.check();
    }

    @Test
    void afterForkBothShareTheHugePageAndAWriteCopiesOnlyThatPage() {
        Process parent = mm.spawn("parent");
        long h = hugeRange(parent);
        byte[] data = writeRandom(parent, h, 4);
        Folio thp = (Folio) ownerAt(parent, h);
        Process child = mm.fork(parent);
        assertThat(thp.mapcount()).isEqualTo(1024);
        assertThat(meminfo("AnonHugePages")).isEqualTo(2048);
        assertThat(mm.write(child, h + 7 * PAGE, new byte[] {1, 2, 3}, 0, 3)).isEqualTo(Access.OK);
        assertThat(ownerAt(child, h + 7 * PAGE).order()).isZero();
        assertThat(ownerAt(child, h + 8 * PAGE)).isSameAs(thp);
        assertThat(mm.write(parent, h + 9 * PAGE, new byte[] {4}, 0, 1)).isEqualTo(Access.OK);
        assertThat(ownerAt(parent, h + 9 * PAGE).order()).isZero();
        byte[] expectParent = data.clone();
        expectParent[9 * PAGE] = 4;
        byte[] expectChild = data.clone();
        expectChild[7 * PAGE] = 1;
        expectChild[7 * PAGE + 1] = 2;
        expectChild[7 * PAGE + 2] = 3;
        assertThat(read(parent, h, (int) HUGE)).isEqualTo(expectParent);
        assertThat(read(child, h, (int) HUGE)).isEqualTo(expectChild);
        assertThat(thp.mapcount()).isEqualTo(1022);
        machine.check();
        mm.exit(parent);
        assertThat(read(child, h, (int) HUGE)).isEqualTo(expectChild);
        mm.munmap(child, h + HUGE - PAGE, PAGE).orThrow();
        assertThat(thp.isDead()).as("a partial munmap defers the folio's split").isFalse();
        machine.check();
        machine.vmscan().shrinkers().dropSlab();
        assertThat(thp.isDead()).as("the deferred-split shrinker splits it").isTrue();
        assertThat(read(child, h, (int) HUGE - PAGE)).isEqualTo(java.util.Arrays.copyOf(expectChild, (int) HUGE - PAGE));
        machine.check();
    }

    @Test
    void aPinnedHugePageCountsItsPinsApartAndCannotBeSplit() {
        Process p = mm.spawn("p");
        long h = hugeRange(p);
        byte[] data = writeRandom(p, h, 6);
        Folio thp = (Folio) ownerAt(p, h);
        Gup gup = machine.gup();
        var got = (Gup.Got) gup.pin(p, h + 3 * PAGE, 2, true, new PageVisitor() {
            @Override
            public void anon(AnonFolio f, int subpage) {
                assertThat(f).isSameAs(thp);
            }

            @Override
            public void file(org.pagelab.desc.FileFolio f, int subpage) {
                throw new AssertionError("file page");
            }

            @Override
            public void zeroPage(int pfn) {
                throw new AssertionError("zero page");
            }
        });
        assertThat(thp.pincount()).isEqualTo(2);
        assertThat(thp.refcount()).as("one reference per pin, no bias").isEqualTo(512 + 2);
        assertThat(MemoryManager.maybeDmaPinned(thp)).isTrue();
        assertThat(vm(VmItem.NR_FOLL_PIN_ACQUIRED)).isEqualTo(2);
        mm.munmap(p, h + 100 * PAGE, PAGE).orThrow();
        machine.vmscan().shrinkers().dropSlab();
        assertThat(vm(VmItem.THP_SPLIT_PAGE_FAILED)).as("the deferred split fails while pinned").isPositive();
        assertThat(thp.isDead()).isFalse();
        assertThat(thp.mapcount()).isEqualTo(511);
        machine.check();
        gup.unpin(got.pages());
        assertThat(thp.pincount()).isZero();
        assertThat(vm(VmItem.NR_FOLL_PIN_RELEASED)).isEqualTo(2);
        assertThat(read(p, h, 100 * PAGE)).isEqualTo(java.util.Arrays.copyOf(data, 100 * PAGE));
    }

    /**
     * A pinned huge page cannot split when part of it is unmapped, so it keeps pages nothing maps;
     * when reclaim later splits it for swap, those pieces enter the swap cache with no swap entry
     * naming them, and swap_writepage (folio_free_swap) frees their slots instead of writing them:
     * the pieces are freed when reclaim puts them back. Fresh ThpModelTest seed 8400016 left such
     * a piece in the swap cache, holding its slot with nothing to free it.
     */
    @Test
    void swapWritepageFreesTheSlotOfASplitPieceThatNothingMapsInsteadOfWritingIt() {
        assertThat(machine.swap().swapon("swapfile", 4096, null)).isInstanceOf(SwaponResult.Ok.class);
        Process p = mm.spawn("p");
        long h = hugeRange(p);
        byte[] data = writeRandom(p, h, 7);
        Folio thp = (Folio) ownerAt(p, h);
        var got = (Gup.Got) machine.gup().pin(p, h + 300 * PAGE, 1, true);
        mm.madviseDontneed(p, h, 8 * PAGE).orThrow();
        assertThat(thp.isDead()).as("pinned: the split is refused").isFalse();
        assertThat(thp.mapcount()).isEqualTo(504);
        machine.gup().unpin(got.pages());
        // reclaim takes the folio whole, as kswapd's LRU scan would (MADV_PAGEOUT would split it first)
        machine.vmscan().reclaimPages(java.util.List.of(thp));
        machine.sim().drainTimers();
        assertThat(vm(VmItem.THP_SPLIT_PAGE)).isEqualTo(1);
        assertThat(vm(VmItem.PSWPOUT)).as("only the mapped pieces are written").isEqualTo(504);
        // the split frees the unmapped tail pieces at once; the head piece, which reclaim holds,
        // reaches pageout, which counts it though its slot is freed rather than written
        assertThat(vm(VmItem.NR_VMSCAN_WRITE)).as("pageout counted the unmapped head piece too").isEqualTo(505);
        assertThat(machine.swap().devices().devices().get(0).inusePages()).as("slots in use").isEqualTo(504);
        assertThat(vm(VmItem.NR_SWAPCACHED)).as("the written pieces wait in the swap cache; no other piece does")
                .isEqualTo(504);
        machine.check();
        assertThat(read(p, h, 8 * PAGE)).isEqualTo(new byte[8 * PAGE]);
        assertThat(read(p, h + 8 * PAGE, (int) HUGE - 8 * PAGE))
                .isEqualTo(java.util.Arrays.copyOfRange(data, 8 * PAGE, data.length));
        machine.check();
    }

    @Test
    void theCheckerCatchesAWrongPinCount() {
        Process p = mm.spawn("p");
        long h = hugeRange(p);
        mm.touch(p, h, true);
        Folio thp = (Folio) ownerAt(p, h);
        thp.pincountAdd(1);
        org.assertj.core.api.Assertions.assertThatThrownBy(machine::check).hasMessageContaining("pincount");
        thp.pincountAdd(-1);
    }
}
