package org.pagelab.filemap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pagelab.machine.Machine;
import org.pagelab.memory.MemoryManager;
import org.pagelab.memory.Process;
import org.pagelab.phys.MemSize;
import org.pagelab.phys.PhysConfig;
import org.pagelab.slab.KmemCache;
import org.pagelab.stat.VmItem;
import org.pagelab.vma.VmFlags;

/** drop_caches: what each mode frees and what it leaves, as fs/drop_caches.c does it. */
class DropCachesTest {
    private static final int PAGE = 4096;
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

    private long vm(VmItem i) {
        return machine.vmstat().get(i);
    }

    private DropCaches drop() {
        return new DropCaches(machine.vfs(), machine.vmstat());
    }

    private long inodesInMemory() {
        return machine.slab().caches().stream().filter(c -> c.name().equals("inode_cache"))
                .mapToLong(KmemCache::objectsInUse).sum();
    }

    @Test
    void dropPagecacheFreesCleanPagesAndKeepsDirtyOnes() {
        Vfs vfs = boot("64M", true);
        OpenFile clean = vfs.create("clean", 0).orThrow();
        byte[] data = new byte[8 * PAGE];
        Arrays.fill(data, (byte) 0x5a);
        vfs.pwrite(clean, 0, data, 0, data.length).orThrow();
        vfs.fsync(clean).orThrow();
        OpenFile dirty = vfs.create("dirty", 0).orThrow();
        vfs.pwrite(dirty, 0, data, 0, 3 * PAGE).orThrow();
        assertThat(vm(VmItem.NR_FILE_PAGES)).isEqualTo(11);

        assertThat(drop().drop(1)).isEqualTo(8);
        assertThat(vm(VmItem.NR_FILE_PAGES)).isEqualTo(3);
        assertThat(vm(VmItem.NR_DIRTY)).isEqualTo(3);
        assertThat(vm(VmItem.DROP_PAGECACHE)).isEqualTo(1);
        assertThat(vm(VmItem.DROP_SLAB)).isZero();

        long pgpgin = vm(VmItem.PGPGIN);
        byte[] back = new byte[data.length];
        vfs.pread(clean, 0, back, 0, back.length).orThrow();
        assertThat(back).isEqualTo(data);
        assertThat(vm(VmItem.PGPGIN) - pgpgin).isEqualTo(8 * 4);
        assertThat(vm(VmItem.WORKINGSET_REFAULT_FILE)).isZero();
    }

    @Test
    void dropPagecacheKeepsMappedPages() {
        Vfs vfs = boot("64M", true);
        OpenFile f = vfs.create("mapped", 4 * PAGE).orThrow();
        MemoryManager mm = machine.memory();
        Process p = mm.spawn("reader");
        long a = mm.mmapFile(p, 0, 4L * PAGE, VmFlags.VM_READ, false, false, f, 0).orThrow();
        mm.touch(p, a, false);
        long cached = vm(VmItem.NR_FILE_PAGES);
        long mapped = vm(VmItem.NR_MAPPED);
        assertThat(mapped).as("the fault and its fault-around").isPositive();

        long freed = drop().drop(1);

        assertThat(vm(VmItem.NR_FILE_PAGES)).isEqualTo(cached - freed).isEqualTo(mapped);
        assertThat(vm(VmItem.NR_MAPPED)).isEqualTo(mapped);
        long majfault = vm(VmItem.PGMAJFAULT);
        assertThat(mm.touch(p, a, false)).isEqualTo(org.pagelab.memory.Access.OK);
        assertThat(vm(VmItem.PGMAJFAULT)).isEqualTo(majfault);
        mm.exit(p);
    }

    @Test
    void droppedPagesLeaveNoShadowsSoTheNextReadIsNoRefault() {
        Vfs vfs = boot("32M", false);
        OpenFile f = vfs.create("big", 48L << 20).orThrow();
        f.seekTo(0);
        vfs.readDataless(f, 48 << 20).orThrow();
        assertThat(vm(VmItem.PGSTEAL_KSWAPD) + vm(VmItem.PGSTEAL_DIRECT)).as("reclaim left shadows").isPositive();

        drop().drop(1);
        assertThat(f.inode().mapping().index().size()).isZero();
        long refaults = vm(VmItem.WORKINGSET_REFAULT_FILE);
        f.seekTo(0);
        vfs.readDataless(f, 8 << 20).orThrow();
        assertThat(vm(VmItem.WORKINGSET_REFAULT_FILE)).isEqualTo(refaults);
    }

    @Test
    void dropSlabEvictsInodesNoOneHoldsAndTheNextOpenReadsThemBack() {
        Vfs vfs = boot("64M", true);
        OpenFile closed = vfs.create("closed", 0).orThrow();
        byte[] data = new byte[5 * PAGE];
        Arrays.fill(data, (byte) 7);
        vfs.pwrite(closed, 0, data, 0, data.length).orThrow();
        vfs.fsync(closed).orThrow();
        vfs.close(closed);
        OpenFile open = vfs.create("open", 2 * PAGE).orThrow();
        assertThat(inodesInMemory()).isEqualTo(2);

        assertThat(drop().drop(2)).isEqualTo(5);
        assertThat(vm(VmItem.PGINODESTEAL)).isEqualTo(5);
        assertThat(vm(VmItem.DROP_SLAB)).isEqualTo(1);
        assertThat(vm(VmItem.DROP_PAGECACHE)).isZero();
        assertThat(inodesInMemory()).isEqualTo(1);
        assertThat(vfs.lookup("closed").inCore()).isFalse();
        assertThat(open.inode().inCore()).isTrue();
        machine.check();

        OpenFile again = vfs.open("closed").orThrow();
        assertThat(inodesInMemory()).isEqualTo(2);
        byte[] back = new byte[data.length];
        vfs.pread(again, 0, back, 0, back.length).orThrow();
        assertThat(back).isEqualTo(data);
        vfs.close(again);
        vfs.close(open);
    }

    @Test
    void dropSlabKeepsAnInodeWithDirtyPages() {
        Vfs vfs = boot("64M", true);
        OpenFile f = vfs.create("dirty", 0).orThrow();
        vfs.pwrite(f, 0, new byte[PAGE], 0, PAGE).orThrow();
        vfs.close(f);

        drop().drop(3);

        assertThat(vfs.lookup("dirty").inCore()).isTrue();
        assertThat(vm(VmItem.NR_DIRTY)).isEqualTo(1);
        assertThat(vm(VmItem.DROP_PAGECACHE)).isEqualTo(1);
        assertThat(vm(VmItem.DROP_SLAB)).isEqualTo(1);
    }

    @Test
    void onlyModesOneToThreeExist() {
        boot("64M", false);
        assertThatThrownBy(() -> drop().drop(4)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("4");
        assertThatThrownBy(() -> drop().drop(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
