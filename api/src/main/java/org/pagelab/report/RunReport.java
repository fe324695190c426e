package org.pagelab.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.pagelab.machine.Machine;
import org.pagelab.memory.Process;
import org.pagelab.proc.Buddyinfo;
import org.pagelab.proc.Meminfo;
import org.pagelab.proc.PidStatus;
import org.pagelab.proc.ProcFs;
import org.pagelab.proc.SmapsRollup;
import org.pagelab.proc.Vmstat;
import org.pagelab.proc.Zoneinfo;

/**
 * The output of one run: the machine's /proc files as text, or one JSON object.
 *
 * <p>JSON keys are stable: later versions add keys but never rename or remove these.
 * <pre>
 *   machine    memory_bytes, mode, min_free_kbytes,
 *              zones: name -&gt; {start_pfn, spanned, present, managed, min, low, high} (pages)
 *   seed       the run's seed
 *   workdir    the working directory on the host, only when the user chose it (--workdir) or
 *              asked to keep it (--keep-workdir): a fresh temporary directory's name would make
 *              two runs of the same input print different JSON
 *   meminfo    /proc/meminfo field name -&gt; kB
 *   vmstat     /proc/vmstat counter name -&gt; value
 *   buddyinfo  zone name -&gt; free block counts of orders 0..10
 *   pressure   memory, io -&gt; some, full -&gt; {avg10, avg60, avg300 (percent, two decimals),
 *              total (microseconds)}: /proc/pressure/ as of the run's end
 *   processes  pid -&gt; {name, state ("S (sleeping)": the run is over / "Z (zombie)"),
 *              status: /proc/&lt;pid&gt;/status numeric field -&gt; value (kB, Pid a number),
 *              smaps_rollup: /proc/&lt;pid&gt;/smaps_rollup field -&gt; kB}; a process that is no
 *              longer alive has name and state only; cgroup: the process's memory cgroup path
 *   cgroups    memory cgroup path (every online cgroup but the root) -&gt; its memory.* files:
 *              single values as numbers (bytes) or "max", memory.stat, memory.events,
 *              memory.events.local and memory.swap.events as name -&gt; number,
 *              memory.pressure and io.pressure as the "pressure" key has them
 *   marks      (a scenario with mark steps) a list in time order of {name, time_ns (simulated),
 *              process, counters: {vmstat, meminfo (kB), cgroups: path -&gt; {memory.stat,
 *              memory.events} -&gt; name -&gt; number}}
 * </pre>
 *
 * <p>The text report follows the machine-wide files with {@code /proc/<pid>/status} and
 * {@code /proc/<pid>/smaps_rollup} of every live process, in pid order, then the memory.* files
 * of every cgroup but the root, as {@code /sys/fs/cgroup/<path>/<file>}, and, when a scenario
 * took marks, their names and times (the counters are in the JSON report).
 */
public final class RunReport {
    /** The files of the text report, in order. */
    public static final List<String> TEXT_FILES = List.of("/proc/meminfo", "/proc/vmstat", "/proc/buddyinfo", "/proc/swaps",
            "/proc/pressure/memory", "/proc/pressure/io");

    public static final ObjectMapper MAPPER = new ObjectMapper();

    private final Machine machine;
    private final long seed;
    private final Path workdir;
    private List<org.pagelab.scenario.ScenarioRunner.Mark> marks = List.of();

    /** A report of {@code machine}'s run; {@code workdir} null leaves the working directory out. */
    public RunReport(Machine machine, long seed, Path workdir) {
        this.machine = machine;
        this.seed = seed;
        this.workdir = workdir;
    }

    /** Adds the snapshots of a scenario's mark steps, in time order. */
    public RunReport withMarks(List<org.pagelab.scenario.ScenarioRunner.Mark> marks) {
        this.marks = List.copyOf(marks);
        return this;
    }

    /** {@code snapshot} as JSON: vmstat, meminfo, and cgroups path -&gt; file -&gt; key -&gt; value. */
    public static ObjectNode countersJson(org.pagelab.proc.CounterSnapshot snapshot) {
        ObjectNode c = MAPPER.createObjectNode();
        snapshot.vmstat().forEach(c.putObject("vmstat")::put);
        snapshot.meminfo().forEach(c.putObject("meminfo")::put);
        c.set("cgroups", MAPPER.valueToTree(snapshot.cgroups()));
        return c;
    }

    /** The files of the text report: {@link #TEXT_FILES}, then the per-process files of live processes. */
    public List<String> textPaths() {
        List<String> paths = new java.util.ArrayList<>(TEXT_FILES);
        for (Process p : machine.memory().processes().values()) {
            if (p.alive()) {
                for (String f : ProcFs.PID_FILES) {
                    paths.add("/proc/" + p.pid() + "/" + f);
                }
            }
        }
        return paths;
    }

    /** The files as {@code head} prints several: a "==> path <==" header each, a blank line between. */
    public String text() {
        ProcFs proc = ProcFs.afterRun(machine);
        StringBuilder sb = new StringBuilder();
        for (String path : textPaths()) {
            if (!sb.isEmpty()) {
                sb.append('\n');
            }
            sb.append("==> ").append(path).append(" <==\n").append(proc.read(path));
        }
        var cgroups = machine.memcg();
        for (var e : cgroups.online().entrySet()) {
            if (e.getValue().isRoot()) {
                continue;
            }
            for (var f : org.pagelab.memcg.MemcgFiles.render(cgroups, e.getValue()).entrySet()) {
                sb.append("\n==> /sys/fs/cgroup").append(e.getKey()).append('/').append(f.getKey()).append(" <==\n")
                        .append(f.getValue());
            }
        }
        if (!marks.isEmpty()) {
            sb.append("\n==> marks <==\n");
            for (var mk : marks) {
                sb.append(mk.name()).append(" at ").append(String.format(java.util.Locale.ROOT, "%.3f ms",
                        mk.timeNs() / 1e6)).append(" (").append(mk.process()).append(")\n");
            }
        }
        sb.append("\n==> simulated time <==\n").append(machine.sim().report().toText());
        return sb.toString();
    }

    /** The report as one JSON object. */
    public ObjectNode json() {
        ObjectNode root = MAPPER.createObjectNode();
        ObjectNode m = root.putObject("machine");
        m.put("memory_bytes", machine.config().memoryBytes());
        m.put("mode", machine.config().dataMode() ? "data" : "metadata");
        Zoneinfo zoneinfo = new Zoneinfo(machine);
        m.put("min_free_kbytes", zoneinfo.minFreeKbytes());
        ObjectNode zones = m.putObject("zones");
        for (Map.Entry<String, Zoneinfo.ZoneFields> e : zoneinfo.fields().entrySet()) {
            Zoneinfo.ZoneFields z = e.getValue();
            ObjectNode zn = zones.putObject(e.getKey());
            zn.put("start_pfn", z.startPfn());
            zn.put("spanned", z.spanned());
            zn.put("present", z.present());
            zn.put("managed", z.managed());
            zn.put("min", z.min());
            zn.put("low", z.low());
            zn.put("high", z.high());
        }
        root.put("seed", seed);
        if (workdir != null) {
            root.put("workdir", workdir.toString());
        }
        ObjectNode meminfo = root.putObject("meminfo");
        new Meminfo(machine).fields().forEach(meminfo::put);
        ObjectNode vmstat = root.putObject("vmstat");
        new Vmstat(machine).fields().forEach(vmstat::put);
        ObjectNode buddyinfo = root.putObject("buddyinfo");
        for (Map.Entry<String, List<Long>> e : new Buddyinfo(machine).fields().entrySet()) {
            ArrayNode counts = buddyinfo.putArray(e.getKey());
            e.getValue().forEach(counts::add);
        }
        org.pagelab.sim.SimReport time = machine.sim().report();
        ObjectNode tn = root.putObject("time");
        tn.put("elapsed_ns", time.elapsedNs());
        tn.put("cpus", time.cpus());
        ArrayNode tasks = tn.putArray("tasks");
        for (org.pagelab.sim.SimReport.TaskReport t : time.tasks()) {
            ObjectNode x = tasks.addObject();
            x.put("task", t.label());
            x.put("name", t.name());
            x.put("cpu_ns", t.cpuNs());
            x.put("run_delay_ns", t.runDelayNs());
            x.put("io_wait_ns", t.ioWaitNs());
            x.put("reclaim_stall_ns", t.reclaimStallNs());
            x.put("memory_stall_ns", t.memoryStallNs());
            x.put("finish_ns", t.finishNs());
            x.put("steps", t.steps());
        }
        ObjectNode pressure = root.putObject("pressure");
        for (org.pagelab.psi.PsiResource r : List.of(org.pagelab.psi.PsiResource.MEMORY, org.pagelab.psi.PsiResource.IO)) {
            ObjectNode rn = pressure.putObject(r.fileName());
            new org.pagelab.psi.Pressure(machine.psi().system(), r).fields().forEach((line, figures) -> {
                ObjectNode ln = rn.putObject(line);
                figures.forEach((k, v) -> {
                    if (v instanceof java.math.BigDecimal d) {
                        ln.put(k, d);
                    } else {
                        ln.put(k, v.longValue());
                    }
                });
            });
        }
        ArrayNode swaps = root.putArray("swaps");
        for (var d : machine.swap().devices().devices()) {
            ObjectNode sn = swaps.addObject();
            sn.put("filename", d.name());
            sn.put("type", "file");
            sn.put("size_kb", d.pages() * 4);
            sn.put("used_kb", d.inusePages() * 4);
            sn.put("priority", d.priority());
        }
        ObjectNode processes = root.putObject("processes");
        for (Process p : machine.memory().processes().values()) {
            PidStatus status = new PidStatus(p);
            ObjectNode pn = processes.putObject(Integer.toString(p.pid()));
            pn.put("name", status.name());
            pn.put("state", status.stateAfterRun());
            pn.put("cgroup", machine.memcg().memcgOf(p).path());
            if (p.alive()) {
                ObjectNode st = pn.putObject("status");
                status.fields().forEach(st::put);
                ObjectNode sr = pn.putObject("smaps_rollup");
                new SmapsRollup(machine, p).fields().forEach(sr::put);
            }
        }
        ObjectNode cg = root.putObject("cgroups");
        for (var e : machine.memcg().online().entrySet()) {
            if (e.getValue().isRoot()) {
                continue;
            }
            ObjectNode cn = cg.putObject(e.getKey());
            for (var f : org.pagelab.memcg.MemcgFiles.values(machine.memcg(), e.getValue()).entrySet()) {
                Object v = f.getValue() instanceof org.pagelab.psi.Pressure pr ? pr.fields() : f.getValue();
                cn.set(f.getKey(), MAPPER.valueToTree(v));
            }
        }
        if (!marks.isEmpty()) {
            ArrayNode mn = root.putArray("marks");
            for (var mk : marks) {
                ObjectNode x = mn.addObject();
                x.put("name", mk.name());
                x.put("time_ns", mk.timeNs());
                x.put("process", mk.process());
                x.set("counters", countersJson(mk.counters()));
            }
        }
        return root;
    }

    /** {@link #json()} pretty-printed, with "\n" line ends on every platform and a final newline. */
    public String jsonText() {
        return pretty(json());
    }

    /** {@code root} pretty-printed as the reports print JSON. */
    public static String pretty(ObjectNode root) {
        DefaultPrettyPrinter pp = new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n"));
        try {
            return MAPPER.writer(pp).writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the run report as JSON", e);
        }
    }
}
