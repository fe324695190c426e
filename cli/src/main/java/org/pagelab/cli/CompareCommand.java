package org.pagelab.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import org.pagelab.phys.MemSize;
import org.pagelab.policy.MissRatioCurve;
import org.pagelab.policy.Policies;
import org.pagelab.policy.PolicyStats;
import org.pagelab.trace.TraceException;
import org.pagelab.trace.TraceKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code pagelab compare TRACE... --policies a,b --sizes s1,s2}: miss ratios of replacement policies
 * at fixed capacities (policy-only), with Belady's OPT as the bound; {@code --mrc} prints miss-ratio
 * curves of LRU and OPT.
 */
@Command(name = "compare",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        sortOptions = false,
        description = "Compare replacement policies on traces (FORMAT:PATH) at fixed capacities, with OPT as the bound.",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {Main.EXIT_OK_HELP, Main.EXIT_USAGE_HELP, Main.EXIT_INTERNAL_HELP})
final class CompareCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "TRACE", description = "Traces as FORMAT:PATH, one stream in order.")
    private List<String> traces;

    @Option(names = "--policies", paramLabel = "LIST", split = ",", defaultValue = "lru,clock,fifo,arc,s3fifo,twolist",
            description = "Policies to compare (default: ${DEFAULT-VALUE}); opt is always added as the bound.")
    private List<String> policies;

    @Option(names = "--sizes", paramLabel = "LIST", split = ",",
            description = "Capacities: pages (1024) or sizes (4M, 1G); default: 8 sizes from 1% to 100% of the footprint.")
    private List<String> sizes;

    @Option(names = "--mrc", description = "Print miss-ratio curves of LRU and OPT (one pass for LRU) instead of the table.")
    private boolean mrc;

    @Option(names = "--json", description = "Print one JSON object.")
    private boolean json;

    @Option(names = "--debug", description = "Print the stack trace of an internal error (as PAGELAB_DEBUG=1 does).")
    private boolean debug;

    @Override
    public Integer call() {
        Set<String> names = new LinkedHashSet<>();
        for (String p : policies) {
            try {
                Policies.create(p, 1, new long[0]);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--policies: " + e.getMessage());
            }
            names.add(p.toLowerCase(Locale.ROOT));
        }
        names.add("opt");
        long[] keys;
        try {
            keys = TraceKeys.load(traces);
        } catch (TraceException e) {
            spec.commandLine().getErr().println(spec.qualifiedName() + ": " + e.getMessage());
            return Main.EXIT_USAGE;
        }
        int footprint = TraceKeys.distinct(keys);
        int[] caps = capacities(footprint, mrc ? 24 : 8);
        PrintWriter out = spec.commandLine().getOut();
        if (mrc) {
            MissRatioCurve lru = MissRatioCurve.lru(keys, caps);
            MissRatioCurve opt = MissRatioCurve.opt(keys, caps);
            if (json) {
                ObjectNode root = RunReport.MAPPER.createObjectNode();
                root.put("accesses", keys.length);
                root.put("footprint_pages", footprint);
                ArrayNode rows = root.putArray("mrc");
                for (int k = 0; k < caps.length; k++) {
                    ObjectNode r = rows.addObject();
                    r.put("pages", caps[k]);
                    r.put("lru", lru.missRatio(k));
                    r.put("opt", opt.missRatio(k));
                }
                out.print(RunReport.pretty(root));
            } else {
                out.printf(Locale.ROOT, "# %d accesses, footprint %d pages%n%10s %8s %8s%n", keys.length, footprint,
                        "pages", "lru", "opt");
                for (int k = 0; k < caps.length; k++) {
                    out.printf(Locale.ROOT, "%10d %8.4f %8.4f%n", caps[k], lru.missRatio(k), opt.missRatio(k));
                }
            }
            out.flush();
            return 0;
        }
        List<PolicyStats[]> rows = new ArrayList<>();
        for (String name : names) {
            PolicyStats[] row = new PolicyStats[caps.length];
            for (int k = 0; k < caps.length; k++) {
                row[k] = Policies.replay(name, caps[k], keys);
            }
            rows.add(row);
        }
        if (json) {
            ObjectNode root = RunReport.MAPPER.createObjectNode();
            root.put("accesses", keys.length);
            root.put("footprint_pages", footprint);
            ArrayNode pagesNode = root.putArray("pages");
            for (int c : caps) {
                pagesNode.add(c);
            }
            ObjectNode ratios = root.putObject("miss_ratio");
            for (PolicyStats[] row : rows) {
                ArrayNode a = ratios.putArray(row[0].policy());
                for (PolicyStats st : row) {
                    a.add(st.missRatio());
                }
            }
            out.print(RunReport.pretty(root));
        } else {
            out.printf(Locale.ROOT, "# miss ratio; %d accesses, footprint %d pages%n%-8s", keys.length, footprint, "pages");
            for (int c : caps) {
                out.printf(Locale.ROOT, " %9d", c);
            }
            out.println();
            for (PolicyStats[] row : rows) {
                out.printf(Locale.ROOT, "%-8s", row[0].policy());
                for (PolicyStats st : row) {
                    out.printf(Locale.ROOT, " %9.4f", st.missRatio());
                }
                out.println();
            }
        }
        out.flush();
        return 0;
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
            try {
                pages = Character.isDigit(s.charAt(s.length() - 1)) ? Long.parseLong(s) : MemSize.parse(s) / MemSize.PAGE_SIZE;
            } catch (RuntimeException e) {
                throw new ParameterException(spec.commandLine(), "invalid size '" + s + "' in --sizes: expected pages (1024)"
                        + " or a size with K, M, G or T (4M)");
            }
            if (pages < 1 || pages > Integer.MAX_VALUE) {
                throw new ParameterException(spec.commandLine(), "size '" + s + "' in --sizes is " + pages
                        + " pages: expected 1.." + Integer.MAX_VALUE);
            }
            caps[i] = (int) pages;
        }
        return caps;
    }
}
