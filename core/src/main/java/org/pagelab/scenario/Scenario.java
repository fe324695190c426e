package org.pagelab.scenario;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.Node;

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
 * @param thpDefrag the transparent_hugepage defrag setting, or null for the default (madvise)
 * @param hugepages the per-size THP settings and khugepaged tunables ({@link HugepageSpec#NONE}: the defaults)
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
                       org.pagelab.memory.ThpDefrag thpDefrag, HugepageSpec hugepages, List<String> tmpfs, List<FileSpec> files, List<ProcessSpec> processes, List<CgroupSpec> cgroups,
                       MachineSizing sizing, org.pagelab.sim.CostModel costs, boolean killsAllowed) {

    /** A scenario in which a kill must be declared ({@code killsAllowed} false). */
    public Scenario(String source, Long memory, Boolean dataMode, Long seed, List<SwapSpec> swap, Integer swappiness,
                    Boolean workingset, Integer cpus, org.pagelab.sim.DeviceModel fsDevice,
                    org.pagelab.sim.DeviceModel swapDevice, org.pagelab.memory.TransparentHugepage transparentHugepage,
                    List<String> tmpfs, List<FileSpec> files, List<ProcessSpec> processes, List<CgroupSpec> cgroups,
                    MachineSizing sizing, org.pagelab.sim.CostModel costs) {
        this(source, memory, dataMode, seed, swap, swappiness, workingset, cpus, fsDevice, swapDevice, transparentHugepage,
                null, HugepageSpec.NONE, tmpfs, files, processes, cgroups, sizing, costs, false);
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

    /** A swap area: its size in bytes, its priority (null: the kernel's next default), and its line. */
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
        return new ScenarioParser(source).scenario(root);
    }
}
