package org.pagelab.scenario;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.pagelab.phys.MemSize;
import org.pagelab.scenario.Scenario.CgroupSpec;
import org.pagelab.scenario.Scenario.FileSpec;
import org.pagelab.scenario.Scenario.ProcessSpec;
import org.pagelab.scenario.Scenario.SwapSpec;
import org.pagelab.vma.VmFlags;
import org.yaml.snakeyaml.nodes.Node;

/**
 * The parser of a scenario file: walks the composed YAML tree, which keeps the line of every
 * node, through the top level, the machine, files, cgroups and processes, and hands each list of
 * steps to {@link StepParser}. It holds what the file has declared so far (the mode, files,
 * process names and cgroups, which later parts may only name) and the readers of the values
 * every part shares (sizes, protections, booleans, byte values, numbers); every error is one line
 * "FILE:LINE: ...".
 */
final class ScenarioParser {
    /** The keys of a cgroup mapping, and of a cgroup_set step. */
    static final Set<String> CGROUP_KEYS = Set.of("path", "max", "high", "low", "min", "swap_max", "oom_group");

    private final String source;
    private Boolean dataMode;
    private final Set<String> files = new HashSet<>();
    private final Set<String> processNames = new HashSet<>();
    private final Set<String> cgroupPaths = new HashSet<>(Set.of("/"));

    private final YamlNodes<ScenarioException> yaml;
    private final StepParser stepParser = new StepParser(this);

    ScenarioParser(String source) {
        this.source = source;
        this.yaml = new YamlNodes<>(source, ScenarioException::new);
    }

    /** The name errors give the file. */
    String source() {
        return source;
    }

    /** Whether the file declared data mode (true), metadata mode (false), or neither (null). */
    Boolean dataMode() {
        return dataMode;
    }

    /** Declares process {@code name}; false when a process of that name exists already. */
    boolean declareProcess(String name) {
        return processNames.add(name);
    }

    /** Whether cgroup {@code path} is declared. */
    boolean cgroupDeclared(String path) {
        return cgroupPaths.contains(path);
    }

    ScenarioException err(Node n, String msg) {
        return yaml.err(n, msg);
    }

    static int line(Node n) {
        return n.getStartMark().getLine() + 1;
    }

    Map<String, Node> mapping(Node n, String what, Set<String> allowed) {
        return yaml.mapping(n, what, allowed);
    }

    List<Node> sequence(Node n, String what) {
        return yaml.sequence(n, what);
    }

    String scalar(Node n, String what) {
        return yaml.scalar(n, what);
    }

    Node required(Map<String, Node> m, Node owner, String key, String what) {
        return yaml.required(m, owner, key, what);
    }

    /**
     * The machine keys transparent_hugepage_sizes (a mapping of 16kB .. 2048kB to always, inherit,
     * madvise or never), khugepaged (a mapping of tunable to number),
     * transparent_hugepage_use_zero_page (0 or 1) and large_folios (on or off), any of them null.
     */
    private HugepageSpec hugepages(Node sizesNode, Node khugepagedNode, Node zeroNode, Node largeFoliosNode) {
        Map<Integer, org.pagelab.memory.MthpEnabled> sizes = new java.util.LinkedHashMap<>();
        Map<org.pagelab.memory.Khugepaged.Tunable, Long> tunables = new java.util.LinkedHashMap<>();
        if (sizesNode != null) {
            Set<String> keys = new java.util.LinkedHashSet<>();
            for (int o = org.pagelab.memory.MthpSettings.MIN_ORDER; o <= org.pagelab.memory.MthpSettings.MAX_ORDER; o++) {
                keys.add(org.pagelab.memory.MthpSettings.sizeKb(o) + "kB");
            }
            mapping(sizesNode, "transparent_hugepage_sizes", keys).forEach((k, v) -> {
                String text = scalar(v, "transparent_hugepage_sizes " + k);
                try {
                    sizes.put(Integer.parseInt(k.substring(0, k.length() - 2)), org.pagelab.memory.MthpEnabled.parse(text));
                } catch (IllegalArgumentException e) {
                    throw err(v, "transparent_hugepage_sizes " + k + ": " + e.getMessage());
                }
            });
        }
        if (khugepagedNode != null) {
            Set<String> keys = new java.util.LinkedHashSet<>();
            for (org.pagelab.memory.Khugepaged.Tunable t : org.pagelab.memory.Khugepaged.Tunable.values()) {
                keys.add(t.fileName());
            }
            mapping(khugepagedNode, "khugepaged", keys).forEach((k, v) -> {
                org.pagelab.memory.Khugepaged.Tunable t = org.pagelab.memory.Khugepaged.Tunable.byName(k);
                try {
                    tunables.put(t, t.check(number(v, "khugepaged " + k)));
                } catch (IllegalArgumentException e) {
                    throw err(v, e.getMessage());
                }
            });
        }
        Boolean useZeroPage = null;
        if (zeroNode != null) {
            String v = scalar(zeroNode, "transparent_hugepage_use_zero_page").trim();
            useZeroPage = switch (v) {
                case "0" -> false;
                case "1" -> true;
                default -> throw err(zeroNode, "bad transparent_hugepage_use_zero_page '" + v + "': expected 0 or 1");
            };
        }
        boolean large = false;
        if (largeFoliosNode != null) {
            String v = scalar(largeFoliosNode, "large_folios");
            large = switch (v) {
                case "on", "true" -> true;
                case "off", "false" -> false;
                default -> throw err(largeFoliosNode, "bad large_folios '" + v + "': expected on or off");
            };
        }
        return new HugepageSpec(sizes, tunables, useZeroPage, large);
    }

    long size(Node n, String what) {
        String v = scalar(n, what);
        try {
            return MemSize.parse(v);
        } catch (IllegalArgumentException e) {
            throw err(n, "bad " + what + ": " + e.getMessage());
        }
    }

    int prot(Node n) {
        String v = scalar(n, "prot");
        try {
            return VmFlags.parseProt(v);
        } catch (IllegalArgumentException e) {
            throw err(n, "bad prot '" + v + "': " + e.getMessage());
        }
    }

    boolean bool(Node n, String what) {
        String v = scalar(n, what);
        return switch (v) {
            case "true", "yes" -> true;
            case "false", "no" -> false;
            default -> throw err(n, "bad " + what + " '" + v + "': expected true or false");
        };
    }

    int fillByte(Node n, String what) {
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

    long number(Node n, String what) {
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
        if (bytes != 0 && bytes < 2 * MemSize.PAGE_SIZE) {
            throw err(n, "bad machine.swap '" + scalar(n, "swap")
                    + "': a swap area needs at least 8K (a header page and one slot), or 0 for none");
        }
        if (bytes / MemSize.PAGE_SIZE > org.pagelab.swap.SwapDevice.MAX_PAGES) {
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
        org.pagelab.memory.ThpDefrag defrag = null;
        HugepageSpec hugepages = HugepageSpec.NONE;
        List<String> tmpfs = new ArrayList<>();
        org.pagelab.sim.DeviceModel fsDevice = null;
        org.pagelab.sim.DeviceModel swapDevice = null;
        MachineSizing sizing = MachineSizing.NONE;
        org.pagelab.sim.CostModel costs = null;
        Node mn = top.get("machine");
        if (mn != null) {
            Set<String> machineKeys = new HashSet<>(Set.of("memory", "mode", "seed", "swap", "swappiness",
                    "workingset", "cpus", "fs_device", "swap_device", "transparent_hugepage", "transparent_hugepage_defrag",
                    "transparent_hugepage_sizes", "transparent_hugepage_use_zero_page", "khugepaged", "large_folios", "tmpfs",
                    "costs"));
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
            if (m.containsKey("transparent_hugepage_defrag")) {
                String v = scalar(m.get("transparent_hugepage_defrag"), "transparent_hugepage_defrag");
                try {
                    defrag = org.pagelab.memory.ThpDefrag.parse(v);
                } catch (IllegalArgumentException e) {
                    throw err(m.get("transparent_hugepage_defrag"), e.getMessage());
                }
            }
            hugepages = hugepages(m.get("transparent_hugepage_sizes"), m.get("khugepaged"),
                    m.get("transparent_hugepage_use_zero_page"), m.get("large_folios"));
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
                    ? stepParser.steps(m.get("steps"), new HashMap<>()) : List.of();
            procs.add(new ProcessSpec(name, steps, p.getStartMark().getLine() + 1, adj, cgroup));
        }
        return new Scenario(source, memory, dataMode, seed, swap, swappiness, workingset, cpus, fsDevice, swapDevice,
                thp, defrag, hugepages, List.copyOf(tmpfs), List.copyOf(fileSpecs),
                List.copyOf(procs), List.copyOf(cgroupSpecs), sizing, costs, killsAllowed);
    }

    String cgroupPath(Node n) {
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
    java.util.Map<String, Long> limits(Map<String, Node> c) {
        java.util.Map<String, Long> out = new LinkedHashMap<>();
        for (String k : List.of("max", "high", "low", "min", "swap_max")) {
            if (c.containsKey(k)) {
                Node v = c.get(k);
                if (scalar(v, k).trim().equals("max")) {
                    out.put(k, org.pagelab.memcg.MemoryCgroups.UNLIMITED);
                } else {
                    out.put(k, (size(v, k) + MemSize.PAGE_SIZE - 1) / MemSize.PAGE_SIZE);
                }
            }
        }
        if (c.containsKey("oom_group")) {
            out.put("oom_group", bool(c.get("oom_group"), "oom_group") ? 1L : 0L);
        }
        return out;
    }

    /** The scalar readers, for {@link MachineSizing#parse}. */
    private MachineSizing.Reader sizingReader() {
        return new MachineSizing.Reader() {
            @Override
            public String scalar(Node n, String what) {
                return ScenarioParser.this.scalar(n, what);
            }

            @Override
            public long size(Node n, String what) {
                return ScenarioParser.this.size(n, what);
            }

            @Override
            public long number(Node n, String what) {
                return ScenarioParser.this.number(n, what);
            }

            @Override
            public ScenarioException err(Node n, String msg) {
                return ScenarioParser.this.err(n, msg);
            }
        };
    }

    String knownFile(Node n) {
        String f = scalar(n, "file");
        if (!files.contains(f)) {
            throw err(n, "unknown file '" + f + "' (declare it under 'files')");
        }
        return f;
    }
}
