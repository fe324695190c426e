package org.pagelab.proc;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.pagelab.machine.Machine;
import org.pagelab.memcg.MemCgroup;
import org.pagelab.memcg.MemcgFiles;

/**
 * Every counter of a machine at one moment, as a kernel developer would save them: /proc/vmstat,
 * /proc/meminfo (kB) and, for every cgroup but the root, memory.stat and memory.events. Taken by
 * the scenario's mark step so that per-phase deltas come from one run.
 *
 * @param vmstat  /proc/vmstat, counter name to value, in the kernel's order
 * @param meminfo /proc/meminfo, field name to kB, in the kernel's order
 * @param cgroups cgroup path to file name (memory.stat, memory.events) to key to value
 */
public record CounterSnapshot(Map<String, Long> vmstat, Map<String, Long> meminfo,
                              Map<String, Map<String, Map<String, Long>>> cgroups) {

    /** The files of each cgroup a snapshot keeps. */
    public static final java.util.List<String> CGROUP_FILES = java.util.List.of("memory.stat", "memory.events");

    /** The counters of {@code machine} now. */
    public static CounterSnapshot of(Machine machine) {
        Map<String, Map<String, Map<String, Long>>> cgroups = new LinkedHashMap<>();
        for (Map.Entry<String, MemCgroup> e : machine.memcg().online().entrySet()) {
            if (e.getValue().isRoot()) {
                continue;
            }
            Map<String, Object> files = MemcgFiles.values(machine.memcg(), e.getValue());
            Map<String, Map<String, Long>> kept = new LinkedHashMap<>();
            for (String f : CGROUP_FILES) {
                kept.put(f, longs(files.get(f)));
            }
            cgroups.put(e.getKey(), Collections.unmodifiableMap(kept));
        }
        return new CounterSnapshot(Collections.unmodifiableMap(new LinkedHashMap<>(new Vmstat(machine).fields())),
                Collections.unmodifiableMap(new Meminfo(machine).fields()), Collections.unmodifiableMap(cgroups));
    }

    private static Map<String, Long> longs(Object file) {
        Map<String, Long> out = new LinkedHashMap<>();
        if (file instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> kv : m.entrySet()) {
                out.put(kv.getKey().toString(), ((Number) kv.getValue()).longValue());
            }
        }
        return Collections.unmodifiableMap(out);
    }
}
