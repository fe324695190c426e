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
 * shmem). The properties are those the kernel's cow and gup selftests check: a pin always sees
 * what the process writes afterwards, across fork and COW.
 */
class GupCowMatrixTest {
    private static final int RW = VmFlags.VM_READ | VmFlags.VM_WRITE;
    private static final int PAGE = (int) MemSize.PAGE_SIZE;

    /** The kinds of memory in the matrix. */
    enum Kind { ANON, ANON_SWAPPED_IN, PRIVATE_FILE_COW, SHMEM }

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
        };
        write(p, a, 1);
        if (kind == Kind.ANON_SWAPPED_IN) {
            mm.madviseColdOrPageout(p, a, PAGE, true); // written to swap: the PTE holds the entry
            assertThat(Pte.isSwap(p.pageTable().getPte(a))).isTrue();
            assertThat(read(p, a)).isEqualTo(1); // swapped back in
        }
        return a;
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
