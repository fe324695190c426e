package org.pagelab.cli;

import org.pagelab.report.RunReport;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.pagelab.cli.FidelityComparison.Pair;
import org.pagelab.cli.FidelityComparison.Result;
import org.pagelab.cli.FidelityComparison.Tally;
import org.pagelab.cli.Tolerances.Band;

/**
 * The output of {@code pagelab validate}: per workload, the pairs (phase, counter) with the kernel's
 * median and range beside pagelab, the ratio, the band and the verdict against the counter's
 * tolerance, then the tally; as text, JSON or an HTML page.
 *
 * <p>JSON keys: {@code kernel} (source: recorded or live), {@code min_events}, {@code workloads}:
 * a list of {name, description, kernel_runs, phases, statuses (the kernel's, per run), pairs: [{phase,
 * counter, kernel: {median, min, max, runs}, pagelab, ratio (null when the kernel's median is 0),
 * band, tolerance, within_tolerance, counted}], tally}, and {@code tally} over all workloads. A
 * tally has counted, within_2pct, within_10pct, within_2x (cumulative), beyond, judged and
 * within_tolerance.
 */
final class ValidateReport {
    private final List<Result> results;
    private final String source;

    ValidateReport(List<Result> results, String source) {
        this.results = List.copyOf(results);
        this.source = source;
    }

    /** The tally over every workload. */
    Tally total() {
        return Tally.sum(results.stream().map(Result::tally).toList());
    }

    private static String num(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String ratio(Pair p) {
        return Double.isNaN(p.ratio()) ? "-" : String.format(Locale.ROOT, "%.3f", p.ratio());
    }

    private static String verdict(Pair p) {
        return p.tolerance().limit() == null ? "-" : p.withinTolerance() ? "ok" : "OUT";
    }

    /** One line of the tally: cumulative bands, then the verdicts. */
    static String tallyLine(Tally t) {
        return String.format(Locale.ROOT, "%d pairs with > %d events: within 2 %% %d, within 10 %% %d, within 2x %d,"
                        + " beyond %d; within tolerance %d of %d judged", t.counted(), FidelityComparison.MIN_EVENTS,
                t.atMost(Band.WITHIN_2PCT), t.atMost(Band.WITHIN_10PCT), t.atMost(Band.WITHIN_2X),
                t.byBand().getOrDefault(Band.BEYOND, 0), t.withinTolerance(), t.judged());
    }

    private static List<String> cells(Pair p) {
        return List.of(p.phase(), p.counter(), num(p.kernelMedian()), p.kernelMin() + ".." + p.kernelMax(),
                Long.toString(p.pagelab()), ratio(p), p.band().label, p.tolerance().token(), verdict(p));
    }

    private static final List<String> HEADER = List.of("phase", "counter", "kernel", "kernel range", "pagelab", "ratio",
            "band", "tolerance", "verdict");

    /** The text report: the counted pairs of each workload (every pair with {@code all}), the tallies, a summary. */
    String text(boolean all) {
        StringBuilder sb = new StringBuilder();
        for (Result r : results) {
            sb.append("== ").append(r.workload().name()).append(": ").append(r.workload().description()).append('\n');
            sb.append("kernel: ").append(r.kernel().size()).append(" runs (").append(source).append(")");
            List<String> statuses = r.kernel().getFirst().statuses();
            if (!statuses.isEmpty()) {
                sb.append("; children ended by ").append(String.join(", ", statuses));
            }
            sb.append("; phases: ").append(String.join(", ", r.phases())).append('\n');
            List<List<String>> rows = new ArrayList<>();
            for (Pair p : r.pairs()) {
                if (all || p.counted()) {
                    rows.add(cells(p));
                }
            }
            sb.append(table(HEADER, rows));
            sb.append("tally: ").append(tallyLine(r.tally())).append("\n\n");
        }
        sb.append("== summary (pairs with > ").append(FidelityComparison.MIN_EVENTS)
                .append(" events; bands cumulative)\n");
        List<List<String>> rows = new ArrayList<>();
        for (Result r : results) {
            rows.add(summaryRow(r.workload().name(), r.tally()));
        }
        rows.add(summaryRow("all", total()));
        sb.append(table(List.of("workload", "pairs", "within 2 %", "within 10 %", "within 2x", "beyond",
                "within tolerance"), rows));
        return sb.toString();
    }

    /** {@code rows} under {@code header} in columns two spaces apart, each as wide as its widest cell. */
    static String table(List<String> header, List<List<String>> rows) {
        int[] w = new int[header.size()];
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        for (List<String> row : all) {
            for (int i = 0; i < w.length; i++) {
                w[i] = Math.max(w[i], row.get(i).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (List<String> row : all) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < w.length; i++) {
                line.append(row.get(i)).append(" ".repeat(w[i] - row.get(i).length())).append(i + 1 < w.length ? "  " : "");
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        return sb.toString();
    }

    private static List<String> summaryRow(String name, Tally t) {
        return List.of(name, Integer.toString(t.counted()), Integer.toString(t.atMost(Band.WITHIN_2PCT)),
                Integer.toString(t.atMost(Band.WITHIN_10PCT)), Integer.toString(t.atMost(Band.WITHIN_2X)),
                Integer.toString(t.byBand().getOrDefault(Band.BEYOND, 0)), t.withinTolerance() + " of " + t.judged());
    }

    private static void putTally(ObjectNode n, Tally t) {
        n.put("counted", t.counted());
        n.put("within_2pct", t.atMost(Band.WITHIN_2PCT));
        n.put("within_10pct", t.atMost(Band.WITHIN_10PCT));
        n.put("within_2x", t.atMost(Band.WITHIN_2X));
        n.put("beyond", t.byBand().getOrDefault(Band.BEYOND, 0));
        n.put("judged", t.judged());
        n.put("within_tolerance", t.withinTolerance());
    }

    /** The report as one JSON object. */
    ObjectNode json() {
        ObjectNode root = RunReport.MAPPER.createObjectNode();
        root.put("kernel", source);
        root.put("min_events", FidelityComparison.MIN_EVENTS);
        ArrayNode ws = root.putArray("workloads");
        for (Result r : results) {
            ObjectNode w = ws.addObject();
            w.put("name", r.workload().name());
            w.put("description", r.workload().description());
            w.put("kernel_runs", r.kernel().size());
            r.phases().forEach(w.putArray("phases")::add);
            ArrayNode st = w.putArray("statuses");
            r.kernel().forEach(run -> run.statuses().forEach(st::add));
            ArrayNode pairs = w.putArray("pairs");
            for (Pair p : r.pairs()) {
                ObjectNode x = pairs.addObject();
                x.put("phase", p.phase());
                x.put("counter", p.counter());
                ObjectNode k = x.putObject("kernel");
                k.put("median", p.kernelMedian());
                k.put("min", p.kernelMin());
                k.put("max", p.kernelMax());
                ArrayNode runs = k.putArray("runs");
                for (long v : p.kernelRuns()) {
                    runs.add(v);
                }
                x.put("pagelab", p.pagelab());
                if (Double.isNaN(p.ratio())) {
                    x.putNull("ratio");
                } else {
                    x.put("ratio", p.ratio());
                }
                x.put("band", p.band().token);
                x.put("tolerance", p.tolerance().token());
                x.put("within_tolerance", p.withinTolerance());
                x.put("counted", p.counted());
            }
            putTally(w.putObject("tally"), r.tally());
        }
        putTally(root.putObject("tally"), total());
        return root;
    }

    /** The HTML page: the summary, then a table of each workload's counted pairs. */
    HtmlReport html() {
        HtmlReport page = new HtmlReport("pagelab validate: pagelab beside Linux 6.1")
                .fact("kernel", source)
                .fact("pairs counted", "> " + FidelityComparison.MIN_EVENTS + " events on either side")
                .fact("all workloads", tallyLine(total()));
        List<List<String>> rows = new ArrayList<>();
        for (Result r : results) {
            rows.add(summaryRow(r.workload().name(), r.tally()));
        }
        page.table(new HtmlReport.Table("Tally per workload (bands cumulative)", List.of("workload", "pairs",
                "within 2 %", "within 10 %", "within 2x", "beyond", "within tolerance"), rows));
        for (Result r : results) {
            List<List<String>> pr = new ArrayList<>();
            for (Pair p : r.pairs()) {
                if (p.counted()) {
                    pr.add(cells(p));
                }
            }
            page.table(new HtmlReport.Table(r.workload().name() + ": " + r.workload().description() + " ("
                    + r.kernel().size() + " kernel runs)", HEADER, pr));
        }
        return page;
    }
}
