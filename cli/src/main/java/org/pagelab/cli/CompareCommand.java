package org.pagelab.cli;

import org.pagelab.report.RunReport;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.pagelab.phys.MemSize;
import org.pagelab.phys.PhysConfig;
import org.pagelab.policy.KeyTrace;
import org.pagelab.policy.MissRatioCurve;
import org.pagelab.policy.OptPolicy;
import org.pagelab.policy.Policies;
import org.pagelab.policy.PolicyRuns;
import org.pagelab.policy.PolicyStats;
import org.pagelab.policy.Shards;
import org.pagelab.policy.StackDistances;
import org.pagelab.trace.TraceException;
import org.pagelab.trace.TraceKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code pagelab compare TRACE... --policies a,b --sizes s1,s2}: miss ratios of replacement policies
 * at fixed capacities (policy-only), with Belady's OPT as the bound, and the same traces replayed on
 * whole machines of those sizes (see {@link MachineCompare}) unless {@code --policy-only};
 * {@code --mrc} prints miss-ratio curves (LRU and OPT in one pass, the other policies a replay per
 * size) and then their miss counts, as the table prints both. {@code --report} writes the curves and
 * tables as an HTML page ({@link HtmlReport}).
 */
@Command(name = "compare",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        sortOptions = false,
        description = {"Compare replacement policies on traces (FORMAT:PATH) at fixed capacities, with OPT as the bound.",
            "Then replay the traces on whole machines of those sizes (memory = pages x 4K, from 16M up) with each"
                    + " machine reclaim policy among --policies, and print major faults, refaults and swap I/O."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {Main.EXIT_OK_HELP, Main.EXIT_USAGE_HELP, Main.EXIT_INTERNAL_HELP})
final class CompareCommand implements Callable<Integer> {
    private static final String NO_MACHINE = "none of the sizes reaches the " + MemSize.format(PhysConfig.MIN_MEMORY)
            + " (" + PhysConfig.MIN_MEMORY / MemSize.PAGE_SIZE + " pages) a machine needs";

    @Spec
    private CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "TRACE", description = "Traces as FORMAT:PATH, one stream in order.")
    private List<String> traces;

    @Option(names = "--policies", paramLabel = "LIST", split = ",", defaultValue = "lru,clock,fifo,arc,s3fifo,twolist",
            description = "Policies to compare (default: ${DEFAULT-VALUE}) among ${sys:pagelab.policies}, or class names"
                    + " from --policy-jar; opt is always added as the bound.")
    private List<String> policies;

    @Option(names = "--policy-jar", paramLabel = "JAR",
            description = "A jar holding classes named in --policies (each a CachePolicy with a public (int capacity)"
                    + " constructor).")
    private Path policyJar;

    @Option(names = "--threads", paramLabel = "N",
            description = "Threads for the policy-only replays, one per policy and size (default: one per processor).")
    private Integer threads;

    @Option(names = "--sizes", paramLabel = "LIST", split = ",",
            description = "Capacities: pages (1024) or sizes (4M, 1G), at most 67108864 pages (256G) each;"
                    + " default: 8 sizes from 1%% to 100%% of the footprint.")
    private List<String> sizes;

    @Option(names = "--mrc", description = "Print miss-ratio curves instead of the table: LRU (one pass), OPT (one pass, or a"
            + " replay per size when that is cheaper), and every policy named with --policies (a replay per size, in"
            + " parallel); then the miss counts of the same curves.")
    private boolean mrc;

    @Option(names = "--stack-distances", description = "Print the LRU stack-distance histogram (power-of-two buckets)"
            + " instead of the table.")
    private boolean stackDistances;

    @Option(names = "--shards", paramLabel = "RATE",
            description = "Read only a SHARDS sample of the keys (a hash of the key below RATE x 2^24, 0 < RATE <= 1):"
                    + " approximate curves of traces too long to hold, each policy replaying the sample with RATE times"
                    + " the pages.")
    private Double shards;

    @Option(names = "--policy-only", description = "Only the policy table: no whole-machine runs.")
    private boolean policyOnly;

    @Option(names = "--swap", paramLabel = "SIZE", converter = MemorySizeConverter.class,
            description = "Swap of the whole-machine runs (default: the trace's footprint, rounded up to 1M).")
    private Long swap;

    @Mixin
    private ThpOptions thpOptions;

    @Option(names = "--report", paramLabel = "FILE.html",
            description = "Write an HTML page with the miss-ratio curves and the tables to FILE.html (viewable offline).")
    private Path report;

    @Option(names = "--json", description = "Print one JSON object.")
    private boolean json;

    @Option(names = "--debug", description = "Print the stack trace of an internal error (as PAGELAB_DEBUG=1 does).")
    private boolean debug;

    private ClassLoader loader;

    /** The bytes of each access, or null when every access is a page. */
    private int[] byteSizes;

    /** The SHARDS sample the keys are, or null when they are the whole trace. */
    private Sample sample;

    /**
     * A SHARDS sample: {@code keys} of the trace's {@code accesses} accesses were kept at {@code rate}.
     */
    private record Sample(double rate, long keys, long accesses) {
        String describe() {
            return String.format(Locale.ROOT, "rate %s: %d of %d accesses kept", rateText(), keys, accesses);
        }

        /** The rate to four digits, without a binary fraction's tail: 0.01 rather than 0.009999990463256836. */
        String rateText() {
            return new java.math.BigDecimal(rate).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
        }
    }

    /** The capacities the replays use: {@code caps}, or scaled by the sample's rate for a miniature simulation. */
    private int[] runCapacities(java.util.Collection<String> names, int[] caps) {
        if (sample == null) {
            return caps;
        }
        int min = names.stream().mapToInt(Policies::minimumCapacity).max().orElse(1);
        int[] out = new int[caps.length];
        for (int k = 0; k < caps.length; k++) {
            out[k] = Shards.scaledCapacity(caps[k], sample.rate(), min);
        }
        return out;
    }

    private PolicyStats[][] runs(List<String> names, int[] caps, KeyTrace keys) {
        return runs(names, caps, keys, null).stats();
    }

    private PolicyRuns.Result runs(List<String> names, int[] caps, KeyTrace keys, int[] sizes) {
        return PolicyRuns.run(names, runCapacities(names, caps), keys, sizes, loader,
                threads != null ? threads : PolicyRuns.defaultThreads());
    }

    /** The line that says what the figures are of: the whole trace, or a sample of it. */
    private String accessesNote(long accesses, int footprint) {
        if (sample == null) {
            return String.format(Locale.ROOT, "%d accesses, footprint %d pages", accesses, footprint);
        }
        return String.format(Locale.ROOT, "SHARDS sample at rate %s: %d of %d accesses, footprint about %d pages;"
                + " policies replayed the sample at pages x rate", sample.rateText(), sample.keys(), sample.accesses(),
                footprint);
    }

    private void sampleJson(ObjectNode root) {
        if (sample != null) {
            ObjectNode s = root.putObject("shards");
            s.put("rate", sample.rate());
            s.put("sampled_accesses", sample.keys());
            s.put("accesses", sample.accesses());
        }
    }

    @Override
    public Integer call() {
        Set<String> names = new LinkedHashSet<>();
        loader = PolicyChoice.loader(spec.commandLine(), policyJar);
        for (String p : policies) {
            try {
                Policies.validate(p, loader);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--policies: " + e.getMessage());
            }
            names.add(Policies.canonical(p));
        }
        names.add("opt");
        thpOptions.settings(); // a size given twice is refused before any run
        if (threads != null && threads < 1) {
            throw new ParameterException(spec.commandLine(), "--threads must be at least 1, got " + threads);
        }
        if (report != null) {
            HtmlReport.checkPath(spec.commandLine(), "--report", report);
        }
        if (swap != null && swap != 0 && swap < 8192) {
            throw new ParameterException(spec.commandLine(), "a swap area needs at least 8K (a header page and one slot),"
                    + " got --swap " + swap + " bytes");
        }
        if (!policyOnly && !mrc) {
            for (String t : traces) {
                if (org.pagelab.trace.TraceSource.readOnce(t)) {
                    throw new ParameterException(spec.commandLine(), "trace '" + t + "' is a pipe or device, which can be"
                            + " read only once; the whole-machine runs read each trace once per size: save it to a file,"
                            + " or use --policy-only");
                }
            }
        }
        if (mrc && stackDistances) {
            throw new ParameterException(spec.commandLine(), "--mrc and --stack-distances are two different outputs: give one");
        }
        long threshold = 1L << Shards.MODULUS_BITS;
        if (shards != null) {
            try {
                threshold = Shards.threshold(shards);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--shards: " + e.getMessage());
            }
            if (!policyOnly && !mrc && !stackDistances) {
                throw new ParameterException(spec.commandLine(), "--shards samples the policy replays; the whole-machine"
                        + " runs replay every access: add --policy-only");
            }
        }
        TraceKeys.Sampled loaded;
        try {
            loaded = TraceKeys.load(traces, threshold);
        } catch (TraceException e) {
            spec.commandLine().getErr().println(spec.qualifiedName() + ": " + e.getMessage());
            return Main.EXIT_USAGE;
        }
        KeyTrace keys = loaded.keys();
        byteSizes = loaded.sizes();
        sample = shards == null ? null : new Sample(Shards.rate(threshold), keys.length(), loaded.accesses());
        int distinct = keys.distinct();
        int footprint = sample == null ? distinct : (int) Math.min(Policies.MAX_CAPACITY, Math.round(distinct / sample.rate()));
        int[] caps = capacities(Math.max(1, footprint), mrc ? 24 : 8);
        PolicyChoice.checkCapacities(spec.commandLine(), "--sizes", names, caps);
        PrintWriter out = spec.commandLine().getOut();
        HtmlReport page = new HtmlReport("pagelab compare").fact("traces", String.join(" ", traces))
                .fact("accesses", Long.toString(loaded.accesses()))
                .fact("footprint", (sample == null ? "" : "about ") + footprint + " pages");
        if (sample != null) {
            page.fact("SHARDS sample", sample.describe());
        }
        if (stackDistances) {
            stackDistances(out, keys, footprint);
        } else if (mrc) {
            List<String> curves = new ArrayList<>(List.of("lru"));
            if (!spec.findOption("--policies").originalStringValues().isEmpty()) {
                names.stream().filter(n -> !n.equals("lru") && !n.equals("opt")).forEach(curves::add);
            }
            curves.add("opt");
            mrc(out, page, keys, footprint, caps, curves);
        } else {
            try {
                table(out, page, names, keys, footprint, caps);
            } catch (TraceException e) {
                spec.commandLine().getErr().println(spec.qualifiedName() + ": " + e.getMessage() + " (a machine cannot"
                        + " replay this trace; --policy-only compares the policies without one)");
                return Main.EXIT_USAGE;
            }
        }
        out.flush();
        if (report != null) {
            page.write(spec.commandLine(), "--report", report);
        }
        return 0;
    }

    private void mrc(PrintWriter out, HtmlReport page, KeyTrace keys, int footprint, int[] caps, List<String> curves) {
        StackDistances distances = StackDistances.of(keys, sample == null ? 1 : 1 / sample.rate());
        MissRatioCurve lru = MissRatioCurve.lru(distances, caps);
        // OPT in one pass when that is cheaper than a replay per size; on a sample, at the capacities
        // its miniature replays would have had
        MissRatioCurve opt = MissRatioCurve.optInOnePass(keys, OptPolicy.nextUses(keys),
                runCapacities(List.of("opt"), caps));
        List<String> replayed = curves.subList(1, opt == null ? curves.size() : curves.size() - 1);
        PolicyStats[][] runs = replayed.isEmpty() ? new PolicyStats[0][] : runs(replayed, caps, keys);
        List<double[]> ratios = new ArrayList<>();
        List<long[]> misses = new ArrayList<>();
        ratios.add(ratios(lru));
        misses.add(lru.misses());
        for (PolicyStats[] row : runs) {
            double[] r = new double[caps.length];
            long[] m = new long[caps.length];
            for (int k = 0; k < caps.length; k++) {
                r[k] = row[k].missRatio();
                m[k] = row[k].misses();
            }
            ratios.add(r);
            misses.add(m);
        }
        if (opt != null) {
            ratios.add(ratios(opt));
            misses.add(opt.misses());
        }
        List<String> header = new ArrayList<>(List.of("pages"));
        header.addAll(curves);
        List<List<String>> rows = new ArrayList<>();
        List<List<String>> countRows = new ArrayList<>();
        for (int k = 0; k < caps.length; k++) {
            List<String> row = new ArrayList<>(List.of(Integer.toString(caps[k])));
            List<String> countRow = new ArrayList<>(row);
            for (int i = 0; i < curves.size(); i++) {
                row.add(ratio(ratios.get(i)[k]));
                countRow.add(Long.toString(misses.get(i)[k]));
            }
            rows.add(row);
            countRows.add(countRow);
        }
        // the counts are of the accesses replayed: the sample's, when sampled
        long replayedAccesses = keys.length();
        String countsTitle = "misses" + (sample == null ? "" : " in the sample") + " (hits = " + replayedAccesses + " - misses)";
        page.chart(missRatioChart(caps, curves, ratios)).table(new HtmlReport.Table("Miss ratio", header, rows))
                .table(new HtmlReport.Table("M" + countsTitle.substring(1), header, countRows));
        if (json) {
            ObjectNode root = RunReport.MAPPER.createObjectNode();
            root.put("accesses", sample == null ? keys.length() : sample.accesses());
            root.put("footprint_pages", footprint);
            sampleJson(root);
            ArrayNode rs = root.putArray("mrc");
            ArrayNode ms = root.putArray("misses");
            for (int k = 0; k < caps.length; k++) {
                ObjectNode r = rs.addObject();
                ObjectNode m = ms.addObject();
                r.put("pages", caps[k]);
                m.put("pages", caps[k]);
                for (int i = 0; i < curves.size(); i++) {
                    r.put(curves.get(i), ratios.get(i)[k]);
                    m.put(curves.get(i), misses.get(i)[k]);
                }
            }
            out.print(RunReport.pretty(root));
        } else {
            out.printf(Locale.ROOT, "# %s%n", accessesNote(sample == null ? keys.length() : sample.accesses(), footprint));
            printCurveRows(out, curves, rows);
            out.printf(Locale.ROOT, "%n# %s%n", countsTitle);
            printCurveRows(out, curves, countRows);
        }
    }

    /** Rows of {@code --mrc} output: the size, then one right-aligned column per curve, at least 8 wide. */
    private static void printCurveRows(PrintWriter out, List<String> curves, List<List<String>> rows) {
        int[] widths = new int[curves.size()];
        for (int i = 0; i < curves.size(); i++) {
            widths[i] = Math.max(8, curves.get(i).length());
            for (List<String> r : rows) {
                widths[i] = Math.max(widths[i], r.get(i + 1).length());
            }
        }
        out.printf(Locale.ROOT, "%10s", "pages");
        for (int i = 0; i < curves.size(); i++) {
            out.printf(Locale.ROOT, " %" + widths[i] + "s", curves.get(i));
        }
        out.println();
        for (List<String> r : rows) {
            out.printf(Locale.ROOT, "%10s", r.get(0));
            for (int i = 1; i < r.size(); i++) {
                out.printf(Locale.ROOT, " %" + widths[i - 1] + "s", r.get(i));
            }
            out.println();
        }
    }

    private void stackDistances(PrintWriter out, KeyTrace keys, int footprint) {
        StackDistances d = StackDistances.of(keys, sample == null ? 1 : 1 / sample.rate());
        long[] buckets = d.log2Buckets();
        if (json) {
            ObjectNode root = RunReport.MAPPER.createObjectNode();
            root.put("accesses", sample == null ? keys.length() : sample.accesses());
            root.put("footprint_pages", footprint);
            sampleJson(root);
            root.put("counted_accesses", d.accesses());
            root.put("cold", d.cold());
            ArrayNode a = root.putArray("buckets");
            for (int b = 0; b < buckets.length; b++) {
                ObjectNode o = a.addObject();
                o.put("from", b == 0 ? 1 : (1L << (b - 1)) + 1);
                o.put("to", 1L << b);
                o.put("accesses", buckets[b]);
            }
            out.print(RunReport.pretty(root));
            return;
        }
        out.printf(Locale.ROOT, "# LRU stack distances; %s%n", accessesNote(sample == null ? keys.length() : sample.accesses(),
                footprint));
        out.printf(Locale.ROOT, "# an LRU cache of c pages hits every access at distance <= c%n");
        out.printf(Locale.ROOT, "%-22s %12s %10s %12s%n", "distance", "accesses", "share", "lru_hit_ratio");
        long cumulative = 0;
        for (int b = 0; b < buckets.length; b++) {
            cumulative += buckets[b];
            long from = b == 0 ? 1 : (1L << (b - 1)) + 1;
            long to = 1L << b;
            out.printf(Locale.ROOT, "%-22s %12d %10.4f %12.4f%n", from == to ? Long.toString(to) : from + "-" + to,
                    buckets[b], share(buckets[b], d.accesses()), share(cumulative, d.accesses()));
        }
        out.printf(Locale.ROOT, "%-22s %12d %10.4f%n", "cold (first access)", d.cold(), share(d.cold(), d.accesses()));
    }

    private static double share(long part, long whole) {
        return whole == 0 ? 0 : (double) part / whole;
    }

    private void table(PrintWriter out, HtmlReport page, Set<String> names, KeyTrace keys, int footprint, int[] caps) {
        PolicyRuns.Result result = runs(List.copyOf(names), caps, keys, byteSizes);
        List<PolicyStats[]> rows = List.of(result.stats());
        List<List<String>> byteCells = new ArrayList<>();
        if (byteSizes != null) {
            for (int i = 0; i < rows.size(); i++) {
                List<String> line = new ArrayList<>(List.of(rows.get(i)[0].policy()));
                for (int k = 0; k < caps.length; k++) {
                    line.add(ratio(result.byteMissRatio(i, k)));
                }
                byteCells.add(line);
            }
        }
        MachineCompare.Table machine = policyOnly ? null : machineTable(names, footprint, caps);
        List<String> header = new ArrayList<>(List.of("pages"));
        for (int c : caps) {
            header.add(Integer.toString(c));
        }
        List<List<String>> cells = new ArrayList<>();
        List<double[]> curves = new ArrayList<>();
        for (PolicyStats[] row : rows) {
            List<String> line = new ArrayList<>(List.of(row[0].policy()));
            double[] curve = new double[caps.length];
            for (int k = 0; k < caps.length; k++) {
                line.add(ratio(row[k].missRatio()));
                curve[k] = row[k].missRatio();
            }
            cells.add(line);
            curves.add(curve);
        }
        List<List<String>> counts = new ArrayList<>();
        for (PolicyStats[] row : rows) {
            List<String> line = new ArrayList<>(List.of(row[0].policy()));
            for (PolicyStats st : row) {
                line.add(Long.toString(st.misses()));
            }
            counts.add(line);
        }
        page.chart(missRatioChart(caps, cells.stream().map(List::getFirst).toList(), curves))
                .table(new HtmlReport.Table("Miss ratio (policy only: a fixed capacity of that many pages)", header, cells))
                .table(new HtmlReport.Table("Misses (hits = " + keys.length() + " - misses)", header, counts));
        if (byteSizes != null) {
            page.table(new HtmlReport.Table("Byte miss ratio (missed bytes / " + result.bytes() + " bytes)", header, byteCells));
        }
        boolean machineRan = machine != null && machine.ran();
        if (machineRan) {
            page.table(new HtmlReport.Table("Whole machine (" + machine.note() + ")", header, machine.rows()));
        } else if (machine != null) {
            page.fact("whole machine", NO_MACHINE);
        }
        if (json) {
            ObjectNode root = RunReport.MAPPER.createObjectNode();
            root.put("accesses", sample == null ? keys.length() : sample.accesses());
            root.put("footprint_pages", footprint);
            sampleJson(root);
            ArrayNode pagesNode = root.putArray("pages");
            for (int c : caps) {
                pagesNode.add(c);
            }
            ObjectNode ratios = root.putObject("miss_ratio");
            ObjectNode missCounts = root.putObject("misses");
            ObjectNode hitCounts = root.putObject("hits");
            for (PolicyStats[] row : rows) {
                ArrayNode a = ratios.putArray(row[0].policy());
                ArrayNode m = missCounts.putArray(row[0].policy());
                ArrayNode h = hitCounts.putArray(row[0].policy());
                for (PolicyStats st : row) {
                    a.add(st.missRatio());
                    m.add(st.misses());
                    h.add(st.hits());
                }
            }
            if (byteSizes != null) {
                root.put("bytes", result.bytes());
                ObjectNode byteRatios = root.putObject("byte_miss_ratio");
                ObjectNode missedBytes = root.putObject("missed_bytes");
                for (int i = 0; i < rows.size(); i++) {
                    ArrayNode a = byteRatios.putArray(rows.get(i)[0].policy());
                    ArrayNode b = missedBytes.putArray(rows.get(i)[0].policy());
                    for (int k = 0; k < caps.length; k++) {
                        a.add(result.byteMissRatio(i, k));
                        b.add(result.missedBytes()[i][k]);
                    }
                }
            }
            if (machine != null) {
                machine.json(root.putObject("machine"));
            }
            out.print(RunReport.pretty(root));
        } else {
            out.printf(Locale.ROOT, "# miss ratio; %s%n", accessesNote(sample == null ? keys.length() : sample.accesses(),
                    footprint));
            printRows(out, header, cells, 8);
            out.printf(Locale.ROOT, "%n# misses%s (hits = %d - misses)%n", sample == null ? "" : " in the sample", keys.length());
            printRows(out, header, counts, 8);
            if (byteSizes != null) {
                out.printf(Locale.ROOT, "%n# byte miss ratio (missed bytes / %d bytes requested)%n", result.bytes());
                printRows(out, header, byteCells, 8);
            }
            if (machineRan) {
                out.printf(Locale.ROOT, "%n# whole machine: %s%n", machine.note());
                printRows(out, header, machine.rows(), 8);
            } else if (machine != null) {
                out.printf(Locale.ROOT, "%n# whole machine: %s%n", NO_MACHINE);
            }
        }
    }

    /** The whole-machine counters of the policies that are machine reclaim policies, at the sizes a machine can have. */
    private MachineCompare.Table machineTable(Set<String> names, int footprint, int[] caps) {
        long swapBytes = swap != null ? swap : Math.max(1L << 20, ((footprint * MemSize.PAGE_SIZE + (1L << 20) - 1) >> 20) << 20);
        List<String> machinePolicies = names.stream().filter(org.pagelab.reclaim.ReclaimPolicies.names()::contains).toList();
        Map<String, MachineCompare.Counts[]> counts = new LinkedHashMap<>();
        org.pagelab.sweep.ThpSettings thp = thpOptions.settings();
        Progress progress = Progress.onTerminal(spec.commandLine().getErr());
        for (String policy : machinePolicies) {
            MachineCompare.Counts[] row = new MachineCompare.Counts[caps.length];
            for (int k = 0; k < caps.length; k++) {
                if (MachineCompare.bootable(caps[k])) {
                    try {
                        row[k] = MachineCompare.run(traces, caps[k], swapBytes, policy, thp, progress);
                    } catch (IllegalArgumentException e) {
                        throw new ParameterException(spec.commandLine(), e.getMessage());
                    }
                    progress.done();
                }
            }
            counts.put(policy, row);
        }
        long[] bound = MachineCompare.optSwapinBound(traces, caps);
        return new MachineCompare.Table(caps, swapBytes, counts, bound, thp);
    }

    private static HtmlReport.Chart missRatioChart(int[] caps, List<String> names, List<double[]> curves) {
        double[] x = new double[caps.length];
        for (int k = 0; k < caps.length; k++) {
            x[k] = caps[k];
        }
        List<HtmlReport.Line> lines = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            lines.add(new HtmlReport.Line(names.get(i), curves.get(i)));
        }
        return new HtmlReport.Chart("mrc", "Miss ratio by capacity", "capacity (pages)", "miss ratio",
                caps.length > 1 && caps[caps.length - 1] >= 10L * caps[0], x, lines);
    }

    private static double[] ratios(MissRatioCurve c) {
        double[] r = new double[c.sizes().length];
        for (int k = 0; k < r.length; k++) {
            r[k] = c.missRatio(k);
        }
        return r;
    }

    private static String ratio(double r) {
        return String.format(Locale.ROOT, "%.4f", r);
    }

    private static void printRows(PrintWriter out, List<String> header, List<List<String>> rows, int minLabelWidth) {
        int labelWidth = minLabelWidth;
        for (List<String> r : rows) {
            labelWidth = Math.max(labelWidth, r.getFirst().length());
        }
        out.printf(Locale.ROOT, "%-" + labelWidth + "s", header.getFirst());
        header.subList(1, header.size()).forEach(h -> out.printf(Locale.ROOT, " %9s", h));
        out.println();
        for (List<String> r : rows) {
            out.printf(Locale.ROOT, "%-" + labelWidth + "s", r.getFirst());
            r.subList(1, r.size()).forEach(c -> out.printf(Locale.ROOT, " %9s", c));
            out.println();
        }
    }

    /** The capacities asked for, or {@code n} spread over the footprint. */
    private int[] capacities(int footprint, int n) {
        if (sizes == null || sizes.isEmpty()) {
            Set<Integer> out = new java.util.TreeSet<>();
            for (int i = 1; i <= n; i++) {
                double f = Math.pow(100, (i - 1) / (double) (n - 1)) / 100; // 1% .. 100%, log-spaced
                out.add(Math.max(1, (int) Math.round(footprint * f)));
            }
            return out.stream().mapToInt(Integer::intValue).toArray();
        }
        int[] caps = new int[sizes.size()];
        for (int i = 0; i < caps.length; i++) {
            String s = sizes.get(i).trim();
            long pages;
            if (s.matches("[0-9]{19,}")) {
                pages = Long.MAX_VALUE;
            } else {
                try {
                    pages = s.matches("[0-9]+") ? Long.parseLong(s) : MemSize.parse(s) / MemSize.PAGE_SIZE;
                } catch (IllegalArgumentException e) {
                    if (!e.getMessage().contains("too large")) {
                        throw new ParameterException(spec.commandLine(), "invalid size '" + s + "' in --sizes: expected"
                                + " pages (1024) or a size with K, M, G or T (4M)");
                    }
                    pages = Long.MAX_VALUE;
                }
            }
            if (pages < 1) {
                throw new ParameterException(spec.commandLine(), "size '" + s + "' in --sizes is " + pages
                        + " pages: too small, at least 1");
            }
            if (pages > Policies.MAX_CAPACITY) {
                throw new ParameterException(spec.commandLine(), "size '" + s + "' in --sizes is too large: at most "
                        + Policies.MAX_CAPACITY + " pages (" + MemSize.format((long) Policies.MAX_CAPACITY * MemSize.PAGE_SIZE)
                        + ") per size");
            }
            caps[i] = (int) pages;
        }
        return caps;
    }
}
