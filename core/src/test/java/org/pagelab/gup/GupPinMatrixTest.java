package org.pagelab.gup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pagelab.desc.AnonFolio;
import org.pagelab.desc.FileFolio;
import org.pagelab.desc.Folio;
import org.pagelab.filemap.Errno;
import org.pagelab.filemap.OpenFile;
import org.pagelab.machine.MachineTest;
import org.pagelab.memory.Access;
import org.pagelab.memory.MemoryManager;
import org.pagelab.memory.Process;
import org.pagelab.pgtable.Pte;
import org.pagelab.phys.MemSize;
import org.pagelab.stat.VmItem;
import org.pagelab.swap.SwaponResult;
import org.pagelab.testing.Seeds;
import org.pagelab.vma.VmFlags;

/**
 * Pins and COW, each test named for the rule it protects (the rules the kernel's gup and cow
 * selftests pin down), over the kinds of memory: anon, anon after swap-out and swap-in, private
 * file, shmem. The machine's checkers, which count pins in each folio's references, run after each.
 */
class GupPinMatrixTest extends MachineTest {
    private static final int RW = VmFlags.VM_READ | VmFlags.VM_WRITE;
    private static final int PAGE = (int) MemSize.PAGE_SIZE;

    private Gup gup;

    @BeforeEach
    void tools() {
        gup = machine.gup();
    }


    private Gup.Held pinOne(Process p, long a, boolean write, boolean longterm) {
        Gup.Result r = longterm ? gup.pinLongterm(p, a, 1, write) : gup.pin(p, a, 1, write);
        assertThat(r).isInstanceOf(Gup.Got.class);
        return ((Gup.Got) r).pages().getFirst();
    }

    /** The byte at offset {@code off} of the pinned page, as a device doing DMA would read it. */
    private byte viaPin(Gup.Held h, int off) {
        byte[] b = new byte[1];
        machine.phys().contents().read(((long) h.pfn() << MemSize.PAGE_SHIFT) + off, b, 0, 1);
        return b[0];
    }

    private void write(Process p, long a, int v) {
        assertThat(mm.write(p, a, new byte[] {(byte) v}, 0, 1)).isEqualTo(Access.OK);
    }

    private int read(Process p, long a) {
        byte[] b = new byte[1];
        assertThat(mm.read(p, a, b, 0, 1)).isEqualTo(Access.OK);
        return b[0];
    }

    private Folio mapped(Process p, long a) {
        return (Folio) machine.phys().memmap().raw(Pte.pfn(p.pageTable().getPte(a)));
    }

    @Test
    void forkCopiesAPinnedAnonPageSoThePinKeepsSeeingTheParent() {
        Process parent = mm.spawn("parent");
        long a = mm.mmapAnon(parent, 0, PAGE, RW, false).orThrow();
        write(parent, a, 1);
        Gup.Held.Page h = (Gup.Held.Page) pinOne(parent, a, true, false);
        assertThat(MemoryManager.maybeDmaPinned(h.folio())).isTrue();
        Process child = mm.fork(parent);
        assertThat(mapped(child, a)).as("the child got a copy, not the pinned page").isNotSameAs(h.folio());
        write(parent, a, 2);
        assertThat(mapped(parent, a)).as("the parent kept its pinned page").isSameAs(h.folio());
        assertThat(viaPin(h, 0)).isEqualTo((byte) 2);
        assertThat(read(child, a)).isEqualTo(1);
        gup.unpin(java.util.List.of(h));
    }

    @Test
    void aReadOnlyPinOfASharedAnonPageUnsharesItSoLaterWritesAreVisibleThroughThePin() {
        Process parent = mm.spawn("parent");
        long a = mm.mmapAnon(parent, 0, PAGE, RW, false).orThrow();
        write(parent, a, 1);
        Process child = mm.fork(parent);
        Folio shared = mapped(parent, a);
        Gup.Held.Page h = (Gup.Held.Page) pinOne(parent, a, false, false);
        assertThat(h.folio()).as("unshared before pinning").isNotSameAs(shared).isInstanceOf(AnonFolio.class);
        write(parent, a, 7); // reuses the exclusive pinned page: no copy
        assertThat(mapped(parent, a)).isSameAs(h.folio());
        assertThat(viaPin(h, 0)).isEqualTo((byte) 7);
        assertThat(read(child, a)).isEqualTo(1);
        gup.unpin(java.util.List.of(h));
    }

    @Test
    void aWriteFaultReusesAnExclusivePageRatherThanCopyingIt() {
        Process p = mm.spawn("p");
        long a = mm.mmapAnon(p, 0, PAGE, VmFlags.VM_READ, false).orThrow();
        assertThat(mm.mprotect(p, a, PAGE, RW)).isInstanceOf(org.pagelab.vma.MapResult.Mapped.class);
        write(p, a, 3);
        assertThat(mm.mprotect(p, a, PAGE, VmFlags.VM_READ)).isInstanceOf(org.pagelab.vma.MapResult.Mapped.class);
        Gup.Held.Page h = (Gup.Held.Page) pinOne(p, a, false, false);
        assertThat(mm.mprotect(p, a, PAGE, RW)).isInstanceOf(org.pagelab.vma.MapResult.Mapped.class);
        long reuse = machine.vmstat().get(VmItem.PGREUSE);
        write(p, a, 4);
        assertThat(mapped(p, a)).isSameAs(h.folio());
        assertThat(viaPin(h, 0)).isEqualTo((byte) 4);
        assertThat(machine.vmstat().get(VmItem.PGREUSE)).isGreaterThanOrEqualTo(reuse);
        gup.unpin(java.util.List.of(h));
    }

    @Test
    void aLongtermReadPinOfTheZeroPageTakesAnAnonCopy() {
        Process p = mm.spawn("p");
        long a = mm.mmapAnon(p, 0, PAGE, RW, false).orThrow();
        assertThat(read(p, a)).isZero(); // maps the zero page
        assertThat(Pte.pfn(p.pageTable().getPte(a))).isEqualTo(mm.zeroPfn());
        Gup.Held.Page h = (Gup.Held.Page) pinOne(p, a, false, true);
        assertThat(h.folio()).isInstanceOf(AnonFolio.class);
        write(p, a, 5);
        assertThat(viaPin(h, 0)).isEqualTo((byte) 5);
        gup.unpin(java.util.List.of(h));
    }

    @Test
    void aLongtermReadPinOfAPrivateFilePageTakesAnAnonCopyWithTheFilesBytes() throws IOException {
        byte[] content = new byte[4 * PAGE];
        new SplittableRandom(Seeds.derive(1)).nextBytes(content);
        Files.write(dir.resolve("f"), content);
        OpenFile f = machine.vfs().open("f").orThrow();
        Process p = mm.spawn("p");
        long a = mm.mmapFile(p, 0, content.length, RW, false, false, f, 0).orThrow();
        Gup.Held.Page h = (Gup.Held.Page) pinOne(p, a + PAGE, false, true);
        assertThat(h.folio()).isInstanceOf(AnonFolio.class);
        assertThat(viaPin(h, 9)).isEqualTo(content[PAGE + 9]);
        write(p, a + PAGE + 9, 77);
        assertThat(viaPin(h, 9)).isEqualTo((byte) 77);
        gup.unpin(java.util.List.of(h));
        machine.vfs().close(f);
    }

    @Test
    void aWritableLongtermPinOfASharedFileMappingIsRefusedWithEfault() throws IOException {
        Files.write(dir.resolve("f"), new byte[PAGE]);
        OpenFile f = machine.vfs().open("f").orThrow();
        Process p = mm.spawn("p");
        long a = mm.mmapFile(p, 0, PAGE, RW, true, false, f, 0).orThrow();
        Gup.Result r = gup.pinLongterm(p, a, 1, true);
        assertThat(r).isEqualTo(new Gup.Failed(Errno.EFAULT, a));
        Gup.Result shortTerm = gup.pin(p, a, 1, true);
        assertThat(shortTerm).as("a short-term pin is fine").isInstanceOf(Gup.Got.class);
        assertThat(((Gup.Got) shortTerm).pages().getFirst()).as("a page of a file folio, typed")
                .isInstanceOfSatisfying(Gup.Held.FilePage.class, h -> assertThat(h.folio()).isSameAs(mapped(p, a)));
        gup.unpin(((Gup.Got) gup.pin(p, a, 1, false)).pages());
        machine.vfs().close(f);
        gup.unpin(((Gup.Got) shortTerm).pages());
    }

    /**
     * pin_user_pages of a page never written reaches the shared zero page; a short-term read-only
     * pin holds it (with no reference: it goes nowhere), reads zeros through it, and the first
     * write of the process maps a new page the pin does not see, as a short-term pin's semantics
     * allow. A long-term read-only pin instead unshares first, so it sees the write.
     */
    @Test
    void aShortTermReadPinOfTheZeroPageHoldsItAndALongTermOneUnsharesFirst() {
        Process p = mm.spawn("p");
        long a = mm.mmapAnon(p, 0, 2 * PAGE, RW, false).orThrow();
        Gup.Held z = pinOne(p, a, false, false);
        assertThat(z).isEqualTo(new Gup.Held.ZeroPage(mm.zeroPfn(), true));
        assertThat(viaPin(z, 7)).isZero();
        assertThat(gup.pinsHeld()).as("a zero-page pin takes nothing and is not counted").isZero();
        write(p, a, 0x5a);
        assertThat(viaPin(z, 0)).as("the zero page is never written").isZero();
        gup.unpin(java.util.List.of(z));
        Gup.Held lt = pinOne(p, a + PAGE, false, true);
        assertThat(lt).isInstanceOf(Gup.Held.Page.class);
        write(p, a + PAGE, 0x33);
        assertThat(viaPin(lt, 0)).as("the long-term pin sees the process's write").isEqualTo((byte) 0x33);
        gup.unpin(java.util.List.of(lt));
    }

    @Test
    void aHoleOrAForbiddenWriteIsEfaultAndHoldsNothing() {
        Process p = mm.spawn("p");
        long a = mm.mmapAnon(p, 0, 2 * PAGE, VmFlags.VM_READ, false).orThrow();
        assertThat(gup.get(p, a, 2, true)).isEqualTo(new Gup.Failed(Errno.EFAULT, a));
        assertThat(gup.get(p, a + 2 * PAGE, 1, false)).isInstanceOf(Gup.Failed.class);
        assertThat(gup.pinsHeld()).isZero();
    }

    @Test
    void theVisitorGetsEachPageAsItsSealedType() {
        Process p = mm.spawn("p");
        long anon = mm.mmapAnon(p, 0, PAGE, RW, false).orThrow();
        long shm = mm.mmapAnon(p, 0, PAGE, RW, true, false).orThrow();
        write(p, anon, 1);
        write(p, shm, 2);
        long untouched = mm.mmapAnon(p, 0, PAGE, RW, false).orThrow();
        int[] kinds = new int[3];
        PageVisitor v = new PageVisitor() {
            @Override
            public void anon(AnonFolio folio, int subpage) {
                kinds[0]++;
            }

            @Override
            public void file(FileFolio folio, int subpage) {
                kinds[1]++;
            }

            @Override
            public void zeroPage(int pfn) {
                kinds[2]++;
            }
        };
        Gup.Result a = gup.get(p, anon, 1, false, v);
        Gup.Result s = gup.get(p, shm, 1, true, v);
        Gup.Result z = gup.get(p, untouched, 1, false, v);
        assertThat(kinds).containsExactly(1, 1, 1);
        assertThat(((Gup.Got) a).pages().getFirst()).as("the results keep the kinds the visitor saw")
                .isInstanceOf(Gup.Held.AnonPage.class);
        assertThat(((Gup.Got) s).pages().getFirst()).isInstanceOf(Gup.Held.FilePage.class);
        assertThat(((Gup.Got) z).pages().getFirst()).isInstanceOf(Gup.Held.ZeroPage.class);
        for (Gup.Result r : List.of(a, s, z)) {
            ((Gup.Got) r).pages().getFirst().visit(v); // and hand them to a visitor again, as the same kinds
        }
        assertThat(kinds).containsExactly(2, 2, 2);
        gup.put(((Gup.Got) a).pages());
        gup.put(((Gup.Got) s).pages());
        gup.put(((Gup.Got) z).pages());
    }

    @Test
    void aPinnedShmemPageSeesTheProcesssWritesAndIsNeverSwappedOut() {
        assertThat(machine.swap().swapon("swapfile", 8192, null)).isInstanceOf(SwaponResult.Ok.class);
        Process p = mm.spawn("p");
        long a = mm.mmapAnon(p, 0, PAGE, RW, true, false).orThrow();
        write(p, a, 1);
        Gup.Held.Page h = (Gup.Held.Page) pinOne(p, a, true, false);
        Process hog = mm.spawn("hog");
        long big = mm.mmapAnon(hog, 0, 48L << 20, RW, false).orThrow();
        for (long off = 0; off < 48L << 20; off += PAGE) {
            assertThat(mm.touch(hog, big + off, true)).isEqualTo(Access.OK);
        }
        // reclaim may unmap it (try_to_unmap does not look at pins of file pages) but not swap it out
        assertThat(p.mm().find(a).file().mapping().lookup(0)).as("still resident in its file").isSameAs(h.folio());
        write(p, a, 9);
        assertThat(viaPin(h, 0)).isEqualTo((byte) 9);
        gup.unpin(java.util.List.of(h));
    }

    @Test
    void anAnonPageSwappedOutAndInCanBePinnedAndTheReadPinSeesLaterWrites() {
        assertThat(machine.swap().swapon("swapfile", 8192, null)).isInstanceOf(SwaponResult.Ok.class);
        Process p = mm.spawn("p");
        long a = mm.mmapAnon(p, 0, PAGE, RW, false).orThrow();
        write(p, a, 1);
        mm.madviseColdOrPageout(p, a, PAGE, true);
        assertThat(Pte.isSwap(p.pageTable().getPte(a))).isTrue();
        Gup.Held.Page h = (Gup.Held.Page) pinOne(p, a, false, false);
        write(p, a, 6);
        assertThat(mapped(p, a)).isSameAs(h.folio());
        assertThat(viaPin(h, 0)).isEqualTo((byte) 6);
        gup.unpin(java.util.List.of(h));
        assertThat(machine.vmstat().get(VmItem.NR_FOLL_PIN_ACQUIRED)).isEqualTo(machine.vmstat().get(VmItem.NR_FOLL_PIN_RELEASED));
    }
}
