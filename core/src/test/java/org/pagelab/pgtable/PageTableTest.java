package org.pagelab.pgtable;

import org.pagelab.desc.SwapEntry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.pagelab.desc.FileFolio;
import org.pagelab.desc.PageCacheFolio;
import org.pagelab.desc.PageTablePage;
import org.pagelab.machine.Machine;
import org.pagelab.phys.AllocRequest;
import org.pagelab.phys.MemSize;
import org.pagelab.phys.PhysConfig;
import org.pagelab.testing.SeedSource;

class PageTableTest {
    private static final long TOP_PAGE = 0x7fff_ffff_f000L;

    private Machine machine;

    private Machine boot(String size) {
        machine = Machine.boot(PhysConfig.of(MemSize.parse(size), false));
        return machine;
    }

    @AfterEach
    void machineStaysConsistent() {
        if (machine != null) {
            machine.check();
            machine.close();
        }
    }

    private static void map(PageTable pt, long addr, long pte) {
        assertThat(pt.allocPteTable(addr)).isNotNull();
        pt.setPte(addr, pte);
    }

    @Test
    void sparseAddressesAllocateOnePathEach() {
        Machine m = boot("32M");
        long free0 = m.phys().freePages();
        PageTable pt = PageTable.create(m.phys());
        assertThat(pt.tablePages()).isEqualTo(1);
        assertThat(m.phys().freePages()).isEqualTo(free0 - 1);

        map(pt, 0x400000L, Pte.present(1000, true, true));
        assertThat(pt.tablePages()).isEqualTo(4);
        map(pt, 0x401000L, Pte.present(1001, false, true));
        assertThat(pt.tablePages()).as("same PTE table").isEqualTo(4);
        map(pt, 0x600000L, Pte.present(1002, true, true));
        assertThat(pt.tablePages()).as("new PTE table under the same PMD").isEqualTo(5);
        map(pt, TOP_PAGE, Pte.swap(new SwapEntry(1, 42)));
        assertThat(pt.tablePages()).as("new PUD, PMD and PTE at the top").isEqualTo(8);
        map(pt, (1L << 39) - PageTable.PAGE_SIZE, Pte.poison(7));
        assertThat(pt.tablePages()).as("last page under PGD entry 0: new PMD and PTE").isEqualTo(10);
        map(pt, 1L << 39, Pte.present(1003, true, true));
        assertThat(pt.tablePages()).as("first page under PGD entry 1").isEqualTo(13);
        assertThat(m.phys().freePages()).isEqualTo(free0 - 13);
        pt.check();

        assertThat(Pte.pfn(pt.getPte(0x400000L))).isEqualTo(1000);
        assertThat(Pte.writable(pt.getPte(0x401000L))).isFalse();
        assertThat(Pte.swapEntry(pt.getPte(TOP_PAGE)).offset()).isEqualTo(42);
        assertThat(pt.getPte(0x402000L)).isZero();
        assertThat(pt.getPte(0x100_0000_0000L)).isZero();
        assertThat(pt.pteTable(0x100_0000_0000L)).isNull();
        assertThat(pt.pteTable(0x400000L).level()).isEqualTo(1);
        assertThat(pt.pteTable(0x400000L)).isSameAs(pt.pteTable(0x5ff000L));
        assertThat(PageTable.pteIndex(0x401000L)).isEqualTo(1);
        assertThat(PageTable.pteIndex(TOP_PAGE)).isEqualTo(511);

        List<Long> seen = new ArrayList<>();
        pt.forEachPresentOrSwap(0, PageTable.USER_END, (addr, table, index, pte) -> {
            assertThat(table.get(index)).isEqualTo(pte);
            assertThat(pt.getPte(addr)).isEqualTo(pte);
            seen.add(addr);
        });
        assertThat(seen).containsExactly(0x400000L, 0x401000L, 0x600000L, (1L << 39) - PageTable.PAGE_SIZE,
                1L << 39, TOP_PAGE);
        seen.clear();
        pt.forEachPresentOrSwap(0x401000L, 1L << 39, (addr, table, index, pte) -> seen.add(addr));
        assertThat(seen).containsExactly(0x401000L, 0x600000L, (1L << 39) - PageTable.PAGE_SIZE);

        assertThatThrownBy(pt::destroy).isInstanceOf(IllegalStateException.class).hasMessageContaining("0x400000");
        pt.check();
        assertThat(pt.tablePages()).isEqualTo(13);

        pt.forEachPresentOrSwap(0, PageTable.USER_END, (addr, table, index, pte) -> table.set(index, 0));
        pt.freeEmptyTables(0x400000L, 0x401000L);
        assertThat(pt.tablePages()).as("only the 0x400000 PTE table is emptied and freed").isEqualTo(12);
        assertThat(pt.pteTable(0x600000L)).isNotNull();
        pt.check();
        pt.freeEmptyTables(0, PageTable.USER_END);
        assertThat(pt.tablePages()).isEqualTo(1);
        assertThat(pt.pgd().used()).isZero();
        pt.check();
        assertThat(m.phys().freePages()).isEqualTo(free0 - 1);
        pt.destroy();
        assertThat(m.phys().freePages()).isEqualTo(free0);
    }

    @Test
    void freeEmptyTablesKeepsTablesThatStillMapSomething() {
        Machine m = boot("32M");
        long free0 = m.phys().freePages();
        PageTable pt = PageTable.create(m.phys());
        map(pt, 0x400000L, Pte.present(1000, true, true));
        map(pt, 0x600000L, Pte.present(1001, true, true));
        pt.setPte(0x600000L, 0);
        pt.freeEmptyTables(0, PageTable.USER_END);
        assertThat(pt.tablePages()).isEqualTo(4);
        assertThat(pt.pteTable(0x600000L)).isNull();
        assertThat(pt.getPte(0x400000L)).isEqualTo(Pte.present(1000, true, true));
        pt.check();
        pt.setPte(0x400000L, 0);
        pt.freeEmptyTables(0, PageTable.USER_END);
        pt.destroy();
        assertThat(m.phys().freePages()).isEqualTo(free0);
    }

    @Test
    void nonUserAddressesAreRejectedInHex() {
        Machine m = boot("32M");
        PageTable pt = PageTable.create(m.phys());
        assertThatThrownBy(() -> pt.allocPteTable(1L << 47)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0x800000000000");
        assertThatThrownBy(() -> pt.getPte(-4096L)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0xfffffffffffff000");
        assertThatThrownBy(() -> pt.setPte(0x1000L, Pte.present(1, true, true)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("0x1000");
        assertThatThrownBy(() -> pt.freeEmptyTables(0x2000L, 0x1000L)).isInstanceOf(IllegalArgumentException.class);
        pt.destroy();
    }

    @ParameterizedTest(name = "seed {0}")
    @SeedSource({20261205L})
    void randomSetAndClearMatchesAReferenceMap(long seed) {
        Machine m = boot("32M");
        long free0 = m.phys().freePages();
        PageTable pt = PageTable.create(m.phys());
        SplittableRandom rnd = new SplittableRandom(seed);
        TreeMap<Long, Long> ref = new TreeMap<>();
        long[] hot = {0, 0x400000L, 1L << 30, 1L << 39, (1L << 39) * 255, TOP_PAGE & ~((1L << 30) - 1)};
        for (int step = 0; step < 3000; step++) {
            String as = "seed " + seed + " step " + step;
            long addr = (hot[rnd.nextInt(hot.length)] + rnd.nextLong(1L << 31)) & ~(PageTable.PAGE_SIZE - 1);
            if (addr >= PageTable.USER_END) {
                addr = TOP_PAGE;
            }
            int op = rnd.nextInt(10);
            if (op < 5) {
                long pte = rnd.nextBoolean() ? Pte.present(rnd.nextInt(1 << 20), rnd.nextBoolean(), true)
                        : Pte.swap(new SwapEntry(rnd.nextInt(SwapEntry.MAX_TYPES), rnd.nextLong(1L << 40)));
                assertThat(pt.allocPteTable(addr)).as(as).isNotNull();
                pt.setPte(addr, pte);
                ref.put(addr, pte);
            } else if (op < 8 && !ref.isEmpty()) {
                Long victim = ref.ceilingKey(addr);
                if (victim == null) {
                    victim = ref.firstKey();
                }
                pt.setPte(victim, 0);
                ref.remove(victim);
            } else if (op < 9) {
                long start = addr;
                long end = Math.min(PageTable.USER_END, start + rnd.nextLong(1L << 40));
                pt.freeEmptyTables(start, end);
            } else {
                long start = addr;
                long end = Math.min(PageTable.USER_END, start + rnd.nextLong(1L << 40));
                List<Long> got = new ArrayList<>();
                pt.forEachPresentOrSwap(start, end, (a, table, index, pte) -> {
                    assertThat(pte).as(as).isEqualTo(ref.get(a));
                    got.add(a);
                });
                assertThat(got).as(as).containsExactlyElementsOf(ref.subMap(start, end).keySet());
            }
            pt.check();
            assertThat(pt.getPte(addr)).as(as).isEqualTo(ref.getOrDefault(addr, 0L));
        }
        for (Map.Entry<Long, Long> e : ref.entrySet()) {
            assertThat(pt.getPte(e.getKey())).as("seed " + seed).isEqualTo(e.getValue());
            pt.setPte(e.getKey(), 0);
        }
        pt.freeEmptyTables(0, PageTable.USER_END);
        assertThat(pt.tablePages()).as("seed " + seed).isEqualTo(1);
        pt.destroy();
        assertThat(m.phys().freePages()).as("seed " + seed).isEqualTo(free0);
    }

    @Test
    void outOfMemoryFailsCleanlyAndPartialWalksResume() {
        Machine m = boot("16M");
        long free0 = m.phys().freePages();
        PageTable pt = PageTable.create(m.phys());
        List<FileFolio> folios = new ArrayList<>();
        FileFolio f;
        while ((f = m.phys().alloc(AllocRequest.pageCache(0), PageCacheFolio::new)) != null) {
            folios.add(f);
        }
        long tables = pt.tablePages();
        assertThat(pt.allocPteTable(0x400000L)).isNull();
        assertThat(pt.tablePages()).isEqualTo(tables);
        assertThat(pt.pteTable(0x400000L)).isNull();
        pt.check();

        PageTablePage t = null;
        while (t == null) {
            long before = pt.tablePages();
            m.phys().folioPut(folios.removeLast());
            t = pt.allocPteTable(0x400000L);
            assertThat(pt.tablePages()).as("one freed page makes at most one table").isBetween(before, before + 1);
            pt.check();
        }
        assertThat(pt.tablePages()).isEqualTo(4);
        assertThat(pt.allocPteTable(0x400000L)).isSameAs(t);
        folios.forEach(m.phys()::folioPut);
        pt.freeEmptyTables(0, PageTable.USER_END);
        pt.destroy();
        assertThat(m.phys().freePages()).isEqualTo(free0);
    }
}
