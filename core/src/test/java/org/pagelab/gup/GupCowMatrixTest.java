package org.pagelab.gup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.pagelab.desc.Folio;
import org.pagelab.filemap.OpenFile;
import org.pagelab.machine.Machine;
import org.pagelab.memory.Access;
import org.pagelab.memory.MemoryManager;
import org.pagelab.memory.Process;
import org.pagelab.phys.MemSize;
import org.pagelab.phys.PhysConfig;
import org.pagelab.pgtable.Pte;
import org.pagelab.swap.SwaponResult;
import org.pagelab.vma.VmFlags;

/**
 * The pin/COW rules as a matrix: each test is one property, run over every kind of memory a
 * process can pin (anon; anon after swap-out and swap-in; a private file page after its COW;
 * shmem; a page of a 2 MiB transparent huge page mapped whole, mapped by PTEs after a partial
 * mprotect split its PMD, or partly unmapped; a page of a 64 KiB mTHP folio). The properties are
 * those the kernel's cow and gup selftests check (tools/testing/selftests/mm/cow.c runs the same
 * THP variants): a pin always sees what the process writes afterwards, across fork and COW.
 */
class GupCowMatrixTest {
    private static final int RW = VmFlags.VM_READ | VmFlags.VM_WRITE;
    private static final int PAGE = (int) MemSize.PAGE_SIZE;

    /** The kinds of memory in the matrix. */
    enum Kind { ANON, ANON_SWAPPED_IN, PRIVATE_FILE_COW, SHMEM, THP, THP_PTE_MAPPED, THP_PARTIALLY_MAPPED, MTHP_64K }

    private static final long HUGE = 2L << 20;

    @TempDir
    Path dir;
    private Machine machine;
    private MemoryManager mm;
    private Gup gup;
    private OpenFile file;

    @BeforeEach
    void boot() throws IOException {
        machine = Machine.boot(PhysConfig.of(MemSize.parse("32M"), true), dir);
        mm = machine.memory();
        gup = machine.gup();
        assertThat(machine.swap().swapon("swapfile", 4096, null)).isInstanceOf(SwaponResult.Ok.class);
        Files.write(dir.resolve("f"), new byte[4 * PAGE]);
        file = machine.vfs().open("f").orThrow();
    }

    @AfterEach
    void checkAndClose() {
        machine.vfs().close(file);
        machine.check();
        machine.close();
    }

    private void write(Process p, long a, int v) {
        assertThat(mm.write(p, a, new byte[] {(byte) v}, 0, 1)).isEqualTo(Access.OK);
    }

    private int read(Process p, long a) {
        byte[] b = new byte[1];
        assertThat(mm.read(p, a, b, 0, 1)).isEqualTo(Access.OK);
        return b[0];
    }

    private byte viaPin(Gup.Held h) {
        byte[] b = new byte[1];
        machine.phys().contents().read((long) h.pfn() << MemSize.PAGE_SHIFT, b, 0, 1);
        return b[0];
    }

    private Folio mapped(Process p, long a) {
        return (Folio) machine.phys().memmap().raw(Pte.pfn(p.pageTable().getPte(a)));
    }

    /** A page of {@code kind} in {@code p} holding 1, returned by its address. */
    private long page(Process p, Kind kind) {
        long a = switch (kind) {
            case ANON, ANON_SWAPPED_IN -> mm.mmapAnon(p, 0, PAGE, RW, false).orThrow();
            case PRIVATE_FILE_COW -> mm.mmapFile(p, 0, PAGE, RW, false, false, file, 0).orThrow();
            case SHMEM -> mm.mmapAnon(p, 0, PAGE, RW, true, false).orThrow();
            case THP, THP_PTE_MAPPED, THP_PARTIALLY_MAPPED -> {
                long base = mm.mmapAnon(p, 0, 2 * HUGE, RW, false).orThrow();
                yield ((base + HUGE - 1) & -HUGE) + 8 * PAGE; // a page inside an aligned 2 MiB range
            }
            case MTHP_64K -> {
                mm.setTransparentHugepage(org.pagelab.memory.TransparentHugepage.NEVER); // 2 MiB off: 64 KiB is the largest
                mm.mthp().setEnabled(4, org.pagelab.memory.MthpEnabled.ALWAYS);
                long base = mm.mmapAnon(p, 0, 32 * PAGE, RW, false).orThrow();
                yield ((base + 16 * PAGE - 1) & -(16L * PAGE)) + 3 * PAGE;
            }
        };
        write(p, a, 1);
        int order = switch (kind) {
            case THP, THP_PTE_MAPPED, THP_PARTIALLY_MAPPED -> 9;
            case MTHP_64K -> 4;
            default -> 0;
        };
        assertThat(mapped(p, a).order()).as("the write's folio").isEqualTo(order);
        long huge = a & -HUGE;
        if (kind == Kind.THP_PTE_MAPPED) {
            // mprotect of one other page splits the PMD; the folio stays whole, mapped by PTEs
            mm.mprotect(p, huge + 100 * PAGE, PAGE, VmFlags.VM_READ).orThrow();
        } else if (kind == Kind.THP_PARTIALLY_MAPPED) {
            mm.munmap(p, huge + 100 * PAGE, PAGE).orThrow();
        }
        assertThat(mapped(p, a).order()).as("still the large folio").isEqualTo(order);
        if (kind == Kind.ANON_SWAPPED_IN) {
            mm.madviseColdOrPageout(p, a, PAGE, true); // written to swap: the PTE holds the entry
            assertThat(Pte.isSwap(p.pageTable().getPte(a))).isTrue();
            assertThat(read(p, a)).isEqualTo(1); // swapped back in
        }
        return a;
    }

    private static boolean large(Kind kind) {
        return kind.compareTo(Kind.THP) >= 0;
    }

    private Gup.Held pin(Process p, long a, boolean write) {
        Gup.Result r = gup.pin(p, a, 1, write);
        assertThat(r).isInstanceOf(Gup.Got.class);
        return ((Gup.Got) r).pages().getFirst();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aPinnedPageKeepsSeeingTheParentsWritesAfterFork(Kind kind) {
        Process parent = mm.spawn("parent");
        long a = page(parent, kind);
        Gup.Held.Page h = (Gup.Held.Page) pin(parent, a, true);
        Process child = mm.fork(parent);
        write(parent, a, 2);
        assertThat(viaPin(h)).isEqualTo((byte) 2);
        assertThat(read(child, a)).as("the child's view").isEqualTo(kind == Kind.SHMEM ? 2 : 1);
        if (large(kind)) {
            // the rest of the folio: the child still sees it (shared, copied or split, as the fork chose)
            write(parent, a + PAGE, 3);
            assertThat(read(child, a + PAGE)).as("a neighbour in the child").isZero();
            assertThat(read(parent, a + PAGE)).isEqualTo(3);
        }
        gup.unpin(List.of(h));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aReadOnlyPinTakenAfterForkSeesTheProcesssLaterWrites(Kind kind) {
        Process parent = mm.spawn("parent");
        long a = page(parent, kind);
        Process child = mm.fork(parent); // private pages are now shared copy-on-write
        Gup.Held.Page h = (Gup.Held.Page) pin(parent, a, false);
        write(parent, a, 7);
        assertThat(mapped(parent, a)).as("the write reused the pinned page").isSameAs(h.folio());
        assertThat(viaPin(h)).isEqualTo((byte) 7);
        assertThat(read(child, a)).isEqualTo(kind == Kind.SHMEM ? 7 : 1);
        gup.unpin(List.of(h));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aWriteToAnExclusivePinnedPageReusesItInPlace(Kind kind) {
        Process p = mm.spawn("p");
        long a = page(p, kind);
        Gup.Held.Page h = (Gup.Held.Page) pin(p, a, false);
        write(p, a, 9);
        assertThat(mapped(p, a)).isSameAs(h.folio());
        assertThat(viaPin(h)).isEqualTo((byte) 9);
        gup.unpin(List.of(h));
    }
}
