package org.pagelab.mglru;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pagelab.filemap.OpenFile;
import org.pagelab.lruvec.LruGen;
import org.pagelab.lruvec.LruVec;
import org.pagelab.machine.Machine;
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
 * A whole machine under the multi-generational LRU: a process with a hot anonymous working set and
 * a cold anonymous region, and a file read over and over that does not fit, on a machine with swap.
 * The aging walks the page tables (and, after its first walk, skips the cold region's PTE tables
 * through the Bloom filter), the eviction takes the file's pages and their refaults come back
 * through the shadow tokens, and every checker holds throughout.
 */
class MglruMachineTest {
    private static final int PAGE = (int) MemSize.PAGE_SIZE;
    private static final int RW = VmFlags.VM_READ | VmFlags.VM_WRITE;
    private static final long HOT = 0x10000000L;
    private static final long COLD = 0x40000000L;
    private static final int HOT_PAGES = 1024; // 4M
    private static final int COLD_PAGES = 1024; // 4M, written once
    private static final int FILE_PAGES = 3072; // 12M, read in a loop

    @TempDir
    Path dir;

    @Test
    void agingWalksPageTablesSkipsColdTablesAndTheFeedbackSeesRefaults() {
        try (Machine machine = Machine.boot(PhysConfig.of(16L << 20, true), dir, SimConfig.DEFAULT, MglruPolicy.NAME)) {
            MemoryManager mm = machine.memory();
            assertThat(machine.swap().swapon("swapfile", 64L * 1024 * 1024 / PAGE, null)).isInstanceOf(SwaponResult.Ok.class);
            assertThat(new ProcFs(machine).read("/sys/kernel/mm/lru_gen/enabled")).isEqualTo("0x0003\n");
            Process p = mm.spawn("p");
            mm.mmapAnon(p, HOT, (long) HOT_PAGES * PAGE, RW, true).orThrow();
            mm.mmapAnon(p, COLD, (long) COLD_PAGES * PAGE, RW, true).orThrow();
            byte[] page = new byte[PAGE];
            for (int i = 0; i < COLD_PAGES; i++) {
                mm.write(p, COLD + (long) i * PAGE, page, 0, PAGE);
            }
            OpenFile f = machine.vfs().create("data", (long) FILE_PAGES * PAGE).orThrow();
            byte[] buf = new byte[64 * PAGE];
            MglruPolicy policy = (MglruPolicy) machine.vmscan().policy();
            LruVec lruvec = machine.memcg().root().lruvec();
            // the aging as kswapd runs it, five times, with the hot region touched in between: the first
            // walk reads every PTE table (no filter yet), the second those the first found dense with
            // young entries (the cold region's too, written just before), the later ones skip it
            long[] found = new long[5];
            long[] total = new long[5];
            for (int walk = 0; walk < found.length; walk++) {
                for (int i = 0; i < HOT_PAGES; i++) {
                    mm.touch(p, HOT + (long) i * PAGE, true);
                }
                assertThat(policy.aging().tryToIncMaxSeq(lruvec, true, false)).isTrue();
                long[] st = policy.walkStats(lruvec);
                found[walk] = st[Aging.MmStat.NONLEAF_FOUND.ordinal()];
                total[walk] = st[Aging.MmStat.NONLEAF_TOTAL.ordinal()];
                assertThat(st[Aging.MmStat.LEAF_YOUNG.ordinal()]).as("walk %d: the hot pages were young", walk)
                        .isGreaterThanOrEqualTo(HOT_PAGES);
                machine.check();
            }
            System.out.printf("PTE tables found in the Bloom filter per walk: %s of %s%n", java.util.Arrays.toString(found),
                    java.util.Arrays.toString(total));
            assertThat(found[0]).as("the first walk reads every table").isEqualTo(total[0]);
            assertThat(found[4]).as("the cold region's tables are skipped").isLessThan(total[4]);
            assertThat(found[4]).as("the hot region's 2 tables still walked").isGreaterThanOrEqualTo(2);
            for (int round = 0; round < 4; round++) {
                for (int i = 0; i < HOT_PAGES; i++) {
                    mm.touch(p, HOT + (long) i * PAGE, true);
                }
                for (long pos = 0; pos < (long) FILE_PAGES * PAGE; pos += buf.length) {
                    long at = pos;
                    machine.step(p, () -> machine.vfs().pread(f, at, buf, 0, buf.length));
                }
                machine.runKswapd();
                machine.check();
            }
            LruGen g = lruvec.lrugen();
            System.out.printf("mglru: max_seq %d, min_seq %d/%d; pgscan_anon %d, pgscan_file %d, pswpout %d;"
                    + " workingset_refault_file %d, workingset_restore_file %d%n",
                    g.maxSeq(), g.minSeq(LruGen.ANON), g.minSeq(LruGen.FILE), machine.vmstat().get(VmItem.PGSCAN_ANON),
                    machine.vmstat().get(VmItem.PGSCAN_FILE), machine.vmstat().get(VmItem.PSWPOUT),
                    machine.vmstat().get(VmItem.WORKINGSET_REFAULT_FILE), machine.vmstat().get(VmItem.WORKINGSET_RESTORE_FILE));
            System.out.print(new ProcFs(machine).read("/sys/kernel/debug/lru_gen_full"));
            assertThat(g.maxSeq()).as("the aging made generations").isGreaterThan(LruGen.MIN_NR_GENS + 1);
            assertThat(machine.vmstat().get(VmItem.PGSCAN_FILE)).isPositive();
            assertThat(machine.vmstat().get(VmItem.WORKINGSET_REFAULT_FILE)).as("the file read again refaults").isPositive();
            String brief = new ProcFs(machine).read("/sys/kernel/debug/lru_gen");
            assertThat(brief).startsWith("memcg     1 /\n node     0\n");
            assertThat(brief.lines().count()).as("one line per live generation")
                    .isEqualTo(2 + g.maxSeq() - g.minSeq(LruGen.ANON) + 1);
        }
    }

    @Test
    void theTwoListMachineShowsNoGenerations() {
        try (Machine machine = Machine.boot(PhysConfig.of(16L << 20, true), dir)) {
            ProcFs proc = new ProcFs(machine);
            assertThat(proc.read("/sys/kernel/mm/lru_gen/enabled")).isEqualTo("0x0000\n");
            assertThat(proc.read("/sys/kernel/debug/lru_gen")).isEqualTo("memcg     1 /\n node     0\n");
        }
    }
}
