package org.pagelab.vma;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pagelab.filemap.Errno;
import org.pagelab.machine.Machine;
import org.pagelab.memory.MemoryManager;
import org.pagelab.memory.Process;
import org.pagelab.phys.PhysConfig;
import org.pagelab.proc.Meminfo;

/** vm.overcommit_memory 0, 1 and 2 with the kernel's __vm_enough_memory, and CommitLimit. */
class OvercommitTest {
    private static final int RW = VmFlags.VM_READ | VmFlags.VM_WRITE;
    private Machine machine;

    private MemoryManager boot(String swap) {
        machine = Machine.boot(PhysConfig.of(64L << 20, false));
        if (!swap.equals("0")) {
            machine.swap().swapon("swapfile", org.pagelab.phys.MemSize.parse(swap) / 4096, null);
        }
        return machine.memory();
    }

    @AfterEach
    void check() {
        if (machine != null) {
            machine.check();
            machine.close();
        }
    }

    private long ram() {
        return machine.phys().managedPages();
    }

    private long swap() {
        return machine.swap().devices().totalPages();
    }

    private static Errno errno(MapResult r) {
        return r instanceof MapResult.MapFailed f ? f.errno() : null;
    }

    @Test
    void guessRefusesOnlyOneRequestLargerThanRamPlusSwap() {
        MemoryManager mm = boot("16M");
        Process p = mm.spawn("p");
        long limit = ram() + swap();
        assertThat(errno(mm.mmapAnon(p, 0, (limit + 1) * 4096, RW, false))).isEqualTo(Errno.ENOMEM);
        assertThat(errno(mm.mmapAnon(p, 0, limit * 4096, RW, false))).isNull();
        assertThat(errno(mm.mmapAnon(p, 0, limit * 4096, RW, false))).as("each request alone").isNull();
        assertThat(errno(mm.mmapAnon(p, 0, (limit + 1) * 4096, VmFlags.VM_READ, false)))
                .as("a read-only mapping commits nothing").isNull();
        assertThat(Meminfo.committedPages(machine)).isEqualTo(2 * limit);
        assertThat(machine.overcommit().committedPages()).isEqualTo(2 * limit);
    }

    @Test
    void alwaysRefusesNothing() {
        MemoryManager mm = boot("0");
        machine.overcommit().setMode(Overcommit.Mode.ALWAYS);
        Process p = mm.spawn("p");
        assertThat(errno(mm.mmapAnon(p, 0, 1L << 40, RW, false))).isNull();
    }

    @Test
    void neverRefusesPastTheCommitLimitLessTheReserves() {
        MemoryManager mm = boot("16M");
        Overcommit oc = machine.overcommit();
        oc.setMode(Overcommit.Mode.NEVER);
        long limit = ram() * 50 / 100 + swap();
        assertThat(oc.commitLimitPages()).isEqualTo(limit);
        assertThat(new Meminfo(machine).fields().get("CommitLimit")).isEqualTo(limit * 4);
        long admin = oc.adminReserveKbytes() / 4;
        assertThat(oc.adminReserveKbytes()).isEqualTo(Math.min(machine.phys().managedPages() * 4 / 32, 8192));
        Process p = mm.spawn("p");
        long room = limit - admin - 1;
        assertThat(errno(mm.mmapAnon(p, 0, (room + 1) * 4096, RW, false))).isEqualTo(Errno.ENOMEM);
        long a = mm.mmapAnon(p, 0, room * 4096, RW, false).orThrow();
        // the user reserve: min(total_vm / 32, user_reserve_kbytes) less for a process this large
        assertThat(errno(mm.mmapAnon(p, 0, 4096, RW, false))).isEqualTo(Errno.ENOMEM);
        mm.munmap(p, a, room * 4096).orThrow();
        assertThat(oc.committedPages()).isZero();
        assertThat(errno(mm.mmapAnon(p, 0, 4096, RW, false))).isNull();
    }

    @Test
    void neverCountsAnMprotectThatMakesMemoryWritable() {
        MemoryManager mm = boot("0");
        Overcommit oc = machine.overcommit();
        oc.setMode(Overcommit.Mode.NEVER);
        oc.setKbytes(4096);
        assertThat(oc.commitLimitPages()).isEqualTo(1024);
        Process p = mm.spawn("p");
        long a = mm.mmapAnon(p, 0, 2048L * 4096, VmFlags.VM_READ, false).orThrow();
        assertThat(errno(mm.mprotect(p, a, 2048L * 4096, RW))).isEqualTo(Errno.ENOMEM);
        assertThat(oc.committedPages()).isZero();
        long small = mm.mmapAnon(p, 0, 16L * 4096, VmFlags.VM_READ, false).orThrow();
        assertThat(errno(mm.mprotect(p, small, 16L * 4096, RW))).isNull();
        assertThat(oc.committedPages()).isEqualTo(16);
    }

    /**
     * Mode 2 at ratio 100 without swap, and a process with a private writable mapping of a little
     * more than half of what may be committed: its address, so a fork must fail.
     */
    private long moreThanHalfTheCommitLimit(Process p) {
        Overcommit oc = machine.overcommit();
        oc.setMode(Overcommit.Mode.NEVER);
        oc.setRatio(100);
        long allowed = oc.commitLimitPages() - oc.adminReserveKbytes() / 4;
        return machine.memory().mmapAnon(p, 0, allowed / 2 * 4096 + 8 * 4096, RW, false).orThrow();
    }

    @Test
    void neverRefusesAForkThatWouldCommitTooMuch() {
        MemoryManager mm = boot("0");
        Overcommit oc = machine.overcommit();
        Process p = mm.spawn("p");
        moreThanHalfTheCommitLimit(p);
        long before = oc.committedPages();
        assertThat(mm.fork(p)).isNull();
        assertThat(oc.committedPages()).as("the failed child gave back what it had").isEqualTo(before);
        oc.setMode(Overcommit.Mode.GUESS);
        Process child = mm.fork(p);
        assertThat(child).isNotNull();
        assertThat(oc.committedPages()).isEqualTo(2 * before);
        mm.exit(child);
        assertThat(oc.committedPages()).isEqualTo(before);
    }

    @Test
    void aForkRefusedPartWayUnmapsWhatItHadCopied() {
        // dup_mmap copies VMA by VMA: when the policy refuses a later one, the PTEs already
        // copied into the child belong to VMAs that the child's teardown must still walk
        MemoryManager mm = boot("0");
        Overcommit oc = machine.overcommit();
        Process p = mm.spawn("p");
        long big = moreThanHalfTheCommitLimit(p);
        // a hole between the two keeps them from merging into one VMA
        long small = mm.mmapAnon(p, big - (1 << 20), 16 * 4096, RW, false).orThrow();
        assertThat(small).as("the small VMA comes first in the child's copy").isLessThan(big);
        assertThat(p.mm().vmaCount()).isEqualTo(2);
        for (long a = small; a < small + 16 * 4096; a += 4096) {
            assertThat(mm.touch(p, a, true)).isEqualTo(org.pagelab.memory.Access.OK);
        }
        long tables = machine.vmstat().get(org.pagelab.stat.VmItem.NR_PAGE_TABLE_PAGES);
        long before = oc.committedPages();
        assertThat(mm.fork(p)).isNull();
        machine.check();
        assertThat(oc.committedPages()).isEqualTo(before);
        assertThat(machine.vmstat().get(org.pagelab.stat.VmItem.NR_PAGE_TABLE_PAGES))
                .as("the child's page tables are gone").isEqualTo(tables);
    }

    @Test
    void badSettingsAreRefused() {
        assertThatThrownBy(() -> Overcommit.Mode.of(3)).hasMessageContaining("0, 1 or 2, not 3");
        boot("0");
        assertThatThrownBy(() -> machine.overcommit().setRatio(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> machine.overcommit().setKbytes(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
