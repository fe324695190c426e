package org.pagelab.mglru;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pagelab.machine.Machine;
import org.pagelab.memory.Access;
import org.pagelab.memory.MemoryManager;
import org.pagelab.memory.Process;
import org.pagelab.phys.MemSize;
import org.pagelab.phys.PhysConfig;
import org.pagelab.proc.ProcFs;
import org.pagelab.sim.SimConfig;
import org.pagelab.stat.VmItem;
import org.pagelab.swap.SwaponResult;
import org.pagelab.vma.VmFlags;

/**
 * min_ttl (/sys/kernel/mm/lru_gen/min_ttl_ms): a process whose working set is larger than memory
 * cycles through it beside a small one. Without min_ttl the machine thrashes, swapping the large
 * working set in and out on every round; with min_ttl, kswapd finds every generation younger than
 * min_ttl and calls the OOM killer, which kills the large process, and the small one then runs
 * without a fault.
 */
class MinTtlTest {
    private static final int PAGE = (int) MemSize.PAGE_SIZE;
    private static final int RW = VmFlags.VM_READ | VmFlags.VM_WRITE;
    private static final long BIG = 0x10000000L;
    private static final long SMALL = 0x40000000L;
    private static final int BIG_PAGES = 20 * 256; // 20M, in 16M of memory
    private static final int SMALL_PAGES = 2 * 256; // 2M
    private static final int ROUNDS = 12;
    private static final int CHUNK = 256;

    @TempDir
    Path dir;

    /** What one run measured: OOM kills, pages swapped in and major faults over the last rounds, whether the big process lived. */
    record Outcome(long oomKills, long lateSwapins, long lateMajfaults, boolean bigAlive) {
    }

    private Outcome run(long minTtlMs) {
        try (Machine machine = Machine.boot(PhysConfig.of(16L << 20, false), dir, SimConfig.DEFAULT, MglruPolicy.NAME)) {
            MemoryManager mm = machine.memory();
            assertThat(machine.swap().swapon("swapfile", 64L * 1024 * 1024 / PAGE, null)).isInstanceOf(SwaponResult.Ok.class);
            ProcFs proc = new ProcFs(machine);
            proc.write(ProcFs.MIN_TTL_MS, minTtlMs + "\n");
            assertThat(proc.read(ProcFs.MIN_TTL_MS)).isEqualTo(minTtlMs + "\n");
            Process big = mm.spawn("big");
            Process small = mm.spawn("small");
            mm.mmapAnon(big, BIG, (long) BIG_PAGES * PAGE, RW, true).orThrow();
            mm.mmapAnon(small, SMALL, (long) SMALL_PAGES * PAGE, RW, true).orThrow();
            long swapinsAtHalf = 0;
            long majfaultsAtHalf = 0;
            for (int round = 0; round < ROUNDS; round++) {
                if (round == ROUNDS / 2) {
                    swapinsAtHalf = machine.vmstat().get(VmItem.PSWPIN);
                    majfaultsAtHalf = machine.vmstat().get(VmItem.PGMAJFAULT);
                }
                for (int at = 0; at < BIG_PAGES; at += CHUNK) {
                    int first = at;
                    if (big.alive()) {
                        machine.step(big, () -> touch(mm, big, BIG, first, CHUNK));
                    }
                    int s = at % SMALL_PAGES;
                    machine.step(small, () -> touch(mm, small, SMALL, s, CHUNK));
                    machine.check();
                }
            }
            return new Outcome(machine.vmstat().get(VmItem.OOM_KILL), machine.vmstat().get(VmItem.PSWPIN) - swapinsAtHalf,
                    machine.vmstat().get(VmItem.PGMAJFAULT) - majfaultsAtHalf, big.alive());
        }
    }

    private static void touch(MemoryManager mm, Process p, long base, int first, int n) {
        for (int i = first; i < first + n && p.alive(); i++) {
            assertThat(mm.touch(p, base + (long) i * PAGE, true)).isIn(Access.OK, Access.DEAD);
        }
    }

    @Test
    void withoutMinTtlTheLargeWorkingSetThrashes() {
        Outcome o = run(0);
        System.out.println("min_ttl 0: " + o);
        assertThat(o.oomKills()).isZero();
        assertThat(o.bigAlive()).isTrue();
        assertThat(o.lateSwapins()).as("the second half of the rounds swaps the working set in again")
                .isGreaterThan((long) BIG_PAGES * (ROUNDS / 2) / 2);
    }

    @Test
    void withMinTtlKswapdKillsTheLargeProcessInsteadOfThrashing() {
        Outcome o = run(1000);
        System.out.println("min_ttl 1000: " + o);
        assertThat(o.oomKills()).isEqualTo(1);
        assertThat(o.bigAlive()).isFalse();
        assertThat(o.lateSwapins()).as("nothing comes back from swap once the large process is gone").isZero();
        assertThat(o.lateMajfaults()).as("the small process's working set stays in memory").isZero();
    }

    @Test
    void theFileTakesTheKernelsNumbersAndRefusesOthers() {
        try (Machine machine = Machine.boot(PhysConfig.of(16L << 20, false), dir, SimConfig.DEFAULT, MglruPolicy.NAME)) {
            ProcFs proc = new ProcFs(machine);
            assertThat(proc.read(ProcFs.MIN_TTL_MS)).isEqualTo("0\n");
            proc.write(ProcFs.MIN_TTL_MS, "0x10");
            assertThat(proc.read(ProcFs.MIN_TTL_MS)).isEqualTo("16\n");
            proc.write(ProcFs.MIN_TTL_MS, "4294967295\n");
            assertThat(((MglruPolicy) machine.vmscan().policy()).minTtlNanos()).isEqualTo(4294967295L * 1_000_000L);
            assertThatThrownBy(() -> proc.write(ProcFs.MIN_TTL_MS, "4294967296")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("min_ttl_ms").hasMessageContaining("4294967296");
            assertThatThrownBy(() -> proc.write(ProcFs.MIN_TTL_MS, "-1")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> proc.write(ProcFs.MIN_TTL_MS, "1s")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> proc.write("/proc/meminfo", "1")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("/proc/meminfo");
        }
        try (Machine machine = Machine.boot(PhysConfig.of(16L << 20, false), dir)) {
            ProcFs proc = new ProcFs(machine);
            proc.write(ProcFs.MIN_TTL_MS, "1000");
            assertThat(proc.read(ProcFs.MIN_TTL_MS)).as("the two-list LRU has no min_ttl").isEqualTo("0\n");
        }
    }
}
