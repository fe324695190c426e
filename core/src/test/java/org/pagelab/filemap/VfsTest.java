package org.pagelab.filemap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pagelab.desc.Folio;
import org.pagelab.machine.Machine;
import org.pagelab.phys.MemSize;
import org.pagelab.phys.PhysConfig;
import org.pagelab.stat.VmItem;

class VfsTest {
    @TempDir
    Path dir;
    private Machine machine;

    private Vfs boot(String mem, boolean data) {
        machine = Machine.boot(PhysConfig.of(MemSize.parse(mem), data), dir);
        return machine.vfs();
    }

    @AfterEach
    void checkAndClose() {
        if (machine != null) {
            machine.check();
            machine.close();
        }
    }

    private static byte[] pattern(int len, int seed) {
        byte[] b = new byte[len];
        for (int i = 0; i < len; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }

    @Test
    void writtenBytesReadBackAndReachTheHostFileOnFsync() throws IOException {
        Vfs vfs = boot("64M", true);
        OpenFile f = vfs.create("a/b.dat", 0).orThrow();
        byte[] data = pattern(3 * 4096 + 123, 7);
        assertThat(vfs.write(f, data, 0, data.length).orThrow()).isEqualTo(data.length);
        assertThat(machine.vmstat().get(VmItem.NR_DIRTY)).isEqualTo(4);
        assertThat(Files.size(dir.resolve("a/b.dat"))).isZero();
        byte[] back = new byte[data.length + 100];
        assertThat(vfs.pread(f, 0, back, 0, back.length).orThrow()).isEqualTo(data.length);
        assertThat(Arrays.copyOf(back, data.length)).isEqualTo(data);
        assertThat(vfs.fsync(f).ok()).isTrue();
        assertThat(Files.readAllBytes(dir.resolve("a/b.dat"))).isEqualTo(data);
        assertThat(machine.vmstat().get(VmItem.NR_DIRTY)).isZero();
        assertThat(machine.vmstat().get(VmItem.NR_WRITTEN)).isEqualTo(4);
        assertThat(machine.vmstat().get(VmItem.PGPGOUT)).isEqualTo(16);
        vfs.close(f);
    }

    @Test
    void partialPageWriteOverExistingHostDataReadsThePageFirst() throws IOException {
        Path host = dir.resolve("old.dat");
        byte[] orig = pattern(10000, 3);
        Files.write(host, orig);
        Vfs vfs = boot("64M", true);
        OpenFile f = vfs.open("old.dat").orThrow();
        assertThat(f.inode().size()).isEqualTo(10000);
        byte[] patch = {1, 2, 3};
        vfs.pwrite(f, 5000, patch, 0, 3).orThrow();
        assertThat(machine.vmstat().get(VmItem.PGPGIN)).isEqualTo(4);
        vfs.fsync(f).orThrow();
        byte[] expect = orig.clone();
        System.arraycopy(patch, 0, expect, 5000, 3);
        assertThat(Files.readAllBytes(host)).isEqualTo(expect);
        vfs.close(f);
    }

    @Test
    void writeBeyondEndOfFileLeavesAZeroHole() throws IOException {
        Vfs vfs = boot("64M", true);
        OpenFile f = vfs.create("hole", 0).orThrow();
        vfs.pwrite(f, 0, new byte[] {9}, 0, 1).orThrow();
        vfs.pwrite(f, 3 * 4096 + 10, new byte[] {8}, 0, 1).orThrow();
        byte[] back = new byte[3 * 4096 + 11];
        assertThat(vfs.pread(f, 0, back, 0, back.length).orThrow()).isEqualTo(back.length);
        byte[] expect = new byte[back.length];
        expect[0] = 9;
        expect[expect.length - 1] = 8;
        assertThat(back).isEqualTo(expect);
        vfs.fsync(f).orThrow();
        assertThat(Files.readAllBytes(dir.resolve("hole"))).isEqualTo(expect);
        vfs.close(f);
    }

    @Test
    void truncateDropsPagesZeroesThePartialTailAndShrinksTheHostFile() throws IOException {
        Vfs vfs = boot("64M", true);
        OpenFile f = vfs.create("t", 0).orThrow();
        byte[] data = pattern(5 * 4096, 1);
        vfs.write(f, data, 0, data.length).orThrow();
        long cachedBefore = machine.vmstat().get(VmItem.NR_FILE_PAGES);
        vfs.truncate(f, 4096 + 100).orThrow();
        assertThat(machine.vmstat().get(VmItem.NR_FILE_PAGES)).isEqualTo(cachedBefore - 3);
        assertThat(machine.vmstat().get(VmItem.NR_DIRTY)).isEqualTo(2);
        vfs.truncate(f, 3 * 4096).orThrow();
        byte[] back = new byte[3 * 4096];
        vfs.pread(f, 0, back, 0, back.length).orThrow();
        byte[] expect = new byte[3 * 4096];
        System.arraycopy(data, 0, expect, 0, 4096 + 100);
        assertThat(back).isEqualTo(expect);
        vfs.fsync(f).orThrow();
        assertThat(Files.readAllBytes(dir.resolve("t"))).isEqualTo(expect);
        vfs.close(f);
    }

    @Test
    void sequentialReadRampsTheReadaheadWindowUpToItsMaximum() throws IOException {
        Files.write(dir.resolve("seq"), new byte[4 << 20]);
        Vfs vfs = boot("64M", true);
        OpenFile f = vfs.open("seq").orThrow();
        byte[] buf = new byte[4096];
        vfs.read(f, buf, 0, 4096).orThrow();
        assertThat(f.ra().start()).isZero();
        assertThat(f.ra().size()).isEqualTo(4);
        assertThat(f.ra().asyncSize()).isEqualTo(3);
        assertThat(vfs.pagesRead()).isEqualTo(4);
        long sizes = 0;
        while (vfs.read(f, buf, 0, 4096).orThrow() > 0) {
            sizes = Math.max(sizes, f.ra().size());
        }
        assertThat(sizes).isEqualTo(ReadaheadState.DEFAULT_RA_PAGES);
        assertThat(vfs.pagesRead()).isEqualTo(1024);
        assertThat(machine.vmstat().get(VmItem.PGPGIN)).isEqualTo(4096);
        vfs.close(f);
    }

    @Test
    void initialWindowFollowsTheKernelsSizing() {
        assertThat(Readahead.initSize(1, 32)).isEqualTo(4);
        assertThat(Readahead.initSize(3, 32)).isEqualTo(8);
        assertThat(Readahead.initSize(8, 32)).isEqualTo(16);
        assertThat(Readahead.initSize(9, 32)).isEqualTo(32);
        assertThat(Readahead.nextSize(4, 32)).isEqualTo(8);
        assertThat(Readahead.nextSize(1, 32)).isEqualTo(4);
        assertThat(Readahead.nextSize(16, 32)).isEqualTo(32);
        assertThat(Readahead.nextSize(32, 32)).isEqualTo(32);
    }

    @Test
    void randomReadsDoNotReadAhead() throws IOException {
        Files.write(dir.resolve("rnd"), new byte[4 << 20]);
        Vfs vfs = boot("64M", true);
        OpenFile f = vfs.open("rnd").orThrow();
        byte[] buf = new byte[4096];
        vfs.pread(f, 100L * 4096, buf, 0, 4096).orThrow();
        vfs.pread(f, 500L * 4096, buf, 0, 4096).orThrow();
        vfs.pread(f, 300L * 4096, buf, 0, 4096).orThrow();
        assertThat(vfs.pagesRead()).isLessThanOrEqualTo(2 + 4);
        vfs.close(f);
    }

    @Test
    void unlinkOfAnOpenFileKeepsItsPagesUntilClose() {
        Vfs vfs = boot("64M", true);
        OpenFile f = vfs.create("gone", 0).orThrow();
        byte[] data = pattern(8192, 2);
        vfs.write(f, data, 0, data.length).orThrow();
        vfs.unlink("gone").orThrow();
        assertThat(Files.exists(dir.resolve("gone"))).isTrue();
        byte[] back = new byte[8192];
        vfs.pread(f, 0, back, 0, back.length).orThrow();
        assertThat(back).isEqualTo(data);
        machine.check();
        vfs.close(f).orThrow();
        assertThat(Files.exists(dir.resolve("gone"))).isFalse();
        assertThat(machine.vmstat().get(VmItem.NR_FILE_PAGES)).isZero();
        assertThat(machine.vmstat().get(VmItem.NR_DIRTY)).isZero();
    }

    @Test
    void unmountWritesEverythingBackAndFreesThePageCache() throws IOException {
        Vfs vfs = boot("64M", true);
        long free = machine.phys().freePages();
        OpenFile f = vfs.create("u", 0).orThrow();
        byte[] data = pattern(100_000, 5);
        vfs.write(f, data, 0, data.length).orThrow();
        assertThat(vfs.unmount().ok()).isTrue();
        assertThat(Files.readAllBytes(dir.resolve("u"))).isEqualTo(data);
        assertThat(machine.vmstat().get(VmItem.NR_FILE_PAGES)).isZero();
        assertThat(machine.phys().freePages()).isEqualTo(free);
    }

    @Test
    void namesThatLeaveTheWorkingDirectoryAreRefused() {
        Vfs vfs = boot("32M", true);
        assertThatThrownBy(() -> vfs.create("../escape", 0)).hasMessageContaining("'../escape'");
        assertThatThrownBy(() -> vfs.create("/etc/passwd", 0)).hasMessageContaining("relative");
        assertThatThrownBy(() -> vfs.create("a/../../b", 0)).hasMessageContaining("leaves");
        assertThat(vfs.open("missing")).isInstanceOf(OpenResult.OpenFailed.class);
    }

    @Test
    void closedFilesAnswerEbadf() {
        Vfs vfs = boot("32M", true);
        OpenFile f = vfs.create("c", 0).orThrow();
        vfs.close(f).orThrow();
        assertThat(vfs.read(f, new byte[1], 0, 1)).isEqualTo(new IoResult.Failed(Errno.EBADF, 0));
        assertThat(vfs.close(f)).isEqualTo(new IoResult.Failed(Errno.EBADF, 0));
    }

    @Test
    void metadataModeRunsTheSamePathWithoutBytes() {
        Vfs vfs = boot("64M", false);
        OpenFile f = vfs.create("synthetic", 1 << 20).orThrow();
        assertThat(vfs.readDataless(f, 1 << 20).orThrow()).isEqualTo(1 << 20);
        assertThat(machine.vmstat().get(VmItem.NR_FILE_PAGES)).isEqualTo(256);
        vfs.writeDataless(f, 4096).orThrow();
        assertThat(f.inode().size()).isEqualTo((1 << 20) + 4096);
        assertThat(machine.vmstat().get(VmItem.NR_DIRTY)).isEqualTo(1);
        vfs.fsync(f).orThrow();
        assertThat(machine.vmstat().get(VmItem.NR_DIRTY)).isZero();
        assertThat(dir.toFile().list()).isEmpty();
        vfs.close(f);
    }

    @Test
    void readingAFileLargerThanMemoryRecyclesThePageCacheThroughReclaim() {
        Vfs vfs = boot("16M", false);
        OpenFile f = vfs.create("huge", 64L << 20).orThrow();
        assertThat(vfs.readDataless(f, 64L << 20).orThrow()).isEqualTo(64L << 20);
        assertThat(machine.vmstat().get(VmItem.PGSTEAL_DIRECT) + machine.vmstat().get(VmItem.PGSTEAL_KSWAPD)).isPositive();
        assertThat(machine.vmstat().get(VmItem.NR_FILE_PAGES)).isLessThan(16L << 20 >> 12);
        // the first pages were reclaimed and left shadow entries behind
        assertThat(f.inode().mapping().lookup(0)).isNull();
        assertThat(f.inode().mapping().load(0)).isInstanceOf(org.pagelab.desc.Shadow.class);
        machine.check();
        vfs.close(f);
    }

    @Test
    void inodesAndIndexNodesAreSlabObjects() {
        Vfs vfs = boot("64M", false);
        long slabBefore = machine.slab().reclaimablePages();
        OpenFile f = vfs.create("s", 64L << 20).orThrow();
        vfs.readDataless(f, 8 << 20).orThrow();
        assertThat(machine.radixTreeNodeCache().objectsInUse()).isPositive();
        assertThat(machine.slab().reclaimablePages()).isGreaterThan(slabBefore);
        assertThat(machine.vmstat().get(VmItem.NR_SLAB_RECLAIMABLE)).isEqualTo(machine.slab().reclaimablePages());
        vfs.close(f);
        vfs.unlink("s").orThrow();
        assertThat(machine.radixTreeNodeCache().objectsInUse()).isZero();
    }
}
