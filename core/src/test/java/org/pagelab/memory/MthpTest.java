package org.pagelab.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.pagelab.desc.AnonFolio;
import org.pagelab.desc.Folio;
import org.pagelab.desc.MemDesc;
import org.pagelab.memcg.MemCgroup;
import org.pagelab.memcg.MemoryCgroups;
import org.pagelab.pgtable.Pte;
import org.pagelab.proc.Meminfo;
import org.pagelab.stat.VmItem;

/** Multi-size THP (Linux 6.8): the per-size settings, the fault's choice of order, its fall-backs and counters. */
class MthpTest extends HugeRangeTest {

    private MthpSettings mthp() {
        return mm.mthp();
    }

    private void enable(int kb, MthpEnabled e) {
        mthp().setEnabled(MthpSettings.orderOfKb(kb), e);
    }

    private long stat(int kb, MthpStat s) {
        return mthp().stat(MthpSettings.orderOfKb(kb), s);
    }


    /** Top level never; 64 KiB and 16 KiB always. */
    private void only64And16() {
        mm.setTransparentHugepage(TransparentHugepage.NEVER);
        enable(64, MthpEnabled.ALWAYS);
        enable(16, MthpEnabled.ALWAYS);
    }

    /** A process in new cgroup /a whose memory.max is {@code maxPages}. */
    private Process spawnLimited(long maxPages) {
        MemoryCgroups cg = machine.memcg();
        MemCgroup a = cg.create("/a");
        cg.set(a, MemoryCgroups.Knob.MAX, maxPages);
        Process p = mm.spawn("p");
        cg.attach(p, "/a");
        return p;
    }

    @Test
    void everySizeButPmdStartsNeverAndPmdInheritsAsTheKernelBoots() {
        for (int o = MthpSettings.MIN_ORDER; o < MthpSettings.MAX_ORDER; o++) {
            assertThat(mthp().enabled(o)).as("order " + o).isEqualTo(MthpEnabled.NEVER);
        }
        assertThat(mthp().enabled(9)).isEqualTo(MthpEnabled.INHERIT);
        assertThat(MthpEnabled.NEVER.render()).isEqualTo("always inherit madvise [never]");
        assertThat(MthpSettings.orderOfKb(16)).isEqualTo(2);
        assertThat(MthpSettings.orderOfKb(2048)).isEqualTo(9);
        assertThatThrownBy(() -> MthpSettings.orderOfKb(8)).hasMessageContaining("8 kB");
        assertThatThrownBy(() -> MthpEnabled.parse("sometimes")).hasMessageContaining("'sometimes'");
    }

    @Test
    void aWriteFaultMapsTheLargestEnabledSizeWholeByPtesAndCountsItPerSize() {
        only64And16();
        Process p = mm.spawn("p");
        long h = hugeRange(p);
        byte[] data = random(1, 3 * PAGE);
        assertThat(mm.write(p, h + 5 * PAGE, data, 0, data.length)).isEqualTo(Access.OK);
        MemDesc d = ownerAt(p, h + 5 * PAGE);
        assertThat(d).isInstanceOf(AnonFolio.class);
        assertThat(d.order()).isEqualTo(4);
        assertThat(d.pfn()).as("the folio's first page maps the aligned 64 KiB start").isEqualTo(Pte.pfn(p.pageTable().getPte(h)));
        for (int k = 0; k < 16; k++) {
            assertThat(ownerAt(p, h + (long) k * PAGE)).isSameAs(d);
        }
        assertThat(Pte.isNone(p.pageTable().getPte(h + 16 * PAGE))).as("nothing past the folio").isTrue();
        assertThat(((Folio) d).mapcount()).isEqualTo(16);
        assertThat(p.rssAnon()).isEqualTo(16);
        assertThat(stat(64, MthpStat.ANON_FAULT_ALLOC)).isEqualTo(1);
        assertThat(stat(16, MthpStat.ANON_FAULT_ALLOC)).isZero();
        assertThat(vm(VmItem.THP_FAULT_ALLOC)).as("vmstat's THP counters are PMD-sized only").isZero();
        assertThat(vm(VmItem.NR_ANON_TRANSPARENT_HUGEPAGES)).isZero();
        assertThat(new Meminfo(machine).fields().get("AnonHugePages")).isZero();
        assertThat(new Meminfo(machine).fields().get("AnonPages")).isEqualTo(64);
        byte[] back = new byte[16 * PAGE];
        assertThat(mm.read(p, h, back, 0, back.length)).isEqualTo(Access.OK);
        for (int i = 0; i < back.length; i++) {
            int want = i >= 5 * PAGE && i < 8 * PAGE ? data[i - 5 * PAGE] : 0;
            if (back[i] != want) {
                throw new AssertionError("byte " + i + " is " + back[i] + ", wrote " + want);
            }
        }
        machine.check();
        mm.exit(p);
        machine.check();
    }

    @Test
    void theFaultTakesTheHighestOrderWhoseAlignedRangeIsStillEmpty() {
        only64And16();
        Process p = mm.spawn("p");
        long h = hugeRange(p);
        assertThat(mm.touch(p, h, false)).isEqualTo(Access.OK); // the zero page at the range's first PTE
        assertThat(mm.touch(p, h + 4 * PAGE, true)).isEqualTo(Access.OK);
        assertThat(ownerAt(p, h + 4 * PAGE).order()).as("the 64 KiB range holds the zero page: 16 KiB").isEqualTo(2);
        assertThat(mm.touch(p, h + 2 * PAGE, true)).isEqualTo(Access.OK);
        assertThat(ownerAt(p, h + 2 * PAGE).order()).as("every range around it is in use: order 0").isZero();
        assertThat(mm.touch(p, h + 16 * PAGE, true)).isEqualTo(Access.OK);
        assertThat(ownerAt(p, h + 16 * PAGE).order()).isEqualTo(4);
        assertThat(stat(16, MthpStat.ANON_FAULT_ALLOC)).isEqualTo(1);
        assertThat(stat(64, MthpStat.ANON_FAULT_ALLOC)).isEqualTo(1);
        assertThat(stat(64, MthpStat.ANON_FAULT_FALLBACK)).as("a size ruled out by its PTEs was not tried").isZero();
        machine.check();
    }

    @Test
    void inheritFollowsTheTopLevelSettingAndMadviseNeedsMadvHugepage() {
        enable(32, MthpEnabled.INHERIT);
        enable(128, MthpEnabled.MADVISE);
        mm.setTransparentHugepage(TransparentHugepage.MADVISE);
        Process p = mm.spawn("p");
        long a = mm.mmapAnon(p, 0, HUGE - PAGE, RW, false).orThrow(); // too small for 2 MiB
        assertThat(mm.touch(p, a + HUGE / 2, true)).isEqualTo(Access.OK);
        assertThat(ownerAt(p, a + HUGE / 2).order()).as("not marked: inherit of madvise and madvise are off").isZero();
        mm.madviseHugepage(p, a, HUGE - PAGE, true).orThrow();
        assertThat(mm.touch(p, a + HUGE / 4, true)).isEqualTo(Access.OK);
        assertThat(ownerAt(p, a + HUGE / 4).order()).as("marked: 128 KiB (madvise) beats 32 KiB (inherit)").isEqualTo(5);
        mm.setTransparentHugepage(TransparentHugepage.ALWAYS);
        mm.madviseHugepage(p, a, HUGE - PAGE, false).orThrow();
        assertThat(mm.touch(p, a + 3 * HUGE / 4, true)).isEqualTo(Access.OK);
        assertThat(ownerAt(p, a + 3 * HUGE / 4).order()).as("MADV_NOHUGEPAGE wins over every setting").isZero();
        long b = mm.mmapAnon(p, 0, HUGE - PAGE, RW, false).orThrow(); // never holds an aligned 2 MiB
        assertThat(mm.touch(p, b + HUGE / 2, true)).isEqualTo(Access.OK);
        assertThat(ownerAt(p, b + HUGE / 2).order()).as("inherit of always").isEqualTo(3);
        enable(32, MthpEnabled.NEVER);
        enable(2048, MthpEnabled.NEVER);
        long h = hugeRange(p);
        assertThat(mm.touch(p, h, true)).isEqualTo(Access.OK);
        assertThat(ownerAt(p, h).order()).as("2048 kB never, though the top level is always").isZero();
        machine.check();
    }

    @Test
    void withNoFreeBlockOfASizeTheFaultFallsBackToTheNextEnabledSize() {
        enable(256, MthpEnabled.ALWAYS);
        enable(32, MthpEnabled.ALWAYS);
        mm.setThpDefrag(ThpDefrag.NEVER);
        List<AnonFolio> hog = hog(6); // every block of 256 KiB and more
        Process p = mm.spawn("p");
        long h = hugeRange(p);
        assertThat(mm.touch(p, h, true)).isEqualTo(Access.OK);
        assertThat(ownerAt(p, h).order()).isEqualTo(3);
        assertThat(vm(VmItem.THP_FAULT_FALLBACK)).isEqualTo(1);
        assertThat(stat(2048, MthpStat.ANON_FAULT_FALLBACK)).isEqualTo(1);
        assertThat(stat(256, MthpStat.ANON_FAULT_FALLBACK)).isEqualTo(1);
        assertThat(stat(256, MthpStat.ANON_FAULT_FALLBACK_CHARGE)).isZero();
        assertThat(stat(32, MthpStat.ANON_FAULT_ALLOC)).isEqualTo(1);
        release(hog);
        machine.check();
    }

    @Test
    void aRefusedChargeFallsBackAndCountsFallbackCharge() {
        only64And16();
        Process p = spawnLimited(12);
        long h = hugeRange(p);
        assertThat(mm.touch(p, h, true)).isEqualTo(Access.OK);
        assertThat(ownerAt(p, h).order()).as("16 pages over the limit of 12; 4 fit").isEqualTo(2);
        assertThat(stat(64, MthpStat.ANON_FAULT_FALLBACK_CHARGE)).isEqualTo(1);
        assertThat(stat(64, MthpStat.ANON_FAULT_FALLBACK)).isEqualTo(1);
        assertThat(stat(16, MthpStat.ANON_FAULT_ALLOC)).isEqualTo(1);
        assertThat(vm(VmItem.THP_FAULT_FALLBACK_CHARGE)).as("vmstat counts order 9 only").isZero();
        machine.check();
    }

    @Test
    void aRefusedPmdChargeCountsThpFaultFallbackCharge() {
        Process p = spawnLimited(256);
        long h = hugeRange(p);
        assertThat(mm.touch(p, h, true)).isEqualTo(Access.OK);
        assertThat(ownerAt(p, h).order()).isZero();
        assertThat(vm(VmItem.THP_FAULT_FALLBACK)).isEqualTo(1);
        assertThat(vm(VmItem.THP_FAULT_FALLBACK_CHARGE)).isEqualTo(1);
        assertThat(stat(2048, MthpStat.ANON_FAULT_FALLBACK_CHARGE)).isEqualTo(1);
        machine.check();
    }

    @Test
    void foliosOfEveryOrderKeepTheirBytesThroughForkCowMigrationPageoutAndPartialUnmap() {
        assertThat(machine.swap().swapon("swapfile", 4096, null)).isInstanceOf(org.pagelab.swap.SwaponResult.Ok.class);
        mm.setTransparentHugepage(TransparentHugepage.NEVER);
        for (int o = MthpSettings.MIN_ORDER; o < MthpSettings.MAX_ORDER; o++) {
            mthp().setEnabled(o, MthpEnabled.ALWAYS);
        }
        Process p = mm.spawn("p");
        long h = hugeRange(p);
        // the zero page at the first PTE rules out every range that holds it: a write at page 256
        // gets order 8, at 128 order 7, ..., at 4 order 2, and pages 0..3 get order 0
        assertThat(mm.touch(p, h, false)).isEqualTo(Access.OK);
        java.util.TreeSet<Integer> orders = new java.util.TreeSet<>();
        byte[] want = new byte[(int) HUGE];
        for (int k : new int[] {256, 128, 64, 32, 16, 8, 4, 3, 2, 1, 0}) {
            byte[] d = random(k, PAGE);
            assertThat(mm.write(p, h + (long) k * PAGE, d, 0, PAGE)).isEqualTo(Access.OK);
            System.arraycopy(d, 0, want, k * PAGE, PAGE);
            orders.add(ownerAt(p, h + (long) k * PAGE).order());
        }
        assertThat(orders).as("every order from 8 down to 2 was faulted").containsExactly(0, 2, 3, 4, 5, 6, 7, 8);
        machine.check();
        Process child = mm.fork(p);
        byte[] childWant = want.clone();
        byte[] mine = random(1000, PAGE);
        assertThat(mm.write(p, h + 300L * PAGE, mine, 0, PAGE)).isEqualTo(Access.OK); // COW of one page of a large folio
        System.arraycopy(mine, 0, want, 300 * PAGE, PAGE);
        MigrateSteps.migrateRange(machine, p, h, 512);
        assertThat(mm.madviseColdOrPageout(child, h + 256L * PAGE, 128L * PAGE, true)).isInstanceOf(
                org.pagelab.vma.MapResult.Mapped.class);
        assertThat(mm.munmap(p, h + 100L * PAGE, 3L * PAGE)).isInstanceOf(org.pagelab.vma.MapResult.Mapped.class);
        java.util.Arrays.fill(want, 100 * PAGE, 103 * PAGE, (byte) 0);
        machine.check();
        assertThat(read(child, h, (int) HUGE)).as("the child sees the memory as at fork").isEqualTo(childWant);
        byte[] got = read(p, h, 100 * PAGE);
        assertThat(got).isEqualTo(java.util.Arrays.copyOfRange(want, 0, 100 * PAGE));
        assertThat(read(p, h + 103L * PAGE, (int) HUGE - 103 * PAGE))
                .isEqualTo(java.util.Arrays.copyOfRange(want, 103 * PAGE, (int) HUGE));
        machine.check();
    }

    @Test
    void aPinnedMthpFolioCountsItsPinsStaysWholeAndTheForkCopiesThePinnedPage() {
        only64And16();
        assertThat(machine.swap().swapon("swapfile", 4096, null)).isInstanceOf(org.pagelab.swap.SwaponResult.Ok.class);
        Process p = mm.spawn("p");
        long h = hugeRange(p);
        poke(p, h, 1);
        AnonFolio f = (AnonFolio) ownerAt(p, h);
        assertThat(f.order()).isEqualTo(4);
        org.pagelab.gup.Gup gup = machine.gup();
        var got = (org.pagelab.gup.Gup.Got) gup.pin(p, h + 5L * PAGE, 1, true);
        assertThat(f.pincount()).isEqualTo(1);
        assertThat(f.refcount()).as("one reference per pin, no bias").isEqualTo(16 + 1);
        Process child = mm.fork(p);
        assertThat(ownerAt(child, h + 5L * PAGE)).as("the pinned page is copied for the child").isNotSameAs(f);
        poke(p, h + 5L * PAGE, 7);
        byte[] viaPin = new byte[1];
        machine.phys().contents().read((long) got.pages().getFirst().pfn() << 12, viaPin, 0, 1);
        assertThat(viaPin[0]).as("the pin sees the parent's write").isEqualTo((byte) 7);
        assertThat(peek(child, h + 5L * PAGE)).isZero();
        assertThat(mm.madviseColdOrPageout(p, h, 16L * PAGE, true)).isInstanceOf(org.pagelab.vma.MapResult.Mapped.class);
        assertThat(mm.munmap(p, h + 8L * PAGE, 8L * PAGE)).isInstanceOf(org.pagelab.vma.MapResult.Mapped.class);
        assertThat(f.isDead()).as("pinned: neither reclaim nor the partial unmap split it").isFalse();
        assertThat(vm(VmItem.THP_DEFERRED_SPLIT_PAGE)).as("the partial unmap queued it instead").isPositive();
        machine.check();
        gup.unpin(got.pages());
        assertThat(f.pincount()).isZero();
        assertThat(peek(p, h + 5L * PAGE)).isEqualTo(7);
        machine.check();
    }
}
