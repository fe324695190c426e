package org.pagelab.scenario;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.pagelab.phys.MemSize;
import org.pagelab.vma.VmFlags;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * A scenario file for {@code pagelab run SCENARIO}: machine shape, files, and processes with their
 * steps. See docs/scenarios.md for the format. {@link #load} validates everything it can before the
 * run (names of regions and files, sizes, protections); every error is one line "FILE:LINE: ...".
 *
 * @param memory machine memory in bytes, or null when the file does not say
 * @param dataMode whether the machine holds real bytes, or null when the file does not say
 * @param seed the seed, or null when the file does not say
 * @param swap the swap areas to turn on before the run (bytes and priority each, in order), or
 *             null when the file does not say
 * @param swappiness vm.swappiness for the run, or null for the default (60)
 * @param workingset whether refault detection is on, or null for the default (on)
 * @param cpus simulated CPUs, or null when the file does not say
 * @param fsDevice timing of the file system's device, or null for the default NVMe SSD
 * @param swapDevice timing of the swap device, or null for the default NVMe SSD
 * @param transparentHugepage the transparent_hugepage setting, or null for the default (always)
 * @param tmpfs directories to mount a tmpfs on besides dev/shm (relative to the working directory)
 * @param sizing the machine described by a real boot's figures (MemTotal, zones, kernel memory)
 * @param costs the CPU cost of each simulated event, or null for the defaults
 * @param sizing the machine described by the kernel's figures (memtotal, zones, watermarks, kernel
 *               memory in use, overcommit), {@link MachineSizing#NONE} when the file gives none
 * @param killsAllowed {@code kills: allowed}: a process may be killed (OOM killer, memory failure)
 *               with expects still ahead and no expect_kill; they then do not run, and the report
 *               lists the kill. Otherwise such a kill fails the run.
 */
public record Scenario(String source, Long memory, Boolean dataMode, Long seed, List<SwapSpec> swap, Integer swappiness,
                       Boolean workingset, Integer cpus, org.pagelab.sim.DeviceModel fsDevice,
                       org.pagelab.sim.DeviceModel swapDevice, org.pagelab.memory.TransparentHugepage transparentHugepage,
                       List<String> tmpfs, List<FileSpec> files, List<ProcessSpec> processes, List<CgroupSpec> cgroups,
                       MachineSizing sizing, org.pagelab.sim.CostModel costs, boolean killsAllowed) {

    /** A scenario in which a kill must be declared ({@code killsAllowed} false). */
    public Scenario(String source, Long memory, Boolean dataMode, Long seed, List<SwapSpec> swap, Integer swappiness,
                    Boolean workingset, Integer cpus, org.pagelab.sim.DeviceModel fsDevice,
                    org.pagelab.sim.DeviceModel swapDevice, org.pagelab.memory.TransparentHugepage transparentHugepage,
                    List<String> tmpfs, List<FileSpec> files, List<ProcessSpec> processes, List<CgroupSpec> cgroups,
                    MachineSizing sizing, org.pagelab.sim.CostModel costs) {
        this(source, memory, dataMode, seed, swap, swappiness, workingset, cpus, fsDevice, swapDevice, transparentHugepage,
                tmpfs, files, processes, cgroups, sizing, costs, false);
    }

    /**
     * The simulated time of this scenario's machine: its CPUs ({@code defaultCpus} when it does
     * not say), the timing of its file system and swap devices, and its CPU costs, each the
     * default where the file says nothing.
     */
    public org.pagelab.sim.SimConfig simConfig(int defaultCpus) {
        org.pagelab.sim.SimConfig time = org.pagelab.sim.SimConfig.DEFAULT.withCpus(cpus != null ? cpus : defaultCpus);
        if (fsDevice != null) {
            time = time.withFsDevice(fsDevice);
        }
        if (swapDevice != null) {
            time = time.withSwapDevice(swapDevice);
        }
        if (costs != null) {
            time = time.withCosts(costs);
        }
        return time;
    }

    /**
     * A memory cgroup made before the run, with the memory.* values to write to it: keys max,
     * high, low, min, swap_max (pages, {@link org.pagelab.memcg.MemoryCgroups#UNLIMITED} for
     * "max") and oom_group (0 or 1), in file order.
     */
    public record CgroupSpec(String path, java.util.Map<String, Long> limits, int line) {
    }

    /**
     * A swap area: its size in bytes, its priority (null: the kernel's next default), its line,
     * and whether its device is rotational (a disk: swap-ins then read ahead by cluster).
     */
    public record SwapSpec(long bytes, Integer priority, int line, boolean rotational) {
        /** A solid-state swap area, as user-mode Linux's ubd and most of today's devices report. */
        public SwapSpec(long bytes, Integer priority, int line) {
            this(bytes, priority, line, false);
        }
    }

    /** A file created in the working directory before the run. */
    public record FileSpec(String name, long size, int line, boolean memfd) {
    }

    /** A process spawned at the start of the run. */
    public record ProcessSpec(String name, List<Step> steps, int line, int oomScoreAdj, String cgroup) {
    }

    /**
     * Reads and validates {@code path}: a regular file of at most
     * {@link org.pagelab.input.Limits#MAX_SCENARIO_BYTES} bytes of UTF-8 ({@link ScenarioSource}).
     */
    public static Scenario load(Path path) {
        return parse(path.toString(), ScenarioSource.read(path));
    }

    /** Parses {@code text}, whose errors name {@code source}. */
    public static Scenario parse(String source, String text) {
        Node root = YamlNodes.compose(source, text);
        if (root == null) {
            throw new ScenarioException(source, 1, "empty scenario: expected a mapping with 'processes'");
        }
        return new Parser(source).scenario(root);
    }

    private static final Map<String, Set<String>> STEP_KEYS = new LinkedHashMap<>();
    private static final Set<String> CGROUP_KEYS = Set.of("path", "max", "high", "low", "min", "swap_max", "oom_group");

    static {
        STEP_KEYS.put("mmap", Set.of("name", "size", "prot", "file", "offset", "shared", "addr", "fixed", "align"));
        STEP_KEYS.put("write", Set.of("region", "offset", "length", "fill", "via"));
        STEP_KEYS.put("read", Set.of("region", "offset", "length"));
        STEP_KEYS.put("touch", Set.of("region", "offset", "length", "pattern", "count", "write", "alpha"));
        STEP_KEYS.put("expect", Set.of("region", "offset", "length", "equals", "via"));
        STEP_KEYS.put("expect_kill", Set.of());
        STEP_KEYS.put("mprotect", Set.of("region", "prot", "offset", "length"));
        STEP_KEYS.put("madvise", Set.of("region", "advice", "offset", "length"));
        STEP_KEYS.put("munmap", Set.of("region", "offset", "length"));
        STEP_KEYS.put("mremap", Set.of("region", "offset", "length", "size", "move", "addr", "name"));
        STEP_KEYS.put("clear_refs", Set.of());
        STEP_KEYS.put("fork", Set.of("name", "steps"));
        STEP_KEYS.put("file_write", Set.of("file", "offset", "length", "fill", "errno"));
        STEP_KEYS.put("file_read", Set.of("file", "offset", "length", "errno"));
        STEP_KEYS.put("fsync", Set.of("file", "errno"));
        STEP_KEYS.put("exit", Set.of());
        STEP_KEYS.put("sleep", Set.of("time"));
        STEP_KEYS.put("inject_error", Set.of("file", "device", "op", "offset", "length", "after", "count"));
        STEP_KEYS.put("poison", Set.of("region", "offset"));
        STEP_KEYS.put("pin", Set.of("region", "offset", "length", "write", "longterm", "errno"));
        STEP_KEYS.put("unpin", Set.of("region"));
        STEP_KEYS.put("get", Set.of("region", "offset", "length", "write", "errno"));
        STEP_KEYS.put("put", Set.of("region"));
        STEP_KEYS.put("cgroup_set", CGROUP_KEYS);
        STEP_KEYS.put("cgroup_move", Set.of("path"));
        STEP_KEYS.put("cgroup_remove", Set.of("path"));
        STEP_KEYS.put("unlink", Set.of("file"));
        STEP_KEYS.put("close", Set.of("file"));
        STEP_KEYS.put("sync", Set.of());
        STEP_KEYS.put("drop_caches", Set.of());
        STEP_KEYS.put("mark", Set.of());
        STEP_KEYS.put("repeat", Set.of("count", "steps"));
    }

    /** Steps whose body is one value rather than a mapping: {@code drop_caches: 3}, {@code mark: NAME}. */
    private static final Set<String> SCALAR_STEPS = Set.of("drop_caches", "mark", "clear_refs", "expect_kill");

    /** The advices of a madvise step. */
    static final List<String> ADVICES = List.of("dontneed", "cold", "pageout", "hugepage", "nohugepage", "dontfork",
            "dofork", "wipeonfork", "keeponfork", "populate_read", "populate_write");

    /** The signals an expect_kill step may name. */
    static final List<String> SIGNALS = List.of("SIGBUS", "SIGSEGV", "SIGKILL", "any");

    /** Walks the composed YAML tree, which keeps the line of every node. */
    private static final class Parser {
        private final String source;
        private Boolean dataMode;
        private final Set<String> files = new HashSet<>();
        private final Set<String> processNames = new HashSet<>();
        private final Set<String> cgroupPaths = new HashSet<>(Set.of("/"));

        private final YamlNodes<ScenarioException> yaml;

        Parser(String source) {
            this.source = source;
            this.yaml = new YamlNodes<>(source, ScenarioException::new);
        }

        private ScenarioException err(Node n, String msg) {
            return yaml.err(n, msg);
        }

        private static int line(Node n) {
            return n.getStartMark().getLine() + 1;
        }

        private Map<String, Node> mapping(Node n, String what, Set<String> allowed) {
            return yaml.mapping(n, what, allowed);
        }

        private List<Node> sequence(Node n, String what) {
            return yaml.sequence(n, what);
        }

        private String scalar(Node n, String what) {
            return yaml.scalar(n, what);
        }

        private Node required(Map<String, Node> m, Node owner, String key, String what) {
            return yaml.required(m, owner, key, what);
        }

        private long size(Node n, String what) {
            String v = scalar(n, what);
            try {
                return MemSize.parse(v);
            } catch (IllegalArgumentException e) {
                throw err(n, "bad " + what + ": " + e.getMessage());
            }
        }

        private int prot(Node n) {
            String v = scalar(n, "prot");
            try {
                return VmFlags.parseProt(v);
            } catch (IllegalArgumentException e) {
                throw err(n, "bad prot '" + v + "': " + e.getMessage());
            }
        }

        private boolean bool(Node n, String what) {
            String v = scalar(n, what);
            return switch (v) {
                case "true", "yes" -> true;
                case "false", "no" -> false;
                default -> throw err(n, "bad " + what + " '" + v + "': expected true or false");
            };
        }

        private int fillByte(Node n, String what) {
            String v = scalar(n, what);
            try {
                int b = Integer.decode(v.trim());
                if (b >= 0 && b <= 255) {
                    return b;
                }
            } catch (NumberFormatException e) {
                // fall through
            }
            throw err(n, "bad " + what + " '" + v + "': expected a byte value 0..255 (e.g. 0x5a)");
        }

        private long number(Node n, String what) {
            String v = scalar(n, what);
            try {
                long x = Long.parseLong(v.trim());
                if (x >= 0) {
                    return x;
                }
            } catch (NumberFormatException e) {
                if (v.trim().matches("\\+?[0-9]+")) {
                    throw err(n, "bad " + what + " '" + v + "': too large, at most " + Long.MAX_VALUE);
                }
            }
            throw err(n, "bad " + what + " '" + v + "': expected a non-negative whole number");
        }

        /** machine.swap: one size (0 for none), or a list of { size, priority } areas. */
        private List<SwapSpec> swapAreas(Node n) {
            List<SwapSpec> out = new ArrayList<>();
            if (n instanceof org.yaml.snakeyaml.nodes.SequenceNode) {
                for (Node an : sequence(n, "swap")) {
                    Map<String, Node> a = mapping(an, "swap area", Set.of("size", "priority", "rotational"));
                    boolean rotational = a.containsKey("rotational") && bool(a.get("rotational"), "rotational");
                    long bytes = swapSize(required(a, an, "size", "swap area"));
                    Integer prio = null;
                    if (a.containsKey("priority")) {
                        long v = number(a.get("priority"), "priority");
                        if (v > 32767) {
                            throw err(a.get("priority"), "bad priority '" + v + "': expected 0..32767");
                        }
                        prio = (int) v;
                    }
                    out.add(new SwapSpec(bytes, prio, line(an), rotational));
                }
            } else {
                long bytes = swapSize(n);
                if (bytes > 0) {
                    out.add(new SwapSpec(bytes, null, line(n)));
                }
            }
            if (out.size() > org.pagelab.swap.SwapDevices.MAX_SWAPFILES) {
                throw err(n, "bad machine.swap: " + out.size() + " swap areas, at most " + org.pagelab.swap.SwapDevices.MAX_SWAPFILES);
            }
            return out;
        }

        private long swapSize(Node n) {
            long bytes = size(n, "machine.swap");
            if (bytes != 0 && bytes < 2 * 4096) {
                throw err(n, "bad machine.swap '" + scalar(n, "swap")
                        + "': a swap area needs at least 8K (a header page and one slot), or 0 for none");
            }
            if (bytes / 4096 > org.pagelab.swap.SwapDevice.MAX_PAGES) {
                throw err(n, "bad machine.swap '" + scalar(n, "swap") + "': too large, at most "
                        + org.pagelab.swap.SwapDevice.MAX_PAGES + " pages of 4K per swap area");
            }
            return bytes;
        }

        /** A device timing: the NVMe SSD default with the overrides of the spec, or null when absent. */
        private org.pagelab.sim.DeviceModel device(Node n, String what) {
            if (n == null) {
                return null;
            }
            String v = scalar(n, what);
            try {
                return org.pagelab.sim.DeviceModel.nvme(v);
            } catch (IllegalArgumentException e) {
                throw err(n, "bad " + what + " '" + v + "': " + e.getMessage());
            }
        }

        Scenario scenario(Node root) {
            Map<String, Node> top = mapping(root, "scenario", Set.of("machine", "files", "processes", "cgroups", "kills"));
            boolean killsAllowed = false;
            if (top.containsKey("kills")) {
                String v = scalar(top.get("kills"), "kills").trim();
                killsAllowed = switch (v) {
                    case "allowed" -> true;
                    case "declared" -> false;
                    default -> throw err(top.get("kills"), "bad kills '" + v + "': expected declared (the default) or allowed");
                };
            }
            Long memory = null;
            Long seed = null;
            List<SwapSpec> swap = null;
            Integer swappiness = null;
            Boolean workingset = null;
            Integer cpus = null;
            org.pagelab.memory.TransparentHugepage thp = null;
            List<String> tmpfs = new ArrayList<>();
            org.pagelab.sim.DeviceModel fsDevice = null;
            org.pagelab.sim.DeviceModel swapDevice = null;
            MachineSizing sizing = MachineSizing.NONE;
            org.pagelab.sim.CostModel costs = null;
            Node mn = top.get("machine");
            if (mn != null) {
                Set<String> machineKeys = new HashSet<>(Set.of("memory", "mode", "seed", "swap", "swappiness",
                        "workingset", "cpus", "fs_device", "swap_device", "transparent_hugepage", "tmpfs", "costs"));
                machineKeys.addAll(MachineSizing.KEYS);
                Map<String, Node> m = mapping(mn, "machine", machineKeys);
                sizing = MachineSizing.parse(m, mn, sizingReader());
                if (m.containsKey("costs")) {
                    String v = scalar(m.get("costs"), "costs");
                    try {
                        costs = org.pagelab.sim.CostModel.DEFAULT.parse(v.trim());
                    } catch (IllegalArgumentException e) {
                        throw err(m.get("costs"), "bad costs '" + v + "': " + e.getMessage());
                    }
                }
                if (m.containsKey("tmpfs")) {
                    for (Node d : sequence(m.get("tmpfs"), "tmpfs")) {
                        String dir = scalar(d, "tmpfs");
                        try {
                            tmpfs.add(org.pagelab.filemap.Vfs.checkName(dir));
                        } catch (IllegalArgumentException e) {
                            throw err(d, "bad tmpfs mount point: " + e.getMessage());
                        }
                    }
                }
                if (m.containsKey("transparent_hugepage")) {
                    String v = scalar(m.get("transparent_hugepage"), "transparent_hugepage");
                    try {
                        thp = org.pagelab.memory.TransparentHugepage.parse(v);
                    } catch (IllegalArgumentException e) {
                        throw err(m.get("transparent_hugepage"), e.getMessage());
                    }
                }
                fsDevice = device(m.get("fs_device"), "fs_device");
                swapDevice = device(m.get("swap_device"), "swap_device");
                if (m.containsKey("cpus")) {
                    long v = number(m.get("cpus"), "cpus");
                    if (v < 1 || v > 4096) {
                        throw err(m.get("cpus"), "bad cpus '" + v + "': expected 1..4096");
                    }
                    cpus = (int) v;
                }
                if (m.containsKey("swap")) {
                    swap = swapAreas(m.get("swap"));
                }
                if (m.containsKey("swappiness")) {
                    long v = number(m.get("swappiness"), "swappiness");
                    if (v > 200) {
                        throw err(m.get("swappiness"), "bad swappiness '" + v + "': expected 0..200");
                    }
                    swappiness = (int) v;
                }
                if (m.containsKey("workingset")) {
                    String v = scalar(m.get("workingset"), "workingset");
                    workingset = switch (v) {
                        case "on", "true" -> true;
                        case "off", "false" -> false;
                        default -> throw err(m.get("workingset"), "bad workingset '" + v + "': expected on or off");
                    };
                }
                if (m.containsKey("memory")) {
                    memory = size(m.get("memory"), "memory");
                    try {
                        org.pagelab.phys.PhysConfig.checkMemory(memory);
                    } catch (IllegalArgumentException e) {
                        throw err(m.get("memory"), "bad memory '" + scalar(m.get("memory"), "memory") + "': " + e.getMessage());
                    }
                }
                if (m.containsKey("mode")) {
                    String mode = scalar(m.get("mode"), "mode");
                    dataMode = switch (mode) {
                        case "data" -> true;
                        case "metadata" -> false;
                        default -> throw err(m.get("mode"), "bad mode '" + mode + "': expected data or metadata");
                    };
                }
                if (m.containsKey("seed")) {
                    String v = scalar(m.get("seed"), "seed");
                    try {
                        seed = Long.parseLong(v.trim());
                    } catch (NumberFormatException e) {
                        throw err(m.get("seed"), "bad seed '" + v + "': " + (v.trim().matches("[-+]?[0-9]+")
                                ? "too large, a seed is a 64-bit number" : "expected a whole number"));
                    }
                }
            }
            List<FileSpec> fileSpecs = new ArrayList<>();
            if (top.containsKey("files")) {
                for (Node fn : sequence(top.get("files"), "files")) {
                    Map<String, Node> f = mapping(fn, "file", Set.of("name", "size", "memfd"));
                    boolean memfd = f.containsKey("memfd") && bool(f.get("memfd"), "memfd");
                    Node nameNode = required(f, fn, "name", "file");
                    String name = scalar(nameNode, "name");
                    String problem = memfd ? ScenarioNames.memfdProblem(name)
                            : ScenarioNames.fileProblem(name, files, tmpfs);
                    if (problem != null) {
                        throw err(nameNode, problem);
                    }
                    long size = f.containsKey("size") ? size(f.get("size"), "size") : 0;
                    if (size > org.pagelab.filemap.Vfs.MAX_FILE_SIZE) {
                        throw err(f.get("size"), "bad size '" + scalar(f.get("size"), "size") + "': too large, at most "
                                + MemSize.format(org.pagelab.filemap.Vfs.MAX_FILE_SIZE));
                    }
                    if (!files.add(name)) {
                        throw err(fn, "duplicate file '" + org.pagelab.input.Escape.quote(name) + "'");
                    }
                    fileSpecs.add(new FileSpec(name, size, fn.getStartMark().getLine() + 1, memfd));
                }
            }
            List<CgroupSpec> cgroupSpecs = new ArrayList<>();
            if (top.containsKey("cgroups")) {
                for (Node cn : sequence(top.get("cgroups"), "cgroups")) {
                    Map<String, Node> c = mapping(cn, "cgroup", CGROUP_KEYS);
                    Node pathNode = required(c, cn, "path", "cgroup");
                    String path = cgroupPath(pathNode);
                    String parent = path.lastIndexOf('/') == 0 ? "/" : path.substring(0, path.lastIndexOf('/'));
                    if (!cgroupPaths.contains(parent)) {
                        throw err(pathNode, "cgroup '" + path + "': its parent '" + parent + "' is not declared before it");
                    }
                    if (!cgroupPaths.add(path)) {
                        throw err(pathNode, "duplicate cgroup '" + path + "'");
                    }
                    cgroupSpecs.add(new CgroupSpec(path, limits(c), cn.getStartMark().getLine() + 1));
                }
            }
            Node pn = required(top, root, "processes", "scenario");
            List<ProcessSpec> procs = new ArrayList<>();
            for (Node p : sequence(pn, "processes")) {
                Map<String, Node> m = mapping(p, "process", Set.of("name", "steps", "oom_score_adj", "cgroup"));
                String cgroup = m.containsKey("cgroup") ? knownCgroup(m.get("cgroup")) : null;
                int adj = 0;
                if (m.containsKey("oom_score_adj")) {
                    String v = scalar(m.get("oom_score_adj"), "oom_score_adj");
                    try {
                        adj = Integer.parseInt(v.trim());
                    } catch (NumberFormatException e) {
                        adj = Integer.MIN_VALUE;
                    }
                    if (adj < -1000 || adj > 1000) {
                        throw err(m.get("oom_score_adj"), "bad oom_score_adj '" + v + "': expected a whole number -1000..1000");
                    }
                }
                String name = scalar(required(m, p, "name", "process"), "name");
                if (!processNames.add(name)) {
                    throw err(p, "duplicate process name '" + name + "'");
                }
                List<Step> steps = m.containsKey("steps")
                        ? steps(m.get("steps"), new HashMap<>()) : List.of();
                procs.add(new ProcessSpec(name, steps, p.getStartMark().getLine() + 1, adj, cgroup));
            }
            return new Scenario(source, memory, dataMode, seed, swap, swappiness, workingset, cpus, fsDevice, swapDevice,
                    thp, List.copyOf(tmpfs), List.copyOf(fileSpecs),
                    List.copyOf(procs), List.copyOf(cgroupSpecs), sizing, costs, killsAllowed);
        }

        private String cgroupPath(Node n) {
            String path = scalar(n, "path").trim();
            if (!path.matches("(/[A-Za-z0-9_.:-]+)+") || path.contains("/./") || path.contains("/../")
                    || path.endsWith("/.") || path.endsWith("/..")) {
                throw err(n, "bad cgroup path '" + path + "': expected /name or /parent/name (letters, digits, _ . : -)");
            }
            return path;
        }

        private String knownCgroup(Node n) {
            String path = scalar(n, "cgroup").trim();
            if (!cgroupPaths.contains(path)) {
                throw err(n, "unknown cgroup '" + path + "' (declare it under 'cgroups')");
            }
            return path;
        }

        /** The memory.* values of a cgroup mapping, in pages; "max" for no limit. */
        private java.util.Map<String, Long> limits(Map<String, Node> c) {
            java.util.Map<String, Long> out = new LinkedHashMap<>();
            for (String k : List.of("max", "high", "low", "min", "swap_max")) {
                if (c.containsKey(k)) {
                    Node v = c.get(k);
                    if (scalar(v, k).trim().equals("max")) {
                        out.put(k, org.pagelab.memcg.MemoryCgroups.UNLIMITED);
                    } else {
                        out.put(k, (size(v, k) + 4095) / 4096);
                    }
                }
            }
            if (c.containsKey("oom_group")) {
                out.put("oom_group", bool(c.get("oom_group"), "oom_group") ? 1L : 0L);
            }
            return out;
        }

        /** {@code regions}: region name -&gt; whether it is a file mapping, as declared so far. */
        private List<Step> steps(Node n, Map<String, Boolean> regions) {
            List<Step> out = new ArrayList<>();
            for (Node sn : sequence(n, "steps")) {
                if (!out.isEmpty() && out.getLast().kind().equals("expect_kill")) {
                    throw err(sn, "a step after expect_kill (line " + out.getLast().line()
                            + ") could never run: a killed process runs nothing more");
                }
                out.add(step(sn, regions));
            }
            return List.copyOf(out);
        }

        private Step step(Node sn, Map<String, Boolean> regions) {
            if (!(sn instanceof MappingNode m) || m.getValue().size() != 1) {
                throw err(sn, "a step must be a mapping with exactly one key, one of "
                        + String.join(", ", STEP_KEYS.keySet()));
            }
            NodeTuple t = m.getValue().getFirst();
            String kind = scalar(t.getKeyNode(), "step");
            Set<String> allowed = STEP_KEYS.get(kind);
            if (allowed == null) {
                throw err(t.getKeyNode(), "unknown step '" + kind + "' (expected one of "
                        + String.join(", ", STEP_KEYS.keySet()) + ")");
            }
            Node body = t.getValueNode();
            int line = sn.getStartMark().getLine() + 1;
            if (SCALAR_STEPS.contains(kind)) {
                return scalarStep(kind, body, line);
            }
            if (kind.equals("repeat")) {
                return repeatStep(body, line, regions);
            }
            Map<String, Node> a;
            if (body instanceof ScalarNode s && s.getValue().isEmpty()) {
                a = Map.of();
            } else {
                a = mapping(body, kind + " step", allowed);
            }
            String what = kind + " step";
            String name = null;
            String region = null;
            String file = null;
            Long offset = a.containsKey("offset") ? size(a.get("offset"), "offset") : null;
            Long length = a.containsKey("length") ? size(a.get("length"), "length") : null;
            Long size = null;
            Integer prot = a.containsKey("prot") ? prot(a.get("prot")) : null;
            Boolean shared = a.containsKey("shared") ? bool(a.get("shared"), "shared") : null;
            Integer fill = a.containsKey("fill") ? fillByte(a.get("fill"), "fill") : null;
            String pattern = null;
            Long count = a.containsKey("count") ? number(a.get("count"), "count") : null;
            StepLimits.check(kind, a, this::err);
            Boolean write = a.containsKey("write") ? bool(a.get("write"), "write") : null;
            Boolean longterm = a.containsKey("longterm") ? bool(a.get("longterm"), "longterm") : null;
            Double alpha = null;
            java.util.Map<String, Long> limits = null;
            Integer equals = a.containsKey("equals") ? fillByte(a.get("equals"), "equals") : null;
            Long timeNs = null;
            String advice = null;
            List<Step> children = null;
            if (allowed.contains("region") && !kind.equals("mmap")) {
                Node rn = required(a, body, "region", what);
                region = scalar(rn, "region");
                if (!regions.containsKey(region)) {
                    throw err(rn, "unknown region '" + region + "'" + (regions.isEmpty() ? ""
                            : " (known: " + String.join(", ", regions.keySet().stream().sorted().toList()) + ")"));
                }
            }
            if (allowed.contains("file") && !kind.equals("mmap") && !kind.equals("inject_error")) {
                file = knownFile(required(a, body, "file", what));
            }
            if (Set.of("mprotect", "madvise", "munmap", "mremap").contains(kind)) {
                pageRange(a, offset, length);
            }
            switch (kind) {
                case "mmap" -> {
                    name = scalar(required(a, body, "name", what), "name");
                    size = size(required(a, body, "size", what), "size");
                    if (size <= 0) {
                        throw err(a.get("size"), "bad size '" + scalar(a.get("size"), "size") + "': must be positive");
                    }
                    if (prot == null) {
                        throw err(body, what + " is missing 'prot'");
                    }
                    if (a.containsKey("file")) {
                        file = knownFile(a.get("file"));
                    } else if (a.containsKey("offset")) {
                        throw err(body, "'offset' needs 'file' (an anonymous mapping has no file to offset into)");
                    }
                    if (a.containsKey("fixed") && bool(a.get("fixed"), "fixed") && !a.containsKey("addr")) {
                        throw err(a.get("fixed"), "'fixed' needs 'addr' (MAP_FIXED maps at a given address)");
                    }
                    if (a.containsKey("align") && a.containsKey("addr")) {
                        throw err(a.get("align"), "'align' and 'addr' exclude each other: the address is chosen aligned");
                    }
                    regions.put(name, file != null);
                }
                case "write", "file_write" -> {
                    required(a, body, "length", what);
                    if (fill == null) {
                        throw err(body, what + " is missing 'fill'");
                    }
                }
                case "read", "file_read" -> required(a, body, "length", what);
                case "expect" -> {
                    required(a, body, "length", what);
                    if (equals == null) {
                        throw err(body, what + " is missing 'equals'");
                    }
                    if (Boolean.FALSE.equals(dataMode)) {
                        throw err(sn, "expect needs data mode (machine mode is metadata)");
                    }
                }
                case "touch" -> {
                    pattern = a.containsKey("pattern") ? scalar(a.get("pattern"), "pattern") : "sequential";
                    if (!Set.of("sequential", "random", "zipf").contains(pattern)) {
                        throw err(a.get("pattern"), "bad pattern '" + pattern + "': expected sequential, random or zipf");
                    }
                    if (a.containsKey("alpha")) {
                        String v = scalar(a.get("alpha"), "alpha");
                        try {
                            alpha = Double.parseDouble(v);
                        } catch (NumberFormatException e) {
                            throw err(a.get("alpha"), "bad alpha '" + v + "': expected a number");
                        }
                        if (!(alpha > 0) || !pattern.equals("zipf")) {
                            throw err(a.get("alpha"), "bad alpha '" + v + "': needs pattern zipf and a value above 0");
                        }
                    }
                }
                case "mprotect" -> {
                    if (prot == null) {
                        throw err(body, what + " is missing 'prot'");
                    }
                }
                case "madvise" -> {
                    advice = scalar(required(a, body, "advice", what), "advice");
                    if (!ADVICES.contains(advice)) {
                        throw err(a.get("advice"), "bad advice '" + advice + "': expected one of " + String.join(", ", ADVICES));
                    }
                }
                case "sleep" -> {
                    String v = scalar(required(a, body, "time", what), "time");
                    try {
                        timeNs = org.pagelab.sim.Units.durationNs("sleep", "time", v.trim());
                    } catch (IllegalArgumentException e) {
                        throw err(a.get("time"), "bad time '" + v + "': expected a duration such as 500us, 2ms or 1s");
                    }
                }
                case "cgroup_set" -> {
                    Node pathNode = required(a, body, "path", what);
                    name = cgroupPath(pathNode);
                    if (!cgroupPaths.contains(name)) {
                        throw err(pathNode, "unknown cgroup '" + name + "' (declare it under 'cgroups')");
                    }
                    limits = limits(a);
                    if (limits.isEmpty()) {
                        throw err(body, what + " sets nothing: give max, high, low, min, swap_max or oom_group");
                    }
                }
                case "cgroup_move", "cgroup_remove" -> {
                    Node pathNode = required(a, body, "path", what);
                    name = scalar(pathNode, "path").trim();
                    if (!cgroupPaths.contains(name)) {
                        throw err(pathNode, "unknown cgroup '" + name + "' (declare it under 'cgroups')");
                    }
                    if (kind.equals("cgroup_remove") && name.equals("/")) {
                        throw err(pathNode, "the root cgroup cannot be removed");
                    }
                }
                case "mremap" -> {
                    size = a.containsKey("size") ? size(a.get("size"), "size") : null;
                    if (size != null && size <= 0) {
                        throw err(a.get("size"), "bad size '" + scalar(a.get("size"), "size") + "': must be positive");
                    }
                    if (a.containsKey("addr") && !(a.containsKey("move") && bool(a.get("move"), "move"))) {
                        throw err(a.get("addr"), "'addr' (MREMAP_FIXED) needs 'move: true' (MREMAP_MAYMOVE), as the kernel does");
                    }
                    if (a.containsKey("name")) {
                        name = scalar(a.get("name"), "name");
                        if (regions.containsKey(name)) {
                            throw err(a.get("name"), "region '" + name + "' exists already");
                        }
                        regions.put(name, regions.get(region));
                    }
                }
                case "inject_error" -> {
                    if (a.containsKey("file") == a.containsKey("device")) {
                        throw err(body, what + " needs one of 'file' (a declared file) and 'device' (swap0, swap1, ...)");
                    }
                    if (a.containsKey("file")) {
                        file = knownFile(a.get("file"));
                    }
                    required(a, body, "op", what);
                    if (a.containsKey("after")) {
                        String v = scalar(a.get("after"), "after");
                        try {
                            timeNs = org.pagelab.sim.Units.durationNs("inject_error", "after", v.trim());
                        } catch (IllegalArgumentException e) {
                            throw err(a.get("after"), "bad after '" + v + "': expected a duration such as 500us, 2ms or 1s");
                        }
                    }
                    if (count != null && count == 0) {
                        throw err(a.get("count"), "bad count '0': an error rule gives at least one error");
                    }
                }
                case "fork" -> {
                    name = scalar(required(a, body, "name", what), "name");
                    if (!processNames.add(name)) {
                        throw err(a.get("name"), "duplicate process name '" + name + "'");
                    }
                    children = a.containsKey("steps") ? steps(a.get("steps"), new HashMap<>(regions)) : List.of();
                }
                default -> {
                }
            }
            return new Step(kind, line, name, region, file, offset, length, size, prot, shared, fill, pattern, count,
                    write, alpha, equals, advice, children, timeNs, longterm, limits, options(a));
        }

        /** The {@link Step.Options} of a step's keys {@code a}, checked. */
        private Step.Options options(Map<String, Node> a) {
            String via = null;
            if (a.containsKey("via")) {
                via = scalar(a.get("via"), "via").trim();
                if (!via.equals("pin") && !via.equals("get")) {
                    throw err(a.get("via"), "bad via '" + via + "': expected pin or get");
                }
            }
            Long addr = a.containsKey("addr") ? address(a.get("addr")) : null;
            Long align = null;
            if (a.containsKey("align")) {
                align = size(a.get("align"), "align");
                if (align < 4096 || Long.bitCount(align) != 1 || align > 1L << 30) {
                    throw err(a.get("align"), "bad align '" + scalar(a.get("align"), "align")
                            + "': expected a power of two from 4K to 1G");
                }
            }
            Boolean fixed = a.containsKey("fixed") ? bool(a.get("fixed"), "fixed") : null;
            Boolean move = a.containsKey("move") ? bool(a.get("move"), "move") : null;
            String errno = null;
            if (a.containsKey("errno")) {
                errno = scalar(a.get("errno"), "errno").trim();
                if (!errno.equals("EFAULT") && !errno.equals("ENOMEM") && !errno.equals("EIO")) {
                    throw err(a.get("errno"), "bad errno '" + errno + "': expected EFAULT, ENOMEM or EIO");
                }
            }
            String device = null;
            if (a.containsKey("device")) {
                device = scalar(a.get("device"), "device").trim();
                if (!device.matches("swap([0-9]|[12][0-9]|3[01])")) {
                    throw err(a.get("device"), "bad device '" + device + "': expected a swap area, swap0 to swap31");
                }
            }
            String op = null;
            if (a.containsKey("op")) {
                op = scalar(a.get("op"), "op").trim();
                if (!op.equals("read") && !op.equals("write")) {
                    throw err(a.get("op"), "bad op '" + op + "': expected read or write");
                }
            }
            if (via == null && addr == null && align == null && fixed == null && move == null && errno == null
                    && device == null && op == null) {
                return Step.Options.NONE;
            }
            return new Step.Options(via, addr, align, fixed, move, null, errno, device, op);
        }

        /** A user-space address: a page-aligned whole number, decimal or 0x hexadecimal, inside the user range. */
        private long address(Node n) {
            String v = scalar(n, "addr").trim();
            long x;
            try {
                x = Long.decode(v);
            } catch (NumberFormatException e) {
                throw err(n, "bad addr '" + v + "': expected a whole number such as 0x7f0000000000");
            }
            if (x < org.pagelab.vma.Mm.MMAP_MIN_ADDR || x > org.pagelab.vma.Mm.TASK_SIZE || x % 4096 != 0) {
                throw err(n, "bad addr '" + v + "': expected a multiple of 4K from 0x"
                        + Long.toHexString(org.pagelab.vma.Mm.MMAP_MIN_ADDR) + " to 0x"
                        + Long.toHexString(org.pagelab.vma.Mm.TASK_SIZE));
            }
            return x;
        }

        /**
         * Checks the optional part of a region that mprotect, madvise and munmap act on: as in the
         * kernel, the start must be page-aligned (else EINVAL) and the length is rounded up to
         * whole pages; a length of 0 would be a no-op and is refused as a likely mistake.
         */
        private void pageRange(Map<String, Node> a, Long offset, Long length) {
            if (offset != null && offset % 4096 != 0) {
                throw err(a.get("offset"), "bad offset '" + scalar(a.get("offset"), "offset")
                        + "': must be a multiple of the page size (4K)");
            }
            if (length != null && length <= 0) {
                throw err(a.get("length"), "bad length '" + scalar(a.get("length"), "length") + "': must be positive");
            }
        }

        /** The scalar readers, for {@link MachineSizing#parse}. */
        private MachineSizing.Reader sizingReader() {
            return new MachineSizing.Reader() {
                @Override
                public String scalar(Node n, String what) {
                    return Parser.this.scalar(n, what);
                }

                @Override
                public long size(Node n, String what) {
                    return Parser.this.size(n, what);
                }

                @Override
                public long number(Node n, String what) {
                    return Parser.this.number(n, what);
                }

                @Override
                public ScenarioException err(Node n, String msg) {
                    return Parser.this.err(n, msg);
                }
            };
        }

        /** {@code drop_caches: 1|2|3}, {@code clear_refs: 1..4}, {@code expect_kill: SIGNAL} or {@code mark: NAME}. */
        private Step scalarStep(String kind, Node body, int line) {
            String v = scalar(body, kind).trim();
            if (kind.equals("clear_refs")) {
                if (!Set.of("1", "2", "3", "4").contains(v)) {
                    throw err(body, "bad clear_refs '" + v + "': expected 1 (all referenced bits), 2 (anonymous),"
                            + " 3 (file) or 4 (soft-dirty)");
                }
                return new Step(kind, line, null, null, null, null, null, null, null, null, null, null,
                        Long.parseLong(v), null, null, null, null, null, null, null, null);
            }
            if (kind.equals("expect_kill")) {
                if (!SIGNALS.contains(v)) {
                    throw err(body, "bad expect_kill '" + v + "': expected " + String.join(", ", SIGNALS));
                }
                return new Step(kind, line, null, null, null, null, null, null, null, null, null, null, null, null,
                        null, null, null, null, null, null, null, new Step.Options(null, null, null, null, null, v, null, null, null));
            }
            if (kind.equals("drop_caches")) {
                if (!Set.of("1", "2", "3").contains(v)) {
                    throw err(body, "bad drop_caches '" + v + "': expected 1 (page cache), 2 (dentries and inodes)"
                            + " or 3 (both)");
                }
                return new Step(kind, line, null, null, null, null, null, null, null, null, null, null,
                        Long.parseLong(v), null, null, null, null, null, null, null, null);
            }
            if (!v.matches("[A-Za-z0-9_.:-]+")) {
                throw err(body, "bad mark name '" + v + "': expected letters, digits, _ . : -");
            }
            return new Step(kind, line, v, null, null, null, null, null, null, null, null, null, null, null, null,
                    null, null, null, null, null, null);
        }

        /**
         * {@code repeat: { count: N, steps: [...] }}: the steps N times in a row. The body is
         * checked once, as if it ran once; a fork inside would make processes of the same name.
         */
        private Step repeatStep(Node body, int line, Map<String, Boolean> regions) {
            Map<String, Node> a = mapping(body, "repeat step", STEP_KEYS.get("repeat"));
            long count = number(required(a, body, "count", "repeat step"), "count");
            List<Step> children = steps(required(a, body, "steps", "repeat step"), regions);
            Step kill = firstOfKind(children, "expect_kill");
            if (kill != null) {
                throw new ScenarioException(source, kill.line(), "expect_kill inside repeat: a killed process has no next round");
            }
            Step fork = firstOfKind(children, "fork");
            if (fork != null) {
                throw new ScenarioException(source, fork.line(),
                        "fork inside repeat: every round would fork a process of the same name '" + fork.name() + "'");
            }
            return new Step("repeat", line, null, null, null, null, null, null, null, null, null, null, count, null,
                    null, null, null, children, null, null, null);
        }

        private static Step firstOfKind(List<Step> steps, String kind) {
            for (Step st : steps) {
                if (st.kind().equals(kind)) {
                    return st;
                }
                if (st.kind().equals("repeat")) {
                    Step inner = firstOfKind(st.children(), kind);
                    if (inner != null) {
                        return inner;
                    }
                }
            }
            return null;
        }

        private String knownFile(Node n) {
            String f = scalar(n, "file");
            if (!files.contains(f)) {
                throw err(n, "unknown file '" + f + "' (declare it under 'files')");
            }
            return f;
        }
    }
}
