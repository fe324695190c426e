package org.pagelab.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.pagelab.gup.Gup;
import org.pagelab.machine.Machine;
import org.pagelab.phys.MemSize;
import org.pagelab.phys.PhysConfig;
import org.pagelab.stat.VmItem;
import org.pagelab.swap.SwaponResult;
import org.pagelab.testing.SeedSource;
import org.pagelab.testing.Seeds;
import org.pagelab.vma.VmFlags;

/**
 * The randomized model test of transparent huge pages: processes read (the huge zero page) and
 * write 2 MiB-aligned regions full of PMD-mapped huge pages, fork, exit, and cut them with
 * MADV_DONTNEED, munmap and remap, mprotect of parts and of whole 2 MiB ranges, the deferred-split
 * shrinker at a random priority,
 * MADV_PAGEOUT (swap), long pins, page migration of the folios of a range (huge ones whole) and
 * compaction of the whole node, MADV_COLLAPSE, under one of the THP defrag settings (the seed picks
 * it; with always and defer+madvise the faults compact directly and wake kcompactd) and with a
 * random choice of the smaller THP sizes enabled (mTHP folios of 16 KiB to 1 MiB), on a machine small
 * enough that reclaim runs; every read is
 * checked byte for byte against a plain model, the checkers run every few steps, and when all
 * have exited free memory is back where it started. The seed is in every failure message;
 * {@code -Dpagelab.seed=N -Dpagelab.seeds=K} runs K seeds from N ({@link Seeds}).
 */
class ThpModelTest {
    private static final int RW = VmFlags.VM_READ | VmFlags.VM_WRITE;
    private static final int PAGE = (int) MemSize.PAGE_SIZE;
    private static final int REGION_PAGES = 2048; // 8 MiB: four huge pages
    private static final long BASE = 0x40000000L;

    @TempDir
    Path dir;

    private static final class Proc {
        final Process p;
        final Map<Integer, byte[]> pages = new HashMap<>();
        final List<Gup.Held> pins = new ArrayList<>();

        Proc(Process p) {
            this.p = p;
        }
    }

    /** Each seed under both reclaim policies: MGLRU's generations must carry huge folios and their splits too. */
    @ParameterizedTest(name = "seed {0} {1}")
    @SeedSource(first = 20261201L, count = 3, policies = {"twolist", "mglru"})
    void hugePagesKeepEveryByteThroughForkSplitSwapAndPins(long seed, String policy) {
        SplittableRandom rnd = new SplittableRandom(seed);
        try (Machine machine = Machine.boot(PhysConfig.of(MemSize.parse("48M"), true), dir,
                org.pagelab.sim.SimConfig.DEFAULT, policy)) {
            MemoryManager mm = machine.memory();
            assertThat(mm.transparentHugepage()).isEqualTo(TransparentHugepage.ALWAYS);
            mm.setThpDefrag(ThpDefrag.values()[rnd.nextInt(ThpDefrag.values().length)]);
            String sizes = enableRandomSizes(mm, seed);
            long free = machine.phys().freePages();
            assertThat(machine.swap().swapon("swapfile", 64L * 1024 * 1024 / PAGE, null)).isInstanceOf(SwaponResult.Ok.class);
            List<Proc> procs = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                Proc pr = new Proc(mm.spawn("p" + i));
                mm.mmapAnon(pr.p, BASE, (long) REGION_PAGES * PAGE, RW, false, true).orThrow();
                procs.add(pr);
                // coverage by construction, whatever the seed: a read of the last 2 MiB range maps
                // the huge zero page, which the write below splits; a write into each other range
                // faults a huge page, and cutting one page out of the first queues it for a deferred split
                byte[] zeros = new byte[PAGE];
                assertThat(mm.read(pr.p, BASE + (long) (REGION_PAGES - 512) * PAGE, zeros, 0, PAGE)).isEqualTo(Access.OK);
                assertThat(zeros).isEqualTo(new byte[PAGE]);
                for (int k = 0; k < REGION_PAGES; k += 512) {
                    byte[] one = {(byte) (1 + rnd.nextInt(255))};
                    assertThat(mm.write(pr.p, BASE + (long) k * PAGE, one, 0, 1)).isEqualTo(Access.OK);
                    pr.pages.computeIfAbsent(k, x -> new byte[PAGE])[0] = one[0];
                }
                int cut = 1 + rnd.nextInt(511);
                mm.madviseDontneed(pr.p, BASE + (long) cut * PAGE, PAGE).orThrow();
                forget(pr, cut, 1);
            }
            assertThat(machine.vmstat().get(VmItem.THP_FAULT_ALLOC)).as("seed %d: every range written first got a huge page", seed)
                    .isEqualTo(2L * (REGION_PAGES / 512 - 1));
            assertThat(machine.vmstat().get(VmItem.THP_ZERO_PAGE_ALLOC)).as("seed %d: the huge zero page, once", seed).isEqualTo(1);
            assertThat(machine.vmstat().get(VmItem.THP_DEFERRED_SPLIT_PAGE)).as("seed %d", seed).isEqualTo(2);
            for (int step = 0; step < 1500; step++) {
                int who = rnd.nextInt(procs.size());
                Proc pr = procs.get(who);
                Process p = pr.p;
                int first = rnd.nextInt(REGION_PAGES);
                int n = 1 + rnd.nextInt(Math.min(rnd.nextBoolean() ? 4 : 700, REGION_PAGES - first));
                long addr = BASE + (long) first * PAGE;
                long len = (long) n * PAGE;
                String where = "seed " + seed + " step " + step + " pid " + p.pid();
                int op = rnd.nextInt(100);
                if (op < 40) {
                    int off = rnd.nextInt(PAGE);
                    int wlen = (int) Math.min(len - off, 1 + rnd.nextInt(3 * PAGE));
                    if (wlen <= 0) {
                        continue;
                    }
                    byte[] data = new byte[wlen];
                    rnd.nextBytes(data);
                    assertThat(mm.write(p, addr + off, data, 0, wlen)).as(where).isEqualTo(Access.OK);
                    for (int i = 0; i < wlen; i++) {
                        int pos = off + i;
                        pr.pages.computeIfAbsent(first + pos / PAGE, k -> new byte[PAGE])[pos % PAGE] = data[i];
                    }
                } else if (op < 65) {
                    int k = first + rnd.nextInt(n);
                    byte[] got = new byte[PAGE];
                    assertThat(mm.read(p, BASE + (long) k * PAGE, got, 0, PAGE)).as(where).isEqualTo(Access.OK);
                    byte[] want = pr.pages.getOrDefault(k, new byte[PAGE]);
                    assertThat(Arrays.mismatch(got, want)).as(where + " page " + k).isEqualTo(-1);
                } else if (op < 71) {
                    if (procs.size() < 5) {
                        Process c = mm.fork(p);
                        assertThat(c).as(where).isNotNull();
                        Proc child = new Proc(c);
                        pr.pages.forEach((k, v) -> child.pages.put(k, v.clone()));
                        procs.add(child);
                    }
                } else if (op < 75) {
                    if (procs.size() > 1) {
                        machine.gup().unpin(pr.pins);
                        mm.exit(p);
                        procs.remove(who);
                    }
                } else if (op < 80) {
                    mm.madviseDontneed(p, addr, len).orThrow();
                    forget(pr, first, n);
                } else if (op < 84) {
                    if (rnd.nextInt(3) == 0) {
                        // a whole aligned 2 MiB goes (zap_huge_pmd) and its first write faults a new huge page
                        int f0 = first & -512;
                        mm.munmap(p, BASE + (long) f0 * PAGE, 512L * PAGE).orThrow();
                        mm.mmapAnon(p, BASE + (long) f0 * PAGE, 512L * PAGE, RW, false, true).orThrow();
                        forget(pr, f0, 512);
                        byte[] one = {(byte) (1 + rnd.nextInt(255))};
                        assertThat(mm.write(p, BASE + (long) f0 * PAGE, one, 0, 1)).as(where).isEqualTo(Access.OK);
                        pr.pages.computeIfAbsent(f0, x -> new byte[PAGE])[0] = one[0];
                    } else {
                        mm.munmap(p, addr, len).orThrow();
                        mm.mmapAnon(p, addr, len, RW, false, true).orThrow();
                        forget(pr, first, n);
                    }
                } else if (op < 88) {
                    // part of a range, or a whole aligned 2 MiB (change_huge_pmd keeps a PMD whole)
                    long a = rnd.nextBoolean() ? addr : BASE + (long) (first & -512) * PAGE;
                    long l = a == addr ? len : 512L * PAGE;
                    mm.mprotect(p, a, l, VmFlags.VM_READ).orThrow();
                    mm.mprotect(p, a, l, RW).orThrow();
                } else if (op < 92) {
                    mm.madviseColdOrPageout(p, addr, len, true).orThrow();
                } else if (op < 94) {
                    int how = rnd.nextInt(8);
                    if (how == 0) {
                        machine.compaction().compactNode();
                    } else if (how <= 2) {
                        // MADV_COLLAPSE of the 2 MiB around the range: any outcome, every byte kept
                        long h = addr & -HugeMemory.HPAGE_PMD_SIZE;
                        if (mm.madviseCollapse(p, h, HugeMemory.HPAGE_PMD_SIZE) instanceof org.pagelab.vma.MapResult.Mapped) {
                            long pte = p.pageTable().getPte(h);
                            assertThat(machine.phys().memmap().raw(org.pagelab.pgtable.Pte.pfn(pte)).order()).as(where).isEqualTo(9);
                        }
                    } else {
                        MigrateSteps.migrateRange(machine, p, BASE + (long) first * PAGE, n);
                    }
                } else if (op < 97) {
                    int np = Math.min(n, 4);
                    if (machine.gup().pin(p, addr, np, true) instanceof Gup.Got got) {
                        pr.pins.addAll(got.pages());
                    }
                } else if (op < 99) {
                    machine.gup().unpin(pr.pins);
                    pr.pins.clear();
                } else {
                    machine.vmscan().shrinkers().shrinkSlab(rnd.nextInt(13)); // the deferred-split queue's shrinker
                }
                machine.runKswapd();
                machine.runKcompactd();
                if (step % 20 == 0) {
                    try {
                        machine.check();
                    } catch (IllegalStateException e) {
                        throw new AssertionError(where + ": " + e.getMessage(), e);
                    }
                }
            }
            machine.check();
            for (Proc pr : procs) {
                for (Map.Entry<Integer, byte[]> e : pr.pages.entrySet()) {
                    byte[] got = new byte[PAGE];
                    assertThat(mm.read(pr.p, BASE + (long) e.getKey() * PAGE, got, 0, PAGE)).isEqualTo(Access.OK);
                    assertThat(Arrays.mismatch(got, e.getValue())).as("seed %d pid %d page %d at the end", seed,
                            pr.p.pid(), e.getKey()).isEqualTo(-1);
                }
            }
            System.out.printf("ThpModelTest seed %d %s sizes [%s]: thp_collapse_alloc %d, thp_collapse_alloc_failed %d,"
                    + " large folios below 2 MiB faulted %d%n", seed, policy, sizes,
                    machine.vmstat().get(VmItem.THP_COLLAPSE_ALLOC), machine.vmstat().get(VmItem.THP_COLLAPSE_ALLOC_FAILED),
                    mthpAllocs(mm));
            System.out.printf("ThpModelTest seed %d %s: thp_fault_alloc %d, thp_fault_fallback %d, thp_split_pmd %d,"
                            + " thp_deferred_split_page %d, thp_zero_page_alloc %d, thp_split_page %d,"
                            + " thp_split_page_failed %d, pswpout %d, pswpin %d, pgmigrate_success %d, pgmigrate_fail %d,"
                            + " thp_migration_success %d, compact_stall %d, compact_daemon_wake %d%n", seed, mm.thpDefrag().kernelName(),
                    machine.vmstat().get(VmItem.THP_FAULT_ALLOC), machine.vmstat().get(VmItem.THP_FAULT_FALLBACK),
                    machine.vmstat().get(VmItem.THP_SPLIT_PMD), machine.vmstat().get(VmItem.THP_DEFERRED_SPLIT_PAGE),
                    machine.vmstat().get(VmItem.THP_ZERO_PAGE_ALLOC),
                    machine.vmstat().get(VmItem.THP_SPLIT_PAGE), machine.vmstat().get(VmItem.THP_SPLIT_PAGE_FAILED),
                    machine.vmstat().get(VmItem.PSWPOUT), machine.vmstat().get(VmItem.PSWPIN),
                    machine.vmstat().get(VmItem.PGMIGRATE_SUCCESS), machine.vmstat().get(VmItem.PGMIGRATE_FAIL),
                    machine.vmstat().get(VmItem.THP_MIGRATION_SUCCESS), machine.vmstat().get(VmItem.COMPACT_STALL),
                    machine.vmstat().get(VmItem.COMPACT_DAEMON_WAKE));
            assertThat(machine.vmstat().get(VmItem.PGMIGRATE_SUCCESS)).as("seed %d: pages were migrated", seed).isPositive();
            assertThat(machine.vmstat().get(VmItem.THP_FAULT_ALLOC)).as("seed %d: huge pages were faulted", seed).isGreaterThan(3);
            assertThat(machine.vmstat().get(VmItem.THP_SPLIT_PAGE)).as("seed %d: and split", seed).isPositive();
            assertThat(machine.vmstat().get(VmItem.THP_SPLIT_PMD)).as("seed %d: PMDs were split", seed).isPositive();
            for (Proc pr : procs) {
                machine.gup().unpin(pr.pins);
                mm.exit(pr.p);
            }
            machine.check();
            assertThat(machine.swap().devices().inusePages()).as("seed %d: exits free every swap slot", seed).isZero();
            machine.vmscan().shrinkers().dropSlab(); // the huge zero page goes back when its shrinker runs
            assertThat(machine.phys().freePages()).as("seed %d: free memory returns to its start", seed).isEqualTo(free);
        }
    }

    /**
     * Sets a random choice of the sizes below 2 MiB to always or inherit (from a stream of its
     * own, so the steps stay those of the seed); returns them, "64kB=always" each.
     */
    private static String enableRandomSizes(MemoryManager mm, long seed) {
        SplittableRandom r = new SplittableRandom(seed ^ 0x6d746870L);
        List<String> on = new ArrayList<>();
        for (int o = MthpSettings.MIN_ORDER; o < MthpSettings.MAX_ORDER; o++) {
            if (r.nextInt(3) == 0) {
                MthpEnabled e = r.nextBoolean() ? MthpEnabled.ALWAYS : MthpEnabled.INHERIT;
                mm.mthp().setEnabled(o, e);
                on.add(MthpSettings.sizeKb(o) + "kB=" + e.kernelName());
            }
        }
        return String.join(" ", on);
    }

    private static long mthpAllocs(MemoryManager mm) {
        long n = 0;
        for (int o = MthpSettings.MIN_ORDER; o < MthpSettings.MAX_ORDER; o++) {
            n += mm.mthp().stat(o, MthpStat.ANON_FAULT_ALLOC);
        }
        return n;
    }

    private static void forget(Proc pr, int first, int n) {
        for (int k = first; k < first + n; k++) {
            pr.pages.remove(k);
        }
    }
}
