package org.pagelab.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The workloads of {@code pagelab validate}: each a static C program (resource
 * {@code org/pagelab/cli/validate/NAME.c}, with the helpers of {@code pl.h}) run in a real kernel,
 * the equivalent pagelab scenario ({@code NAME.yaml}, with mark steps at the same phase
 * boundaries) and the kernel's recorded results ({@code kernel/NAME.txt}, several runs each).
 */
final class ValidationSuite {
    static final String RESOURCES = "/org/pagelab/cli/validate/";
    /** The helpers every workload includes. */
    static final String HEADER = "pl.h";
    /** The cgroup the cgroup workloads make, in the guest (/sys/fs/cgroup/w) and in their scenarios. */
    static final String CGROUP = "/w";

    /** One workload: its name (of the .c, .yaml and kernel .txt files) and what it does. */
    record Workload(String name, String description) {
    }

    /** The workloads, in the order the report lists them. */
    static final List<Workload> WORKLOADS = List.of(
            new Workload("anon_twice", "private anonymous memory of 64M (1.7x free memory) written twice"),
            new Workload("file_twice", "a 64M file written, fsynced, dropped from the cache (drop_caches 3) and read twice"),
            new Workload("fork_cow", "16M written, forked; the child writes every page (COW), the parent then reuses its own"),
            new Workload("madv_pageout", "16M written, MADV_PAGEOUT, read back"),
            new Workload("shmem_twice", "shared anonymous memory (shmem) of 64M written twice"),
            new Workload("memcg_limit", "cgroup with memory.max 16M and memory.swap.max 32M: 24M anonymous written twice,"
                    + " then a 24M file read twice"),
            new Workload("memcg_oom", "a child in a cgroup with memory.max 16M and no swap writes 32M: cgroup OOM kill"),
            new Workload("global_oom", "swap off, a child writes 128M in 16M mappings: global OOM kill"));

    private ValidationSuite() {
    }

    /** The workload named {@code name}, or null. */
    static Workload byName(String name) {
        return WORKLOADS.stream().filter(w -> w.name().equals(name)).findFirst().orElse(null);
    }

    /**
     * Runs the pagelab scenario of {@code w} (metadata mode, deterministic) and returns its marks with
     * the counters named as the kernel's runs name them: vmstat, meminfo and, for the workload's
     * cgroup {@link #CGROUP}, memory.stat and memory.events. Throws {@link IllegalStateException}
     * when the scenario fails: the suite itself is then wrong.
     */
    static List<KernelRun.Mark> runPagelab(Workload w) {
        String file = w.name() + ".yaml";
        org.pagelab.scenario.Scenario s = org.pagelab.scenario.Scenario.parse(RESOURCES.substring(1) + file,
                resource(file));
        org.pagelab.phys.PhysConfig config = s.sizing().physConfig(s.source(), s.memory(), 256L << 20,
                Boolean.TRUE.equals(s.dataMode()));
        org.pagelab.sim.SimConfig time = s.simConfig(1);
        List<KernelRun.Mark> out = new java.util.ArrayList<>();
        try (org.pagelab.machine.Machine m = org.pagelab.machine.Machine.boot(config, null, time)) {
            var failure = org.pagelab.scenario.ScenarioRunner.run(m, s, s.seed() == null ? 1 : s.seed(), mark -> {
                java.util.Map<String, Long> c = new java.util.LinkedHashMap<>();
                mark.counters().vmstat().forEach((k, v) -> c.put("vmstat/" + k, v));
                mark.counters().meminfo().forEach((k, v) -> c.put("meminfo/" + k, v));
                var files = mark.counters().cgroups().get(CGROUP);
                if (files != null) {
                    files.forEach((f, kv) -> kv.forEach((k, v) -> c.put(f + "/" + k, v)));
                }
                out.add(new KernelRun.Mark(mark.name(), mark.timeNs(), java.util.Collections.unmodifiableMap(c)));
            });
            if (failure != null) {
                throw new IllegalStateException("validation scenario " + file + " failed: " + failure);
            }
            m.check();
        }
        return out;
    }

    /** The text of resource {@code validate/path}; an exception naming it when the jar lacks it. */
    static String resource(String path) {
        try (InputStream in = ValidationSuite.class.getResourceAsStream(RESOURCES + path)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCES + path + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read resource " + RESOURCES + path, e);
        }
    }
}
