package org.pagelab.proc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.pagelab.filemap.OpenFile;
import org.pagelab.machine.MachineTest;
import org.pagelab.memory.Access;
import org.pagelab.memory.MthpEnabled;
import org.pagelab.memory.MthpSettings;
import org.pagelab.memory.Process;
import org.pagelab.memory.TransparentHugepage;
import org.pagelab.swap.SwaponResult;
import org.pagelab.testing.Seeds;
import org.pagelab.vma.Vma;
import org.pagelab.vma.VmFlags;

/**
 * /proc/&lt;pid&gt;/smaps: the kernel's layout, the counters of PMD-mapped and PTE-mapped large
 * folios as smaps_pmd_entry and smaps_account give them (Pss divides each page by its own map
 * count), and smaps_rollup as the sum of the VMAs under random workloads.
 */
class SmapsTest extends MachineTest {
    private static final int RW = VmFlags.VM_READ | VmFlags.VM_WRITE;
    private static final int PAGE = 4096;
    private static final long HUGE = 2L << 20;

    private long hugeRange(Process p) {
        long a = mm.mmapAnon(p, 0, 2 * HUGE, RW, false).orThrow();
        return (a + HUGE - 1) & -HUGE;
    }

    private void fill(Process p, long addr, long len, int v) {
        byte[] b = new byte[(int) len];
        java.util.Arrays.fill(b, (byte) v);
        assertThat(mm.write(p, addr, b, 0, b.length)).isEqualTo(Access.OK);
    }

    /** The smaps counters of the VMA of {@code p} that holds {@code addr}. */
    private Map<String, Long> vmaFields(Process p, long addr) {
        return new Smaps(machine, p).entries().stream().filter(e -> e.vma().contains(addr)).findFirst().orElseThrow()
                .fields();
    }

    @Test
    void aVmaBlockHasTheKernelsLinesAndColumns() throws IOException {
        Process p = mm.spawn("p");
        long a = mm.mmapAnon(p, 0, 4 * PAGE, RW, false).orThrow();
        fill(p, a, 3 * PAGE, 1);
        Files.write(dir.resolve("f"), new byte[8 * PAGE]);
        OpenFile f = machine.vfs().open("f").orThrow();
        long fa = mm.mmapFile(p, 0, 4 * PAGE, VmFlags.VM_READ, true, false, f, 4 * PAGE).orThrow();
        assertThat(mm.touch(p, fa, false)).isEqualTo(Access.OK);
        String text = new ProcFs(machine).read("/proc/" + p.pid() + "/smaps");
        assertThat(text).isEqualTo(new Smaps(machine, p).render());
        String anon = String.format(Locale.ROOT, "%08x-%08x rw-p 00000000 00:00 0 \n", a, a + 4 * PAGE)
                + String.join("\n", List.of(
                "Size:                 16 kB",
                "KernelPageSize:        4 kB",
                "MMUPageSize:           4 kB",
                "Rss:                  12 kB",
                "Pss:                  12 kB",
                "Pss_Dirty:            12 kB",
                "Shared_Clean:          0 kB",
                "Shared_Dirty:          0 kB",
                "Private_Clean:         0 kB",
                "Private_Dirty:        12 kB",
                "Referenced:           12 kB",
                "Anonymous:            12 kB",
                "AnonHugePages:         0 kB",
                "FilePmdMapped:         0 kB",
                "Swap:                  0 kB",
                "SwapPss:               0 kB",
                "THPeligible:    0",
                "VmFlags: rd wr mr mw me ac ")) + "\n";
        assertThat(text).contains(anon);
        String fileHeader = String.format(Locale.ROOT, "%08x-%08x r--s 00004000 00:00 %d", fa, fa + 4 * PAGE,
                f.inode().ino());
        assertThat(text).contains(fileHeader + " ".repeat(73 - fileHeader.length()) + "/f\n");
        assertThat(text).contains("VmFlags: rd sh mr mw me ms \n");
        assertThat(text.split("\n")).hasSize(2 * 19);
        long sa = mm.mmapAnon(p, 0, 2 * PAGE, RW, true, false).orThrow();
        String shared = new Smaps(machine, p).render();
        String sharedHeader = String.format(Locale.ROOT, "%08x-%08x rw-s 00000000 00:00 ", sa, sa + 2 * PAGE);
        assertThat(shared).containsPattern(java.util.regex.Pattern.quote(sharedHeader) + "\\d+ +/dev/zero \\(deleted\\)\n");
        assertThat(shared).contains("VmFlags: rd wr sh mr mw me ms \n");
        machine.vfs().close(f);
    }

    @Test
    void aPmdMappedThpCountsInAnonHugePagesAndIsEligible() {
        Process p = mm.spawn("p");
        long h = hugeRange(p);
        fill(p, h, HUGE, 3);
        Map<String, Long> m = vmaFields(p, h);
        assertThat(m.get("AnonHugePages")).isEqualTo(2048);
        assertThat(m.get("Rss")).isEqualTo(2048);
        assertThat(m.get("Pss")).isEqualTo(2048);
        assertThat(m.get("Private_Dirty")).isEqualTo(2048);
        assertThat(new Smaps(machine, p).render()).contains("THPeligible:    1\n");
        mm.setTransparentHugepage(TransparentHugepage.NEVER);
        assertThat(new Smaps(machine, p).render()).contains("THPeligible:    0\n").doesNotContain("THPeligible:    1");
    }

    /**
     * The child unmaps the first half of a THP both PMD-map: the parent's first 256 pages are
     * mapped once, the others twice, so its Pss is 1024 + 512 kB (page_mapcount per page), not
     * the 1024 kB that an average over the folio would give.
     */
    @Test
    void pssOfAPmdMappedThpDividesEachPageByItsOwnMapCount() {
        Process parent = mm.spawn("parent");
        long h = hugeRange(parent);
        fill(parent, h, HUGE, 4);
        Process child = mm.fork(parent);
        assertThat(vmaFields(parent, h).get("Pss")).isEqualTo(1024);
        mm.munmap(child, h, HUGE / 2).orThrow();
        Map<String, Long> m = vmaFields(parent, h);
        assertThat(m.get("AnonHugePages")).as("the parent's PMD is whole").isEqualTo(2048);
        assertThat(m.get("Pss")).isEqualTo(1024 + 512);
        assertThat(m.get("Private_Clean") + m.get("Private_Dirty")).isEqualTo(1024);
        assertThat(m.get("Shared_Clean") + m.get("Shared_Dirty")).isEqualTo(1024);
        Map<String, Long> c = vmaFields(child, h + HUGE / 2);
        assertThat(c.get("AnonHugePages")).as("the child's PMD was split").isZero();
        assertThat(c.get("Rss")).isEqualTo(1024);
        assertThat(c.get("Pss")).isEqualTo(512);
        assertThat(c.get("Shared_Clean") + c.get("Shared_Dirty")).isEqualTo(1024);
        new Smaps(machine, parent).check();
        new Smaps(machine, child).check();
    }

    /** A 64 KiB folio shared by fork, one page of which the child then copies: 15 pages shared, one private. */
    @Test
    void pssOfAPteMappedFolioDividesEachPageByItsOwnMapCount() {
        mm.setTransparentHugepage(TransparentHugepage.NEVER);
        mm.mthp().setEnabled(MthpSettings.orderOfKb(64), MthpEnabled.ALWAYS);
        Process parent = mm.spawn("parent");
        long h = hugeRange(parent);
        fill(parent, h, 16 * PAGE, 5);
        Process child = mm.fork(parent);
        fill(child, h + 15L * PAGE, PAGE, 6);
        Map<String, Long> m = vmaFields(parent, h);
        assertThat(m.get("AnonHugePages")).isZero();
        assertThat(m.get("Rss")).isEqualTo(64);
        assertThat(m.get("Pss")).isEqualTo(15 * 2 + 4);
        assertThat(m.get("Private_Clean") + m.get("Private_Dirty")).isEqualTo(4);
        assertThat(m.get("Shared_Clean") + m.get("Shared_Dirty")).isEqualTo(60);
        assertThat(new SmapsRollup(machine, parent).fields().get("Pss")).isEqualTo(34);
        new Smaps(machine, parent).check();
    }

    static long[] seeds() {
        return Seeds.of(20261206L, 6);
    }

    /** smaps_rollup stays the sum of the VMAs' smaps through a random mix of large and small folios, fork, COW, swap. */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void theRollupIsTheSumOfTheVmas(long seed) {
        System.out.println("SmapsTest seed " + seed);
        assertThat(machine.swap().swapon("swapfile", 2048, null)).isInstanceOf(SwaponResult.Ok.class);
        mm.mthp().setEnabled(MthpSettings.orderOfKb(64), MthpEnabled.ALWAYS);
        mm.mthp().setEnabled(MthpSettings.orderOfKb(16), MthpEnabled.ALWAYS);
        SplittableRandom r = new SplittableRandom(seed);
        List<Process> procs = new ArrayList<>(List.of(mm.spawn("p0")));
        List<long[]> ranges = new ArrayList<>();
        for (int step = 0; step < 60; step++) {
            Process p = procs.get(r.nextInt(procs.size()));
            if (!p.alive()) {
                continue;
            }
            int op = r.nextInt(8);
            if (op == 0 || p.mm().vmas().isEmpty()) {
                ranges.add(new long[] {hugeRange(p), 2 * HUGE});
            } else if (op == 1 && procs.size() < 4) {
                procs.add(mm.fork(p));
            } else {
                List<Vma> vmas = new ArrayList<>(p.mm().vmas());
                Vma v = vmas.get(r.nextInt(vmas.size()));
                long pages = v.pages();
                long from = v.start() + r.nextLong(pages) * PAGE;
                long len = (1 + r.nextLong(Math.min(600, (v.end() - from) / PAGE))) * PAGE;
                switch (op) {
                    case 2, 3 -> {
                        if (v.test(VmFlags.VM_WRITE)) {
                            fill(p, from, len, 1 + r.nextInt(100));
                        } else {
                            assertThat(mm.touch(p, from, false)).isEqualTo(Access.OK);
                        }
                    }
                    case 4 -> mm.munmap(p, from, len).orThrow();
                    case 5 -> mm.madviseColdOrPageout(p, from, len, true).orThrow();
                    case 6 -> mm.mprotect(p, from, len, r.nextBoolean() ? VmFlags.VM_READ : RW).orThrow();
                    default -> assertThat(mm.touch(p, from, false)).isEqualTo(Access.OK);
                }
            }
            for (Process q : procs) {
                checkSum(q);
            }
        }
        assertThat(machine.vmstat().get(org.pagelab.stat.VmItem.THP_FAULT_ALLOC)
                + mm.mthp().stat(MthpSettings.orderOfKb(64), org.pagelab.memory.MthpStat.ANON_FAULT_ALLOC))
                .as("the workload made large folios").isPositive();
        machine.check();
    }

    /** {@link Smaps#check}, and the printed kB: exact for byte counters, short by under 1 kB a VMA for Pss ones. */
    private void checkSum(Process p) {
        Smaps smaps = new Smaps(machine, p);
        smaps.check();
        if (!p.alive()) {
            return;
        }
        Map<String, Long> rollup = new SmapsRollup(machine, p).fields();
        List<Smaps.Entry> entries = smaps.entries();
        for (String field : entries.isEmpty() ? List.<String>of() : entries.getFirst().fields().keySet()) {
            long sum = entries.stream().mapToLong(e -> e.fields().get(field)).sum();
            if (field.contains("Pss")) {
                assertThat(rollup.get(field) - sum).as("%s of pid %d", field, p.pid()).isBetween(0L, (long) entries.size());
            } else {
                assertThat(sum).as("%s of pid %d", field, p.pid()).isEqualTo(rollup.get(field));
            }
        }
    }
}
