package org.pagelab.machine;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.pagelab.filemap.IoResult;
import org.pagelab.filemap.OpenFile;
import org.pagelab.filemap.Vfs;

/**
 * The built-in workload of {@code pagelab run} without a scenario: a few files written, read
 * and truncated through the page cache, so that the counters show readahead, writeback and dirty
 * pages. Deterministic for a given seed. In data mode it reads back what it wrote and fails loudly
 * if a byte differs.
 *
 * <p>The steps:
 * <ol>
 *   <li>append 2 MiB of numbered text lines to {@code log/app.log} and fsync it;</li>
 *   <li>write 1,024 records of 8 KiB at random offsets of a 16 MiB {@code db/table.dat}, fsync;</li>
 *   <li>create a 32 MiB {@code media/video.bin} and stream it in 16 KiB reads (readahead ramps up);</li>
 *   <li>read the log back and compare it with what was written;</li>
 *   <li>truncate the table to 8 MiB;</li>
 *   <li>write 1 MiB to {@code tmp/scratch} without fsync, so the run ends with dirty pages.</li>
 * </ol>
 */
public final class DefaultWorkload {
    private DefaultWorkload() {
    }

    /** Runs the workload on {@code machine} with seed 1. */
    public static void run(Machine machine) {
        run(machine, 1);
    }

    /** Runs the workload on {@code machine} with {@code seed}. */
    public static void run(Machine machine, long seed) {
        Vfs vfs = machine.vfs();
        boolean data = machine.config().dataMode();
        SplittableRandom rnd = new SplittableRandom(seed);

        OpenFile log = vfs.create("log/app.log", 0).orThrow();
        StringBuilder text = new StringBuilder();
        for (int line = 0; text.length() < (2 << 20); line++) {
            text.append("line ").append(line).append(": the quick brown fox jumps over the lazy dog\n");
        }
        byte[] logBytes = Arrays.copyOf(text.toString().getBytes(StandardCharsets.US_ASCII), 2 << 20);
        for (int off = 0; off < logBytes.length; off += 4096) {
            write(vfs, log, logBytes, off, Math.min(4096, logBytes.length - off), data);
        }
        vfs.fsync(log).orThrow();

        OpenFile table = vfs.create("db/table.dat", 16 << 20).orThrow();
        byte[] record = new byte[8192];
        for (int i = 0; i < 1024; i++) {
            rnd.nextBytes(record);
            long off = (long) rnd.nextInt((16 << 20) / 8192) * 8192;
            if (data) {
                vfs.pwrite(table, off, record, 0, record.length).orThrow();
            } else {
                vfs.writeDataless(positioned(table, off), record.length).orThrow();
            }
        }
        vfs.fsync(table).orThrow();

        OpenFile video = vfs.create("media/video.bin", 32 << 20).orThrow();
        byte[] chunk = new byte[16384];
        long got;
        do {
            got = data ? vfs.read(video, chunk, 0, chunk.length).orThrow() : vfs.readDataless(video, chunk.length).orThrow();
        } while (got > 0);

        if (data) {
            byte[] back = new byte[logBytes.length];
            OpenFile again = vfs.open("log/app.log").orThrow();
            long n = 0;
            while (n < back.length) {
                long r = vfs.read(again, back, (int) n, (int) Math.min(65536, back.length - n)).orThrow();
                if (r == 0) {
                    break;
                }
                n += r;
            }
            if (n != back.length || !Arrays.equals(back, logBytes)) {
                throw new IllegalStateException("log/app.log read back differs from what was written");
            }
            vfs.close(again).orThrow();
        }

        vfs.truncate(table, 8 << 20).orThrow();

        OpenFile scratch = vfs.create("tmp/scratch", 0).orThrow();
        byte[] junk = new byte[65536];
        for (int i = 0; i < 16; i++) {
            rnd.nextBytes(junk);
            write(vfs, scratch, junk, 0, junk.length, data);
        }
        for (OpenFile f : new OpenFile[] {log, table, video, scratch}) {
            vfs.close(f).orThrow();
        }
    }

    private static void write(Vfs vfs, OpenFile f, byte[] b, int off, int len, boolean data) {
        IoResult r = data ? vfs.write(f, b, off, len) : vfs.writeDataless(f, len);
        r.orThrow();
    }

    private static OpenFile positioned(OpenFile f, long pos) {
        f.seekTo(pos);
        return f;
    }
}
