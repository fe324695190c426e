package org.pagelab.cli;

import org.pagelab.report.RunReport;
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
            "Replay traces (FORMAT:PATH; formats lackey, plain, pages, spec, lirs, arc, cachesim-csv, oracle, lcs, vscsi, msr, systor, twitter, pagelab;"
                    + " plain, gzip, zstd or xz files) on a machine, data-less, and print its /proc files and simulated time.",
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

    @Option(names = "--policy", paramLabel = "NAME", defaultValue = "twolist", split = ",",
            description = "Reclaim policy: of the machine (twolist, the kernel's two lists, the default, or mglru), or with --policy-only one or"
                    + " more (comma-separated) of ${sys:pagelab.policies}, or a class name from --policy-jar.")
    private List<String> policy;

    @Option(names = "--policy-jar", paramLabel = "JAR",
            description = "A jar holding the class named by --policy (a CachePolicy with a public (int capacity)"
                    + " constructor), for --policy-only.")
    private java.nio.file.Path policyJar;

    @Option(names = "--policy-only",
            description = "Replay the page stream against a fixed capacity of --pages pages, no machine around it,"
                    + " for exact policy studies comparable with cache simulators.")
    private boolean policyOnly;

    @Option(names = "--pages", paramLabel = "N", split = ",",
            description = "Capacity in pages for --policy-only; several (comma-separated) replay the trace, read once, at"
                    + " each.")
    private List<Integer> pages;

    @Option(names = "--cgroup-max", paramLabel = "SIZE", converter = MemorySizeConverter.class,
            description = "Run the trace's processes in a memory cgroup /replay with this memory.max (bytes with an"
                    + " optional K, M, G or T suffix): reclaim and the OOM killer then act inside it; the report adds"
                    + " its memory.* files.")
    private Long cgroupMax;

    @Mixin
    private ThpOptions thpOptions;

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
        if (policyOnly && thpOptions.given()) {
            throw new ParameterException(spec.commandLine(), thpOptions.givenName() + " sets a whole machine's huge pages;"
                    + " --policy-only has no machine");
        }
        if (policyOnly) {
            return policyOnly();
        }
        if (pages != null) {
            throw new ParameterException(spec.commandLine(), "--pages is for --policy-only (a whole machine's capacity is"
                    + " its --memory)");
        }
        if (policyJar != null) {
            throw new ParameterException(spec.commandLine(), "--policy-jar is for --policy-only (a whole machine runs"
                    + " its own reclaim policies)");
        }
        if (policy.size() != 1 || !org.pagelab.reclaim.ReclaimPolicies.names().contains(policy.getFirst())) {
            throw new ParameterException(spec.commandLine(), "unknown --policy '" + String.join(",", policy)
                    + "' for a whole machine (known: " + String.join(", ", org.pagelab.reclaim.ReclaimPolicies.names())
                    + ")");
        }
        if (!spec.findOption("--mode").originalStringValues().isEmpty() && machineOptions.mode().dataMode()) {
            throw new ParameterException(spec.commandLine(), "replay runs data-less: traces carry no data, so --mode data"
                    + " has nothing to hold (use --mode metadata or leave it out)");
        }
        org.pagelab.sweep.ThpSettings thp = thpOptions.settings();
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
        try (Workdir wd = Workdir.temporary(false); Machine machine = Machine.boot(config, wd.path(), time, policy.getFirst())) {
            machineOptions.swapon(machine, swapBytes);
            thp.apply(machine.memory());
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
            facts.put("reclaim policy", policy.getFirst());
            seriesOptions.write(series, "pagelab replay", facts);
            RunReport report = new RunReport(machine, machineOptions.seed(), null);
            if (json) {
                ObjectNode root = report.json();
                ObjectNode rn = root.putObject("replay");
                rn.put("records", records);
                rn.put("processes", last.processes());
                rn.put("killed", last.killed());
                rn.put("policy", policy.getFirst());
                out.print(RunReport.pretty(root));
            } else {
                out.print(report.text());
                out.println();
                out.println("==> replay <==");
                out.println("records " + records);
                out.println("processes " + last.processes());
                if (last.killed() > 0) {
                    out.println("killed " + last.killed() + " (the OOM killer ended processes of the trace before their"
                            + " last record)");
                }
                out.println("policy " + policy.getFirst());
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

    /** The options of a whole machine, which --policy-only has no use for. */
    private static final List<String> MACHINE_ONLY = List.of("--memory", "--swap", "--cpus", "--mode", "--seed",
            "--series", "--series-interval");

    private int policyOnly() {
        if (seriesOptions.reportRequested()) {
            throw new ParameterException(spec.commandLine(), "--report charts a whole machine's run; for --policy-only"
                    + " studies use 'pagelab compare --report'");
        }
        for (String option : MACHINE_ONLY) {
            if (!spec.findOption(option).originalStringValues().isEmpty()) {
                throw new ParameterException(spec.commandLine(), option + " shapes a whole machine; --policy-only has no"
                        + " machine (its capacity is --pages)");
            }
        }
        if (pages == null || pages.stream().anyMatch(p -> p == null || p < 1)) {
            throw new ParameterException(spec.commandLine(), "--policy-only needs --pages N, a capacity of at least 1 page");
        }
        for (Integer p : pages) {
            if (p > org.pagelab.policy.Policies.MAX_CAPACITY) {
                throw new ParameterException(spec.commandLine(), "--pages " + p + " is too large, at most "
                        + org.pagelab.policy.Policies.MAX_CAPACITY + " pages");
            }
        }
        ClassLoader loader = PolicyChoice.loader(spec.commandLine(), policyJar);
        for (String name : policy) {
            try {
                org.pagelab.policy.Policies.validate(name, loader);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--policy: " + e.getMessage());
            }
        }
        org.pagelab.trace.TraceKeys.Sampled loaded;
        try {
            loaded = org.pagelab.trace.TraceKeys.load(traces, 1L << org.pagelab.policy.Shards.MODULUS_BITS);
        } catch (TraceException e) {
            spec.commandLine().getErr().println(spec.qualifiedName() + ": " + e.getMessage());
            return Main.EXIT_USAGE;
        }
        org.pagelab.policy.KeyTrace keys = loaded.keys();
        int[] caps = pages.stream().mapToInt(Integer::intValue).toArray();
        PolicyChoice.checkCapacities(spec.commandLine(), "--pages", policy, caps);
        org.pagelab.policy.PolicyRuns.Result result = org.pagelab.policy.PolicyRuns.run(policy, caps, keys, loaded.sizes(),
                loader, org.pagelab.policy.PolicyRuns.defaultThreads());
        org.pagelab.policy.PolicyStats[][] runs = result.stats();
        boolean bytes = loaded.sizes() != null;
        PrintWriter out = spec.commandLine().getOut();
        boolean one = runs.length == 1 && caps.length == 1;
        if (json) {
            ObjectNode root = RunReport.MAPPER.createObjectNode();
            if (one) {
                statsJson(root, runs[0][0]);
                bytesJson(root, result, 0, 0);
            } else {
                root.put("accesses", keys.length());
                var array = root.putArray("runs");
                for (int i = 0; i < runs.length; i++) {
                    for (int k = 0; k < runs[i].length; k++) {
                        ObjectNode run = array.addObject();
                        statsJson(run, runs[i][k]);
                        bytesJson(run, result, i, k);
                    }
                }
            }
            out.print(RunReport.pretty(root));
        } else if (one) {
            org.pagelab.policy.PolicyStats st = runs[0][0];
            out.printf(java.util.Locale.ROOT, "policy %s%npages %d%naccesses %d%nhits %d%nmisses %d%nmiss_ratio %.6f%n",
                    st.policy(), st.pages(), st.accesses(), st.hits(), st.misses(), st.missRatio());
            if (bytes) {
                out.printf(java.util.Locale.ROOT, "bytes %d%nmissed_bytes %d%nbyte_miss_ratio %.6f%n", result.bytes(),
                        result.missedBytes()[0][0], result.byteMissRatio(0, 0));
            }
        } else {
            out.printf(java.util.Locale.ROOT, "# %d accesses, read once%n%-12s %10s %12s %12s %10s%s%n", keys.length(),
                    "policy", "pages", "hits", "misses", "miss_ratio", bytes ? " byte_miss_ratio" : "");
            for (int i = 0; i < runs.length; i++) {
                for (int k = 0; k < runs[i].length; k++) {
                    org.pagelab.policy.PolicyStats st = runs[i][k];
                    out.printf(java.util.Locale.ROOT, "%-12s %10d %12d %12d %10.6f%s%n", st.policy(), st.pages(), st.hits(),
                            st.misses(), st.missRatio(), bytes ? String.format(java.util.Locale.ROOT, " %15.6f",
                                    result.byteMissRatio(i, k)) : "");
                }
            }
        }
        out.flush();
        return 0;
    }

    /** The byte counts of run (i, k), when the trace's accesses have sizes. */
    private static void bytesJson(ObjectNode node, org.pagelab.policy.PolicyRuns.Result result, int i, int k) {
        if (result.missedBytes() != null) {
            node.put("bytes", result.bytes());
            node.put("missed_bytes", result.missedBytes()[i][k]);
            node.put("byte_miss_ratio", result.byteMissRatio(i, k));
        }
    }

    private static void statsJson(ObjectNode node, org.pagelab.policy.PolicyStats st) {
        node.put("policy", st.policy());
        node.put("pages", st.pages());
        node.put("accesses", st.accesses());
        node.put("hits", st.hits());
        node.put("misses", st.misses());
        node.put("miss_ratio", st.missRatio());
    }
}
