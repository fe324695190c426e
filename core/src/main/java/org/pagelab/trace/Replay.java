package org.pagelab.trace;

import java.util.HashMap;
import java.util.Map;
import org.pagelab.filemap.OpenFile;
import org.pagelab.machine.Machine;
import org.pagelab.memory.Access;
import org.pagelab.memory.MemoryManager;
import org.pagelab.memory.Process;
import org.pagelab.phys.MemSize;
import org.pagelab.policy.LongIntMap;
import org.pagelab.vma.MapResult;
import org.pagelab.vma.Mm;
import org.pagelab.vma.VmFlags;

/**
 * Replays a trace on a whole machine, in data-less touch mode. Each pid of the trace is a process
 * (pid 0, or a trace without pids, is one process named after the trace); a memory access touches
 * its page, mapping on first use the 2 MiB-aligned chunk around it as private anonymous memory
 * (traces do not say how their programs mapped memory, so every page is anonymous); a block access
 * reads or writes that page of one file, {@value #BLOCK_FILE}, through the page cache. Records run
 * in trace order, in steps of up to {@value #STEP_RECORDS} consecutive records of one process on
 * the simulated CPUs, so faults, reclaim and I/O cost simulated time.
 */
public final class Replay {
    /** Records a process runs per scheduling step. */
    public static final int STEP_RECORDS = 64;
    /** The file that block traces address, one 4 KiB block per page. */
    public static final String BLOCK_FILE = "trace-blocks";
    /** Size of the anonymous chunks mapped on first use. */
    public static final long CHUNK = 2L << 20;
    /** Largest block number a block trace may use (the file's size in pages). */
    public static final long MAX_BLOCKS = 1L << 30;

    /** What a replay did. */
    public record Result(long records, long memoryAccesses, long blockAccesses, int processes, long killed) {
    }

    /** Progress reports, every so many records. */
    @FunctionalInterface
    public interface Progress {
        void update(long records);
    }

    private final Machine machine;
    private final MemoryManager mm;
    private final Map<Integer, Process> processes = new HashMap<>();
    /** Per process, the chunks mapped so far (as keys; the values mean nothing). */
    private final Map<Process, LongIntMap> chunks = new HashMap<>();
    /** The last chunk touched and its process's set: consecutive records mostly stay in one chunk. */
    private Process lastProcess;
    private LongIntMap lastChunks;
    private long lastChunk = -1;
    private OpenFile blockFile;
    private final byte[] page = new byte[(int) MemSize.PAGE_SIZE];
    private long recordNo;

    public Replay(Machine machine) {
        this.machine = machine;
        this.mm = machine.memory();
    }

    private String cgroup;

    /** Puts the processes the replay spawns from now on in the memory cgroup at {@code path} (null: the root). */
    public void setCgroup(String path) {
        this.cgroup = path;
    }

    /** Replays every record of {@code reader}; calls {@code progress} every 2^16 records. */
    public Result run(TraceReader reader, Progress progress) {
        long records = 0;
        long mem = 0;
        long blocks = 0;
        boolean more = reader.next();
        while (more) {
            int pid = reader.pid();
            Process p = process(pid, reader.file());
            if (!p.alive()) {
                more = reader.next(); // a process the OOM killer took: the rest of its records go nowhere
                records++;
                recordNo++;
                continue;
            }
            long[] done = {0, 0, 0};
            boolean[] next = {true};
            machine.step(p, () -> {
                int n = 0;
                do {
                    recordNo++;
                    if (reader.kind() == org.pagelab.trace.Access.Kind.MEMORY) {
                        touch(p, reader.key(), reader.write(), reader);
                        done[1]++;
                    } else {
                        block(reader.key(), reader.write(), reader);
                        done[2]++;
                    }
                    done[0]++;
                    n++;
                    next[0] = reader.next();
                } while (next[0] && n < STEP_RECORDS && reader.pid() == pid && p.alive());
            });
            more = next[0];
            records += done[0];
            mem += done[1];
            blocks += done[2];
            if (progress != null && (records >>> 16) != ((records - done[0]) >>> 16)) {
                progress.update(records);
            }
        }
        long killed = processes.values().stream().filter(q -> !q.alive()).count();
        return new Result(records, mem, blocks, processes.size(), killed);
    }

    private Process process(int pid, String file) {
        return processes.computeIfAbsent(pid, k -> {
            String name = pid == 0 ? shortName(file) : "pid" + pid;
            Process p = mm.spawn(name);
            if (p == null) {
                throw new IllegalStateException("cannot spawn a process for trace pid " + pid + ": out of memory");
            }
            chunks.put(p, new LongIntMap(16));
            if (cgroup != null) {
                machine.memcg().attach(p, cgroup);
            }
            return p;
        });
    }

    private static String shortName(String file) {
        String n = file.substring(file.lastIndexOf('/') + 1);
        return n.length() > 15 ? n.substring(0, 15) : n;
    }

    private void touch(Process p, long addr, boolean write, TraceReader reader) {
        if (addr < Mm.MMAP_MIN_ADDR || addr >= Mm.TASK_SIZE) {
            throw reader.errorAtRecord("record " + recordNo + ": address 0x" + Long.toHexString(addr)
                    + " is outside user space (0x" + Long.toHexString(Mm.MMAP_MIN_ADDR) + " to 0x"
                    + Long.toHexString(Mm.TASK_SIZE) + ")");
        }
        long chunk = addr & -CHUNK;
        if (p != lastProcess || chunk != lastChunk) {
            mapChunk(p, chunk);
        }
        Access a = mm.touch(p, addr, write);
        if (a != Access.OK && a != Access.OOM && a != Access.DEAD) {
            throw new IllegalStateException("replayed access at 0x" + Long.toHexString(addr) + " of " + p + " failed: " + a);
        }
    }

    /** Maps {@code chunk} into {@code p} unless it is mapped already, and makes it the last chunk touched. */
    private void mapChunk(Process p, long chunk) {
        LongIntMap mapped = p == lastProcess ? lastChunks : chunks.get(p);
        lastProcess = p;
        lastChunks = mapped;
        lastChunk = chunk;
        if (mapped.get(chunk) == LongIntMap.MISSING) {
            mapped.put(chunk, 0);
            long start = Math.max(chunk, Mm.MMAP_MIN_ADDR);
            long end = Math.min(chunk + CHUNK, Mm.TASK_SIZE);
            MapResult r = mm.mmapAnon(p, start, end - start, VmFlags.VM_READ | VmFlags.VM_WRITE, true);
            if (!(r instanceof MapResult.Mapped)) {
                throw new IllegalStateException("cannot map 0x" + Long.toHexString(start) + " for the trace: " + r);
            }
        }
    }

    private void block(long blockNo, boolean write, TraceReader reader) {
        if (blockNo < 0 || blockNo >= MAX_BLOCKS) {
            throw reader.errorAtRecord("record " + recordNo + ": block " + blockNo + " is outside 0.."
                    + (MAX_BLOCKS - 1));
        }
        if (blockFile == null) {
            blockFile = machine.vfs().create(BLOCK_FILE, MAX_BLOCKS * MemSize.PAGE_SIZE).orThrow();
        }
        long pos = blockNo * MemSize.PAGE_SIZE;
        boolean data = machine.config().dataMode();
        if (write) {
            if (data) {
                machine.vfs().pwrite(blockFile, pos, page, 0, page.length);
            } else {
                blockFile.seekTo(pos);
                machine.vfs().writeDataless(blockFile, page.length);
            }
        } else if (data) {
            machine.vfs().pread(blockFile, pos, page, 0, page.length);
        } else {
            blockFile.seekTo(pos);
            machine.vfs().readDataless(blockFile, page.length);
        }
    }

    /** Closes the block file, if the trace used one. */
    public void close() {
        if (blockFile != null && !blockFile.isClosed()) {
            machine.vfs().close(blockFile);
        }
    }
}
