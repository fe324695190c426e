package org.pagelab.gup;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.pagelab.desc.Folio;
import org.pagelab.failure.MemoryFailure;
import org.pagelab.machine.MachineTest;
import org.pagelab.memory.Access;
import org.pagelab.memory.Process;
import org.pagelab.pgtable.Pte;
import org.pagelab.swap.SwaponResult;
import org.pagelab.vma.VmFlags;

/**
 * Regression tests for the defects that adversarial sequences from the kernel's mm selftests
 * (cow.c, gup_longterm.c, memory-failure) found, each named for the property it protects.
 */
class GupSemanticsRegressionTest extends MachineTest {
    private static final int RW = VmFlags.VM_READ | VmFlags.VM_WRITE;
    private static final int PAGE = 4096;
    private static final long HUGE = 2L << 20;

    private void swapon() {
        assertThat(machine.swap().swapon("swapfile", 4096, null)).isInstanceOf(SwaponResult.Ok.class);
    }

    /** A page of a new process {@code parent} holding 1, written out to swap; returns its address. */
    private long swappedOut(Process parent) {
        swapon();
        long a = mm.mmapAnon(parent, 0, PAGE, RW, false).orThrow();
        poke(parent, a, 1);
        mm.madviseColdOrPageout(parent, a, PAGE, true);
        assertThat(Pte.isSwap(parent.pageTable().getPte(a))).isTrue();
        return a;
    }

    private byte viaHeld(Gup.Held h) {
        byte[] b = new byte[1];
        machine.phys().contents().read((long) h.pfn() << org.pagelab.phys.MemSize.PAGE_SHIFT, b, 0, 1);
        return b[0];
    }

    private Folio mapped(Process p, long a) {
        return (Folio) machine.phys().memmap().raw(Pte.pfn(p.pageTable().getPte(a)));
    }

    private List<Gup.Held> got(Gup.Result r) {
        assertThat(r).isInstanceOf(Gup.Got.class);
        return ((Gup.Got) r).pages();
    }

    /** CVE-2020-29374 through swap: a reference the child holds must not see the parent's later write. */
    @Test
    void swapInWithExtraReferenceIsNotExclusive() {
        Process parent = mm.spawn("parent");
        long a = swappedOut(parent);
        Process child = mm.fork(parent); // both PTEs hold the swap entry
        List<Gup.Held> ref = got(machine.gup().get(child, a, 1, false));
        assertThat(mm.munmap(child, a, PAGE)).isInstanceOf(org.pagelab.vma.MapResult.Mapped.class);
        poke(parent, a, 2);
        assertThat(viaHeld(ref.getFirst())).as("the child's reference keeps the old bytes").isEqualTo((byte) 1);
        assertThat(peek(parent, a)).isEqualTo(2);
        assertThat(mapped(parent, a)).as("the parent writes to its own copy").isNotSameAs(((Gup.Held.Page) ref.getFirst()).folio());
        machine.gup().put(ref);
    }

    /** Without any extra reference, the last holder of a swap entry still reuses the page on a write. */
    @Test
    void swapInOfTheLastHolderWithoutReferencesIsExclusive() {
        Process parent = mm.spawn("parent");
        long a = swappedOut(parent);
        Process child = mm.fork(parent);
        assertThat(peek(child, a)).isEqualTo(1);
        mm.exit(child);
        org.pagelab.desc.SwapBacked before = machine.swap().lookup(Pte.swapEntry(parent.pageTable().getPte(a)));
        assertThat(before).as("the child's read left the page in the swap cache").isNotNull();
        poke(parent, a, 2);
        assertThat(mapped(parent, a)).as("written in place").isSameAs(before);
    }

    /** memory_failure of a page that a process had swapped out and faulted back is handled, not an internal error. */
    @Test
    void poisonOfASwappedOutPageKillsNothingButTheData() {
        swapon();
        Process p = mm.spawn("p");
        long a = mm.mmapAnon(p, 0, 2 * PAGE, RW, false).orThrow();
        poke(p, a, 1);
        poke(p, a + PAGE, 2);
        mm.madviseColdOrPageout(p, a, 2 * PAGE, true);
        assertThat(Pte.isSwap(p.pageTable().getPte(a))).isTrue();
        MemoryFailure.Result r = machine.memoryFailure().injectAt(p, a);
        assertThat(r).isNotNull();
        assertThat(r.type()).isEqualTo(MemoryFailure.PageType.CLEAN_SWAPCACHE);
        assertThat(r.outcome()).isEqualTo(MemoryFailure.Outcome.RECOVERED);
        assertThat(Pte.isPoison(p.pageTable().getPte(a))).isTrue();
        assertThat(peek(p, a + PAGE)).as("the other page is intact").isEqualTo(2);
        byte[] b = new byte[1];
        assertThat(mm.read(p, a, b, 0, 1)).isEqualTo(Access.SIGBUS);
    }

    /** A short-term read-only pin of the zero page succeeds, as pin_user_pages does since 6.5. */
    @Test
    void shortTermReadPinOfTheZeroPageSucceeds() {
        Process p = mm.spawn("p");
        long a = mm.mmapAnon(p, 0, PAGE, RW, false).orThrow();
        assertThat(peek(p, a)).isZero();
        List<Gup.Held> h = got(machine.gup().pin(p, a, 1, false));
        assertThat(h.getFirst()).isInstanceOf(Gup.Held.ZeroPage.class);
        machine.gup().unpin(h);
    }

    /** A read-only pin of a page once shared but now mapped once with no other reference reuses it. */
    @Test
    void readPinOfAPageExclusiveInFactReusesIt() {
        Process parent = mm.spawn("parent");
        long a = mm.mmapAnon(parent, 0, PAGE, RW, false).orThrow();
        poke(parent, a, 5);
        Process child = mm.fork(parent);
        mm.exit(child); // the page is mapped once, with one reference, but not marked exclusive
        Folio before = mapped(parent, a);
        List<Gup.Held> h = got(machine.gup().pin(parent, a, 1, false));
        assertThat(((Gup.Held.Page) h.getFirst()).folio()).as("pinned in place").isSameAs(before);
        poke(parent, a, 6);
        assertThat(viaHeld(h.getFirst())).isEqualTo((byte) 6);
        machine.gup().unpin(h);
    }

    /** Read-only pins of every page of an exclusive huge page copy nothing. */
    @Test
    void readPinOfAnExclusiveHugePageCopiesNothing() {
        Process p = mm.spawn("p");
        long a = (mm.mmapAnon(p, 0, 2 * HUGE, RW, false).orThrow() + HUGE - 1) & -HUGE;
        poke(p, a, 3);
        Folio thp = mapped(p, a);
        assertThat(thp.order()).isEqualTo(9);
        List<Gup.Held> h = got(machine.gup().pin(p, a, 512, false));
        for (int k = 0; k < 512; k += 97) {
            assertThat(mapped(p, a + (long) k * PAGE)).isSameAs(thp);
        }
        assertThat(h).allMatch(x -> ((Gup.Held.Page) x).folio() == thp);
        machine.gup().unpin(h);
    }

    /**
     * PageAnonExclusive is per page: while fork shares only the first page of a huge page, the
     * others stay exclusive, so mprotect makes them writable again and a write keeps going to the
     * page a long-term pin holds.
     */
    @Test
    void theNeverSharedPagesOfAPartiallySharedHugePageStayExclusive() {
        Process p = mm.spawn("p");
        long a = (mm.mmapAnon(p, 0, 2 * HUGE, RW, false).orThrow() + HUGE - 1) & -HUGE;
        poke(p, a, 1);
        Folio thp = mapped(p, a);
        assertThat(thp.order()).isEqualTo(9);
        assertThat(mm.madvise().advise(p, a + PAGE, HUGE - PAGE, org.pagelab.memory.Madvise.Advice.DONTFORK))
                .isInstanceOf(org.pagelab.vma.MapResult.Mapped.class);
        Process sharer = mm.fork(p); // kept alive: its exit would unmap part of the huge page and split it
        List<Gup.Held> h = got(machine.gup().pinLongterm(p, a + PAGE, 1, true));
        assertThat(((Gup.Held.Page) h.getFirst()).folio()).as("pinned in place").isSameAs(thp);
        mm.mprotect(p, a, HUGE, VmFlags.VM_READ);
        mm.mprotect(p, a, HUGE, RW);
        assertThat(Pte.writable(p.pageTable().getPte(a + PAGE))).as("an exclusive page is writable again").isTrue();
        assertThat(Pte.writable(p.pageTable().getPte(a))).as("the page fork shared is not").isFalse();
        poke(p, a + PAGE, 9);
        assertThat(viaHeld(h.getFirst())).isEqualTo((byte) 9);
        Process child = mm.fork(p);
        poke(p, a + PAGE, 10);
        assertThat(viaHeld(h.getFirst())).as("fork copied the pinned exclusive page for the child").isEqualTo((byte) 10);
        assertThat(peek(child, a)).isEqualTo(1);
        assertThat(peek(sharer, a)).isEqualTo(1);
        assertThat(mapped(p, a + PAGE)).isSameAs(thp);
        machine.gup().unpin(h);
    }

    /**
     * A page a get kept in memory after reclaim swapped its process's copy out and the process
     * exited leaves the swap cache when the get lets go: nothing needs it any more (the soak found
     * it outliving its owners).
     */
    @Test
    void theLastPutOfASwappedOutPageNobodyElseUsesFreesIt() {
        swapon();
        Process p = mm.spawn("p");
        long a = mm.mmapAnon(p, 0, PAGE, RW, false).orThrow();
        poke(p, a, 1);
        List<Gup.Held> ref = got(machine.gup().get(p, a, 1, false));
        Folio f = ((Gup.Held.Page) ref.getFirst()).folio();
        mm.madviseColdOrPageout(p, a, PAGE, true);
        machine.sim().drainTimers();
        mm.exit(p);
        assertThat(f.isDead()).as("the get still holds it").isFalse();
        assertThat(f.test(org.pagelab.desc.FolioFlags.Flag.SWAPCACHE)).as("reclaim put it in the swap cache").isTrue();
        machine.gup().put(ref);
        assertThat(f.isDead()).isTrue();
    }

    /**
     * A long-term read pin must unshare each zero page it meets; when the machine runs out of
     * memory half way, the OOM killer kills the hog and the unshare runs again (a fault that
     * failed for memory after a kill that freed some is retried), so the pin succeeds with every
     * page. It once failed with EFAULT (soak seed 9300100).
     */
    @Test
    void aLongtermPinWhoseUnshareRunsTheOomKillerRetriesAfterTheKillAndSucceeds() {
        Process pinner = mm.spawn("pinner");
        int n = 4096;
        long p = mm.mmapAnon(pinner, 0, (long) n * PAGE, RW, false).orThrow();
        for (int i = 0; i < n; i++) {
            assertThat(peek(pinner, p + (long) i * PAGE)).as("a read maps the zero page").isZero();
        }
        Process hog = mm.spawn("hog");
        int hogPages = 5000;
        long h = mm.mmapAnon(hog, 0, (long) hogPages * PAGE, RW, false).orThrow();
        for (int i = 0; i < hogPages; i++) {
            assertThat(mm.touch(hog, h + (long) i * PAGE, true)).isEqualTo(Access.OK);
        }
        Gup.Result r = machine.gup().pinLongterm(pinner, p, n, false);
        assertThat(hog.alive()).as("the OOM killer chose the hog").isFalse();
        assertThat(pinner.alive()).isTrue();
        List<Gup.Held> pinned = got(r);
        assertThat(pinned).hasSize(n).allMatch(x -> x instanceof Gup.Held.Page);
        poke(pinner, p + (long) (n - 1) * PAGE, 5);
        assertThat(viaHeld(pinned.getLast())).as("the pin sees the process's write").isEqualTo((byte) 5);
        machine.gup().unpin(pinned);
    }
}
