package org.pagelab.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.pagelab.desc.Folio;
import org.pagelab.desc.FolioFlags.Flag;
import org.pagelab.filemap.DropCaches;
import org.pagelab.filemap.Errno;
import org.pagelab.filemap.IoResult;
import org.pagelab.filemap.OpenFile;
import org.pagelab.machine.MachineTest;
import org.pagelab.memory.Access;
import org.pagelab.memory.Process;
import org.pagelab.pgtable.Pte;
import org.pagelab.stat.VmItem;
import org.pagelab.swap.SwaponResult;
import org.pagelab.vma.VmFlags;

/** Injected device errors behave as the kernel's failed I/O does, through the Java API. */
class IoFaultsTest extends MachineTest {
    private static final int RW = VmFlags.VM_READ | VmFlags.VM_WRITE;
    private static final int PAGE = 4096;

    private Folio mapped(Process p, long a) {
        return (Folio) machine.phys().memmap().raw(Pte.pfn(p.pageTable().getPte(a)));
    }

    private void inject(String device, IoFaults.Op op, long count) {
        machine.ioFaults().add(new IoFaults.Rule(device, op, 0, Long.MAX_VALUE / 2, machine.sim().now(), count));
    }

    /** Reclaims {@code f} (writing it out when it is dirty, then again once the write is over). */
    private void evict(Folio f) {
        for (int round = 0; round < 3 && !f.isDead(); round++) {
            machine.sim().drainTimers();
            machine.vmscan().reclaimPages(List.of(f));
        }
    }

    @Test
    void aSwapWriteErrorKeepsTheFolioInTheSwapCacheDirtyAndItsBytes() {
        assertThat(machine.swap().swapon("swapfile", 64, null)).isInstanceOf(SwaponResult.Ok.class);
        Process p = mm.spawn("p");
        long a = mm.mmapAnon(p, 0, PAGE, RW, false).orThrow();
        poke(p, a, 7);
        Folio f = mapped(p, a);
        inject(IoFaults.swapDevice(0), IoFaults.Op.WRITE, 1);
        mm.madviseColdOrPageout(p, a, PAGE, true);
        assertThat(machine.ioFaults().injected()).isEqualTo(1);
        assertThat(f.isDead()).isFalse();
        assertThat(f.test(Flag.SWAPCACHE)).isTrue();
        assertThat(f.test(Flag.DIRTY)).as("the write failed: the memory copy is the only one").isTrue();
        evict(f); // the error has run out: this write succeeds and the folio goes
        assertThat(f.isDead()).isTrue();
        long pswpin = vm(VmItem.PSWPIN);
        assertThat(peek(p, a)).isEqualTo(7);
        assertThat(vm(VmItem.PSWPIN)).isGreaterThan(pswpin);
    }

    @Test
    void aSwapReadErrorKillsTheFaultingProcessWithSigbus() {
        assertThat(machine.swap().swapon("swapfile", 64, null)).isInstanceOf(SwaponResult.Ok.class);
        Process p = mm.spawn("p");
        long a = mm.mmapAnon(p, 0, PAGE, RW, false).orThrow();
        poke(p, a, 7);
        Folio f = mapped(p, a);
        mm.madviseColdOrPageout(p, a, PAGE, true);
        evict(f);
        assertThat(machine.swap().lookup(Pte.swapEntry(p.pageTable().getPte(a)))).isNull();
        inject(IoFaults.swapDevice(0), IoFaults.Op.READ, IoFaults.UNLIMITED);
        assertThat(mm.read(p, a, new byte[1], 0, 1)).isEqualTo(Access.SIGBUS);
        assertThat(p.signal()).startsWith("SIGBUS");
    }

    private OpenFile fileOfOnePage(byte value) {
        OpenFile f = machine.vfs().create("data.bin", PAGE).orThrow();
        byte[] b = new byte[PAGE];
        java.util.Arrays.fill(b, value);
        assertThat(machine.vfs().pwrite(f, 0, b, 0, PAGE)).isInstanceOf(IoResult.Done.class);
        assertThat(machine.vfs().fsync(f)).isInstanceOf(IoResult.Done.class);
        machine.sim().drainTimers();
        new DropCaches(machine.vfs(), machine.vmstat()).drop(1);
        return f;
    }

    @Test
    void aFileReadErrorIsEioFromReadAndSigbusOnAFaultUntilARetryReads() {
        OpenFile f = fileOfOnePage((byte) 5);
        inject("data.bin", IoFaults.Op.READ, 3); // the read and its retry, then the fault's retry
        assertThat(machine.vfs().pread(f, 0, new byte[1], 0, 1)).isInstanceOf(IoResult.Failed.class)
                .extracting(r -> ((IoResult.Failed) r).errno()).isEqualTo(Errno.EIO);
        Process p = mm.spawn("p");
        long a = mm.mmapFile(p, 0, PAGE, VmFlags.VM_READ, true, false, f, 0).orThrow();
        assertThat(mm.read(p, a, new byte[1], 0, 1)).isEqualTo(Access.SIGBUS);
        byte[] b = new byte[1];
        assertThat(machine.vfs().pread(f, 0, b, 0, 1)).as("the errors ran out: the read is tried again")
                .isInstanceOf(IoResult.Done.class);
        assertThat(b[0]).isEqualTo((byte) 5);
        machine.vfs().close(f);
    }

    @Test
    void aWritebackErrorIsReportedOnceToEachOpenerByFsync() {
        OpenFile first = machine.vfs().create("data.bin", PAGE).orThrow();
        OpenFile second = machine.vfs().open("data.bin").orThrow();
        inject("data.bin", IoFaults.Op.WRITE, 1);
        assertThat(machine.vfs().pwrite(first, 0, new byte[] {1}, 0, 1)).isInstanceOf(IoResult.Done.class);
        assertThat(machine.vfs().fsync(first)).isInstanceOf(IoResult.Failed.class);
        assertThat(machine.vfs().fsync(first)).as("once per opener").isInstanceOf(IoResult.Done.class);
        assertThat(machine.vfs().fsync(second)).as("the other opener sees it too").isInstanceOf(IoResult.Failed.class);
        assertThat(machine.vfs().fsync(second)).isInstanceOf(IoResult.Done.class);
        OpenFile third = machine.vfs().open("data.bin").orThrow();
        assertThat(machine.vfs().fsync(third)).as("opened after the error was seen").isInstanceOf(IoResult.Done.class);
        machine.vfs().close(first);
        machine.vfs().close(second);
        machine.vfs().close(third);
    }

    @Test
    void anUnseenWritebackErrorIsReportedToTheNextOpener() {
        OpenFile first = machine.vfs().create("data.bin", PAGE).orThrow();
        inject("data.bin", IoFaults.Op.WRITE, 1);
        machine.vfs().pwrite(first, 0, new byte[] {1}, 0, 1);
        machine.vfs().sync();
        machine.vfs().close(first);
        OpenFile later = machine.vfs().open("data.bin").orThrow();
        assertThat(machine.vfs().fsync(later)).isInstanceOf(IoResult.Failed.class);
        machine.vfs().close(later);
    }

    @Test
    void aRuleAppliesFromItsTimeAndOnlyToItsPages() {
        IoFaults faults = new IoFaults(machine.sim()::now);
        long now = machine.sim().now();
        faults.add(new IoFaults.Rule("f", IoFaults.Op.READ, 4, 2, now + 1000, 1));
        assertThat(faults.fail("f", IoFaults.Op.READ, 4)).as("not yet").isFalse();
        faults.clear();
        faults.add(new IoFaults.Rule("f", IoFaults.Op.READ, 4, 2, now, 1));
        assertThat(faults.fail("f", IoFaults.Op.READ, 3)).isFalse();
        assertThat(faults.fail("f", IoFaults.Op.WRITE, 4)).isFalse();
        assertThat(faults.fail("g", IoFaults.Op.READ, 4)).isFalse();
        assertThat(faults.fail("f", IoFaults.Op.READ, 5)).isTrue();
        assertThat(faults.fail("f", IoFaults.Op.READ, 5)).as("its one error is used").isFalse();
    }
}
