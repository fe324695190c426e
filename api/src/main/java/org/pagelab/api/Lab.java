package org.pagelab.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.pagelab.filemap.OpenFile;
import org.pagelab.filemap.OpenResult;
import org.pagelab.machine.Machine;
import org.pagelab.memcg.MemCgroup;
import org.pagelab.memcg.MemcgFiles;
import org.pagelab.memcg.MemoryCgroups;
import org.pagelab.memory.Process;
import org.pagelab.phys.MemSize;
import org.pagelab.phys.PhysConfig;
import org.pagelab.proc.Meminfo;
import org.pagelab.proc.ProcFs;
import org.pagelab.proc.Vmstat;
import org.pagelab.report.RunReport;
import org.pagelab.scenario.Scenario;
import org.pagelab.scenario.ScenarioRunner;
import org.pagelab.sim.SimConfig;

/**
 * One simulated machine driven from Java: the entry point of the API. A lab is built with
 * {@link #builder()}, runs the processes {@link #spawn spawned} on it one operation at a time (each
 * operation is one step of the process's task on the simulated CPUs, so kswapd and the flusher take
 * their turns and every operation costs simulated time), and reads every output the command line
 * prints: the /proc files and the memory.* files as text ({@link #read}) or as values
 * ({@link #meminfo()}, {@link #vmstat()}, {@link #memoryStat}), and the report of {@code pagelab run}
 * as text ({@link #report()}) or JSON ({@link #json()}).
 *
 * <p>A lab is single-threaded and deterministic: the same calls on the same builder settings give
 * the same outputs, byte for byte. It holds off-heap memory (data mode) and a working directory on
 * the host; {@link #close()} releases both.
 *
 * <p>Requires: a lab is used by one thread at a time; nothing is called after {@link #close()}.
 */
public final class Lab implements AutoCloseable {
    private final Machine machine;
    private final long seed;
    private final Path ownedWorkdir;
    private final Path chosenWorkdir;
    private final Map<String, LabFile> files = new LinkedHashMap<>();
    private final List<ScenarioRunner.Mark> marks = new ArrayList<>();

    private Lab(Machine machine, long seed, Path ownedWorkdir, Path chosenWorkdir) {
        this.machine = machine;
        this.seed = seed;
        this.ownedWorkdir = ownedWorkdir;
        this.chosenWorkdir = chosenWorkdir;
    }

    /**
     * A builder of a lab with the defaults of {@code pagelab run}: 256M of memory, data mode, no swap, 2 CPUs.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The settings of a machine, set one by one, then {@link #boot()}ed. Every setting left out
     * keeps the default {@code pagelab run} has, which is the kernel's default where the kernel has
     * one (swappiness 60, workingset detection on, transparent_hugepage always, the two-list LRU).
     * A value the machine cannot have is refused by {@link IllegalArgumentException} naming it.
     */
    public static final class Builder {
        private long memoryBytes = 256L << 20;
        private boolean dataMode = true;
        private long swapBytes;
        private boolean swapRotational;
        private int cpus = 2;
        private Integer swappiness;
        private Integer pageCluster;
        private Boolean workingset;
        private Thp thp;
        private boolean largeFolios;
        private final Map<Integer, ThpSize> thpSizes = new LinkedHashMap<>();
        private String reclaimPolicy = org.pagelab.reclaim.ReclaimPolicies.DEFAULT;
        private final List<String> tmpfs = new ArrayList<>();
        private final Map<String, Map<String, String>> cgroups = new LinkedHashMap<>();
        private long seed = 1;
        private Path workdir;

        private Builder() {
        }

        /**
         * Memory of the machine, as {@code --memory} takes it: {@code "64M"}, {@code "8G"}, bytes.
         *
         * @param size a size with an optional K, M, G or T suffix
         * @return this builder
         */
        public Builder memory(String size) {
            long bytes = MemSize.parse(size);
            PhysConfig.checkMemory(bytes);
            this.memoryBytes = bytes;
            return this;
        }

        /**
         * Frames hold no bytes ({@code --mode metadata}): for large machines and traces; reads return zeros.
         *
         * @return this builder
         */
        public Builder metadata() {
            this.dataMode = false;
            return this;
        }

        /**
         * A swap file of {@code size} ({@code --swap}); {@code "0"} for none.
         *
         * @param size a size with an optional K, M, G or T suffix, or "0"
         * @return this builder
         */
        public Builder swap(String size) {
            long bytes = MemSize.parse(size);
            if (bytes != 0 && bytes < 8192) {
                throw new IllegalArgumentException("swap '" + size + "': a swap area needs at least 8K, or 0 for none");
            }
            this.swapBytes = bytes;
            return this;
        }

        /**
         * Whether the swap file's device is rotational (a disk). A solid-state device (the
         * default) makes swap-ins read ahead the pages around the fault in its VMA; a rotational
         * one, the aligned cluster of slots around the faulting one, as the kernel does.
         *
         * @param rotational true for a disk
         * @return this builder
         */
        public Builder swapRotational(boolean rotational) {
            this.swapRotational = rotational;
            return this;
        }

        /**
         * vm.page-cluster, 0..31: swap readahead reads up to 2^value pages at a time; 0 disables
         * it. The default is the kernel's: 3 (2 on a machine with less than 16 MiB of RAM).
         *
         * @param value the page-cluster, 0..31
         * @return this builder
         */
        public Builder pageCluster(int value) {
            if (value < 0 || value > org.pagelab.swap.SwapReadahead.MAX_PAGE_CLUSTER) {
                throw new IllegalArgumentException("page-cluster " + value + ": must be 0.."
                        + org.pagelab.swap.SwapReadahead.MAX_PAGE_CLUSTER);
            }
            this.pageCluster = value;
            return this;
        }

        /**
         * Simulated CPUs, 1..4096 ({@code --cpus}).
         *
         * @param n the number of CPUs
         * @return this builder
         */
        public Builder cpus(int n) {
            if (n < 1 || n > 4096) {
                throw new IllegalArgumentException("cpus " + n + ": must be 1..4096");
            }
            this.cpus = n;
            return this;
        }

        /**
         * vm.swappiness, 0..200.
         *
         * @param value the swappiness, 0..200
         * @return this builder
         */
        public Builder swappiness(int value) {
            if (value < 0 || value > 200) {
                throw new IllegalArgumentException("swappiness " + value + ": must be 0..200");
            }
            this.swappiness = value;
            return this;
        }

        /**
         * Whether reclaim leaves shadow entries and detects refaults (workingset.c); on by default.
         *
         * @param on true for on
         * @return this builder
         */
        public Builder workingset(boolean on) {
            this.workingset = on;
            return this;
        }

        /**
         * /sys/kernel/mm/transparent_hugepage/enabled.
         *
         * @param mode always, madvise or never
         * @return this builder
         */
        public Builder thp(Thp mode) {
            this.thp = java.util.Objects.requireNonNull(mode, "thp");
            return this;
        }

        /**
         * Whether the file system takes large page-cache folios (the kernel's
         * mapping_large_folio_support, which XFS declares and ext4 in 6.1 does not): readahead then
         * allocates folios of growing order, and a 2 MiB one can be mapped by a PMD
         * (FilePmdMapped). Off by default.
         *
         * @param on true for large folios
         * @return this builder
         */
        public Builder largeFolios(boolean on) {
            this.largeFolios = on;
            return this;
        }

        /**
         * /sys/kernel/mm/transparent_hugepage/hugepages-&lt;sizeKb&gt;kB/enabled (Linux 6.8's
         * multi-size THP). @throws IllegalArgumentException naming the size when it is not one of
         * 16, 32, 64, 128, 256, 512, 1024, 2048
         *
         * @param sizeKb the folio size in kB
         * @param mode always, inherit, madvise or never
         * @return this builder
         */
        public Builder thpSize(int sizeKb, ThpSize mode) {
            org.pagelab.memory.MthpSettings.orderOfKb(sizeKb);
            this.thpSizes.put(sizeKb, java.util.Objects.requireNonNull(mode, "mode"));
            return this;
        }

        /**
         * The reclaim policy by its registered name ({@code pagelab replay --policy}).
         *
         * @param name a name {@code ReclaimPolicies} registers
         * @return this builder
         */
        public Builder reclaimPolicy(String name) {
            if (!org.pagelab.reclaim.ReclaimPolicies.names().contains(name)) {
                throw new IllegalArgumentException("unknown reclaim policy '" + name + "'; known: "
                        + org.pagelab.reclaim.ReclaimPolicies.names());
            }
            this.reclaimPolicy = name;
            return this;
        }

        /**
         * Mounts a tmpfs at {@code dir} (such as {@code "dev/shm"}): files below it are shmem.
         *
         * @param dir a directory relative to the root of the machine's file system
         * @return this builder
         */
        public Builder tmpfs(String dir) {
            tmpfs.add(dir);
            return this;
        }

        /**
         * A memory cgroup at {@code path} (such as {@code "/app"}), created at boot with its memory.*
         * files written in order: keys {@code max}, {@code high}, {@code low}, {@code min},
         * {@code swap.max}, {@code oom.group}; values as the files take them ({@code "32M"},
         * {@code "max"}, {@code "1"}).
         *
         * @param path the cgroup's path, such as "/app"
         * @param files memory.* file to the value written, in order
         * @return this builder
         */
        public Builder cgroup(String path, Map<String, String> files) {
            cgroups.put(path, new LinkedHashMap<>(files));
            return this;
        }

        /**
         * The seed the JSON report names and scenario runs draw from; 1 by default.
         *
         * @param seed the seed
         * @return this builder
         */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * The host directory of the machine's files ({@code --workdir}), which must exist and is
         * never removed; by default a fresh temporary directory that {@link Lab#close()} removes.
         *
         * @param dir an existing directory
         * @return this builder
         */
        public Builder workdir(Path dir) {
            this.workdir = dir;
            return this;
        }

        /**
         * Boots the machine.
         *
         * @return the booted lab; close it
         */
        public Lab boot() {
            PhysConfig config = new PhysConfig(memoryBytes, 0, dataMode, 0, 10);
            SimConfig time = SimConfig.DEFAULT.withCpus(cpus);
            Path owned = null;
            Path dir = workdir;
            if (dir == null) {
                try {
                    owned = Files.createTempDirectory("pagelab-");
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot create a temporary working directory", e);
                }
                dir = owned;
            }
            Lab lab = new Lab(Machine.boot(config, dir, time, reclaimPolicy), seed, owned, workdir);
            try {
                lab.tune(this);
            } catch (RuntimeException e) {
                lab.close();
                throw e;
            }
            return lab;
        }
    }

    /** Applies the settings a booted machine takes at run time, as a scenario's machine section does. */
    private void tune(Builder b) {
        if (b.swapBytes > 0 && machine.swap().swapon("swapfile", b.swapBytes / MemSize.PAGE_SIZE, null, b.swapRotational)
                instanceof org.pagelab.swap.SwaponResult.Failed f) {
            throw new IllegalArgumentException("cannot turn on " + MemSize.format(b.swapBytes) + " of swap: " + f.reason());
        }
        if (b.swappiness != null) {
            machine.vmscan().setSwappiness(b.swappiness);
        }
        if (b.pageCluster != null) {
            machine.swap().readahead().setPageCluster(b.pageCluster);
        }
        if (b.workingset != null) {
            machine.vmscan().workingset().setDetectionEnabled(b.workingset);
        }
        if (b.thp != null) {
            machine.memory().setTransparentHugepage(b.thp.kernel());
        }
        b.thpSizes.forEach((kb, mode) -> machine.memory().mthp().setEnabled(org.pagelab.memory.MthpSettings.orderOfKb(kb),
                mode.kernel()));
        machine.vfs().setLargeFolios(b.largeFolios);
        b.tmpfs.forEach(machine.vfs()::mountTmpfs);
        b.cgroups.forEach(this::createCgroup);
    }

    /**
     * Creates the memory cgroup {@code path} (its parent must exist) and writes its memory.* files
     * as {@link Builder#cgroup} describes.
     *
     * @param path the new cgroup's path, such as "/app" or "/app/db"
     * @param memoryFiles memory.* file (without or with the "memory." prefix) to the value written, in order
     */
    public void createCgroup(String path, Map<String, String> memoryFiles) {
        machine.memcg().create(path);
        setCgroup(path, memoryFiles);
    }

    /**
     * Writes memory.* files of cgroup {@code path}, in order, as {@code echo VALUE > memory.FILE}
     * would: lowering memory.max reclaims (and may OOM-kill) at once.
     *
     * @param path the cgroup's path, such as "/app"
     * @param memoryFiles memory.* file (without or with the "memory." prefix) to the value written, in order
     */
    public void setCgroup(String path, Map<String, String> memoryFiles) {
        MemCgroup cg = cgroup(path);
        memoryFiles.forEach((file, value) -> machine.memcg().set(cg, knob(file), knobValue(file, value)));
    }

    /**
     * {@code echo TEXT > PATH} for a sysfs tunable: /sys/kernel/mm/lru_gen/min_ttl_ms, the
     * working-set age in milliseconds that the multi-generational LRU keeps, calling the OOM
     * killer rather than evict it (no effect under the two-list LRU); the transparent_hugepage
     * settings (enabled, defrag, hugepages-&lt;N&gt;kB/enabled) and khugepaged's tunables
     * (khugepaged/pages_to_scan, scan_sleep_millisecs, max_ptes_none, ...). Cgroup files are
     * written with {@link #setCgroup}.
     *
     * @throws IllegalArgumentException naming the path and the value when either is wrong
     * @param path the file, such as "/sys/kernel/mm/lru_gen/min_ttl_ms"
     * @param text the value, such as "1000"
     */
    public void write(String path, String text) {
        new ProcFs(machine).write(path, text);
    }

    /**
     * Removes the memory cgroup {@code path} (rmdir): its charges stay with an offline cgroup.
     *
     * @param path the cgroup's path, such as "/app"
     */
    public void removeCgroup(String path) {
        machine.memcg().remove(path);
    }

    private MemCgroup cgroup(String path) {
        MemCgroup cg = machine.memcg().byPath(path);
        if (cg == null) {
            throw new IllegalArgumentException("no memory cgroup '" + path + "'");
        }
        return cg;
    }

    private static MemoryCgroups.Knob knob(String file) {
        String k = file.startsWith("memory.") ? file.substring("memory.".length()) : file;
        return switch (k) {
            case "max" -> MemoryCgroups.Knob.MAX;
            case "high" -> MemoryCgroups.Knob.HIGH;
            case "low" -> MemoryCgroups.Knob.LOW;
            case "min" -> MemoryCgroups.Knob.MIN;
            case "swap.max" -> MemoryCgroups.Knob.SWAP_MAX;
            case "oom.group" -> MemoryCgroups.Knob.OOM_GROUP;
            default -> throw new IllegalArgumentException("no writable memory cgroup file '" + file
                    + "'; known: max, high, low, min, swap.max, oom.group");
        };
    }

    private static long knobValue(String file, String value) {
        if (knob(file) == MemoryCgroups.Knob.OOM_GROUP) {
            return switch (value.trim()) {
                case "0" -> 0;
                case "1" -> 1;
                default -> throw new IllegalArgumentException("memory.oom.group '" + value + "': expected 0 or 1");
            };
        }
        if (value.trim().equals("max")) {
            return MemoryCgroups.UNLIMITED;
        }
        return (MemSize.parse(value.trim()) + MemSize.PAGE_SIZE - 1) / MemSize.PAGE_SIZE;
    }

    // ---- processes ----

    /**
     * Starts a process called {@code name} in the root cgroup.
     *
     * @param name the process's name (comm)
     * @return the new process
     */
    public Proc spawn(String name) {
        Process p = machine.memory().spawn(name);
        if (p == null) {
            throw new SyscallFailedException("spawn of '" + name + "'", "ENOMEM");
        }
        return new Proc(this, p);
    }

    /**
     * Starts a process called {@code name} in memory cgroup {@code cgroup}.
     *
     * @param name the process's name (comm)
     * @param cgroup the memory cgroup's path, such as "/app"
     * @return the new process
     */
    public Proc spawn(String name, String cgroup) {
        Proc p = spawn(name);
        machine.memcg().attach(p.process(), cgroup);
        return p;
    }

    /**
     * Runs {@code body} as one step of {@code p}'s task: kernel threads due earlier run first and
     * the time the body costs is charged to {@code p}.
     */
    <T> T step(Process p, Supplier<T> body) {
        if (!p.alive()) {
            throw new IllegalStateException("process " + p.pid() + " (" + p.name() + ") is no longer running");
        }
        List<T> out = new ArrayList<>(1);
        machine.step(p, () -> out.add(body.get()));
        return out.getFirst();
    }

    Machine machine() {
        return machine;
    }

    // ---- files ----

    /**
     * Creates the file {@code name} of {@code size} bytes (zeros) in the machine's file system and
     * opens it; below a {@link Builder#tmpfs} mount it is shmem.
     *
     * @param name the file's name, relative to the root of the file system
     * @param size its size in bytes
     * @return the open file
     */
    public LabFile createFile(String name, long size) {
        if (files.containsKey(name)) {
            throw new IllegalArgumentException("file '" + name + "' was created already");
        }
        OpenResult r = machine.vfs().create(name, size);
        if (r instanceof OpenResult.OpenFailed f) {
            throw new SyscallFailedException("create of '" + name + "'", f.describe());
        }
        LabFile file = new LabFile(this, name, r.orThrow());
        files.put(name, file);
        return file;
    }

    /** sync(2): writes back every dirty page of every file. */
    public void sync() {
        machine.vfs().sync();
    }

    /**
     * {@code echo MODE > /proc/sys/vm/drop_caches}: 1 the page cache, 2 slab, 3 both; returns pages freed.
     *
     * @param mode 1, 2 or 3
     * @return the pages freed
     */
    public long dropCaches(int mode) {
        if (mode < 1 || mode > 3) {
            throw new IllegalArgumentException("drop_caches " + mode + ": expected 1, 2 or 3");
        }
        return new org.pagelab.filemap.DropCaches(machine.vfs(), machine.vmstat(),
                () -> machine.vmscan().shrinkers().dropSlab()).drop(mode);
    }

    OpenFile open(LabFile f) {
        return f.handle();
    }

    // ---- time ----

    /**
     * The simulated time the machine has reached, in nanoseconds since boot: when its latest step
     * ended (the {@code elapsed} figure of the report).
     *
     * @return nanoseconds since boot
     */
    public long nowNs() {
        return machine.sim().elapsedNs();
    }

    // ---- traces ----

    /**
     * Replays the trace {@code spec} ({@code FORMAT[,KEY=VALUE...]:PATH}, as {@code pagelab replay}
     * takes it) on this machine, whose processes it spawns as the trace names them. Requires: a
     * metadata machine ({@link Builder#metadata()}): traces carry no data.
     *
     * @param spec the trace, FORMAT[,KEY=VALUE...]:PATH
     * @return what the replay did
     */
    public TraceRun replay(String spec) {
        if (machine.config().dataMode()) {
            throw new IllegalStateException("replay runs data-less: boot the lab with metadata()");
        }
        org.pagelab.trace.Replay replay = new org.pagelab.trace.Replay(machine);
        try (org.pagelab.trace.TraceReader reader = org.pagelab.trace.TraceSource.open(spec)) {
            org.pagelab.trace.Replay.Result r = replay.run(reader, records -> { });
            return new TraceRun(r.records(), r.processes(), r.killed());
        } finally {
            replay.close();
        }
    }

    // ---- scenarios ----

    /**
     * Boots the machine a scenario file describes and runs it, as {@code pagelab run FILE} does
     * with no options. The lab stays open for reading outputs; the caller closes it.
     *
     * @throws IllegalArgumentException with the file, line and value when the scenario is bad input
     * @param file the scenario file (YAML)
     * @return the run, holding the open lab
     */
    public static ScenarioRun runScenario(Path file) {
        Scenario s;
        try {
            s = Scenario.load(file);
        } catch (org.pagelab.scenario.ScenarioException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        boolean data = s.dataMode() == null || s.dataMode();
        long seed = s.seed() != null ? s.seed() : 1;
        PhysConfig config;
        try {
            config = s.sizing().physConfig(s.source(), s.memory(), 256L << 20, data);
        } catch (org.pagelab.scenario.ScenarioException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        Path dir;
        try {
            dir = Files.createTempDirectory("pagelab-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary working directory", e);
        }
        Lab lab = new Lab(Machine.boot(config, dir, s.simConfig(2)), seed, dir, null);
        try {
            ScenarioRunner.Failure failure = ScenarioRunner.run(lab.machine, s, seed, lab.marks::add);
            return new ScenarioRun(lab, failure == null ? null : failure.toString(),
                    lab.marks.stream().map(m -> new ScenarioRun.Mark(m.name(), m.timeNs(), m.process(),
                            m.counters().vmstat(), m.counters().meminfo())).toList());
        } catch (org.pagelab.scenario.ScenarioException e) {
            lab.close();
            throw new IllegalArgumentException(e.getMessage(), e);
        } catch (RuntimeException e) {
            lab.close();
            throw e;
        }
    }

    // ---- outputs ----

    /**
     * The text of a file as {@code cat} prints it: any /proc file pagelab has ({@code /proc/meminfo},
     * {@code /proc/vmstat}, {@code /proc/<pid>/status}, ...), a memory cgroup's file as
     * {@code /sys/fs/cgroup/PATH/memory.FILE}, or
     * {@code /sys/kernel/mm/transparent_hugepage/enabled}.
     *
     * @throws IllegalArgumentException naming the path when there is no such file
     * @param path an absolute path such as "/proc/meminfo"
     * @return the file's text
     */
    public String read(String path) {
        String prefix = "/sys/fs/cgroup";
        if (path.startsWith(prefix + "/")) {
            int slash = path.lastIndexOf('/');
            String cg = path.substring(prefix.length(), slash);
            String file = path.substring(slash + 1);
            String text = MemcgFiles.render(machine.memcg(), cgroup(cg.isEmpty() ? "/" : cg)).get(file);
            if (text == null) {
                throw new IllegalArgumentException("no such file '" + path + "'");
            }
            return text;
        }
        return new ProcFs(machine).read(path);
    }

    /**
     * /proc/meminfo as field name to kB, in the file's order.
     *
     * @return field name to kB
     */
    public Map<String, Long> meminfo() {
        return new Meminfo(machine).fields();
    }

    /**
     * One field of /proc/meminfo, in kB. @throws IllegalArgumentException when there is no such field
     *
     * @param field the field's name, such as "MemFree"
     * @return the value in kB
     */
    public long meminfo(String field) {
        return field(meminfo(), field, "/proc/meminfo");
    }

    /**
     * /proc/vmstat as counter name to value, in the file's order.
     *
     * @return counter name to value
     */
    public Map<String, Long> vmstat() {
        return new Vmstat(machine).fields();
    }

    /**
     * One counter of /proc/vmstat. @throws IllegalArgumentException when there is no such counter
     *
     * @param counter the counter's name, such as "pswpout"
     * @return the counter's value
     */
    public long vmstat(String counter) {
        return field(vmstat(), counter, "/proc/vmstat");
    }

    /**
     * memory.stat of cgroup {@code path} as key to value (bytes or counts).
     *
     * @param path the cgroup's path, such as "/app"
     * @return key to value
     */
    public Map<String, Long> memoryStat(String path) {
        return MemcgFiles.stat(machine.memcg(), cgroup(path));
    }

    /**
     * A single-value memory.* file of cgroup {@code path} in bytes (memory.current, memory.peak,
     * memory.swap.current, ...), or {@link Long#MAX_VALUE} for "max".
     *
     * @param path the cgroup's path, such as "/app"
     * @param file the file's name, such as "memory.current"
     * @return the value in bytes, or Long.MAX_VALUE for "max"
     */
    public long memoryValue(String path, String file) {
        Object v = MemcgFiles.values(machine.memcg(), cgroup(path)).get(file);
        if (v instanceof Long n) {
            return n;
        }
        if ("max".equals(v)) {
            return Long.MAX_VALUE;
        }
        throw new IllegalArgumentException("memory cgroup file '" + file + "' of '" + path + "' is not a single value");
    }

    private static long field(Map<String, Long> fields, String name, String file) {
        Long v = fields.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no field '" + name + "' in " + file);
        }
        return v;
    }

    /**
     * What {@code pagelab run} prints: the /proc files, per-process and cgroup files, simulated time.
     *
     * @return the report's text
     */
    public String report() {
        return report(false);
    }

    /**
     * What {@code pagelab run --json} prints: one JSON object whose keys are stable.
     *
     * @return the JSON text, with a final newline
     */
    public String json() {
        return report(true);
    }

    private String report(boolean json) {
        RunReport r = new RunReport(machine, seed, chosenWorkdir).withMarks(marks);
        return json ? r.jsonText() : r.text();
    }

    /** Runs every invariant checker of the machine. @throws IllegalStateException naming the first broken one */
    public void check() {
        machine.check();
    }

    /** Releases the machine's memory and removes the working directory if the lab made it. */
    @Override
    public void close() {
        for (LabFile f : files.values()) {
            f.closeQuietly();
        }
        machine.close();
        if (ownedWorkdir != null) {
            Machine.deleteTree(ownedWorkdir);
        }
    }
}
