package org.pagelab.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;

import java.util.List;
import java.util.concurrent.Callable;
import org.pagelab.machine.Machine;
import org.pagelab.machine.TimeSeries;
import org.pagelab.phys.MemSize;
import org.pagelab.phys.PhysConfig;
import org.pagelab.sim.SimConfig;
import org.pagelab.trace.Replay;
import org.pagelab.trace.TraceException;
import org.pagelab.trace.TraceSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code pagelab replay TRACE...}: replays memory-access or block traces on a whole machine, data-less,
 * and prints the same report as {@code run}, with a replay summary.
 */
@Command(name = "replay",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        sortOptions = false,
        description = {
            "Replay traces (FORMAT:PATH; formats lackey, plain, spec, lirs, arc, cachesim-csv, oracle, pagelab; plain,"
                    + " gzip or zstd files) on a machine, data-less, and print its /proc files and simulated time.",
            "Memory traces become processes (one per pid) touching anonymous memory mapped on first use; block traces"
                    + " read and write pages of one file through the page cache."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {Main.EXIT_OK_HELP, Main.EXIT_USAGE_HELP, Main.EXIT_INTERNAL_HELP})
final class ReplayCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "TRACE", description = "Traces as FORMAT:PATH, replayed one after another.")
    private List<String> traces;

    @Mixin
    private MachineOptions machineOptions;

    @Mixin
    private SeriesOptions seriesOptions;

    @Option(names = "--policy", paramLabel = "NAME", defaultValue = "twolist",
            description = "Reclaim policy: of the machine (twolist, the kernel's, the default), or with --policy-only one of"
                    + " lru, clock, fifo, arc, s3fifo, twolist, opt.")
    private String policy;

    @Option(names = "--policy-only",
            description = "Replay the page stream against a fixed capacity of --pages pages, no machine around it,"
                    + " for exact policy studies comparable with cache simulators.")
    private boolean policyOnly;

    @Option(names = "--pages", paramLabel = "N", description = "Capacity in pages for --policy-only.")
    private Integer pages;

    @Option(names = "--cgroup-max", paramLabel = "SIZE", converter = MemorySizeConverter.class,
            description = "Run the trace's processes in a memory cgroup /replay with this memory.max (bytes with an"
                    + " optional K, M, G or T suffix): reclaim and the OOM killer then act inside it; the report adds"
                    + " its memory.* files.")
    private Long cgroupMax;

    @Option(names = "--json", description = "Print one JSON object instead of the /proc files.")
    private boolean json;

    @Option(names = "--debug", description = "Print the stack trace of an internal error (as PAGELAB_DEBUG=1 does).")
    private boolean debug;

    @Override
    public Integer call() throws Exception {
        if (policyOnly && cgroupMax != null) {
            throw new ParameterException(spec.commandLine(), "--cgroup-max limits a cgroup of a whole machine;"
                    + " --policy-only has no machine (use --pages)");
        }
        if (policyOnly) {
            return policyOnly();
        }
        if (pages != null) {
            throw new ParameterException(spec.commandLine(), "--pages is for --policy-only (a whole machine's capacity is"
                    + " its --memory)");
        }
        if (!org.pagelab.reclaim.ReclaimPolicies.names().contains(policy)) {
            throw new ParameterException(spec.commandLine(), "unknown --policy '" + policy + "' for a whole machine (known: "
                    + String.join(", ", org.pagelab.reclaim.ReclaimPolicies.names()) + ")");
        }
        if (!spec.findOption("--mode").originalStringValues().isEmpty() && machineOptions.mode().dataMode()) {
            throw new ParameterException(spec.commandLine(), "replay runs data-less: traces carry no data, so --mode data"
                    + " has nothing to hold (use --mode metadata or leave it out)");
        }
        PhysConfig requested = machineOptions.physConfig();
        PhysConfig config = new PhysConfig(requested.memoryBytes(), 0, false, 0, 10);
        long swapBytes = machineOptions.swapBytes();
        SimConfig time = SimConfig.DEFAULT.withCpus(machineOptions.cpus());
        // validate every trace spec before the run starts
        for (String t : traces) {
            try {
                TraceSource.check(t);
            } catch (TraceException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        try (Workdir wd = Workdir.temporary(false); Machine machine = Machine.boot(config, wd.path(), time)) {
            machineOptions.swapon(machine, swapBytes);
            TimeSeries series = seriesOptions.install(machine);
            Progress progress = Progress.onTerminal(spec.commandLine().getErr());
            Replay.Result last;
            String cgroup = null;
            if (cgroupMax != null) {
                if (cgroupMax < MemSize.PAGE_SIZE) {
                    throw new ParameterException(spec.commandLine(), "--cgroup-max " + cgroupMax
                            + " is less than one page (4096 bytes)");
                }
                var cg = machine.memcg().create("/replay");
                machine.memcg().set(cg, org.pagelab.memcg.MemoryCgroups.Knob.MAX, cgroupMax / MemSize.PAGE_SIZE);
                cgroup = "/replay";
            }
            try {
                last = MachineCompare.replayAll(machine, traces, progress, cgroup);
            } catch (TraceException e) {
                progress.done();
                spec.commandLine().getErr().println(spec.qualifiedName() + ": " + e.getMessage());
                return Main.EXIT_USAGE;
            }
            progress.done();
            long records = last.records();
            try {
                machine.check();
            } catch (IllegalStateException e) {
                throw new CheckFailedException("invariant check failed after the replay: " + e.getMessage(), e);
            }
            java.util.Map<String, String> facts = MachineCharts.facts(machine, "traces", String.join(" ", traces));
            facts.put("records", Long.toString(records));
            facts.put("reclaim policy", policy);
            seriesOptions.write(series, "pagelab replay", facts);
            RunReport report = new RunReport(machine, Mode.METADATA, machineOptions.seed(), null);
            if (json) {
                ObjectNode root = report.json();
                ObjectNode rn = root.putObject("replay");
                rn.put("records", records);
                rn.put("processes", last.processes());
                rn.put("killed", last.killed());
                rn.put("policy", policy);
                out.print(RunReport.pretty(root));
            } else {
                out.print(report.text());
                out.println();
                out.println("==> replay <==");
                out.println("records " + records);
                out.println("processes " + last.processes());
                out.println("policy " + policy);
                if (!machine.memory().events().isEmpty()) {
                    out.println();
                    out.println("==> events <==");
                    machine.memory().events().forEach(out::println);
                }
            }
            out.flush();
        }
        return 0;
    }

    private int policyOnly() {
        if (seriesOptions.reportRequested()) {
            throw new ParameterException(spec.commandLine(), "--report charts a whole machine's run; for --policy-only"
                    + " studies use 'pagelab compare --report'");
        }
        if (pages == null || pages < 1) {
            throw new ParameterException(spec.commandLine(), "--policy-only needs --pages N, a capacity of at least 1 page");
        }
        if (pages > org.pagelab.policy.Policies.MAX_CAPACITY) {
            throw new ParameterException(spec.commandLine(), "--pages " + pages + " is too large, at most "
                    + org.pagelab.policy.Policies.MAX_CAPACITY + " pages");
        }
        try {
            org.pagelab.policy.Policies.create(policy, 1, new long[0]);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--policy: " + e.getMessage());
        }
        long[] keys;
        try {
            keys = org.pagelab.trace.TraceKeys.load(traces);
        } catch (TraceException e) {
            spec.commandLine().getErr().println(spec.qualifiedName() + ": " + e.getMessage());
            return Main.EXIT_USAGE;
        }
        org.pagelab.policy.PolicyStats st = org.pagelab.policy.Policies.replay(policy, pages, keys);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ObjectNode root = RunReport.MAPPER.createObjectNode();
            root.put("policy", st.policy());
            root.put("pages", st.pages());
            root.put("accesses", st.accesses());
            root.put("hits", st.hits());
            root.put("misses", st.misses());
            root.put("miss_ratio", st.missRatio());
            out.print(RunReport.pretty(root));
        } else {
            out.printf(java.util.Locale.ROOT, "policy %s%npages %d%naccesses %d%nhits %d%nmisses %d%nmiss_ratio %.6f%n",
                    st.policy(), st.pages(), st.accesses(), st.hits(), st.misses(), st.missRatio());
        }
        out.flush();
        return 0;
    }

}
