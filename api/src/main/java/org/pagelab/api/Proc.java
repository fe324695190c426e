package org.pagelab.api;

import org.pagelab.filemap.IoResult;
import org.pagelab.memory.Access;
import org.pagelab.memory.MemoryManager;
import org.pagelab.memory.Process;
import org.pagelab.phys.MemSize;
import org.pagelab.vma.MapResult;

/**
 * A process of a {@link Lab}: the operations a scenario step offers, as methods. Each call is one
 * step of the process's task on the simulated CPUs ({@link Lab#nowNs()} moves on by what it costs).
 * Addresses are the process's virtual addresses; lengths are bytes, rounded up to whole pages where
 * the system call rounds them.
 *
 * <p>A system call that fails (mmap, munmap, mprotect, madvise, file I/O) throws
 * {@link SyscallFailedException} naming the call and the errno, and changes nothing. A memory
 * access that kills the process (SIGSEGV, SIGBUS, the OOM killer) is not an exception but the
 * {@link Access} it returns, as a scenario's process dies and the machine goes on.
 *
 * <p>Requires: the process is alive ({@link #alive()}) for every operation but the queries.
 */
public final class Proc {
    private static final int PAGE = MemSize.PAGE_SIZE;

    private final Lab lab;
    private final Process process;

    Proc(Lab lab, Process process) {
        this.lab = lab;
        this.process = process;
    }

    Process process() {
        return process;
    }

    private MemoryManager mm() {
        return lab.machine().memory();
    }

    /**
     * The process id, as /proc/&lt;pid&gt; names it.
     *
     * @return the pid
     */
    public int pid() {
        return process.pid();
    }

    /**
     * The process's name (comm).
     *
     * @return the name
     */
    public String name() {
        return process.name();
    }

    /**
     * Whether the process still runs (not exited, not killed).
     *
     * @return whether the process runs
     */
    public boolean alive() {
        return process.alive();
    }

    /**
     * The signal that killed the process ("SIGSEGV", "SIGKILL", ...), or null while it runs or after exit.
     *
     * @return the signal's name, or null
     */
    public String signal() {
        return process.signal();
    }

    private static long pages(long len) {
        return (len + PAGE - 1) / PAGE * PAGE;
    }

    private static long mapped(MapResult r, String call) {
        return switch (r) {
            case MapResult.Mapped m -> m.addr();
            case MapResult.MapFailed f -> throw new SyscallFailedException(call, f.errno().name());
        };
    }

    /**
     * mmap of {@code len} bytes of private anonymous read-write memory; returns its address.
     *
     * @param len bytes, rounded up to whole pages
     * @return the mapping's address
     */
    public long mmapAnon(long len) {
        return mmap(len, Prot.READ_WRITE, false);
    }

    /**
     * mmap of {@code len} bytes of anonymous memory, {@code shared} (MAP_SHARED) or private; returns its address.
     *
     * @param len bytes, rounded up to whole pages
     * @param prot the protection
     * @param shared MAP_SHARED when true, MAP_PRIVATE when false
     * @return the mapping's address
     */
    public long mmap(long len, Prot prot, boolean shared) {
        return lab.step(process, () -> mapped(mm().mmapAnon(process, 0, pages(len), prot.vmFlags(), shared, false),
                "mmap"));
    }

    /**
     * mmap of {@code len} bytes of {@code file} from byte {@code offset} (a multiple of 4096); returns its address.
     *
     * @param file the file to map
     * @param offset byte offset in the file, a multiple of 4096
     * @param len bytes, rounded up to whole pages
     * @param prot the protection
     * @param shared MAP_SHARED when true, MAP_PRIVATE when false
     * @return the mapping's address
     */
    public long mmapFile(LabFile file, long offset, long len, Prot prot, boolean shared) {
        return lab.step(process, () -> mapped(mm().mmapFile(process, 0, pages(len), prot.vmFlags(), shared, false,
                file.handle(), offset), "mmap"));
    }

    /**
     * munmap of the pages of {@code [addr, addr + len)}.
     *
     * @param addr a virtual address of this process
     * @param len bytes, rounded up to whole pages
     */
    public void munmap(long addr, long len) {
        lab.step(process, () -> mapped(mm().munmap(process, addr, pages(len)), "munmap"));
    }

    /**
     * mprotect of the pages of {@code [addr, addr + len)}.
     *
     * @param addr a virtual address of this process
     * @param len bytes, rounded up to whole pages
     * @param prot the protection
     */
    public void mprotect(long addr, long len, Prot prot) {
        lab.step(process, () -> mapped(mm().mprotect(process, addr, pages(len), prot.vmFlags()), "mprotect"));
    }

    /**
     * madvise of the pages of {@code [addr, addr + len)}.
     *
     * @param addr a virtual address of this process
     * @param len bytes, rounded up to whole pages
     * @param advice the advice
     */
    public void madvise(long addr, long len, Advice advice) {
        long n = pages(len);
        lab.step(process, () -> mapped(switch (advice) {
            case DONTNEED -> mm().madviseDontneed(process, addr, n);
            case COLD -> mm().madviseColdOrPageout(process, addr, n, false);
            case PAGEOUT -> mm().madviseColdOrPageout(process, addr, n, true);
            case HUGEPAGE -> mm().madviseHugepage(process, addr, n, true);
            case NOHUGEPAGE -> mm().madviseHugepage(process, addr, n, false);
            case COLLAPSE -> mm().madviseCollapse(process, addr, n);
        }, "madvise"));
    }

    /**
     * Stores {@code bytes} at {@code addr}, faulting pages in as needed. In metadata mode the pages
     * are touched for writing and the bytes are not kept.
     *
     * @param addr a virtual address of this process
     * @param bytes the bytes to store
     * @return {@link Access#OK}, or how the process died
     */
    public Access write(long addr, byte[] bytes) {
        return lab.step(process, () -> mm().write(process, addr, bytes, 0, bytes.length));
    }

    /**
     * Loads {@code len} bytes from {@code addr}. Throws {@link IllegalStateException} naming the
     * {@link Access} when the load killed the process. In metadata mode the bytes are zeros.
     *
     * @param addr a virtual address of this process
     * @param len bytes, rounded up to whole pages
     * @return the bytes read
     */
    public byte[] read(long addr, int len) {
        byte[] buf = new byte[len];
        Access a = lab.step(process, () -> mm().read(process, addr, buf, 0, len));
        if (a != Access.OK) {
            throw new IllegalStateException("read of " + len + " bytes at 0x" + Long.toHexString(addr) + " by pid "
                    + pid() + ": " + a);
        }
        return buf;
    }

    /**
     * Touches every page of {@code [addr, addr + len)} in order, for reading or writing, as a
     * scenario's touch step does; stops early if the process dies.
     *
     * @param addr a virtual address of this process
     * @param len bytes, rounded up to whole pages
     * @param write true to touch for writing
     * @return {@link Access#OK}, or how the process died
     */
    public Access touch(long addr, long len, boolean write) {
        return lab.step(process, () -> {
            Access a = Access.OK;
            for (long off = 0; off < len && a == Access.OK; off += PAGE) {
                a = mm().touch(process, addr + off, write);
            }
            return a;
        });
    }

    /**
     * fork: a child with this process's memory shared copy-on-write; it runs under the same name.
     *
     * @return the child
     */
    public Proc fork() {
        Process child = lab.step(process, () -> mm().fork(process));
        if (child == null) {
            throw new SyscallFailedException("fork", "ENOMEM");
        }
        return new Proc(lab, child);
    }

    /** exit: the process's memory is freed; its status stays readable as a zombie's. */
    public void exit() {
        lab.step(process, () -> {
            mm().exit(process);
            return null;
        });
    }

    /**
     * Sleeps {@code ns} nanoseconds of simulated time, during which kswapd and the flusher may run.
     *
     * @param ns nanoseconds of simulated time, at least 0
     */
    public void sleep(long ns) {
        if (ns < 0) {
            throw new IllegalArgumentException("sleep of " + ns + " ns");
        }
        lab.step(process, () -> {
            lab.machine().sim().sleepFor(ns);
            return null;
        });
    }

    /**
     * Moves the process to memory cgroup {@code path} (its new charges go there).
     *
     * @param cgroup the memory cgroup's path, such as "/app"
     */
    public void moveTo(String cgroup) {
        lab.step(process, () -> {
            lab.machine().memcg().attach(process, cgroup);
            return null;
        });
    }

    /**
     * Injects a memory failure into the page mapped at {@code addr} (MADV_HWPOISON): the kernel's
     * memory_failure outcome follows, which may kill this process. Returns false when nothing was
     * mapped there.
     *
     * @param addr a virtual address of this process
     * @return whether a page was mapped there
     */
    public boolean poison(long addr) {
        return lab.step(process, () -> lab.machine().memoryFailure().injectAt(process, addr) != null);
    }

    private long io(IoResult r, String call) {
        return switch (r) {
            case IoResult.Done d -> d.bytes();
            case IoResult.Failed f -> throw new SyscallFailedException(call, f.errno().name());
        };
    }

    /**
     * pwrite(2) of {@code bytes} to {@code file} at {@code offset}; in metadata mode only the length counts.
     *
     * @param file a file of this lab
     * @param offset byte offset in the file, a multiple of 4096
     * @param bytes the bytes to store
     */
    public void pwrite(LabFile file, long offset, byte[] bytes) {
        lab.step(process, () -> {
            if (lab.machine().config().dataMode()) {
                return io(lab.machine().vfs().pwrite(file.handle(), offset, bytes, 0, bytes.length), "pwrite");
            }
            file.handle().seekTo(offset);
            return io(lab.machine().vfs().writeDataless(file.handle(), bytes.length), "pwrite");
        });
    }

    /**
     * pread(2) of {@code len} bytes of {@code file} at {@code offset}; fewer at the end of the file.
     *
     * @param file a file of this lab
     * @param offset byte offset in the file, a multiple of 4096
     * @param len bytes, rounded up to whole pages
     * @return the bytes read; fewer than len at the end of the file
     */
    public byte[] pread(LabFile file, long offset, int len) {
        byte[] buf = new byte[len];
        long n = lab.step(process, () -> {
            if (lab.machine().config().dataMode()) {
                return io(lab.machine().vfs().pread(file.handle(), offset, buf, 0, len), "pread");
            }
            file.handle().seekTo(offset);
            return io(lab.machine().vfs().readDataless(file.handle(), len), "pread");
        });
        return n == len ? buf : java.util.Arrays.copyOf(buf, (int) n);
    }

    /**
     * fsync(2) of {@code file}: its dirty pages are written back and waited for.
     *
     * @param file a file of this lab
     */
    public void fsync(LabFile file) {
        lab.step(process, () -> io(lab.machine().vfs().fsync(file.handle()), "fsync"));
    }

    /**
     * /proc/&lt;pid&gt;/status of this process, as text.
     *
     * @return the file's text
     */
    public String status() {
        return lab.read("/proc/" + pid() + "/status");
    }

    @Override
    public String toString() {
        return "pid " + pid() + " (" + name() + ")";
    }
}
