package org.pagelab.sweep;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pagelab.machine.Machine;
import org.pagelab.memcg.MemCgroup;
import org.pagelab.memcg.MemoryCgroups;
import org.pagelab.phys.MemSize;
import org.pagelab.phys.PhysConfig;
import org.pagelab.reclaim.ReclaimPolicies;
import org.pagelab.scenario.Scenario;
import org.pagelab.scenario.ScenarioRunner;
import org.pagelab.sim.SimConfig;
import org.pagelab.swap.SwaponResult;

/**
 * Runs one point of a sweep: boots a fresh machine with the point's settings, runs the workload
 * on it with the point's seed, checks every invariant, and reads the {@link Metric}s. A point
 * shares nothing with other points, so points can run on any thread or host in any order.
 *
 * <p>A point's machine is what {@code pagelab run SCENARIO} or {@code pagelab replay} would boot,
 * with the axes' values winning over the scenario's own machine settings: memory (default 256M),
 * mode (scenario: default data; traces: always data-less), CPUs (default 2), swap (one file of the
 * axis's size, in place of the scenario's areas), swappiness, workingset, transparent_hugepage (the
 * top-level mode and the per-size modes of {@link ThpSettings}; a scenario's
 * transparent_hugepage_sizes keeps the sizes the point does not name), the reclaim policy, and the memory.* files of the scenario's cgroups. Traces run in the cgroup that
 * cgroup axes name, made for the run. The seed is the point's, never the scenario's.
 *
 * <p>Data-mode points keep their files in a fresh temporary directory, removed after the run.
 */
public final class PointRunner {
    private static final long DEFAULT_MEMORY = 256L << 20;
    /** Heap a machine holds whatever its size, bytes. */
    static final long HEAP_BASE = 16L << 20;
    /** Heap per page of machine memory, bytes. */
    static final long HEAP_PER_PAGE = 128;
    /** Heap per page of swap, bytes. */
    static final long HEAP_PER_SWAP_PAGE = 16;

    private PointRunner() {
    }

    /**
     * Runs point {@code p} of {@code spec}. Throws {@link IllegalStateException} when an invariant
     * check fails (an internal error, not a result).
     */
    public static PointResult run(SweepSpec spec, Point p) {
        Settings st = Settings.of(spec, p);
        return switch (spec.workload()) {
            case Workload.ScenarioFile f -> scenario(f, p, st);
            case Workload.Traces t -> traces(t, p, st);
        };
    }

    /**
     * The host memory point {@code p} of {@code spec} needs while it runs, in bytes: its machine's
     * metadata on the heap, {@value #HEAP_PER_PAGE} bytes per page of memory and
     * {@value #HEAP_PER_SWAP_PAGE} per page of swap (docs/sweeps.md has the measurement), plus the
     * frames' contents off the heap in data mode.
     */
    public static long footprint(SweepSpec spec, Point p) {
        Settings st = Settings.of(spec, p);
        long memory;
        boolean data;
        long swap;
        if (spec.workload() instanceof Workload.ScenarioFile f) {
            Scenario s = scenario(f, st);
            memory = s.memory() != null ? s.memory() : DEFAULT_MEMORY;
            data = s.dataMode() == null || s.dataMode();
            swap = s.swap() == null ? 0 : s.swap().stream().mapToLong(Scenario.SwapSpec::bytes).sum();
        } else {
            memory = st.has(Setting.MEMORY) ? st.size(Setting.MEMORY) : DEFAULT_MEMORY;
            data = false;
            swap = st.size(Setting.SWAP);
        }
        long pages = memory / MemSize.PAGE_SIZE;
        return HEAP_BASE + pages * HEAP_PER_PAGE + swap / MemSize.PAGE_SIZE * HEAP_PER_SWAP_PAGE + (data ? memory : 0);
    }

    /** A point's settings: the machine's, and the cgroup files by cgroup path. */
    private record Settings(Map<Setting, String> machine, Map<String, Map<Setting, String>> cgroups) {
        static Settings of(SweepSpec spec, Point p) {
            Map<Setting, String> machine = new EnumMap<>(Setting.class);
            Map<String, Map<Setting, String>> cgroups = new LinkedHashMap<>();
            for (int i = 0; i < spec.axes().size(); i++) {
                Axis a = spec.axes().get(i);
                if (a.cgroup() == null) {
                    machine.put(a.setting(), p.values().get(i));
                } else {
                    cgroups.computeIfAbsent(a.cgroup(), k -> new EnumMap<>(Setting.class)).put(a.setting(), p.values().get(i));
                }
            }
            return new Settings(machine, cgroups);
        }

        boolean has(Setting s) {
            return machine.containsKey(s);
        }

        String get(Setting s) {
            return machine.get(s);
        }

        /** A size setting in bytes, 0 when the point does not set it. */
        long size(Setting s) {
            return has(s) ? MemSize.parse(get(s)) : 0;
        }

        int number(Setting s, int otherwise) {
            return has(s) ? Integer.parseInt(get(s)) : otherwise;
        }
    }

    /** The scenario of {@code f} with the point's settings written into it. */
    private static Scenario scenario(Workload.ScenarioFile f, Settings st) {
        Map<String, String> machine = new LinkedHashMap<>();
        Map<String, Map<String, String>> mappings = new LinkedHashMap<>();
        st.machine().forEach((setting, v) -> {
            if (setting == Setting.TRANSPARENT_HUGEPAGE) {
                ThpSettings thp = ThpSettings.parse(v);
                if (thp.enabled() != null) {
                    machine.put(setting.key(), thp.enabled().kernelName());
                }
                if (!thp.sizes().isEmpty()) {
                    mappings.put("transparent_hugepage_sizes", thp.scenarioSizes());
                }
            } else if (setting != Setting.POLICY) {
                machine.put(setting.key(), v);
            }
        });
        Map<String, Map<String, String>> cgroups = new LinkedHashMap<>();
        st.cgroups().forEach((path, files) -> files.forEach((file, v) ->
                cgroups.computeIfAbsent(path, k -> new LinkedHashMap<>()).put(limitKey(file), v)));
        return Scenario.parse(f.source(), ScenarioOverride.apply(f.source(), f.text(), machine, mappings, cgroups));
    }

    private static PointResult scenario(Workload.ScenarioFile f, Point p, Settings st) {
        Scenario s = scenario(f, st);
        boolean data = s.dataMode() == null || s.dataMode();
        SimConfig time = s.simConfig(SimConfig.DEFAULT.cpus());
        Path workdir = data ? temporaryDirectory() : null;
        try (Machine m = Machine.boot(s.sizing().physConfig(s.source(), s.memory(), DEFAULT_MEMORY, data), workdir, time, policy(st))) {
            ScenarioRunner.Failure failure = ScenarioRunner.run(m, s, p.seed());
            return finish(m, p, failure == null ? PointResult.OK : "failed: " + failure);
        } finally {
            if (workdir != null) {
                Machine.deleteTree(workdir);
            }
        }
    }

    /** The key of a scenario cgroup's limits for cgroup file {@code file}. */
    private static String limitKey(Setting file) {
        return switch (file) {
            case CGROUP_MAX -> "max";
            case CGROUP_HIGH -> "high";
            case CGROUP_LOW -> "low";
            case CGROUP_MIN -> "min";
            case CGROUP_SWAP_MAX -> "swap_max";
            default -> throw new IllegalArgumentException(file.key() + " is not a cgroup file");
        };
    }

    private static PointResult traces(Workload.Traces t, Point p, Settings st) {
        SimConfig time = SimConfig.DEFAULT.withCpus(st.number(Setting.CPUS, SimConfig.DEFAULT.cpus()));
        try (Machine m = Machine.boot(PhysConfig.of(st.has(Setting.MEMORY) ? st.size(Setting.MEMORY) : DEFAULT_MEMORY,
                false), null, time, policy(st))) {
            long swap = st.size(Setting.SWAP);
            if (swap > 0 && m.swap().swapon("swapfile", swap / MemSize.PAGE_SIZE, null) instanceof SwaponResult.Failed f) {
                return finish(m, p, "failed: swapon: " + f.errno() + ": " + f.reason());
            }
            if (st.has(Setting.SWAPPINESS)) {
                m.vmscan().setSwappiness(st.number(Setting.SWAPPINESS, 0));
            }
            if (st.has(Setting.WORKINGSET)) {
                m.vmscan().workingset().setDetectionEnabled(st.get(Setting.WORKINGSET).equals("on"));
            }
            if (st.has(Setting.TRANSPARENT_HUGEPAGE)) {
                ThpSettings.parse(st.get(Setting.TRANSPARENT_HUGEPAGE)).apply(m.memory());
            }
            String cgroup = null;
            for (Map.Entry<String, Map<Setting, String>> e : st.cgroups().entrySet()) {
                cgroup = e.getKey();
                MemCgroup cg = create(m.memcg(), cgroup);
                e.getValue().forEach((file, v) -> m.memcg().set(cg,
                        MemoryCgroups.Knob.valueOf(limitKey(file).toUpperCase(java.util.Locale.ROOT)), Setting.cgroupPages(v)));
            }
            TraceReplay.replayAll(m, t.specs(), (records, fraction) -> { }, cgroup);
            return finish(m, p, PointResult.OK);
        }
    }

    /** Creates the cgroup at {@code path} and its missing ancestors; returns it. */
    private static MemCgroup create(MemoryCgroups memcg, String path) {
        MemCgroup cg = null;
        for (int i = path.indexOf('/', 1); ; i = path.indexOf('/', i + 1)) {
            cg = memcg.create(i < 0 ? path : path.substring(0, i));
            if (i < 0) {
                return cg;
            }
        }
    }

    private static String policy(Settings st) {
        return st.has(Setting.POLICY) ? st.get(Setting.POLICY) : ReclaimPolicies.DEFAULT;
    }

    private static PointResult finish(Machine m, Point p, String status) {
        try {
            m.check();
        } catch (IllegalStateException e) {
            throw new IllegalStateException("invariant check failed after the run: " + e.getMessage(), e);
        }
        return new PointResult(p.index(), p.values(), p.seed(), status, Metric.read(m));
    }

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("pagelab-sweep-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a working directory for a data-mode point", e);
        }
    }
}
