package org.pagelab.filemap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pagelab.machine.Machine;
import org.pagelab.phys.MemSize;
import org.pagelab.phys.PhysConfig;
import org.pagelab.slab.KmemCache;
import org.pagelab.stat.VmItem;

/**
 * Buffer heads of a block file system (fs/buffer.c): a page written through write(2) carries one
 * per block until it leaves the page cache; pages read through readahead carry none.
 */
class BufferHeadsTest {
    private static final int PAGE = 4096;
    @TempDir
    Path dir;
    private Machine machine;

    private Vfs boot(int blockSize) {
        machine = Machine.boot(PhysConfig.of(MemSize.parse("64M"), true), dir);
        machine.setFsBlockSize(blockSize);
        return machine.vfs();
    }

    /** Every test boots a machine; its invariants, the buffer heads' among them, hold at the end. */
    @AfterEach
    void theMachineStaysConsistent() {
        try (Machine m = machine) {
            m.check();
        }
    }

    private long bufferHeads() {
        return machine.slab().caches().stream().filter(c -> c.name().equals("buffer_head"))
                .mapToLong(KmemCache::objectsInUse).sum();
    }

    private long bufferHeadPages() {
        return machine.slab().caches().stream().filter(c -> c.name().equals("buffer_head"))
                .mapToLong(KmemCache::pages).sum();
    }

    @Test
    void aPageWrittenThroughWriteCarriesABufferHeadPerBlockUntilDropCachesFreesIt() {
        Vfs vfs = boot(1024);
        long slab = machine.vmstat().get(VmItem.NR_SLAB_RECLAIMABLE);
        OpenFile f = vfs.create("f", 0).orThrow();
        vfs.pwrite(f, 0, new byte[400 * PAGE], 0, 400 * PAGE).orThrow();
        assertThat(bufferHeads()).isEqualTo(4 * 400);
        // 1,600 objects of 104 bytes: 39 to a slab page, 42 pages of reclaimable slab
        assertThat(bufferHeadPages()).isEqualTo(42);
        assertThat(machine.vmstat().get(VmItem.NR_SLAB_RECLAIMABLE) - slab).as("reclaimable slab")
                .isGreaterThanOrEqualTo(42);
        vfs.pwrite(f, 0, new byte[10 * PAGE], 0, 10 * PAGE).orThrow();
        assertThat(bufferHeads()).as("a page keeps the buffers it has").isEqualTo(4 * 400);
        vfs.fsync(f).orThrow();
        assertThat(bufferHeads()).as("clean pages keep theirs").isEqualTo(4 * 400);
        new DropCaches(vfs, machine.vmstat()).drop(1);
        assertThat(bufferHeads()).isZero();
        assertThat(bufferHeadPages()).isZero();
    }

    @Test
    void pagesReadThroughReadaheadCarryNoBufferHeads() {
        Vfs vfs = boot(1024);
        OpenFile f = vfs.create("f", 0).orThrow();
        vfs.pwrite(f, 0, new byte[64 * PAGE], 0, 64 * PAGE).orThrow();
        vfs.fsync(f).orThrow();
        new DropCaches(vfs, machine.vmstat()).drop(1);
        vfs.pread(f, 0, new byte[64 * PAGE], 0, 64 * PAGE).orThrow();
        assertThat(machine.vmstat().get(VmItem.NR_FILE_PAGES)).isGreaterThanOrEqualTo(64);
        assertThat(bufferHeads()).isZero();
    }

    @Test
    void truncatingAndUnlinkingAWrittenFileFreesItsBufferHeads() {
        Vfs vfs = boot(4096);
        OpenFile f = vfs.create("f", 0).orThrow();
        vfs.pwrite(f, 0, new byte[32 * PAGE], 0, 32 * PAGE).orThrow();
        assertThat(bufferHeads()).as("4K blocks: one per page").isEqualTo(32);
        vfs.truncate(f, 8 * PAGE).orThrow();
        assertThat(bufferHeads()).isEqualTo(8);
        vfs.unlink("f").orThrow();
        vfs.close(f).orThrow();
        assertThat(bufferHeads()).isZero();
    }

    @Test
    void withoutABlockSizeTheFileSystemKeepsNoBufferHeads() {
        Vfs vfs = boot(0);
        OpenFile f = vfs.create("f", 0).orThrow();
        vfs.pwrite(f, 0, new byte[16 * PAGE], 0, 16 * PAGE).orThrow();
        assertThat(bufferHeads()).isZero();
    }

    @Test
    void aBlockSizeOtherThanAPowerOfTwoFrom512ToAPageIsRefused() {
        Vfs vfs = boot(0);
        assertThatThrownBy(() -> vfs.setBlockSize(3072)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3072");
        assertThatThrownBy(() -> vfs.setBlockSize(256)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> vfs.setBlockSize(8192)).isInstanceOf(IllegalArgumentException.class);
    }
}
