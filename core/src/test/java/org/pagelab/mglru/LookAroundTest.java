package org.pagelab.mglru;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pagelab.desc.Folio;
import org.pagelab.desc.PageTablePage;
import org.pagelab.lruvec.LruGen;
import org.pagelab.lruvec.LruVec;
import org.pagelab.machine.Machine;
import org.pagelab.memory.MemoryManager;
import org.pagelab.memory.Process;
import org.pagelab.pgtable.PageTable;
import org.pagelab.pgtable.Pte;
import org.pagelab.phys.MemSize;
import org.pagelab.phys.PhysConfig;
import org.pagelab.sim.SimConfig;
import org.pagelab.swap.SwaponResult;
import org.pagelab.vma.VmFlags;

/**
 * lru_gen_look_around: when the rmap walk of eviction finds a young PTE, the young PTEs around it
 * in the same table, up to MIN_LRU_BATCH of them centred on it and inside the VMA, are made old
 * and their folios move to the youngest generation; the PTEs beyond the window keep their bits,
 * and the table goes into the Bloom filter the next aging reads.
 */
class LookAroundTest {
    private static final int PAGE = (int) MemSize.PAGE_SIZE;
    private static final int RW = VmFlags.VM_READ | VmFlags.VM_WRITE;
    /** A PMD-aligned address: one PTE table covers pages 0..511 of the region. */
    private static final long BASE = 0x40000000L;
    private static final int PAGES = 1024;

    @TempDir
    Path dir;

    private static long pte(Process p, int page) {
        long addr = BASE + (long) page * PAGE;
        return p.pageTable().pteTable(addr).get(PageTable.pteIndex(addr));
    }

    private static Folio folio(Machine m, Process p, int page) {
        return PageTable.normalFolio(m.phys().memmap(), pte(p, page));
    }

    @Test
    void aYoungPteAgesItsNeighboursWithinTheWindowAndFeedsTheBloomFilter() {
        try (Machine machine = Machine.boot(PhysConfig.of(64L << 20, false), dir, SimConfig.DEFAULT, MglruPolicy.NAME)) {
            MemoryManager mm = machine.memory();
            mm.setTransparentHugepage(org.pagelab.memory.TransparentHugepage.NEVER); // one folio per PTE
            assertThat(machine.swap().swapon("swapfile", 16L * 1024 * 1024 / PAGE, null)).isInstanceOf(SwaponResult.Ok.class);
            Process p = mm.spawn("p");
            mm.mmapAnon(p, BASE, (long) PAGES * PAGE, RW, true).orThrow();
            // the second PTE table's VMA part ends 100 pages in: a window at its end is cut by the VMA
            mm.munmap(p, BASE + (long) (512 + 100) * PAGE, (long) (PAGES - 512 - 100) * PAGE);
            int mapped = 512 + 100;
            for (int i = 0; i < mapped; i++) {
                mm.touch(p, BASE + (long) i * PAGE, true);
            }
            MglruPolicy policy = (MglruPolicy) machine.vmscan().policy();
            LruVec lruvec = machine.memcg().root().lruvec();
            // two agings: the first finds every page young and promotes it; the second finds none, so
            // every page is one generation behind the youngest
            assertThat(policy.aging().tryToIncMaxSeq(lruvec, true, true)).isTrue();
            assertThat(policy.aging().tryToIncMaxSeq(lruvec, true, true)).isTrue();
            LruGen g = lruvec.lrugen();
            int youngest = LruGen.genFromSeq(g.maxSeq());
            for (int i = 0; i < mapped; i++) {
                assertThat(Pte.accessed(pte(p, i))).isFalse();
                assertThat(LruGen.folioGen(folio(machine, p, i))).isNotEqualTo(youngest);
                mm.touch(p, BASE + (long) i * PAGE, false);
            }
            PageTablePage first = p.pageTable().pteTable(BASE);
            // the rmap walk over page 100: the window is pages 68..131
            assertThat(machine.rmap().folioReferenced(folio(machine, p, 100)).referenced()).isEqualTo(1);
            for (int i = 0; i < 512; i++) {
                boolean inWindow = i >= 68 && i < 132;
                assertThat(Pte.accessed(pte(p, i))).as("page %d young", i).isEqualTo(!inWindow);
                assertThat(LruGen.folioGen(folio(machine, p, i)) == youngest).as("page %d promoted", i).isEqualTo(inWindow);
            }
            Aging.WalkState st = policy.aging().state(lruvec);
            assertThat(st.filters.test(g.maxSeq(), first.pfn())).as("the dense table is in the filter").isTrue();
            // page 5: the window starts at the table's first entry, pages 0..63
            machine.rmap().folioReferenced(folio(machine, p, 5));
            for (int i = 0; i < 68; i++) {
                assertThat(Pte.accessed(pte(p, i))).as("page %d young", i).isEqualTo(i >= 64);
            }
            // page 512 + 90 of the second table: the VMA ends at 512 + 100, so the window is 512+36..512+99
            machine.rmap().folioReferenced(folio(machine, p, 512 + 90));
            for (int i = 512; i < mapped; i++) {
                assertThat(Pte.accessed(pte(p, i))).as("page %d young", i).isEqualTo(i < 512 + 36);
            }
            assertThat(st.lookArounds).isEqualTo(3);
            assertThat(st.lookAroundYoung).isEqualTo(64 * 3);
            machine.check();
        }
    }

    @Test
    void theTwoListPolicyDoesNotLookAround() {
        try (Machine machine = Machine.boot(PhysConfig.of(64L << 20, false), dir)) {
            MemoryManager mm = machine.memory();
            mm.setTransparentHugepage(org.pagelab.memory.TransparentHugepage.NEVER); // one folio per PTE
            Process p = mm.spawn("p");
            mm.mmapAnon(p, BASE, 512L * PAGE, RW, true).orThrow();
            for (int i = 0; i < 512; i++) {
                mm.touch(p, BASE + (long) i * PAGE, true);
            }
            assertThat(machine.rmap().folioReferenced(folio(machine, p, 100)).referenced()).isEqualTo(1);
            for (int i = 0; i < 512; i++) {
                assertThat(Pte.accessed(pte(p, i))).as("page %d young", i).isEqualTo(i != 100);
            }
        }
    }
}
