package org.pagelab.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.pagelab.desc.FileFolio;
import org.pagelab.desc.Folio;
import org.pagelab.desc.SwapEntry;
import org.pagelab.desc.FolioFlags.Flag;
import org.pagelab.filemap.AddressSpace;
import org.pagelab.filemap.Errno;
import org.pagelab.filemap.OpenFile;
import org.pagelab.filemap.OpenResult;
import org.pagelab.filemap.Vfs;
import org.pagelab.lruvec.LruList;
import org.pagelab.lruvec.LruVec;
import org.pagelab.machine.MachineTest;
import org.pagelab.proc.Meminfo;
import org.pagelab.stat.VmItem;
import org.pagelab.swap.SwaponResult;
import org.pagelab.vma.VmFlags;

/** Named files on a tmpfs mount: shmem with a name, shared by whoever opens it, swapped like anon. */
class TmpfsTest extends MachineTest {
    private static final int RW = VmFlags.VM_READ | VmFlags.VM_WRITE;
    private static final int PAGE = 4096;

    @Test
    void aFileUnderDevShmIsSwapBackedShmemOnTheAnonLruWithNoHostFile() throws Exception {
        Vfs vfs = machine.vfs();
        assertThat(vfs.tmpfsMounts()).containsExactly("dev/shm");
        OpenFile fd = vfs.create("dev/shm/db", 16 * PAGE).orThrow();
        byte[] want = random(1, 16 * PAGE);
        assertThat(vfs.pwrite(fd, 0, want, 0, want.length).orThrow()).isEqualTo(want.length);
        assertThat(Files.exists(dir.resolve("dev/shm/db"))).as("tmpfs keeps no host file").isFalse();
        assertThat(fd.inode().mapping().kind()).isEqualTo(AddressSpace.Kind.SHMEM);
        assertThat(vm(VmItem.NR_SHMEM)).isEqualTo(16);
        assertThat(new Meminfo(machine).fields().get("Shmem")).isEqualTo(64);
        assertThat(vm(VmItem.NR_DIRTY)).as("shmem is never file-dirty").isZero();
        Folio f = fd.inode().mapping().lookup(3);
        assertThat(f).isInstanceOf(FileFolio.class);
        assertThat(f.test(Flag.SWAPBACKED)).isTrue();
        assertThat(LruVec.folioLru(f)).isIn(LruList.INACTIVE_ANON, LruList.ACTIVE_ANON);
        OpenFile again = vfs.open("dev/shm/db").orThrow();
        assertThat(again.inode()).as("the name finds the same file").isSameAs(fd.inode());
        byte[] back = new byte[want.length];
        assertThat(vfs.pread(again, 0, back, 0, back.length).orThrow()).isEqualTo(back.length);
        assertThat(back).isEqualTo(want);
        assertThat(vfs.create("dev/shm/db", 0)).isEqualTo(new OpenResult.OpenFailed(Errno.EEXIST));
        vfs.close(again).orThrow();
        vfs.close(fd).orThrow();
        assertThat(vm(VmItem.NR_SHMEM)).as("a named file outlives its last close").isEqualTo(16);
        vfs.unlink("dev/shm/db").orThrow();
        assertThat(vm(VmItem.NR_SHMEM)).as("and goes with its name").isZero();
    }

    @Test
    void aHostFileAtATmpfsPathIsNotSeen() throws Exception {
        Files.createDirectories(dir.resolve("dev/shm"));
        Files.write(dir.resolve("dev/shm/old"), new byte[PAGE]);
        assertThat(machine.vfs().open("dev/shm/old")).isEqualTo(new OpenResult.OpenFailed(Errno.ENOENT));
        assertThat(machine.vfs().onTmpfs("dev/shmem/x")).as("a prefix of a name is not its directory").isFalse();
    }

    @Test
    void processesMappingTheNamedFileShareItsBytesThroughSwapAndUnlinkFreesItAfterTheLastUser() {
        assertThat(machine.swap().swapon("swapfile", 4096, null)).isInstanceOf(SwaponResult.Ok.class);
        Vfs vfs = machine.vfs();
        int len = 64 * PAGE;
        OpenFile fd = vfs.create("dev/shm/ring", len).orThrow();
        Process a = mm.spawn("a");
        Process b = mm.spawn("b");
        long va = mm.mmapFile(a, 0, len, RW, true, false, fd, 0).orThrow();
        OpenFile fb = vfs.open("dev/shm/ring").orThrow();
        long vb = mm.mmapFile(b, 0, len, RW, true, false, fb, 0).orThrow();
        byte[] want = random(2, len);
        assertThat(mm.write(a, va, want, 0, len)).isEqualTo(Access.OK);
        assertThat(a.rssShmem()).isEqualTo(64);
        mm.madviseColdOrPageout(a, va, len, true).orThrow();
        machine.runKswapd();
        byte[] back = new byte[len];
        assertThat(mm.read(b, vb, back, 0, len)).isEqualTo(Access.OK);
        assertThat(back).isEqualTo(want);
        mm.madviseColdOrPageout(b, vb, len, true).orThrow();
        assertThat(mm.read(a, va, back, 0, len)).isEqualTo(Access.OK);
        assertThat(back).isEqualTo(want);
        machine.check();
        vfs.unlink("dev/shm/ring").orThrow();
        vfs.close(fd).orThrow();
        vfs.close(fb).orThrow();
        assertThat(vm(VmItem.NR_SHMEM)).as("still mapped").isPositive();
        machine.check();
        mm.exit(a);
        mm.exit(b);
        assertThat(vm(VmItem.NR_SHMEM)).isZero();
        assertThat(machine.swap().devices().inusePages()).as("its swap slots go with it").isZero();
    }

    /**
     * swap_cluster_readahead (an anon fault's readahead while a rotational device is on) reads
     * whatever slots lie around the faulting one, shmem's included; shmem_swapin_folio must then
     * find a folio it can keep in its file, and reclaim must send that folio back through
     * shmem_writepage, never through the anonymous add_to_swap path.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"dev/shm file", "MAP_SHARED|MAP_ANONYMOUS (/dev/zero)"})
    void aShmemSlotReadAheadByAnAnonSwapInReturnsToItsFileAsAFileFolioAndSwapsOutAgain(String kind) {
        assertThat(machine.swap().swapon("swapfile", 4096, null, true)).isInstanceOf(SwaponResult.Ok.class);
        Vfs vfs = machine.vfs();
        int len = 4 * PAGE;
        boolean named = kind.startsWith("dev/shm");
        OpenFile fd = named ? vfs.create("dev/shm/seg", len).orThrow() : null;
        Process p = mm.spawn("p");
        long shm = named ? mm.mmapFile(p, 0, len, RW, true, false, fd, 0).orThrow() : mm.mmapAnon(p, 0, len, RW, true, false).orThrow();
        AddressSpace<?> shmIndex = p.mm().find(shm).file().mapping();
        long anon = mm.mmapAnon(p, 0, len, RW, false).orThrow();
        byte[] shmBytes = random(3, len);
        byte[] anonBytes = random(4, len);
        assertThat(mm.write(p, shm, shmBytes, 0, len)).isEqualTo(Access.OK);
        assertThat(mm.write(p, anon, anonBytes, 0, len)).isEqualTo(Access.OK);
        mm.madviseColdOrPageout(p, shm, len, true).orThrow();   // slots 1..4, owned by the file
        mm.madviseColdOrPageout(p, anon, len, true).orThrow();  // slots 5..8, named by PTEs
        for (int i = 0; i < 8 && machine.swap().cachedPages() > 0; i++) {
            machine.vmscan().tryToFreeMemcgPages(machine.memcg().root(), 64); // frees the written swap-cache copies
        }
        assertThat(machine.swap().cachedPages()).as("every page out of memory").isZero();
        SwapEntry[] shmemEntries = new SwapEntry[4];
        for (int i = 0; i < 4; i++) {
            assertThat(shmIndex.load(i)).as("page %d swapped out", i).isInstanceOf(SwapEntry.class);
            shmemEntries[i] = (SwapEntry) shmIndex.load(i);
        }
        long raBefore = vm(VmItem.SWAP_RA);
        byte[] one = new byte[PAGE];
        assertThat(mm.read(p, anon, one, 0, PAGE)).isEqualTo(Access.OK); // its readahead window holds the shmem slots
        assertThat(vm(VmItem.SWAP_RA) - raBefore).as("the shmem slots were read ahead too").isGreaterThanOrEqualTo(4);
        for (SwapEntry entry : shmemEntries) {
            assertThat(machine.swap().lookup(entry)).as("shmem entry %s", entry).isInstanceOf(FileFolio.class);
        }
        machine.check();
        byte[] back = new byte[len];
        assertThat(mm.read(p, shm, back, 0, len)).isEqualTo(Access.OK);
        assertThat(back).isEqualTo(shmBytes);
        for (int round = 0; round < 2; round++) {
            mm.madviseColdOrPageout(p, shm, len, true).orThrow();
            mm.madviseColdOrPageout(p, anon, len, true).orThrow();
            machine.runKswapd();
            machine.check();
            assertThat(mm.read(p, anon, back, 0, len)).isEqualTo(Access.OK);
            assertThat(back).isEqualTo(anonBytes);
            assertThat(mm.read(p, shm, back, 0, len)).isEqualTo(Access.OK);
            assertThat(back).isEqualTo(shmBytes);
        }
        mm.exit(p);
        if (named) {
            vfs.close(fd).orThrow();
            vfs.unlink("dev/shm/seg").orThrow();
        }
        assertThat(machine.swap().devices().inusePages()).as("no slot outlives its owner").isZero();
    }

    @Test
    void anotherTmpfsCanBeMountedAndABadMountPointIsNamed() {
        Vfs vfs = machine.vfs();
        vfs.mountTmpfs("scratch");
        OpenFile fd = vfs.create("scratch/x", PAGE).orThrow();
        assertThat(fd.inode().mapping().kind()).isEqualTo(AddressSpace.Kind.SHMEM);
        assertThat(Files.exists(dir.resolve("scratch/x"))).isFalse();
        OpenFile plain = vfs.create("plain", PAGE).orThrow();
        assertThat(plain.inode().mapping().kind()).isEqualTo(AddressSpace.Kind.PAGE_CACHE);
        assertThatThrownBy(() -> vfs.mountTmpfs("/abs")).hasMessageContaining("'/abs'");
        vfs.close(fd).orThrow();
        vfs.close(plain).orThrow();
    }
}
