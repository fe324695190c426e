package org.pagelab.rmap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.pagelab.desc.AnonFolio;
import org.pagelab.desc.FileFolio;
import org.pagelab.desc.Folio;
import org.pagelab.desc.FolioFlags.Flag;
import org.pagelab.filemap.OpenFile;
import org.pagelab.machine.MachineTest;
import org.pagelab.memory.Access;
import org.pagelab.memory.MemoryManager;
import org.pagelab.memory.Process;
import org.pagelab.pgtable.Pte;
import org.pagelab.phys.MemSize;
import org.pagelab.stat.VmItem;
import org.pagelab.vma.MapResult;
import org.pagelab.vma.VmFlags;

/**
 * Reverse mapping: every PTE that maps a folio is found from the folio, through anon_vma chains
 * (across fork, split and merge) or the file's i_mmap, and the unmap and referenced walks act on
 * exactly those PTEs. Each test is named for the property it protects; the machine's checkers,
 * which verify that the reverse map leads to every mapped PTE, run after each.
 */
class RmapTest extends MachineTest {
    private static final int RW = VmFlags.VM_READ | VmFlags.VM_WRITE;
    private static final long PAGE = MemSize.PAGE_SIZE;




    private void write(Process p, long a, int value) {
        assertThat(mm.write(p, a, new byte[] {(byte) value}, 0, 1)).isEqualTo(Access.OK);
        machine.check();
    }

    private int read(Process p, long a) {
        byte[] b = new byte[1];
        assertThat(mm.read(p, a, b, 0, 1)).isEqualTo(Access.OK);
        return b[0];
    }

    private Folio folioAt(Process p, long a) {
        long pte = p.pageTable().getPte(a);
        assertThat(Pte.isPresent(pte)).as("present at 0x%x", a).isTrue();
        return (Folio) machine.phys().memmap().raw(Pte.pfn(pte));
    }

    private long anon(Process p, long pages) {
        return mm.mmapAnon(p, 0, pages * PAGE, RW, false).orThrow();
    }

    @Test
    void aPageSharedByForkIsFoundInParentAndChild() {
        Process parent = mm.spawn("parent");
        long a = anon(parent, 4);
        write(parent, a + PAGE, 7);
        Process child = mm.fork(parent);
        Folio f = folioAt(parent, a + PAGE);
        assertThat(folioAt(child, a + PAGE)).isSameAs(f);
        assertThat(mm.folioReferenced(f).mapped()).isEqualTo(2);
    }

    @Test
    void aPageCreatedBeforeTwoForksIsFoundInTheGrandchild() {
        Process p = mm.spawn("p");
        long a = anon(p, 2);
        write(p, a, 1);
        Process c = mm.fork(p);
        Process g = mm.fork(c);
        Folio f = folioAt(p, a);
        assertThat(folioAt(g, a)).isSameAs(f);
        assertThat(mm.folioReferenced(f).mapped()).isEqualTo(3);
        mm.exit(c);
        machine.check();
        assertThat(mm.folioReferenced(f).mapped()).isEqualTo(2);
    }

    @Test
    void aChildsCowCopyBelongsToTheChildsAnonVmaAndIsFoundOnlyThere() {
        Process parent = mm.spawn("parent");
        long a = anon(parent, 1);
        write(parent, a, 1);
        Process child = mm.fork(parent);
        write(child, a, 2);
        AnonFolio copy = (AnonFolio) folioAt(child, a);
        AnonFolio orig = (AnonFolio) folioAt(parent, a);
        assertThat(copy).isNotSameAs(orig);
        assertThat(copy.anonMapping()).isSameAs(child.mm().find(a).anonVma()).isNotSameAs(orig.anonMapping());
        assertThat(mm.folioReferenced(copy).mapped()).isEqualTo(1);
        assertThat(mm.folioReferenced(orig).mapped()).isEqualTo(1);
    }

    @Test
    void referencedCountsAndClearsAccessedBitsSoOnlyNewAccessesCountNextTime() {
        Process p = mm.spawn("p");
        long a = anon(p, 1);
        write(p, a, 1);
        Process c = mm.fork(p);
        Folio f = folioAt(p, a);
        read(p, a);
        MemoryManager.Referenced r = mm.folioReferenced(f);
        assertThat(r.referenced()).isEqualTo(1); // the child's copied PTE starts old, as fork makes it
        assertThat(r.vmFlags() & VmFlags.VM_WRITE).isNotZero();
        assertThat(mm.folioReferenced(f).referenced()).isZero();
        read(c, a);
        read(p, a);
        assertThat(mm.folioReferenced(f).referenced()).isEqualTo(2);
        assertThat(Pte.accessed(p.pageTable().getPte(a))).isFalse();
    }

    @Test
    void unmapReplacesEveryMappingOfAnAnonPageAndAccessThenRaisesSigbus() {
        Process p = mm.spawn("p");
        long a = anon(p, 2);
        write(p, a + PAGE, 9);
        Process c = mm.fork(p);
        Folio f = folioAt(p, a + PAGE);
        f.refAdd(1); // the caller's own reference, as reclaim and memory-failure hold one
        long anonBefore = machine.vmstat().get(VmItem.NR_ANON_PAGES);
        assertThat(mm.tryToUnmap(f, k -> Pte.poison(f.pfn() + k))).isTrue();
        assertThat(f.mapcount()).isZero();
        assertThat(Pte.isPoison(p.pageTable().getPte(a + PAGE))).isTrue();
        assertThat(Pte.isPoison(c.pageTable().getPte(a + PAGE))).isTrue();
        assertThat(machine.vmstat().get(VmItem.NR_ANON_PAGES)).isEqualTo(anonBefore - 1);
        assertThat(p.rssAnon()).isZero();
        machine.phys().folioPut(f);
        machine.check();
        assertThat(mm.read(c, a + PAGE, new byte[1], 0, 1)).isEqualTo(Access.SIGBUS);
        assertThat(c.state()).isEqualTo(Process.State.KILLED);
        assertThat(read(p, a)).isZero(); // the other page of the parent is untouched
    }

    @Test
    void anUnmappedFileFolioFaultsBackFromTheCacheWithItsDirtyDataWrittenOnFsync() throws IOException {
        byte[] content = new byte[8 * (int) PAGE];
        Files.write(dir.resolve("f"), content);
        OpenFile file = machine.vfs().open("f").orThrow();
        Process p = mm.spawn("p");
        Process q = mm.spawn("q");
        long a = mm.mmapFile(p, 0, content.length, RW, true, false, file, 0).orThrow();
        long b = mm.mmapFile(q, 0, content.length, RW, true, false, file, 0).orThrow();
        write(p, a + 3 * PAGE + 1, 42);
        assertThat(read(q, b + 3 * PAGE + 1)).isEqualTo(42);
        FileFolio f = (FileFolio) folioAt(p, a + 3 * PAGE);
        assertThat(mm.folioReferenced(f).mapped()).isEqualTo(2);
        f.refAdd(1);
        machine.vfs().fsync(file); // cleans the folio and write-protects its PTEs
        // a shared write fault dirties the folio again (no checker here: the test holds a reference)
        assertThat(mm.write(q, b + 3 * PAGE + 2, new byte[] {43}, 0, 1)).isEqualTo(Access.OK);
        assertThat(mm.tryToUnmap(f, k -> 0)).isTrue();
        assertThat(f.test(Flag.DIRTY)).isTrue();
        assertThat(p.rssFile()).isZero();
        machine.phys().folioPut(f);
        long majors = machine.vmstat().get(VmItem.PGMAJFAULT);
        assertThat(read(p, a + 3 * PAGE + 2)).isEqualTo(43);
        assertThat(machine.vmstat().get(VmItem.PGMAJFAULT)).isEqualTo(majors);
        machine.vfs().fsync(file);
        assertThat(Files.readAllBytes(dir.resolve("f"))[3 * (int) PAGE + 2]).isEqualTo((byte) 43);
        machine.vfs().close(file);
    }

    @Test
    void aSplitAndMergedVmaKeepsItsPagesReachable() {
        Process p = mm.spawn("p");
        long a = anon(p, 8);
        for (int i = 0; i < 8; i++) {
            write(p, a + i * PAGE, i + 1);
        }
        assertThat(mm.mprotect(p, a + 2 * PAGE, 3 * PAGE, VmFlags.VM_READ)).isInstanceOf(MapResult.Mapped.class);
        assertThat(p.mm().vmaCount()).isEqualTo(3);
        machine.check();
        for (int i = 0; i < 8; i++) {
            assertThat(mm.folioReferenced(folioAt(p, a + i * PAGE)).mapped()).as("page %d", i).isEqualTo(1);
        }
        assertThat(mm.mprotect(p, a + 2 * PAGE, 3 * PAGE, RW)).isInstanceOf(MapResult.Mapped.class);
        assertThat(p.mm().vmaCount()).isEqualTo(1);
        for (int i = 0; i < 8; i++) {
            assertThat(read(p, a + i * PAGE)).isEqualTo(i + 1);
        }
    }

    @Test
    void aNewNeighbourMappingReusesTheAnonVmaSoTheTwoStillMerge() {
        Process p = mm.spawn("p");
        long a = mm.mmapAnon(p, 0x10000000L, 2 * PAGE, RW, true).orThrow();
        write(p, a, 1);
        long b = mm.mmapAnon(p, 0x10000000L + 2 * PAGE, 2 * PAGE, RW, true).orThrow();
        assertThat(p.mm().vmaCount()).isEqualTo(1);
        write(p, b, 2);
        assertThat(p.mm().vmaCount()).isEqualTo(1);
        assertThat(machine.anonVmaCache().objectsInUse()).isEqualTo(1);
    }

    @Test
    void vmasForkedApartDoNotMergeAcrossDifferentAnonVmas() {
        Process p = mm.spawn("p");
        long a = mm.mmapAnon(p, 0x10000000L, 4 * PAGE, RW, true).orThrow();
        write(p, a, 1);
        Process c = mm.fork(p);
        // the child's VMA is chained to two anon_vmas; split it and try to merge it back
        assertThat(mm.mprotect(c, a, PAGE, VmFlags.VM_READ)).isInstanceOf(MapResult.Mapped.class);
        assertThat(mm.mprotect(c, a, PAGE, RW)).isInstanceOf(MapResult.Mapped.class);
        assertThat(c.mm().vmaCount()).isEqualTo(1);
        write(c, a + 3 * PAGE, 5);
        assertThat(read(p, a + 3 * PAGE)).isZero();
    }

    @Test
    void anonVmaObjectsAreAllFreedWhenEveryProcessHasExited() {
        Process p = mm.spawn("p");
        long a = anon(p, 4);
        write(p, a, 1);
        Process c = mm.fork(p);
        Process g = mm.fork(c);
        write(g, a + PAGE, 3);
        assertThat(machine.anonVmaCache().objectsInUse()).isEqualTo(3);
        assertThat(machine.anonVmaChainCache().objectsInUse()).isEqualTo(1 + 2 + 3);
        mm.exit(p);
        machine.check();
        mm.exit(g);
        machine.check();
        mm.exit(c);
        assertThat(machine.anonVmaCache().objectsInUse()).isZero();
        assertThat(machine.anonVmaChainCache().objectsInUse()).isZero();
    }

    @Test
    void sharedAnonymousMemoryIsSharedAcrossForkAndFreedWithItsLastMapping() {
        long freeAtStart = machine.phys().freePages();
        Process p = mm.spawn("p");
        long a = mm.mmapAnon(p, 0, 4 * PAGE, RW, true, false).orThrow();
        write(p, a + PAGE, 11);
        assertThat(machine.vmstat().get(VmItem.NR_SHMEM)).isEqualTo(1);
        assertThat(machine.vmstat().get(VmItem.NR_ANON_PAGES)).isZero();
        Process c = mm.fork(p);
        assertThat(read(c, a + PAGE)).isEqualTo(11);
        write(c, a + 2 * PAGE, 12);
        write(c, a + PAGE, 13);
        assertThat(read(p, a + PAGE)).isEqualTo(13);
        assertThat(read(p, a + 2 * PAGE)).isEqualTo(12);
        assertThat(machine.vmstat().get(VmItem.NR_SHMEM)).isEqualTo(2);
        assertThat(machine.vmstat().get(VmItem.NR_DIRTY)).isZero();
        assertThat(machine.vfs().sync()).isZero();
        assertThat(p.rssShmem()).isEqualTo(2);
        assertThat(p.rssAnon() + p.rssFile()).isZero();
        assertThat(new org.pagelab.proc.SmapsRollup(machine, p).fields().get("Pss_Shmem")).isEqualTo(4); // 2 pages shared by 2
        assertThat(new org.pagelab.proc.PidStatus(p).fields().get("RssShmem")).isEqualTo(8);
        mm.exit(p);
        machine.check();
        assertThat(read(c, a + PAGE)).isEqualTo(13);
        mm.exit(c);
        assertThat(machine.vmstat().get(VmItem.NR_SHMEM)).isZero();
        assertThat(machine.vmstat().get(VmItem.NR_FILE_PAGES)).isZero();
        assertThat(machine.phys().freePages()).isEqualTo(freeAtStart);
    }

    @Test
    void everyPageOfAForkedTreeIsFoundExactlyWhereItIsMapped() {
        // several generations writing different pages; the checker run by write() verifies that
        // the reverse map of every mapped PTE leads back to it; here each folio's walk must count
        // exactly its mapcount
        Process root = mm.spawn("root");
        long a = anon(root, 16);
        Process[] procs = new Process[4];
        procs[0] = root;
        for (int gen = 1; gen < 4; gen++) {
            write(procs[gen - 1], a + gen * PAGE, gen);
            procs[gen] = mm.fork(procs[gen - 1]);
        }
        for (Process p : procs) {
            for (int i = 0; i < 16; i++) {
                long pte = p.pageTable().getPte(a + i * PAGE);
                if (Pte.isPresent(pte) && !Pte.special(pte)) {
                    Folio f = folioAt(p, a + i * PAGE);
                    assertThat(mm.folioReferenced(f).mapped()).as("%s page %d", p, i).isEqualTo(f.mapcount());
                }
            }
        }
        assertThat(Arrays.stream(procs).mapToLong(Process::rssAnon).sum()).isEqualTo(1 + 2 + 3 + 3);
    }
}
