package org.pagelab.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.pagelab.memcg.MemoryCgroups;
import org.pagelab.phys.MemSize;
import org.pagelab.sim.DeviceModel;

/**
 * Renders a {@link Scenario} as scenario-file text that {@link Scenario#parse} reads back to the
 * same scenario (line numbers aside): the inverse of the parser, for scenarios made in a program
 * (the soak command writes the reduced reproducer of a failure with it). Steps are written one
 * per line in flow style, as the examples in docs/scenarios.md are.
 */
public final class ScenarioWriter {
    private static final long PAGE = MemSize.PAGE_SIZE;

    private final StringBuilder out = new StringBuilder();

    private ScenarioWriter() {
    }

    /** The text of {@code s}, with {@code comment} lines (may be empty) at the top. */
    public static String write(Scenario s, List<String> comment) {
        ScenarioWriter w = new ScenarioWriter();
        for (String c : comment) {
            w.out.append("# ").append(c).append('\n');
        }
        w.scenario(s);
        return w.out.toString();
    }

    private void scenario(Scenario s) {
        List<String> m = new ArrayList<>();
        if (s.memory() != null) {
            m.add("memory: " + bytes(s.memory()));
        }
        if (s.dataMode() != null) {
            m.add("mode: " + (s.dataMode() ? "data" : "metadata"));
        }
        if (s.seed() != null) {
            m.add("seed: " + s.seed());
        }
        if (s.cpus() != null) {
            m.add("cpus: " + s.cpus());
        }
        if (s.swap() != null) {
            List<String> areas = new ArrayList<>();
            for (Scenario.SwapSpec a : s.swap()) {
                areas.add("{ size: " + bytes(a.bytes()) + (a.priority() == null ? "" : ", priority: " + a.priority())
                        + (a.rotational() ? ", rotational: true" : "") + " }");
            }
            m.add("swap: [" + String.join(", ", areas) + "]");
        }
        if (s.swappiness() != null) {
            m.add("swappiness: " + s.swappiness());
        }
        if (s.workingset() != null) {
            m.add("workingset: " + (s.workingset() ? "on" : "off"));
        }
        if (s.transparentHugepage() != null) {
            m.add("transparent_hugepage: " + s.transparentHugepage().name().toLowerCase(java.util.Locale.ROOT));
        }
        if (s.thpDefrag() != null) {
            m.add("transparent_hugepage_defrag: " + s.thpDefrag().kernelName());
        }
        if (!s.hugepages().sizes().isEmpty()) {
            List<String> sizes = new ArrayList<>();
            s.hugepages().sizes().forEach((kb, e) -> sizes.add(kb + "kB: " + e.kernelName()));
            m.add("transparent_hugepage_sizes: { " + String.join(", ", sizes) + " }");
        }
        if (s.hugepages().useZeroPage() != null) {
            m.add("transparent_hugepage_use_zero_page: " + (s.hugepages().useZeroPage() ? 1 : 0));
        }
        if (!s.hugepages().khugepaged().isEmpty()) {
            List<String> tunables = new ArrayList<>();
            s.hugepages().khugepaged().forEach((t, v) -> tunables.add(t.fileName() + ": " + v));
            m.add("khugepaged: { " + String.join(", ", tunables) + " }");
        }
        if (s.hugepages().largeFolios()) {
            m.add("large_folios: on");
        }
        if (s.fsDevice() != null) {
            m.add("fs_device: \"" + device(s.fsDevice()) + "\"");
        }
        if (s.swapDevice() != null) {
            m.add("swap_device: \"" + device(s.swapDevice()) + "\"");
        }
        MachineSizing z = s.sizing();
        if (z.memTotal() != null) {
            m.add("memtotal: " + bytes(z.memTotal()));
        }
        if (z.zones() != null) {
            m.add("zones: " + (z.zones() == org.pagelab.phys.PhysConfig.ZoneLayout.NORMAL ? "normal" : "dma32+normal"));
        }
        if (z.minFreeKbytes() != null) {
            m.add("min_free_kbytes: " + z.minFreeKbytes());
        }
        if (z.watermarkScaleFactor() != null) {
            m.add("watermark_scale_factor: " + z.watermarkScaleFactor());
        }
        if (z.kernelUsed() != null) {
            m.add("kernel_used: " + bytes(z.kernelUsed()));
        }
        if (z.kernelPageblocks() != null) {
            m.add("kernel_pageblocks: " + z.kernelPageblocks());
        }
        if (z.pageblockOrder() != null) {
            m.add("pageblock_order: " + z.pageblockOrder());
        }
        if (z.watermarkBoostFactor() != null) {
            m.add("watermark_boost_factor: " + z.watermarkBoostFactor());
        }
        if (z.overcommitMemory() != null) {
            m.add("overcommit_memory: " + z.overcommitMemory());
        }
        if (z.overcommitRatio() != null) {
            m.add("overcommit_ratio: " + z.overcommitRatio());
        }
        if (z.overcommitKbytes() != null) {
            m.add("overcommit_kbytes: " + z.overcommitKbytes() + "K");
        }
        if (z.pageCluster() != null) {
            m.add("page_cluster: " + z.pageCluster());
        }
        if (z.lruGenMinTtlMs() != null) {
            m.add("lru_gen_min_ttl_ms: " + z.lruGenMinTtlMs());
        }
        if (z.compactionProactiveness() != null) {
            m.add("compaction_proactiveness: " + z.compactionProactiveness());
        }
        if (z.blockRequestBytes() != null) {
            m.add("block_request_bytes: " + z.blockRequestBytes());
        }
        if (z.fsBlockSize() != null) {
            m.add("fs_block_size: " + z.fsBlockSize());
        }
        if (z.maxSectorsKb() != null) {
            m.add("max_sectors_kb: " + z.maxSectorsKb());
        }
        if (s.costs() != null && !s.costs().equals(org.pagelab.sim.CostModel.DEFAULT)) {
            m.add("costs: \"" + s.costs() + "\"");
        }
        if (!s.tmpfs().isEmpty()) {
            m.add("tmpfs: [" + String.join(", ", s.tmpfs().stream().map(ScenarioWriter::quote).toList()) + "]");
        }
        if (!m.isEmpty()) {
            out.append("machine: { ").append(String.join(", ", m)).append(" }\n");
        }
        if (!s.files().isEmpty()) {
            out.append("files:\n");
            for (Scenario.FileSpec f : s.files()) {
                out.append("  - { name: ").append(quote(f.name())).append(", size: ").append(bytes(f.size()))
                        .append(f.memfd() ? ", memfd: true" : "").append(" }\n");
            }
        }
        if (!s.cgroups().isEmpty()) {
            out.append("cgroups:\n");
            for (Scenario.CgroupSpec c : s.cgroups()) {
                out.append("  - { path: ").append(c.path()).append(limits(c.limits())).append(" }\n");
            }
        }
        if (s.killsAllowed()) {
            out.append("kills: allowed\n");
        }
        out.append("processes:\n");
        for (Scenario.ProcessSpec p : s.processes()) {
            out.append("  - name: ").append(quote(p.name())).append('\n');
            if (p.oomScoreAdj() != 0) {
                out.append("    oom_score_adj: ").append(p.oomScoreAdj()).append('\n');
            }
            if (p.cgroup() != null) {
                out.append("    cgroup: ").append(p.cgroup()).append('\n');
            }
            steps(p.steps(), "    ");
        }
    }

    private void steps(List<Step> steps, String indent) {
        if (steps.isEmpty()) {
            out.append(indent).append("steps: []\n");
            return;
        }
        out.append(indent).append("steps:\n");
        for (Step st : steps) {
            if (st.kind().equals("fork")) {
                out.append(indent).append("  - fork:\n");
                out.append(indent).append("      name: ").append(quote(st.name())).append('\n');
                steps(st.children(), indent + "      ");
            } else if (st.kind().equals("repeat")) {
                out.append(indent).append("  - repeat:\n");
                out.append(indent).append("      count: ").append(st.count()).append('\n');
                steps(st.children(), indent + "      ");
            } else if (st.kind().equals("drop_caches") || st.kind().equals("compact_memory")) {
                out.append(indent).append("  - ").append(st.kind()).append(": ").append(st.count()).append('\n');
            } else if (st.kind().equals("mark")) {
                out.append(indent).append("  - mark: ").append(quote(st.name())).append('\n');
            } else if (st.kind().equals("clear_refs")) {
                out.append(indent).append("  - clear_refs: ").append(st.count()).append('\n');
            } else if (st.kind().equals("expect_kill")) {
                out.append(indent).append("  - expect_kill: ").append(st.options().signal()).append('\n');
            } else {
                out.append(indent).append("  - ").append(st.kind()).append(": { ").append(String.join(", ", keys(st)))
                        .append(" }\n");
            }
        }
    }

    /** The keys of a step other than fork, in the order docs/scenarios.md shows them. */
    private static List<String> keys(Step st) {
        List<String> k = new ArrayList<>();
        switch (st.kind()) {
            case "mmap" -> {
                k.add("name: " + quote(st.name()));
                if (st.file() != null) {
                    k.add("file: " + quote(st.file()));
                }
                k.add("size: " + bytes(st.size()));
                if (st.offset() != null) {
                    k.add("offset: " + bytes(st.offset()));
                }
                k.add("prot: " + prot(st.prot()));
                if (st.shared() != null) {
                    k.add("shared: " + st.shared());
                }
                options(st.options(), k);
            }
            case "cgroup_set" -> {
                k.add("path: " + st.name());
                return List.of(k.getFirst() + limits(st.limits()));
            }
            case "cgroup_move", "cgroup_remove" -> k.add("path: " + st.name());
            case "sleep" -> k.add("time: " + st.timeNs() + "ns");
            case "exit" -> {
            }
            default -> {
                if (st.region() != null) {
                    k.add("region: " + quote(st.region()));
                }
                if (st.file() != null) {
                    k.add("file: " + quote(st.file()));
                }
                if (st.offset() != null) {
                    k.add("offset: " + bytes(st.offset()));
                }
                if (st.length() != null) {
                    k.add("length: " + bytes(st.length()));
                }
                if (st.prot() != null) {
                    k.add("prot: " + prot(st.prot()));
                }
                if (st.advice() != null) {
                    k.add("advice: " + st.advice());
                }
                if (st.fill() != null) {
                    k.add("fill: " + hex(st.fill()));
                }
                if (st.equals() != null) {
                    k.add("equals: " + hex(st.equals()));
                }
                if (st.pattern() != null) {
                    k.add("pattern: " + st.pattern());
                }
                if (st.count() != null) {
                    k.add("count: " + st.count());
                }
                if (st.write() != null) {
                    k.add("write: " + st.write());
                }
                if (st.alpha() != null) {
                    k.add("alpha: " + st.alpha());
                }
                if (st.longterm() != null) {
                    k.add("longterm: " + st.longterm());
                }
                if (st.kind().equals("inject_error") && st.timeNs() != null) {
                    k.add("after: " + st.timeNs() + "ns");
                }
                if (st.kind().equals("mremap")) {
                    if (st.size() != null) {
                        k.add("size: " + bytes(st.size()));
                    }
                    if (st.name() != null) {
                        k.add("name: " + quote(st.name()));
                    }
                }
                options(st.options(), k);
            }
        }
        return k;
    }

    /** The keys of {@code o} that are set. */
    private static void options(Step.Options o, List<String> k) {
        if (o.via() != null) {
            k.add("via: " + o.via());
        }
        if (o.addr() != null) {
            k.add("addr: 0x" + Long.toHexString(o.addr()));
        }
        if (o.align() != null) {
            k.add("align: " + bytes(o.align()));
        }
        if (o.fixed() != null) {
            k.add("fixed: " + o.fixed());
        }
        if (o.move() != null) {
            k.add("move: " + o.move());
        }
        if (o.errno() != null) {
            k.add("errno: " + o.errno());
        }
        if (o.device() != null) {
            k.add("device: " + o.device());
        }
        if (o.op() != null) {
            k.add("op: " + o.op());
        }
    }

    private static String limits(Map<String, Long> limits) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, Long> e : limits.entrySet()) {
            b.append(", ").append(e.getKey()).append(": ");
            if (e.getKey().equals("oom_group")) {
                b.append(e.getValue() != 0);
            } else if (e.getValue() == MemoryCgroups.UNLIMITED) {
                b.append("max");
            } else {
                b.append(bytes(e.getValue() * PAGE));
            }
        }
        return b.toString();
    }

    private static String device(DeviceModel d) {
        return "read_latency=" + d.readLatencyNs() + "ns,write_latency=" + d.writeLatencyNs() + "ns,read_bw="
                + d.readBytesPerSec() + ",write_bw=" + d.writeBytesPerSec();
    }

    /** A byte count with the largest K/M/G suffix that divides it exactly. */
    static String bytes(long n) {
        if (n != 0) {
            for (String unit : new String[] {"G", "M", "K"}) {
                long m = switch (unit) {
                    case "G" -> 1L << 30;
                    case "M" -> 1L << 20;
                    default -> 1L << 10;
                };
                if (n % m == 0) {
                    return n / m + unit;
                }
            }
        }
        return Long.toString(n);
    }

    private static String prot(int prot) {
        StringBuilder b = new StringBuilder();
        if ((prot & org.pagelab.vma.VmFlags.VM_READ) != 0) {
            b.append('r');
        }
        if ((prot & org.pagelab.vma.VmFlags.VM_WRITE) != 0) {
            b.append('w');
        }
        if ((prot & org.pagelab.vma.VmFlags.VM_EXEC) != 0) {
            b.append('x');
        }
        return b.isEmpty() ? "none" : b.toString();
    }

    private static String hex(int b) {
        return String.format("0x%02x", b);
    }

    /** A name as a YAML scalar: plain when it is safe, else double-quoted. */
    private static String quote(String s) {
        if (s.matches("[A-Za-z0-9_./-]+") && !s.matches("(true|false|yes|no|on|off|null|~|[0-9.+-].*)")) {
            return s;
        }
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
