package org.pagelab.proc;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.pagelab.machine.Machine;
import org.pagelab.memory.Process;

/**
 * The /proc files of one machine, read by path as {@code cat} would read them.
 *
 * <p>The files are rendered at each read from the machine's current counters. The registry below
 * lists every machine-wide file pagelab provides, in the order {@link #paths()} reports them. Each
 * process of the machine's memory manager also has {@code /proc/<pid>/status},
 * {@code /proc/<pid>/smaps} and {@code /proc/<pid>/smaps_rollup} ({@link #PID_FILES_READABLE}).
 */
public final class ProcFs {
    private static final Map<String, Function<Machine, String>> FILES = registry();

    /** The per-process files reports show, as the name after {@code /proc/<pid>/}. */
    public static final List<String> PID_FILES = List.of("status", "smaps_rollup");

    /** Every per-process file {@link #read} takes: {@link #PID_FILES} and smaps (a block per VMA, which reports leave out). */
    public static final List<String> PID_FILES_READABLE = List.of("status", "smaps", "smaps_rollup");

    private final Machine machine;
    private final boolean runOver;

    /** The /proc of {@code machine} during a run. */
    public ProcFs(Machine machine) {
        this(machine, false);
    }

    private ProcFs(Machine machine, boolean runOver) {
        this.machine = machine;
        this.runOver = runOver;
    }

    /**
     * The /proc of {@code machine} once its run is over, for reports: a live process has done all
     * its work, so its status says "S (sleeping)" ({@link PidStatus#stateAfterRun()}).
     */
    public static ProcFs afterRun(Machine machine) {
        return new ProcFs(machine, true);
    }

    private static Map<String, Function<Machine, String>> registry() {
        Map<String, Function<Machine, String>> m = new LinkedHashMap<>();
        m.put("/proc/meminfo", mc -> new Meminfo(mc).render());
        m.put("/proc/vmstat", mc -> new Vmstat(mc).render());
        m.put("/proc/buddyinfo", mc -> new Buddyinfo(mc).render());
        m.put("/proc/zoneinfo", mc -> new Zoneinfo(mc).render());
        m.put("/proc/pagetypeinfo", mc -> new Pagetypeinfo(mc).render());
        m.put("/proc/swaps", mc -> new org.pagelab.swap.ProcSwaps(mc.swap().devices()).render());
        m.put("/proc/pressure/memory", mc -> new org.pagelab.psi.Pressure(mc.psi().system(), org.pagelab.psi.PsiResource.MEMORY).render());
        m.put("/proc/pressure/io", mc -> new org.pagelab.psi.Pressure(mc.psi().system(), org.pagelab.psi.PsiResource.IO).render());
        // the transparent_hugepage settings ("[always] madvise never"), per size too, and their counters
        ThpSysfs.register(m);
        // the fragmentation indexes of every populated zone, per order (mm/vmstat.c, debugfs)
        m.put("/sys/kernel/debug/extfrag/extfrag_index", mc -> Extfrag.render(mc, true));
        m.put("/sys/kernel/debug/extfrag/unusable_index", mc -> Extfrag.render(mc, false));
        // the multi-generational LRU: its capabilities word (core and page-table walk when it runs,
        // as lru_gen's show_enabled prints them) and its debugfs dumps of the generations
        m.put("/sys/kernel/mm/lru_gen/enabled", mc -> mglru(mc) == null ? "0x0000\n" : "0x0003\n");
        m.put(MIN_TTL_MS, mc -> (mglru(mc) == null ? 0 : mglru(mc).minTtlNanos() / 1_000_000) + "\n");
        m.put(COMPACTION_PROACTIVENESS, mc -> mc.kcompactd().proactiveness() + "\n");
        m.put("/sys/kernel/debug/lru_gen", mc -> lruGen(mc, false));
        m.put("/sys/kernel/debug/lru_gen_full", mc -> lruGen(mc, true));
        return m;
    }

    /** The multi-generational LRU's min_ttl, a file {@link #write} takes. */
    public static final String MIN_TTL_MS = "/sys/kernel/mm/lru_gen/min_ttl_ms";
    /** vm.compaction_proactiveness, a file {@link #write} takes. */
    public static final String COMPACTION_PROACTIVENESS = "/proc/sys/vm/compaction_proactiveness";

    private static final Map<String, BiConsumer<Machine, String>> WRITERS = writers();

    private static Map<String, BiConsumer<Machine, String>> writers() {
        Map<String, BiConsumer<Machine, String>> w = new LinkedHashMap<>();
        ThpSysfs.registerWriters(w);
        w.put(MIN_TTL_MS, (mc, v) -> {
            long ms = parseUint(v, "an unsigned number of milliseconds");
            org.pagelab.mglru.MglruPolicy p = mglru(mc);
            if (p != null) {
                p.setMinTtlNanos(ms * 1_000_000L);
            }
        });
        w.put(COMPACTION_PROACTIVENESS, (mc, v) -> {
            long percent = parseUint(v, "a number");
            if (percent > org.pagelab.compaction.Compaction.MAX_PROACTIVENESS) {
                throw new IllegalArgumentException("expected 0.." + org.pagelab.compaction.Compaction.MAX_PROACTIVENESS);
            }
            mc.kcompactd().setProactiveness((int) percent);
        });
        return w;
    }

    /** The paths {@link #write} takes. */
    public static List<String> writablePaths() {
        return List.copyOf(WRITERS.keySet());
    }

    /**
     * {@code echo TEXT > PATH}: the writable files ({@link #writablePaths()}, one trailing
     * newline allowed) are the transparent_hugepage settings (enabled, defrag,
     * hugepages-&lt;N&gt;kB/enabled: one of the choices the file lists; use_zero_page: 0 or 1) and
     * khugepaged's tunables, /sys/kernel/mm/lru_gen/min_ttl_ms (an unsigned number of milliseconds, decimal,
     * 0x hex or 0 octal as the kernel's kstrtouint reads it) and
     * /proc/sys/vm/compaction_proactiveness (0..100; a non-zero value also makes kcompactd check for
     * proactive work at once). The two-list LRU has no min_ttl: there the write is accepted and has
     * no effect, and the file reads 0. Bad text, or any other path, is an
     * {@link IllegalArgumentException} naming the path and the value.
     */
    public void write(String path, String text) {
        BiConsumer<Machine, String> w = WRITERS.get(path);
        if (w == null) {
            throw new IllegalArgumentException("cannot write '" + path + "': not a writable file of pagelab's /proc and"
                    + " /sys; the writable files are " + String.join(", ", writablePaths()));
        }
        String t = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        try {
            w.accept(machine, t);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot write '" + t + "' to " + path + ": " + e.getMessage() + " (EINVAL)", e);
        }
    }

    /**
     * kstrtouint with base 0: decimal, 0x hex or 0 octal. Throws an {@link IllegalArgumentException}
     * saying what was expected ({@code what}) for anything else or a value over 32 bits.
     */
    private static long parseUint(String t, String what) {
        int radix = 10;
        String digits = t;
        if (t.startsWith("0x") || t.startsWith("0X")) {
            radix = 16;
            digits = t.substring(2);
        } else if (t.length() > 1 && t.startsWith("0")) {
            radix = 8;
            digits = t.substring(1);
        }
        long v = -1;
        if (!digits.isEmpty() && digits.chars().allMatch(c -> Character.digit(c, 16) >= 0) && digits.length() <= 32) {
            try {
                v = Long.parseLong(digits, radix);
            } catch (NumberFormatException e) {
                v = -1;
            }
        }
        if (v < 0 || v > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("expected " + what + " up to 4294967295");
        }
        return v;
    }

    private static org.pagelab.mglru.MglruPolicy mglru(Machine mc) {
        return mc.vmscan().policy() instanceof org.pagelab.mglru.MglruPolicy p ? p : null;
    }

    /** lru_gen(_full): the generations of each cgroup under the multi-generational LRU; only the headers otherwise. */
    private static String lruGen(Machine mc, boolean full) {
        org.pagelab.mglru.MglruPolicy p = mglru(mc);
        if (p == null) {
            StringBuilder sb = new StringBuilder();
            for (org.pagelab.memcg.MemCgroup c : mc.memcg().all()) {
                sb.append(String.format(java.util.Locale.ROOT, "memcg %5d %s%n node %5d%n", c.id(), c.path(), 0));
            }
            return sb.toString();
        }
        return org.pagelab.mglru.LruGenDump.render(p, mc.memcg(), mc.sim().now(), full);
    }

    /** The paths of the files pagelab provides. */
    public static List<String> paths() {
        return List.copyOf(FILES.keySet());
    }

    /**
     * The text of the file at {@code path}. Throws {@link IllegalArgumentException} naming the path
     * and the known paths when pagelab has no such file.
     */
    public String read(String path) {
        Function<Machine, String> f = FILES.get(path);
        if (f == null) {
            String pidFile = readPidFile(path);
            if (pidFile != null) {
                return pidFile;
            }
            throw new IllegalArgumentException("no such file '" + path + "' in pagelab's /proc; known files: "
                    + String.join(", ", FILES.keySet()));
        }
        return f.apply(machine);
    }

    /** The text of a per-process file, or null when {@code path} is not of the form /proc/<pid>/<file>. */
    private String readPidFile(String path) {
        String[] parts = path.split("/", -1);
        if (parts.length != 4 || !parts[0].isEmpty() || !parts[1].equals("proc") || !PID_FILES_READABLE.contains(parts[3])
                || parts[2].isEmpty() || !parts[2].chars().allMatch(c -> c >= '0' && c <= '9') || parts[2].length() > 9) {
            return null;
        }
        Process p = process(machine, Integer.parseInt(parts[2]));
        if (parts[3].equals("status")) {
            return new PidStatus(p).render(runOver);
        }
        if (!p.alive()) {
            throw new IllegalArgumentException("cannot read '" + path + "': pid " + p.pid()
                    + " has no address space (ESRCH: it is a zombie)");
        }
        return parts[3].equals("smaps") ? new Smaps(machine, p).render() : new SmapsRollup(machine, p).render();
    }

    /**
     * The process {@code pid} of {@code machine}'s memory manager. Throws
     * {@link IllegalArgumentException} (ENOENT) when no such process was ever spawned.
     */
    public static Process process(Machine machine, int pid) {
        Process p = machine.memory().processes().get(pid);
        if (p == null) {
            throw new IllegalArgumentException("no such file: pagelab has no process " + pid
                    + " (ENOENT); known pids: " + machine.memory().processes().keySet());
        }
        return p;
    }
}
