package org.pagelab.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.pagelab.filemap.OpenFile;
import org.pagelab.machine.Machine;
import org.pagelab.phys.MemSize;
import org.pagelab.phys.PhysConfig;
import org.pagelab.testing.SeedSource;
import org.pagelab.testing.Seeds;
import org.pagelab.vma.MapResult;
import org.pagelab.vma.VmFlags;

/**
 * The randomized model test over every kind of mapping: several processes map private and
 * shared anonymous memory and private and shared views of one file at random places, write,
 * read, mprotect, madvise, munmap, fork, exit, page migration of what a range maps and compaction
 * of the whole node; every read is checked byte for byte against a
 * plain reference model, every checker (including the reverse-map checks) runs after each step,
 * the host file must equal the model after each fsync, and free memory returns exactly to its
 * start once every process has exited and the file is gone. The seed is in every failure
 * message; {@code -Dpagelab.seed=N -Dpagelab.seeds=K} runs K seeds from N ({@link Seeds}).
 */
class MixedMappingsModelTest {
    private static final int RW = VmFlags.VM_READ | VmFlags.VM_WRITE;
    private static final int RO = VmFlags.VM_READ;
    private static final int PAGE = (int) MemSize.PAGE_SIZE;
    private static final int FILE_PAGES = 24;
    private static final int WINDOW_PAGES = 64;
    private static final long BASE = 0x10000000L;
    /** Where THP runs map each process a 4 MiB private anonymous region, 2 MiB aligned. */
    private static final long HUGE_BASE = 0x40000000L;
    private static final int HUGE_PAGES = 1024;

    @TempDir
    Path dir;

    /** What one page of one process's address space holds, in the reference model. */
    private sealed interface Cell permits AnonCell, SharedCell, FileCell, PrivateFileCell {
    }

    /** Private anonymous memory: the process's own bytes, copied at fork. */
    private record AnonCell(byte[] data) implements Cell {
    }

    /** Shared anonymous memory: one array for every process that maps the page. */
    private record SharedCell(byte[] data) implements Cell {
    }

    /** A page of the file mapped shared: the file's own bytes. */
    private record FileCell(int index) implements Cell {
    }

    /** A page of the file mapped private: the file's bytes until the first write, then a copy. */
    private static final class PrivateFileCell implements Cell {
        final int index;
        byte[] copy;

        PrivateFileCell(int index, byte[] copy) {
            this.index = index;
            this.copy = copy;
        }
    }

    private static final class Proc {
        final Process p;
        final Map<Long, Cell> cells = new HashMap<>();
        final Map<Long, Integer> prot = new HashMap<>();

        Proc(Process p) {
            this.p = p;
        }
    }

    /**
     * Whether a seed's file system takes large folios: every other pair of seeds, so that both
     * THP settings meet large page-cache folios (the data file's and, under pressure, the
     * ballast's, which reclaim evicts whole and readahead brings back).
     */
    private static boolean largeFoliosOf(long seed) {
        return (seed / 2) % 2 == 0;
    }

    /** A seed's transparent_hugepage setting: odd seeds run with THP, even ones without. */
    private static TransparentHugepage thpOf(long seed) {
        return seed % 2 != 0 ? TransparentHugepage.ALWAYS : TransparentHugepage.NEVER;
    }

    @ParameterizedTest(name = "seed {0}")
    @SeedSource(first = 20261127L, count = 5)
    void everyKindOfMappingReadsBackWhatTheModelSaysAcrossForkAndExit(long seed) throws IOException {
        run(seed, false, thpOf(seed), org.pagelab.reclaim.ReclaimPolicies.DEFAULT);
    }

    /**
     * The same under memory pressure with a swap file: a ballast file larger than memory is read a
     * little every few steps, so reclaim keeps evicting page-cache pages, mapped ones included, and
     * swapping anonymous ones out, with kswapd running between steps; every byte must still read
     * back as the model says.
     */
    @ParameterizedTest(name = "seed {0} {1}")
    @SeedSource(first = 20261127L, count = 5, policies = {"twolist", "mglru"})
    void everyKindOfMappingKeepsItsBytesWhileReclaimEvictsThePageCache(long seed, String policy) throws IOException {
        run(seed, true, thpOf(seed), policy);
    }

    /**
     * With {@code thp} always, each process also starts with a 4 MiB anonymous region that half
     * of the steps aim at, so huge pages are faulted, shared at fork, COW-copied, split by partial
     * munmap, MADV_DONTNEED and reclaim, and mprotected in part.
     */
    private void run(long seed, boolean pressure, TransparentHugepage thp, String policy) throws IOException {
        boolean huge = thp == TransparentHugepage.ALWAYS;
        SplittableRandom rnd = new SplittableRandom(seed);
        byte[] file = new byte[FILE_PAGES * PAGE];
        rnd.nextBytes(file);
        Files.write(dir.resolve("data"), file);
        int ballastBytes = 40 << 20;
        if (pressure) {
            try (var out = Files.newOutputStream(dir.resolve("ballast"))) {
                byte[] chunk = new byte[1 << 20];
                for (int i = 0; i < ballastBytes; i += chunk.length) {
                    rnd.nextBytes(chunk);
                    out.write(chunk);
                }
            }
        }
        try (Machine machine = Machine.boot(PhysConfig.of(MemSize.parse("32M"), true), dir,
                org.pagelab.sim.SimConfig.DEFAULT, policy)) {
            MemoryManager mm = machine.memory();
            mm.setTransparentHugepage(thp);
            machine.vfs().setLargeFolios(largeFoliosOf(seed));
            long free = machine.phys().freePages();
            OpenFile f = machine.vfs().open("data").orThrow();
            OpenFile ballast = pressure ? machine.vfs().open("ballast").orThrow() : null;
            if (pressure) {
                assertThat(machine.swap().swapon("swapfile", 4096, null)).isInstanceOf(org.pagelab.swap.SwaponResult.Ok.class);
            }
            byte[] ballastBuf = new byte[256 << 10];
            long ballastPos = 0;
            long stealAtStart = machine.vmstat().get(org.pagelab.stat.VmItem.PGSTEAL_FILE);
            List<Proc> procs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Proc pr = new Proc(mm.spawn("p" + i));
                if (huge) {
                    mm.mmapAnon(pr.p, HUGE_BASE, (long) HUGE_PAGES * PAGE, RW, false, true).orThrow();
                    for (int k = 0; k < HUGE_PAGES; k++) {
                        pr.cells.put(HUGE_BASE + (long) k * PAGE, new AnonCell(new byte[PAGE]));
                        pr.prot.put(HUGE_BASE + (long) k * PAGE, RW);
                    }
                    // one huge page faulted at the start, so the run covers huge pages for every
                    // seed by construction, not by whether its random steps happen to fault one
                    // (a write fault of zeros: the model's bytes stay as they are)
                    assertThat(mm.touch(pr.p, HUGE_BASE, true)).isEqualTo(Access.OK);
                }
                procs.add(pr);
            }
            for (int step = 0; step < 2500; step++) {
                int who = rnd.nextInt(procs.size());
                Proc pr = procs.get(who);
                Process p = pr.p;
                int first = rnd.nextInt(WINDOW_PAGES);
                int n = 1 + rnd.nextInt(Math.min(8, WINDOW_PAGES - first));
                long addr = huge && rnd.nextBoolean() ? HUGE_BASE + (long) rnd.nextInt(HUGE_PAGES - n + 1) * PAGE
                        : BASE + (long) first * PAGE;
                String where = "seed " + seed + " thp " + thp + " large folios " + largeFoliosOf(seed) + " step " + step
                        + " pid " + p.pid();
                if (pressure) {
                    machine.runKswapd();
                    if (step % 4 == 0) {
                        machine.vfs().pread(ballast, ballastPos, ballastBuf, 0, ballastBuf.length).orThrow();
                        ballastPos = (ballastPos + ballastBuf.length) % ballastBytes;
                    }
                }
                int op = rnd.nextInt(100);
                if (op < 12) {
                    int prot = rnd.nextInt(4) == 0 ? RO : RW;
                    int kind = rnd.nextInt(4);
                    MapResult r;
                    int fileStart = rnd.nextInt(FILE_PAGES - n + 1);
                    switch (kind) {
                        case 0 -> r = mm.mmapAnon(p, addr, (long) n * PAGE, prot, false, true);
                        case 1 -> r = mm.mmapAnon(p, addr, (long) n * PAGE, prot, true, true);
                        default -> r = mm.mmapFile(p, addr, (long) n * PAGE, prot, kind == 2, true, f, (long) fileStart * PAGE);
                    }
                    assertThat(r).as(where).isInstanceOf(MapResult.Mapped.class);
                    for (int k = 0; k < n; k++) {
                        long a = addr + (long) k * PAGE;
                        Cell c = switch (kind) {
                            case 0 -> new AnonCell(new byte[PAGE]);
                            case 1 -> new SharedCell(new byte[PAGE]);
                            case 2 -> new FileCell(fileStart + k);
                            default -> new PrivateFileCell(fileStart + k, null);
                        };
                        pr.cells.put(a, c);
                        pr.prot.put(a, prot);
                    }
                } else if (op < 16) {
                    mm.munmap(p, addr, (long) n * PAGE).orThrow();
                    for (int k = 0; k < n; k++) {
                        pr.cells.remove(addr + (long) k * PAGE);
                        pr.prot.remove(addr + (long) k * PAGE);
                    }
                } else if (op < 20) {
                    boolean all = true;
                    for (int k = 0; k < n; k++) {
                        all &= pr.prot.containsKey(addr + (long) k * PAGE);
                    }
                    int prot = rnd.nextBoolean() ? RW : RO;
                    MapResult r = mm.mprotect(p, addr, (long) n * PAGE, prot);
                    assertThat(r instanceof MapResult.Mapped).as(where + " mprotect").isEqualTo(all);
                    if (all) {
                        for (int k = 0; k < n; k++) {
                            pr.prot.put(addr + (long) k * PAGE, prot);
                        }
                    }
                } else if (op < 23) {
                    mm.madviseDontneed(p, addr, (long) n * PAGE).orThrow();
                    for (int k = 0; k < n; k++) {
                        long a = addr + (long) k * PAGE;
                        switch (pr.cells.get(a)) {
                            case AnonCell ac -> pr.cells.put(a, new AnonCell(new byte[PAGE]));
                            case PrivateFileCell pf -> pf.copy = null;
                            case null, default -> {
                            }
                        }
                    }
                } else if (op < 26) {
                    if (procs.size() < 6) {
                        Process c = mm.fork(p);
                        assertThat(c).as(where).isNotNull();
                        Proc child = new Proc(c);
                        pr.cells.forEach((a, cell) -> child.cells.put(a, switch (cell) {
                            case AnonCell ac -> new AnonCell(ac.data().clone());
                            case PrivateFileCell pf -> new PrivateFileCell(pf.index, pf.copy == null ? null : pf.copy.clone());
                            default -> cell;
                        }));
                        child.prot.putAll(pr.prot);
                        procs.add(child);
                    }
                } else if (op < 28) {
                    if (procs.size() > 1) {
                        mm.exit(p);
                        procs.remove(who);
                    }
                } else if (op < 31) {
                    machine.vfs().fsync(f).orThrow();
                    assertThat(Files.readAllBytes(dir.resolve("data"))).as(where + " host file after fsync").isEqualTo(file);
                } else if (op < 34) {
                    // page migration of whatever the range maps (anon, page cache, shmem, swap cache, huge),
                    // now and then compaction of the whole node
                    if (rnd.nextInt(10) == 0) {
                        machine.compaction().compactNode();
                    } else {
                        MigrateSteps.migrateRange(machine, p, addr, n);
                    }
                } else {
                    long a = addr;
                    Integer prot = pr.prot.get(a);
                    if (prot == null) {
                        continue;
                    }
                    int off = rnd.nextInt(PAGE);
                    int len = Math.min(1 + rnd.nextInt(64), PAGE - off);
                    boolean write = op < 65 && prot == RW;
                    Cell cell = pr.cells.get(a);
                    if (write) {
                        byte[] data = new byte[len];
                        rnd.nextBytes(data);
                        assertThat(mm.write(p, a + off, data, 0, len)).as(where).isEqualTo(Access.OK);
                        switch (cell) {
                            case AnonCell ac -> System.arraycopy(data, 0, ac.data(), off, len);
                            case SharedCell sc -> System.arraycopy(data, 0, sc.data(), off, len);
                            case FileCell fc -> System.arraycopy(data, 0, file, fc.index() * PAGE + off, len);
                            case PrivateFileCell pf -> {
                                if (pf.copy == null) {
                                    pf.copy = Arrays.copyOfRange(file, pf.index * PAGE, pf.index * PAGE + PAGE);
                                }
                                System.arraycopy(data, 0, pf.copy, off, len);
                            }
                        }
                    } else {
                        byte[] got = new byte[len];
                        assertThat(mm.read(p, a + off, got, 0, len)).as(where).isEqualTo(Access.OK);
                        byte[] page = switch (cell) {
                            case AnonCell ac -> ac.data();
                            case SharedCell sc -> sc.data();
                            case FileCell fc -> Arrays.copyOfRange(file, fc.index() * PAGE, fc.index() * PAGE + PAGE);
                            case PrivateFileCell pf -> pf.copy != null ? pf.copy
                                    : Arrays.copyOfRange(file, pf.index * PAGE, pf.index * PAGE + PAGE);
                        };
                        assertThat(got).as(where + " " + cell.getClass().getSimpleName() + " bytes at 0x"
                                + Long.toHexString(a + off)).isEqualTo(Arrays.copyOfRange(page, off, off + len));
                    }
                }
                try {
                    machine.check();
                } catch (IllegalStateException e) {
                    throw new AssertionError(where + ": " + e.getMessage(), e);
                }
            }
            System.out.printf("seed %d thp %s pressure %b: thp_fault_alloc %d, thp_fault_fallback %d, thp_split_page %d,"
                    + " pgmigrate_success %d, pgmigrate_fail %d%n",
                    seed, thp, pressure, machine.vmstat().get(org.pagelab.stat.VmItem.THP_FAULT_ALLOC),
                    machine.vmstat().get(org.pagelab.stat.VmItem.THP_FAULT_FALLBACK),
                    machine.vmstat().get(org.pagelab.stat.VmItem.THP_SPLIT_PAGE),
                    machine.vmstat().get(org.pagelab.stat.VmItem.PGMIGRATE_SUCCESS),
                    machine.vmstat().get(org.pagelab.stat.VmItem.PGMIGRATE_FAIL));
            assertThat(machine.vmstat().get(org.pagelab.stat.VmItem.PGMIGRATE_SUCCESS)).as("seed %d: pages were migrated", seed)
                    .isPositive();
            if (huge) {
                assertThat(machine.vmstat().get(org.pagelab.stat.VmItem.THP_FAULT_ALLOC)).as("seed %d: huge pages were faulted", seed)
                        .isPositive();
            }
            for (Proc pr : procs) {
                mm.exit(pr.p);
            }
            machine.check();
            machine.vfs().fsync(f).orThrow();
            assertThat(Files.readAllBytes(dir.resolve("data"))).as("seed %d: host file at the end", seed).isEqualTo(file);
            machine.vfs().close(f).orThrow();
            machine.vfs().unlink("data").orThrow();
            if (pressure) {
                assertThat(machine.vmstat().get(org.pagelab.stat.VmItem.PGSTEAL_FILE) - stealAtStart)
                        .as("seed %d: reclaim ran", seed).isPositive();
                // a swap-out still in flight at exit holds its slot until the write completes, as in
                // the kernel (fresh seed 8400161: 16 slots); nothing may outlive the I/O
                machine.sim().drainTimers();
                assertThat(machine.swap().devices().inusePages()).as("seed %d: exits free every swap slot", seed).isZero();
                machine.vfs().close(ballast).orThrow();
                machine.vfs().unlink("ballast").orThrow();
            }
            machine.check();
            machine.vmscan().shrinkers().dropSlab(); // the huge zero page goes back when its shrinker runs
            assertThat(machine.phys().freePages()).as("seed %d: free memory returns to its start", seed).isEqualTo(free);
        }
    }
}
