package org.pagelab.reclaim;

import org.pagelab.pgtable.Pte;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.pagelab.machine.Machine;
import org.pagelab.machine.MachineTest;
import org.pagelab.memory.Access;
import org.pagelab.memory.Process;
import org.pagelab.phys.MemSize;
import org.pagelab.phys.PhysConfig;
import org.pagelab.proc.Meminfo;
import org.pagelab.stat.VmItem;
import org.pagelab.swap.SwaponResult;
import org.pagelab.testing.Seeds;
import org.pagelab.vma.VmFlags;

/**
 * Anonymous memory under pressure with swap: pages go to a swap file and come back byte for byte,
 * fork shares swap entries, exit frees every slot, and a full swap ends in the OOM killer. Each
 * test is named for the property it protects; every checker runs at the end of each.
 */
class SwapReclaimTest extends MachineTest {
    private static final int MB = 1 << 20;
    private static final int RW = VmFlags.VM_READ | VmFlags.VM_WRITE;




    private void swapon(long bytes) {
        assertThat(machine.swap().swapon("swapfile", bytes / 4096, null)).isInstanceOf(SwaponResult.Ok.class);
    }

    private byte[] fill(Process p, long addr, int len, long seed) {
        byte[] b = new byte[len];
        new SplittableRandom(Seeds.derive(seed)).nextBytes(b);
        for (int off = 0; off < len; off += MB) {
            assertThat(mm.write(p, addr + off, b, off, Math.min(MB, len - off))).isEqualTo(Access.OK);
            machine.runKswapd();
        }
        return b;
    }

    private byte[] readBack(Process p, long addr, int len) {
        byte[] b = new byte[len];
        for (int off = 0; off < len; off += MB) {
            assertThat(mm.read(p, addr + off, b, off, Math.min(MB, len - off))).isEqualTo(Access.OK);
            machine.runKswapd();
        }
        return b;
    }

    @Test
    void anonymousMemoryBiggerThanRamSwapsOutAndReadsBackByteForByte() {
        swapon(64L * MB);
        Process p = mm.spawn("big");
        int len = 48 * MB;
        long a = mm.mmapAnon(p, 0, len, RW, false).orThrow();
        byte[] want = fill(p, a, len, 1);
        machine.check();
        assertThat(vm(VmItem.PSWPOUT)).isGreaterThan(16L * MB / 4096);
        assertThat(p.swapEnts()).isPositive();
        assertThat(readBack(p, a, len)).isEqualTo(want);
        assertThat(vm(VmItem.PSWPIN)).isPositive();
        assertThat(vm(VmItem.PGMAJFAULT)).isPositive();
        assertThat(vm(VmItem.PGSTEAL_ANON)).isPositive();
        var meminfo = new Meminfo(machine).fields();
        assertThat(meminfo.get("SwapTotal")).isEqualTo(64L * 1024 - 4);
        assertThat(meminfo.get("SwapTotal") - meminfo.get("SwapFree")).isPositive();
        machine.check();
        mm.exit(p);
        assertThat(machine.swap().devices().inusePages()).as("exit frees every slot").isZero();
        assertThat(vm(VmItem.NR_SWAPCACHED)).isZero();
    }

    @Test
    void forkSharesSwapEntriesAndEachSideKeepsItsOwnBytes() {
        swapon(64L * MB);
        Process parent = mm.spawn("parent");
        int len = 20 * MB;
        long a = mm.mmapAnon(parent, 0, len, RW, false).orThrow();
        byte[] mine = fill(parent, a, len, 2);
        Process child = mm.fork(parent);
        // pressure from a third process pushes the shared pages out to swap
        Process hog = mm.spawn("hog");
        long h = mm.mmapAnon(hog, 0, 24 * MB, RW, false).orThrow();
        fill(hog, h, 24 * MB, 3);
        machine.check();
        assertThat(parent.swapEnts() + child.swapEnts()).isPositive();
        byte[] theirs = mine.clone();
        byte[] page = new byte[4096];
        for (int off = 0; off < len; off += 64 * 4096) {
            new SplittableRandom(Seeds.derive(off)).nextBytes(page);
            assertThat(mm.write(child, a + off, page, 0, page.length)).isEqualTo(Access.OK);
            System.arraycopy(page, 0, theirs, off, page.length);
        }
        machine.check();
        assertThat(readBack(parent, a, len)).as("the parent never sees the child's writes").isEqualTo(mine);
        assertThat(readBack(child, a, len)).as("the child sees its own writes").isEqualTo(theirs);
        mm.exit(hog);
        mm.exit(child);
        mm.exit(parent);
        assertThat(machine.swap().devices().inusePages()).isZero();
    }

    @Test
    void whenSwapIsFullTheOomKillerTakesTheBiggestProcess() {
        swapon(8L * MB);
        // the hog maps more than RAM plus swap at once, which overcommit_memory 0 would refuse
        machine.overcommit().setMode(org.pagelab.vma.Overcommit.Mode.ALWAYS);
        Process small = mm.spawn("small");
        long s = mm.mmapAnon(small, 0, MB, RW, false).orThrow();
        byte[] keep = fill(small, s, MB, 4);
        Process hog = mm.spawn("hog");
        long h = mm.mmapAnon(hog, 0, 96L * MB, RW, false).orThrow();
        Access last = Access.OK;
        for (long off = 0; off < 96L * MB && last == Access.OK; off += 4096) {
            last = mm.touch(hog, h + off, true);
        }
        assertThat(last).isEqualTo(Access.OOM);
        assertThat(hog.alive()).isFalse();
        assertThat(vm(VmItem.OOM_KILL)).isEqualTo(1);
        assertThat(readBack(small, s, MB)).isEqualTo(keep);
    }

    @Test
    void metadataModeSwapsWithSlotCountsOnly() {
        machine.close();
        machine = Machine.boot(PhysConfig.of(MemSize.parse("32M"), false));
        mm = machine.memory();
        swapon(64L * MB);
        Process p = mm.spawn("touch");
        long a = mm.mmapAnon(p, 0, 48 * MB, RW, false).orThrow();
        for (int pass = 0; pass < 2; pass++) {
            for (long off = 0; off < 48L * MB; off += 4096) {
                assertThat(mm.touch(p, a + off, pass == 0)).isEqualTo(Access.OK);
                if (off % MB == 0) {
                    machine.runKswapd();
                }
            }
        }
        assertThat(vm(VmItem.PSWPOUT)).isPositive();
        assertThat(vm(VmItem.PSWPIN)).isPositive();
    }

    @Test
    void swapoffBringsEveryPageBackAndRemovesTheSwapFile() {
        swapon(64L * MB);
        Process p = mm.spawn("p");
        int len = 24 * MB;
        long a = mm.mmapAnon(p, 0, len, RW, false).orThrow();
        byte[] want = fill(p, a, len, 7);
        mm.madviseColdOrPageout(p, a, len, true); // pages mapped once only: before the fork
        Process c = mm.fork(p);
        machine.check();
        assertThat(p.swapEnts()).isPositive();
        assertThat(c.swapEnts()).isEqualTo(p.swapEnts());
        assertThat(dir.resolve("swapfile")).exists();
        // 24M of data and 28M of RAM: everything fits again
        assertThat(mm.swapoff(0)).isNull();
        machine.check();
        assertThat(p.swapEnts() + c.swapEnts()).isZero();
        assertThat(machine.swap().devices().devices()).isEmpty();
        assertThat(dir.resolve("swapfile")).doesNotExist();
        assertThat(readBack(p, a, len)).isEqualTo(want);
        assertThat(readBack(c, a, len)).isEqualTo(want);
    }

    @Test
    void swapoffWithoutRoomForThePagesFailsWithEnomemAndKeepsEveryByte() {
        swapon(64L * MB);
        Process p = mm.spawn("p");
        int len = 40 * MB;
        long a = mm.mmapAnon(p, 0, len, RW, false).orThrow();
        byte[] want = fill(p, a, len, 8);
        long oomKills = vm(VmItem.OOM_KILL);
        assertThat(mm.swapoff(0)).isEqualTo(org.pagelab.filemap.Errno.ENOMEM);
        machine.check();
        assertThat(vm(VmItem.OOM_KILL)).isEqualTo(oomKills);
        assertThat(machine.swap().devices().activeDevices()).hasSize(1);
        assertThat(readBack(p, a, len)).isEqualTo(want);
    }

    @Test
    void madvPageoutLeavesAnonPagesInTheSwapCacheUntilReclaimOrTouch() {
        swapon(64L * MB);
        Process p = mm.spawn("p");
        long a = mm.mmapAnon(p, 0, 64 * 4096, RW, false).orThrow();
        byte[] want = fill(p, a, 64 * 4096, 9);
        long majors = vm(VmItem.PGMAJFAULT);
        mm.madviseColdOrPageout(p, a, 64 * 4096, true);
        machine.check();
        assertThat(p.rssAnon()).isZero();
        assertThat(p.swapEnts()).isEqualTo(64);
        assertThat(vm(VmItem.PSWPOUT)).isEqualTo(64);
        assertThat(vm(VmItem.NR_SWAPCACHED)).as("written but still cached").isEqualTo(64);
        assertThat(readBack(p, a, 64 * 4096)).isEqualTo(want);
        assertThat(vm(VmItem.PGMAJFAULT)).as("swap-cache hits are minor faults").isEqualTo(majors);
        assertThat(vm(VmItem.PSWPIN)).isZero();
    }

    @Test
    void aMajorSwapFaultReadsTheRestOfItsClusterAhead() {
        swapon(64L * MB);
        Process p = mm.spawn("p");
        long a = mm.mmapAnon(p, 0, 16 * 4096, RW, false).orThrow();
        byte[] want = fill(p, a, 16 * 4096, 10);
        mm.madviseColdOrPageout(p, a, 16 * 4096, true);
        // reclaim everything in the swap cache: a hog fills memory
        Process hog = mm.spawn("hog");
        long h = mm.mmapAnon(hog, 0, 40 * MB, RW, false).orThrow();
        fill(hog, h, 40 * MB, 11);
        mm.exit(hog);
        assertThat(machine.swap().lookup(Pte.swapEntry(p.pageTable().getPte(a)))).as("page 0 left the swap cache").isNull();
        long majors = vm(VmItem.PGMAJFAULT);
        byte[] b = new byte[4096];
        assertThat(mm.read(p, a, b, 0, 4096)).isEqualTo(Access.OK);
        assertThat(vm(VmItem.PGMAJFAULT)).isEqualTo(majors + 1);
        long ra = vm(VmItem.SWAP_RA);
        assertThat(ra).as("the other slots of the 8-slot cluster are read with it").isBetween(1L, 7L);
        assertThat(mm.read(p, a + 4096, b, 0, 4096)).isEqualTo(Access.OK);
        assertThat(vm(VmItem.PGMAJFAULT)).as("the neighbour was read ahead").isEqualTo(majors + 1);
        assertThat(vm(VmItem.SWAP_RA_HIT)).isEqualTo(1);
        assertThat(readBack(p, a, 16 * 4096)).isEqualTo(want);
    }

    @Test
    void sharedAnonymousMemoryBiggerThanRamSwapsThroughItsFileAndReadsBackExactly() {
        swapon(64L * MB);
        Process p = mm.spawn("p");
        int len = 40 * MB;
        long a = mm.mmapAnon(p, 0, len, RW, true, false).orThrow();
        byte[] want = fill(p, a, len, 12);
        machine.check();
        assertThat(vm(VmItem.NR_SHMEM)).as("part of the shmem file is out in swap").isLessThan(len / 4096);
        assertThat(machine.swap().devices().inusePages()).isPositive();
        Process c = mm.fork(p); // the child shares the same file, swapped pages included
        assertThat(readBack(c, a, len)).isEqualTo(want);
        assertThat(readBack(p, a, len)).isEqualTo(want);
        assertThat(vm(VmItem.PSWPIN)).isPositive();
        mm.exit(c);
        mm.exit(p);
        assertThat(machine.swap().devices().inusePages()).as("the file's end frees its swap slots").isZero();
        assertThat(vm(VmItem.NR_SHMEM)).isZero();
    }

    @Test
    void aMemfdBiggerThanRamKeepsEveryByteThroughSwapAndIsFreedWithItsLastUser() throws Exception {
        swapon(64L * MB);
        var vfs = machine.vfs();
        org.pagelab.filemap.OpenFile fd = vfs.memfdCreate("ring").orThrow();
        assertThat(fd.inode().name()).isEqualTo("memfd:ring");
        int len = 40 * MB;
        byte[] want = new byte[len];
        new SplittableRandom(Seeds.derive(13)).nextBytes(want);
        for (int off = 0; off < len; off += MB) {
            assertThat(vfs.pwrite(fd, off, want, off, MB).orThrow()).isEqualTo(MB);
            machine.runKswapd();
        }
        assertThat(fd.inode().size()).isEqualTo(len);
        assertThat(vm(VmItem.NR_SHMEM)).as("part of it is out in swap").isLessThan(len / 4096);
        assertThat(vm(VmItem.NR_DIRTY)).as("shmem is never file-dirty").isZero();
        machine.check();
        byte[] back = new byte[len];
        for (int off = 0; off < len; off += MB) {
            assertThat(vfs.pread(fd, off, back, off, MB).orThrow()).isEqualTo(MB);
        }
        assertThat(back).isEqualTo(want);
        // a process maps it shared and sees the same bytes, and its writes reach read(2)
        Process p = mm.spawn("mapper");
        long a = mm.mmapFile(p, 0, len, RW, true, false, fd, 0).orThrow();
        byte[] b = new byte[4096];
        assertThat(mm.read(p, a + 7L * MB, b, 0, 4096)).isEqualTo(Access.OK);
        assertThat(b).isEqualTo(java.util.Arrays.copyOfRange(want, 7 * MB, 7 * MB + 4096));
        assertThat(mm.write(p, a + 5, new byte[] {99}, 0, 1)).isEqualTo(Access.OK);
        assertThat(vfs.pread(fd, 5, b, 0, 1).orThrow()).isEqualTo(1);
        assertThat(b[0]).isEqualTo((byte) 99);
        assertThat(vfs.fsync(fd)).isInstanceOf(org.pagelab.filemap.IoResult.Done.class);
        vfs.close(fd).orThrow();
        machine.check(); // still mapped: alive
        assertThat(vm(VmItem.NR_SHMEM) + machine.swap().devices().inusePages()).isPositive();
        mm.exit(p);
        assertThat(vm(VmItem.NR_SHMEM)).isZero();
        assertThat(machine.swap().devices().inusePages()).as("its swap slots go with it").isZero();
    }
}
