package org.pagelab.filemap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.pagelab.machine.Machine;
import org.pagelab.phys.MemSize;
import org.pagelab.phys.PhysConfig;
import org.pagelab.testing.SeedSource;
import org.pagelab.testing.Seeds;

/**
 * Random file reads, writes, truncates, fsyncs and reopenings on a small data-mode machine,
 * checked byte for byte against plain byte arrays, with every invariant checker after each step
 * and the host files compared after every fsync and at unmount. A failure message names the seed
 * and step and the command that replays it ({@link Seeds}).
 */
class RandomFileOpsTest {
    private static final int FILES = 4;
    private static final int MAX_SIZE = 300_000;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "seed {0}")
    @SeedSource(first = 20261125L, step = 7919, count = 6)
    void fileContentsMatchAPlainReferenceThroughEveryOperation(long seed) throws IOException {
        run(seed, false);
    }

    /**
     * The same on a file system that takes large folios, with files ten times larger, a
     * readahead window the seed picks (32, 128 or 512 pages) and drop_caches now and then: reads
     * bring in folios of growing order, writes dirty them whole, truncation splits the one it cuts,
     * and every byte must still match.
     */
    @ParameterizedTest(name = "seed {0}")
    @SeedSource(first = 20261206L, step = 7919, count = 6)
    void largeFolioFileContentsMatchAPlainReferenceThroughEveryOperation(long seed) throws IOException {
        run(seed, true);
    }

    private void run(long seed, boolean large) throws IOException {
        SplittableRandom rnd = new SplittableRandom(seed);
        int maxSize = large ? 10 * MAX_SIZE : MAX_SIZE;
        try (Machine m = Machine.boot(PhysConfig.of(MemSize.parse("32M"), true), dir)) {
            Vfs vfs = m.vfs();
            if (large) {
                vfs.setLargeFolios(true);
                vfs.setReadaheadPages(new int[] {32, 128, 512}[rnd.nextInt(3)]);
            }
            byte[][] ref = new byte[FILES][0];
            OpenFile[] open = new OpenFile[FILES];
            for (int i = 0; i < FILES; i++) {
                open[i] = vfs.create("f" + i, 0).orThrow();
            }
            long largeSeen = 0;
            for (int step = 0; step < 400; step++) {
                int i = rnd.nextInt(FILES);
                OpenFile f = open[i];
                String where = "seed " + seed + (large ? " large folios" : "") + " step " + step + " file f" + i;
                int op = rnd.nextInt(100);
                if (op < 35) {
                    int pos = rnd.nextInt(maxSize);
                    int len = 1 + rnd.nextInt(rnd.nextBoolean() ? 64 : 20_000);
                    len = Math.min(len, maxSize - pos);
                    byte[] data = new byte[len];
                    rnd.nextBytes(data);
                    assertThat(vfs.pwrite(f, pos, data, 0, len).orThrow()).as(where).isEqualTo(len);
                    if (pos + len > ref[i].length) {
                        ref[i] = Arrays.copyOf(ref[i], pos + len);
                    }
                    System.arraycopy(data, 0, ref[i], pos, len);
                } else if (op < 65) {
                    int pos = rnd.nextInt(maxSize + 5000);
                    int len = rnd.nextInt(large ? 300_000 : 30_000);
                    byte[] buf = new byte[len];
                    long n = vfs.pread(f, pos, buf, 0, len).orThrow();
                    long expectN = Math.max(0, Math.min(len, ref[i].length - (long) pos));
                    assertThat(n).as(where + " read length").isEqualTo(expectN);
                    if (n > 0) {
                        assertThat(Arrays.copyOf(buf, (int) n)).as(where + " read bytes")
                                .isEqualTo(Arrays.copyOfRange(ref[i], pos, pos + (int) n));
                    }
                } else if (op < 75) {
                    int size = rnd.nextInt(maxSize);
                    vfs.truncate(f, size).orThrow();
                    ref[i] = Arrays.copyOf(ref[i], size);
                } else if (op < 88) {
                    assertThat(vfs.fsync(f).ok()).as(where).isTrue();
                    assertThat(Files.readAllBytes(dir.resolve("f" + i))).as(where + " host file after fsync").isEqualTo(ref[i]);
                } else if (large && op < 91) {
                    new DropCaches(vfs, m.vmstat()).drop(1);
                } else {
                    vfs.close(f).orThrow();
                    open[i] = vfs.open("f" + i).orThrow();
                    assertThat(open[i].inode().size()).as(where).isEqualTo(ref[i].length);
                }
                try {
                    m.check();
                } catch (IllegalStateException e) {
                    throw new AssertionError(where + ": " + e.getMessage(), e);
                }
                largeSeen += largeFolios(vfs);
            }
            if (large) {
                System.out.println("seed " + seed + " large folios: " + largeSeen + " folio-steps, thp_split_page "
                        + m.vmstat().get(org.pagelab.stat.VmItem.THP_SPLIT_PAGE));
                assertThat(largeSeen).as("seed %d: the run held large folios", seed).isPositive();
            }
            for (OpenFile f : open) {
                vfs.close(f).orThrow();
            }
            assertThat(vfs.unmount().ok()).isTrue();
            m.check();
            for (int i = 0; i < FILES; i++) {
                assertThat(Files.readAllBytes(dir.resolve("f" + i))).as("seed " + seed + " f" + i + " after unmount").isEqualTo(ref[i]);
            }
            assertThat(m.phys().freePages()).as("seed %d: all page cache freed at unmount", seed)
                    .isEqualTo(m.phys().managedPages() - m.slab().reclaimablePages() - m.slab().unreclaimablePages());
        }
    }

    /** Large folios in the page caches of {@code vfs}'s files now. */
    private static long largeFolios(Vfs vfs) {
        long[] n = {0};
        vfs.forEachInode(inode -> inode.mapping().index().forEach(0, Long.MAX_VALUE, (i, e) -> {
            if (e instanceof org.pagelab.desc.Folio folio && folio.index() == i && folio.nrPages() > 1) {
                n[0]++;
            }
            return true;
        }));
        return n[0];
    }
}
