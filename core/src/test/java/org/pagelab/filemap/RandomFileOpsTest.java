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
        SplittableRandom rnd = new SplittableRandom(seed);
        try (Machine m = Machine.boot(PhysConfig.of(MemSize.parse("32M"), true), dir)) {
            Vfs vfs = m.vfs();
            byte[][] ref = new byte[FILES][0];
            OpenFile[] open = new OpenFile[FILES];
            for (int i = 0; i < FILES; i++) {
                open[i] = vfs.create("f" + i, 0).orThrow();
            }
            for (int step = 0; step < 400; step++) {
                int i = rnd.nextInt(FILES);
                OpenFile f = open[i];
                String where = "seed " + seed + " step " + step + " file f" + i;
                int op = rnd.nextInt(100);
                if (op < 35) {
                    int pos = rnd.nextInt(MAX_SIZE);
                    int len = 1 + rnd.nextInt(rnd.nextBoolean() ? 64 : 20_000);
                    len = Math.min(len, MAX_SIZE - pos);
                    byte[] data = new byte[len];
                    rnd.nextBytes(data);
                    assertThat(vfs.pwrite(f, pos, data, 0, len).orThrow()).as(where).isEqualTo(len);
                    if (pos + len > ref[i].length) {
                        ref[i] = Arrays.copyOf(ref[i], pos + len);
                    }
                    System.arraycopy(data, 0, ref[i], pos, len);
                } else if (op < 65) {
                    int pos = rnd.nextInt(MAX_SIZE + 5000);
                    int len = rnd.nextInt(30_000);
                    byte[] buf = new byte[len];
                    long n = vfs.pread(f, pos, buf, 0, len).orThrow();
                    long expectN = Math.max(0, Math.min(len, ref[i].length - (long) pos));
                    assertThat(n).as(where + " read length").isEqualTo(expectN);
                    if (n > 0) {
                        assertThat(Arrays.copyOf(buf, (int) n)).as(where + " read bytes")
                                .isEqualTo(Arrays.copyOfRange(ref[i], pos, pos + (int) n));
                    }
                } else if (op < 75) {
                    int size = rnd.nextInt(MAX_SIZE);
                    vfs.truncate(f, size).orThrow();
                    ref[i] = Arrays.copyOf(ref[i], size);
                } else if (op < 88) {
                    assertThat(vfs.fsync(f).ok()).as(where).isTrue();
                    assertThat(Files.readAllBytes(dir.resolve("f" + i))).as(where + " host file after fsync").isEqualTo(ref[i]);
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
}
