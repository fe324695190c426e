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
import org.pagelab.filemap.DropCaches;
import org.pagelab.filemap.OpenFile;
import org.pagelab.machine.Machine;
import org.pagelab.phys.MemSize;
import org.pagelab.phys.PhysConfig;
import org.pagelab.stat.VmItem;
import org.pagelab.testing.SeedSource;
import org.pagelab.vma.VmFlags;

/**
 * The randomized model of a file in large page-cache folios mapped by PMDs: processes map the
 * whole file, shared or private, at a 2 MiB-aligned address with MADV_HUGEPAGE, so read faults
 * map its 2 MiB folios by PMDs, and then read, write (a shared write splits the PMD and dirties
 * the folio, a private one copies the page), pwrite, mprotect, MADV_DONTNEED, munmap and map
 * again, fork, exit, truncate and extend (which splits the folio the new end cuts), fsync and
 * drop_caches at random. Every read is checked byte for byte against a plain model (the file's
 * bytes, and each private mapping's copied pages), every checker runs after each step, and the
 * host file must equal the model after each fsync. The seed is in every failure message.
 */
class FilePmdModelTest {
    private static final int PAGE = (int) MemSize.PAGE_SIZE;
    private static final int PAGES = 2048;
    private static final long ADDR = 0x40000000L;
    private static final int RW = VmFlags.VM_READ | VmFlags.VM_WRITE;

    @TempDir
    Path dir;

    /** A process, whether its mapping of the file is shared, and its private copies by page. */
    private record Proc(Process p, boolean shared, Map<Integer, byte[]> copies) {
    }

    /**
     * Even seeds run on a smaller machine while a ballast file larger than memory is read 2 MiB a
     * step and kswapd runs: reclaim takes large file folios whole, splitting their PMDs first
     * (TTU_SPLIT_HUGE_PMD), writes the dirty ones whole, and the next access refaults them.
     */
    @ParameterizedTest(name = "seed {0}")
    @SeedSource(first = 20261206L, step = 104729, count = 6)
    void pmdMappedFileFoliosReadBackWhatTheModelSays(long seed) throws IOException {
        run(seed, seed % 2 == 0);
    }

    private void run(long seed, boolean pressure) throws IOException {
        SplittableRandom rnd = new SplittableRandom(seed);
        byte[] file = new byte[PAGES * PAGE];
        rnd.nextBytes(file);
        Files.write(dir.resolve("data"), file);
        int ballastBytes = 40 << 20;
        if (pressure) {
            byte[] chunk = new byte[1 << 20];
            try (var out = Files.newOutputStream(dir.resolve("ballast"))) {
                for (int i = 0; i < ballastBytes; i += chunk.length) {
                    out.write(chunk);
                }
            }
        }
        try (Machine m = Machine.boot(PhysConfig.of(MemSize.parse(pressure ? "32M" : "64M"), true), dir)) {
            MemoryManager mm = m.memory();
            m.vfs().setLargeFolios(true);
            OpenFile f = m.vfs().open("data").orThrow();
            OpenFile ballast = pressure ? m.vfs().open("ballast").orThrow() : null;
            byte[] ballastBuf = new byte[2 << 20];
            long ballastPos = 0;
            List<Proc> procs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                procs.add(map(mm, mm.spawn("p" + i), f, i != 1));
            }
            for (int step = 0; step < 300; step++) {
                String where = "seed " + seed + (pressure ? " under pressure" : "") + " step " + step;
                if (pressure) {
                    m.vfs().pread(ballast, ballastPos, ballastBuf, 0, ballastBuf.length).orThrow();
                    ballastPos = (ballastPos + ballastBuf.length) % ballastBytes;
                    m.runKswapd();
                }
                Proc pr = procs.get(rnd.nextInt(procs.size()));
                int page = rnd.nextInt(PAGES);
                int n = 1 + rnd.nextInt(Math.min(3, PAGES - page));
                long addr = ADDR + (long) page * PAGE;
                int op = rnd.nextInt(100);
                if (op < 40) {
                    int off = rnd.nextInt(PAGE);
                    int len = Math.min(n * PAGE - off, 1 + rnd.nextInt(2 * PAGE));
                    byte[] got = new byte[len];
                    assertThat(mm.read(pr.p(), addr + off, got, 0, len)).as(where).isEqualTo(Access.OK);
                    assertThat(got).as(where + " read at page " + page).isEqualTo(expected(file, pr, page * PAGE + off, len));
                } else if (op < 60) {
                    byte[] data = new byte[1 + rnd.nextInt(n * PAGE)];
                    rnd.nextBytes(data);
                    assertThat(mm.write(pr.p(), addr, data, 0, data.length)).as(where).isEqualTo(Access.OK);
                    for (int k = 0; k < data.length; k++) {
                        int pos = page * PAGE + k;
                        if (pr.shared()) {
                            file[pos] = data[k];
                        } else {
                            pr.copies().computeIfAbsent(pos / PAGE, pg -> Arrays.copyOfRange(file, pg * PAGE, (pg + 1) * PAGE))
                                    [pos % PAGE] = data[k];
                        }
                    }
                } else if (op < 66) {
                    byte[] data = new byte[1 + rnd.nextInt(3 * PAGE)];
                    rnd.nextBytes(data);
                    int pos = rnd.nextInt(file.length - data.length);
                    assertThat(m.vfs().pwrite(f, pos, data, 0, data.length).orThrow()).as(where).isEqualTo(data.length);
                    System.arraycopy(data, 0, file, pos, data.length);
                } else if (op < 71) {
                    mm.mprotect(pr.p(), addr, (long) n * PAGE, VmFlags.VM_READ).orThrow();
                    mm.mprotect(pr.p(), addr, (long) n * PAGE, RW).orThrow();
                } else if (op < 76) {
                    mm.madviseDontneed(pr.p(), addr, (long) n * PAGE).orThrow();
                    dropCopies(pr, page, page + n);
                } else if (op < 80) {
                    mm.munmap(pr.p(), addr, (long) n * PAGE).orThrow();
                    mm.mmapFile(pr.p(), addr, (long) n * PAGE, RW, pr.shared(), true, f, (long) page * PAGE).orThrow();
                    mm.madviseHugepage(pr.p(), addr, (long) n * PAGE, true).orThrow();
                    dropCopies(pr, page, page + n);
                } else if (op < 84 && procs.size() < 5) {
                    Process child = mm.fork(pr.p());
                    assertThat(child).as(where).isNotNull();
                    Map<Integer, byte[]> copies = new HashMap<>();
                    pr.copies().forEach((k, v) -> copies.put(k, v.clone()));
                    procs.add(new Proc(child, pr.shared(), copies));
                } else if (op < 86 && procs.size() > 1) {
                    mm.exit(pr.p());
                    procs.remove(pr);
                } else if (op < 90) {
                    // ftruncate down and back up: the bytes past the cut read as zeros, and every
                    // mapping's pages past it (private copies too) are unmapped
                    long cut = PAGE + rnd.nextLong((long) file.length - PAGE);
                    m.vfs().truncate(f, cut).orThrow();
                    m.vfs().truncate(f, file.length).orThrow();
                    Arrays.fill(file, (int) cut, file.length, (byte) 0);
                    for (Proc q : procs) {
                        dropCopies(q, (int) ((cut + PAGE - 1) / PAGE), PAGES);
                    }
                } else if (op < 95) {
                    assertThat(m.vfs().fsync(f).ok()).as(where).isTrue();
                    assertThat(Files.readAllBytes(dir.resolve("data"))).as(where + " host file after fsync").isEqualTo(file);
                } else {
                    new DropCaches(m.vfs(), m.vmstat()).drop(1);
                }
                try {
                    m.check();
                } catch (IllegalStateException e) {
                    throw new AssertionError(where + ": " + e.getMessage(), e);
                }
            }
            System.out.println("seed " + seed + (pressure ? " under pressure" : "") + ": pgsteal_kswapd "
                    + m.vmstat().get(VmItem.PGSTEAL_KSWAPD) + ", pgsteal_direct " + m.vmstat().get(VmItem.PGSTEAL_DIRECT)
                    + ", workingset_refault_file " + m.vmstat().get(VmItem.WORKINGSET_REFAULT_FILE) + ", thp_file_mapped " + m.vmstat().get(VmItem.THP_FILE_MAPPED)
                    + ", thp_split_pmd " + m.vmstat().get(VmItem.THP_SPLIT_PMD) + ", thp_split_page "
                    + m.vmstat().get(VmItem.THP_SPLIT_PAGE) + ", thp_split_page_failed "
                    + m.vmstat().get(VmItem.THP_SPLIT_PAGE_FAILED));
            assertThat(m.vmstat().get(VmItem.THP_FILE_MAPPED)).as("seed %d mapped file folios by PMDs", seed).isPositive();
            for (Proc pr : procs) {
                mm.exit(pr.p());
            }
            assertThat(m.vmstat().get(VmItem.NR_FILE_PMDMAPPED)).isZero();
            assertThat(m.vfs().fsync(f).ok()).isTrue();
            assertThat(Files.readAllBytes(dir.resolve("data"))).as("seed %d host file at the end", seed).isEqualTo(file);
            m.vfs().close(f).orThrow();
            if (ballast != null) {
                m.vfs().close(ballast).orThrow();
            }
            m.check();
        }
    }

    /** Maps the whole file at {@link #ADDR}, shared or private, with MADV_HUGEPAGE. */
    private static Proc map(MemoryManager mm, Process p, OpenFile f, boolean shared) {
        mm.mmapFile(p, ADDR, (long) PAGES * PAGE, RW, shared, true, f, 0).orThrow();
        mm.madviseHugepage(p, ADDR, (long) PAGES * PAGE, true).orThrow();
        return new Proc(p, shared, new HashMap<>());
    }

    /** The private copies of pages {@code [from, to)} are gone: those pages show the file again. */
    private static void dropCopies(Proc pr, int from, int to) {
        pr.copies().keySet().removeIf(pg -> pg >= from && pg < to);
    }

    /** What {@code len} bytes at file offset {@code pos} read as through {@code pr}'s mapping. */
    private static byte[] expected(byte[] file, Proc pr, int pos, int len) {
        byte[] out = Arrays.copyOfRange(file, pos, pos + len);
        for (int k = 0; k < len; k++) {
            byte[] copy = pr.copies().get((pos + k) / PAGE);
            if (copy != null) {
                out[k] = copy[(pos + k) % PAGE];
            }
        }
        return out;
    }
}
