package org.pagelab.memory;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pagelab.machine.Machine;
import org.pagelab.phys.MemSize;
import org.pagelab.phys.PhysConfig;
import org.pagelab.stat.VmItem;
import org.pagelab.vma.VmFlags;

/** fork and copy-on-write, each test named for the property it protects. */
class ForkCowTest {
    private static final int RW = VmFlags.VM_READ | VmFlags.VM_WRITE;
    private Machine machine;
    private MemoryManager mm;
    private Process parent;
    private long addr;

    @BeforeEach
    void boot() {
        machine = Machine.boot(PhysConfig.of(MemSize.parse("32M"), true));
        mm = machine.memory();
        parent = mm.spawn("parent");
        addr = mm.mmapAnon(parent, 0, 4 * 4096, RW, false).orThrow();
        write(parent, addr, (byte) 1);
    }

    @AfterEach
    void checkAndClose() {
        machine.check();
        machine.close();
    }

    private void write(Process p, long a, byte v) {
        assertThat(mm.write(p, a, new byte[] {v}, 0, 1)).isEqualTo(Access.OK);
    }

    private byte read(Process p, long a) {
        byte[] b = new byte[1];
        assertThat(mm.read(p, a, b, 0, 1)).isEqualTo(Access.OK);
        return b[0];
    }

    @Test
    void childSeesTheParentsMemoryAsItWasAtFork() {
        Process child = mm.fork(parent);
        assertThat(read(child, addr)).isEqualTo((byte) 1);
        assertThat(child.rssAnon()).isEqualTo(1);
    }

    @Test
    void childNeverSeesTheParentsLaterWrites() {
        Process child = mm.fork(parent);
        write(parent, addr, (byte) 2);
        assertThat(read(child, addr)).isEqualTo((byte) 1);
        assertThat(read(parent, addr)).isEqualTo((byte) 2);
    }

    @Test
    void parentNeverSeesTheChildsWrites() {
        Process child = mm.fork(parent);
        write(child, addr, (byte) 3);
        write(child, addr + 4096, (byte) 4);
        assertThat(read(parent, addr)).isEqualTo((byte) 1);
        assertThat(read(parent, addr + 4096)).isZero();
    }

    @Test
    void sharedPagesAreCopiedOnTheFirstWriteOnly() {
        Process child = mm.fork(parent);
        long anonBefore = machine.vmstat().get(VmItem.NR_ANON_PAGES);
        write(child, addr, (byte) 5);
        assertThat(machine.vmstat().get(VmItem.NR_ANON_PAGES)).isEqualTo(anonBefore + 1);
        long faults = machine.vmstat().get(VmItem.PGFAULT);
        write(child, addr + 1, (byte) 6);
        assertThat(machine.vmstat().get(VmItem.PGFAULT)).isEqualTo(faults);
    }

    @Test
    void anExclusivePageIsReusedNotCopied() {
        long reuse = machine.vmstat().get(VmItem.PGREUSE);
        mm.mprotect(parent, addr, 4096, VmFlags.VM_READ).orThrow();
        mm.mprotect(parent, addr, 4096, RW).orThrow();
        long anon = machine.vmstat().get(VmItem.NR_ANON_PAGES);
        write(parent, addr, (byte) 7);
        assertThat(machine.vmstat().get(VmItem.NR_ANON_PAGES)).isEqualTo(anon);
        assertThat(machine.vmstat().get(VmItem.PGREUSE)).isEqualTo(reuse);
    }

    @Test
    void aPageLeftWithOneOwnerAfterTheChildExitsIsReusedAndCountedAsPgreuse() {
        Process child = mm.fork(parent);
        mm.exit(child);
        long anon = machine.vmstat().get(VmItem.NR_ANON_PAGES);
        long reuse = machine.vmstat().get(VmItem.PGREUSE);
        write(parent, addr, (byte) 8);
        assertThat(machine.vmstat().get(VmItem.NR_ANON_PAGES)).isEqualTo(anon);
        assertThat(machine.vmstat().get(VmItem.PGREUSE)).isEqualTo(reuse + 1);
        assertThat(read(parent, addr)).isEqualTo((byte) 8);
    }

    @Test
    void everyFrameReturnsWhenBothSidesExit() {
        long free = machine.phys().freePages();
        Process child = mm.fork(parent);
        write(child, addr + 8192, (byte) 9);
        mm.exit(child);
        mm.exit(parent);
        assertThat(machine.phys().freePages()).isGreaterThan(free);
        assertThat(machine.vmstat().get(VmItem.NR_ANON_PAGES)).isZero();
        assertThat(machine.vmstat().get(VmItem.NR_PAGE_TABLE_PAGES)).isZero();
    }
}
