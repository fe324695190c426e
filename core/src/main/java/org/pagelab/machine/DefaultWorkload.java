package org.pagelab.machine;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.pagelab.filemap.IoResult;
import org.pagelab.filemap.OpenFile;
import org.pagelab.filemap.Vfs;
import org.pagelab.memory.Access;
import org.pagelab.memory.MemoryManager;
import org.pagelab.memory.Process;
import org.pagelab.phys.MemSize;
import org.pagelab.vma.VmFlags;

/**
 * The built-in workload of {@code pagelab run} without a scenario: a few files written, read
 * and truncated through the page cache, so that the counters show readahead, writeback and dirty
 * pages. Deterministic for a given seed. In data mode it reads back what it wrote and fails loudly
 * if a byte differs.
 *
 * <p>The steps (the file steps are done by process "file-io", pid 1, which exits after them; each
 * phase runs as steps of its process on the simulated CPUs, kswapd0 taking its turns):
 * <ol>
 *   <li>append 2 MiB of numbered text lines to {@code log/app.log} and fsync it;</li>
 *   <li>write 1,024 records of 8 KiB at random offsets of a 16 MiB {@code db/table.dat}, fsync;</li>
 *   <li>create a 32 MiB {@code media/video.bin} and stream it in 16 KiB reads (readahead ramps up);</li>
 *   <li>read the log back and compare it with what was written;</li>
 *   <li>truncate the table to 8 MiB;</li>
 *   <li>write 1 MiB to {@code tmp/scratch} without fsync, so the run ends with dirty pages;</li>
 *   <li>process "anon-alloc" maps 8 MiB of private anonymous memory, writes a pattern to every page,
 *       reads it back, then unmaps the upper half;</li>
 *   <li>process "forker" maps 2 MiB, writes it, forks; the child writes half the pages (copy-on-write),
 *       each side checks it sees its own bytes, and the child exits.</li>
 * </ol>
 * "anon-alloc" and "forker" stay alive at the end, so their /proc/&lt;pid&gt; files have something to
 * show; closing the machine tears them down. In metadata mode the processes touch their pages
 * instead of writing data, and nothing is read back.
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
        boolean data = machine.config().dataMode();
        SplittableRandom rnd = new SplittableRandom(seed);
        MemoryManager mm = machine.memory();
        Process io = spawn(mm, "file-io");
        machine.step(io, () -> files(machine, rnd, data));
        mm.exit(io);
        Process alloc = spawn(mm, "anon-alloc");
        machine.step(alloc, () -> anonAlloc(machine, alloc, rnd, data));
        forker(machine, rnd, data);
    }

    /** The file part, done by process "file-io", which exits after it. */
    private static void files(Machine machine, SplittableRandom rnd, boolean data) {
        Vfs vfs = machine.vfs();

        OpenFile log = vfs.create("log/app.log", 0).orThrow();
        StringBuilder text = new StringBuilder();
        for (int line = 0; text.length() < (2 << 20); line++) {
            text.append("line ").append(line).append(": the quick brown fox jumps over the lazy dog\n");
        }
        byte[] logBytes = Arrays.copyOf(text.toString().getBytes(StandardCharsets.US_ASCII), 2 << 20);
        for (int off = 0; off < logBytes.length; off += PAGE) {
            write(vfs, log, logBytes, off, Math.min(PAGE, logBytes.length - off), data);
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

    private static final int RW = VmFlags.VM_READ | VmFlags.VM_WRITE;
    private static final int PAGE = (int) MemSize.PAGE_SIZE;

    /** "anon-alloc": 8 MiB mapped, every page written and read back, the upper half unmapped. */
    private static void anonAlloc(Machine machine, Process p, SplittableRandom rnd, boolean data) {
        MemoryManager mm = machine.memory();
        int len = 8 << 20;
        long addr = mm.mmapAnon(p, 0, len, RW, false).orThrow();
        if (data) {
            byte[] pattern = new byte[len];
            rnd.nextBytes(pattern);
            expect(p, mm.write(p, addr, pattern, 0, len), "write");
            byte[] back = new byte[len];
            expect(p, mm.read(p, addr, back, 0, len), "read");
            if (!Arrays.equals(back, pattern)) {
                throw new IllegalStateException(p + ": anonymous memory read back differs from what was written");
            }
        } else {
            for (long off = 0; off < len; off += PAGE) {
                expect(p, mm.touch(p, addr + off, true), "touch");
            }
        }
        mm.munmap(p, addr + len / 2, len / 2).orThrow();
    }

    /**
     * "forker": 2 MiB mapped and written, then a fork; the child writes the even pages (copy-on-write)
     * and exits once both sides have checked their bytes.
     */
    private static void forker(Machine machine, SplittableRandom rnd, boolean data) {
        MemoryManager mm = machine.memory();
        Process parent = spawn(mm, "forker");
        int len = 2 << 20;
        long addr = mm.mmapAnon(parent, 0, len, RW, false).orThrow();
        byte[] mine = new byte[len];
        Process[] child = new Process[1];
        machine.step(parent, () -> {
            if (data) {
                rnd.nextBytes(mine);
                expect(parent, mm.write(parent, addr, mine, 0, len), "write");
            } else {
                for (long off = 0; off < len; off += PAGE) {
                    expect(parent, mm.touch(parent, addr + off, true), "touch");
                }
            }
            child[0] = mm.fork(parent);
            if (child[0] == null) {
                throw new IllegalStateException(parent + ": fork failed for lack of memory");
            }
            machine.taskOf(child[0]); // the child's task starts at the fork
        });
        byte[] childView = mine.clone();
        machine.step(child[0], () -> {
            byte[] page = new byte[PAGE];
            for (int off = 0; off < len; off += 2 * PAGE) {
                if (data) {
                    rnd.nextBytes(page);
                    System.arraycopy(page, 0, childView, off, PAGE);
                    expect(child[0], mm.write(child[0], addr + off, page, 0, PAGE), "write");
                } else {
                    expect(child[0], mm.touch(child[0], addr + off, true), "touch");
                }
            }
        });
        if (data) {
            byte[] back = new byte[len];
            machine.step(parent, () -> {
                expect(parent, mm.read(parent, addr, back, 0, len), "read");
                if (!Arrays.equals(back, mine)) {
                    throw new IllegalStateException(parent + ": sees the child's copy-on-write writes");
                }
            });
            machine.step(child[0], () -> {
                expect(child[0], mm.read(child[0], addr, back, 0, len), "read");
                if (!Arrays.equals(back, childView)) {
                    throw new IllegalStateException(child[0] + ": does not see its own bytes after copy-on-write");
                }
            });
        }
        machine.step(child[0], () -> mm.exit(child[0]));
    }

    private static Process spawn(MemoryManager mm, String name) {
        Process p = mm.spawn(name);
        if (p == null) {
            throw new IllegalStateException("cannot spawn process '" + name + "': out of memory");
        }
        return p;
    }

    private static void expect(Process p, Access a, String what) {
        if (a != Access.OK) {
            throw new IllegalStateException(p + ": " + what + " failed: " + a);
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
