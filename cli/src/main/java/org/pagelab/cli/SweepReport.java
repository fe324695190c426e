package org.pagelab.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pagelab.sweep.Axis;
import org.pagelab.sweep.Metric;
import org.pagelab.sweep.PointResult;
import org.pagelab.sweep.SweepSpec;

/**
 * The HTML report of a sweep: the sweep's facts; for each of the report's metrics and each of its x
 * axes, a chart of the metric against the axis, one line per combination of values of the other
 * axes that have more than one (one line when there are none); and a table of every point with the
 * report's metrics. A numeric axis (sizes, counts) is charted at its numbers in ascending order; an
 * axis of names (on/off, policies, "max" among sizes) at evenly spaced positions labelled with the
 * names, in the spec's order. A point that has no result leaves a gap in its line.
 */
final class SweepReport {
    private static final int LISTED_VALUES = 8;

    private SweepReport() {
    }

    /** The page of {@code spec}'s {@code results}, in point order. */
    static HtmlReport of(SweepSpec spec, List<PointResult> results) {
        HtmlReport page = new HtmlReport("pagelab sweep: " + spec.name());
        long failed = results.stream().filter(r -> !r.ok()).count();
        page.fact("spec", spec.source());
        page.fact("workload", spec.workload().describe());
        for (Axis a : spec.axes()) {
            page.fact("axis " + a.name(), values(a));
        }
        page.fact("points", spec.points().size() + " (" + results.size() + " with results: " + (results.size() - failed)
                + " ok, " + failed + " failed)");
        page.fact("seed", spec.seed() + "; each point's seed derives from it and the point's "
                + (spec.seedAxes().isEmpty() ? "nothing else (every point has the same seed)"
                : "values of " + String.join(", ", spec.seedAxes())));
        int chart = 0;
        for (String metric : spec.reportMetrics()) {
            int[] columns = Metric.parseSum(metric);
            for (String x : spec.reportX()) {
                page.chart(chart(spec, results, "c" + chart++, metric, columns, spec.axisIndex(x)));
            }
        }
        page.table(table(spec, results));
        return page;
    }

    private static String values(Axis a) {
        List<String> v = a.values();
        String listed = v.size() <= LISTED_VALUES ? String.join(", ", v)
                : String.join(", ", v.subList(0, LISTED_VALUES / 2)) + ", ..., "
                + String.join(", ", v.subList(v.size() - LISTED_VALUES / 2, v.size()));
        return listed + " (" + v.size() + (v.size() == 1 ? " value)" : " values)");
    }

    private static HtmlReport.Chart chart(SweepSpec spec, List<PointResult> results, String id, String metric, int[] columns,
                                          int xi) {
        Axis xAxis = spec.axes().get(xi);
        List<String> xs = new ArrayList<>(xAxis.values());
        if (xAxis.numeric()) {
            xs.sort(Comparator.comparingDouble(xAxis::x));
        }
        List<Integer> others = new ArrayList<>();
        for (int j = 0; j < spec.axes().size(); j++) {
            if (j != xi && spec.axes().get(j).values().size() > 1) {
                others.add(j);
            }
        }
        Map<List<String>, double[]> lines = new LinkedHashMap<>();
        for (PointResult r : results) {
            List<String> key = others.stream().map(j -> r.values().get(j)).toList();
            double[] y = lines.computeIfAbsent(key, k -> {
                double[] a = new double[xs.size()];
                Arrays.fill(a, Double.NaN);
                return a;
            });
            y[xs.indexOf(r.values().get(xi))] = r.sum(columns);
        }
        List<HtmlReport.Line> ls = new ArrayList<>();
        lines.forEach((key, y) -> {
            List<String> parts = new ArrayList<>();
            for (int k = 0; k < others.size(); k++) {
                parts.add(spec.axes().get(others.get(k)).name() + "=" + key.get(k));
            }
            ls.add(new HtmlReport.Line(parts.isEmpty() ? metric : String.join(" ", parts), y));
        });
        double[] x = new double[xs.size()];
        for (int k = 0; k < x.length; k++) {
            x[k] = xAxis.numeric() ? xAxis.x(xs.get(k)) : k;
        }
        return new HtmlReport.Chart(id, metric + " against " + xAxis.name(), xAxis.label(), metric, false, x, ls,
                xAxis.numeric() ? null : xs);
    }

    private static HtmlReport.Table table(SweepSpec spec, List<PointResult> results) {
        List<String> header = new ArrayList<>(List.of("point", "seed"));
        spec.axes().forEach(a -> header.add(a.name()));
        header.add("status");
        header.addAll(spec.reportMetrics());
        List<int[]> columns = spec.reportMetrics().stream().map(Metric::parseSum).toList();
        List<List<String>> rows = new ArrayList<>();
        for (PointResult r : results) {
            List<String> row = new ArrayList<>(List.of(Integer.toString(r.point()), Long.toString(r.seed())));
            row.addAll(r.values());
            row.add(r.status());
            columns.forEach(c -> row.add(Long.toString(r.sum(c))));
            rows.add(row);
        }
        return new HtmlReport.Table("Points (every metric of every point: results.csv)", header, rows);
    }
}
