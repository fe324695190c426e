package org.pagelab.cli;

import org.pagelab.report.RunReport;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * An HTML report: one self-contained page of facts, charts and tables that a browser shows with no
 * network access.
 *
 * <h2>The page</h2>
 * The charts are drawn by uPlot (MIT licence), whose minified script and style sheet come from the
 * {@code org.webjars.npm:uplot} jar on the class path and are inlined into the page. The data sits in
 * the page as one JSON object in a {@code <script type="application/json" id="pagelab-data">} element:
 * {@code {"charts": [{"id", "title", "x_label", "y_label", "log_x", "x": [...],
 * "lines": [{"name", "y": [...]}]}]}}, with {@code "x_names": [...]} where the x axis has names, not
 * numbers. Each chart has a {@code <div class="chart" id="chart-ID">}
 * placeholder. The page's own script draws every chart into its placeholder and records what it drew
 * on the placeholder, {@code data-points} (the points on the x axis that uPlot holds) and
 * {@code data-series} (the lines), then sets {@code data-state="drawn"} on the body. If anything
 * throws, the script adds {@code <div id="pagelab-error">} with the message under the heading and
 * sets {@code data-state="error"} on the body: a page that failed says so instead of showing empty
 * boxes, and a page that worked has no such element.
 *
 * <p>The page is a function of the data alone (no clock, no host names), so the same run gives the
 * same page byte for byte.
 */
final class HtmlReport {
    /** One line of a chart: its name and one y value per x value ({@code NaN}: no value there). */
    record Line(String name, double[] y) {
    }

    /**
     * One chart: x values and the lines over them. With {@code xNames} (null for a numeric x axis) the
     * x values are 0, 1, ... and the axis shows the names instead.
     */
    record Chart(String id, String title, String xLabel, String yLabel, boolean logX, double[] x, List<Line> lines,
                 List<String> xNames) {
        Chart {
            for (Line l : lines) {
                if (l.y().length != x.length) {
                    throw new IllegalArgumentException("chart " + id + ": line " + l.name() + " has " + l.y().length
                            + " values for " + x.length + " x values");
                }
            }
            if (xNames != null && xNames.size() != x.length) {
                throw new IllegalArgumentException("chart " + id + ": " + xNames.size() + " names for " + x.length
                        + " x values");
            }
        }

        /** A chart with a numeric x axis. */
        Chart(String id, String title, String xLabel, String yLabel, boolean logX, double[] x, List<Line> lines) {
            this(id, title, xLabel, yLabel, logX, x, lines, null);
        }
    }

    /** A table of text cells under a heading. */
    record Table(String title, List<String> header, List<List<String>> rows) {
    }

    private static final String WEBJAR = "META-INF/resources/webjars/uplot/";
    private static final String WEBJAR_POM = "META-INF/maven/org.webjars.npm/uplot/pom.properties";

    private final String title;
    private final Map<String, String> facts = new LinkedHashMap<>();
    private final List<Chart> charts = new ArrayList<>();
    private final List<Table> tables = new ArrayList<>();

    HtmlReport(String title) {
        this.title = title;
    }

    /** Adds a line to the table of facts at the top of the page. */
    HtmlReport fact(String name, String value) {
        facts.put(name, value);
        return this;
    }

    HtmlReport chart(Chart chart) {
        charts.add(chart);
        return this;
    }

    HtmlReport table(Table table) {
        tables.add(table);
        return this;
    }

    /** The charts of the page, in order. */
    List<Chart> charts() {
        return List.copyOf(charts);
    }

    /** The page. */
    String html() {
        String version = uplotVersion();
        String js = resource(WEBJAR + version + "/dist/uPlot.iife.min.js");
        String css = resource(WEBJAR + version + "/dist/uPlot.min.css");
        StringBuilder sb = new StringBuilder(js.length() + 16_384);
        sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .append(escape(title)).append("</title>\n<style>\n").append(css).append('\n').append(PAGE_CSS)
                .append("</style>\n</head>\n<body data-state=\"loading\">\n<h1>").append(escape(title)).append("</h1>\n");
        if (!facts.isEmpty()) {
            sb.append("<table class=\"facts\">\n");
            facts.forEach((k, v) -> sb.append("<tr><th>").append(escape(k)).append("</th><td>").append(escape(v))
                    .append("</td></tr>\n"));
            sb.append("</table>\n");
        }
        for (Chart c : charts) {
            sb.append("<div class=\"chart\" id=\"chart-").append(escape(c.id())).append("\"></div>\n");
        }
        for (Table t : tables) {
            sb.append("<h2>").append(escape(t.title())).append("</h2>\n<table class=\"data\">\n<tr>");
            t.header().forEach(h -> sb.append("<th>").append(escape(h)).append("</th>"));
            sb.append("</tr>\n");
            for (List<String> row : t.rows()) {
                sb.append("<tr>");
                row.forEach(cell -> sb.append("<td>").append(escape(cell)).append("</td>"));
                sb.append("</tr>\n");
            }
            sb.append("</table>\n");
        }
        sb.append("<p class=\"note\">Charts drawn with uPlot ").append(escape(version))
                .append(" (MIT licence, Copyright (c) 2022 Leon Sorokin), inlined in this page.</p>\n")
                .append("<script type=\"application/json\" id=\"pagelab-data\">").append(dataJson())
                .append("</script>\n<script>\n").append(js).append("\n</script>\n<script>\n").append(PAGE_SCRIPT)
                .append("</script>\n</body>\n</html>\n");
        return sb.toString();
    }

    /** The data object, with '<' escaped so that no string in it can close the script element. */
    private String dataJson() {
        ObjectNode root = RunReport.MAPPER.createObjectNode();
        ArrayNode cs = root.putArray("charts");
        for (Chart c : charts) {
            ObjectNode n = cs.addObject();
            n.put("id", c.id());
            n.put("title", c.title());
            n.put("x_label", c.xLabel());
            n.put("y_label", c.yLabel());
            n.put("log_x", c.logX());
            putValues(n.putArray("x"), c.x());
            if (c.xNames() != null) {
                ArrayNode names = n.putArray("x_names");
                c.xNames().forEach(names::add);
            }
            ArrayNode lines = n.putArray("lines");
            for (Line l : c.lines()) {
                ObjectNode ln = lines.addObject();
                ln.put("name", l.name());
                putValues(ln.putArray("y"), l.y());
            }
        }
        return root.toString().replace("<", "\\u003c");
    }

    private static void putValues(ArrayNode a, double[] values) {
        for (double v : values) {
            if (Double.isFinite(v)) {
                a.add(v);
            } else {
                a.addNull();
            }
        }
    }

    /**
     * Checks, before a run starts, that {@code file} can be the report of {@code option}: not a
     * directory, in a directory that exists. Relative paths resolve against the current directory.
     */
    static void checkPath(CommandLine cl, String option, Path file) {
        Path abs = file.toAbsolutePath();
        if (Files.isDirectory(abs)) {
            throw new ParameterException(cl, "cannot write " + option + " file '" + file + "': it is a directory");
        }
        Path dir = abs.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new ParameterException(cl, "cannot write " + option + " file '" + file + "': directory '"
                    + (dir == null ? abs : dir) + "' does not exist");
        }
    }

    /** Writes the page to {@code file}; a failure is bad input naming {@code option} and the file. */
    void write(CommandLine cl, String option, Path file) {
        String page = html();
        try {
            Files.writeString(file, page, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ParameterException(cl, "cannot write " + option + " file '" + file + "': "
                    + org.pagelab.input.IoReason.of(e));
        }
    }

    private static String uplotVersion() {
        Properties p = new Properties();
        try (InputStream in = open(WEBJAR_POM)) {
            p.load(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + WEBJAR_POM + " from the class path", e);
        }
        String v = p.getProperty("version");
        if (v == null) {
            throw new IllegalStateException(WEBJAR_POM + " names no version");
        }
        return v;
    }

    private static String resource(String name) {
        try (InputStream in = open(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + name + " from the class path", e);
        }
    }

    private static InputStream open(String name) {
        InputStream in = HtmlReport.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException(name + " is not on the class path (the uplot webjar is missing)");
        }
        return in;
    }

    static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                default -> sb.append(ch);
            }
        }
        return sb.toString();
    }

    private static final String PAGE_CSS = """
            body { font-family: sans-serif; margin: 1em 2em; color: #222; }
            h1 { font-size: 1.4em; }
            h2 { font-size: 1.1em; margin-top: 1.5em; }
            table { border-collapse: collapse; margin: 0.5em 0; }
            th, td { padding: 2px 10px; text-align: left; font-size: 0.9em; }
            table.data td { text-align: right; font-family: monospace; }
            table.data td:first-child { text-align: left; }
            table.data th, table.data td { border-bottom: 1px solid #ddd; }
            .chart { margin: 1.5em 0; }
            .error { color: #a00; border: 1px solid #a00; padding: 0.5em; }
            .note { color: #666; font-size: 0.8em; }
            """;

    private static final String PAGE_SCRIPT = """
            (function () {
              var shown = false;
              function fail(message) {
                var box = document.getElementById('pagelab-error');
                if (!box) {
                  box = document.createElement('div');
                  box.id = 'pagelab-error';
                  box.className = 'error';
                  document.querySelector('h1').after(box);
                }
                box.textContent = 'The charts could not be drawn: ' + message;
                document.body.setAttribute('data-state', 'error');
                shown = true;
              }
              window.addEventListener('error', function (ev) { fail(ev.message); });
              try {
                var report = JSON.parse(document.getElementById('pagelab-data').textContent);
                var colours = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f',
                  '#bcbd22', '#17becf'];
                var width = Math.max(600, Math.min(1100, document.documentElement.clientWidth - 60));
                // the y axis as wide as its longest tick value, so that the label never covers the values
                function yAxisSize(u, values, axisIdx, cycleNum) {
                  var axis = u.axes[axisIdx];
                  if (cycleNum > 1) {
                    return axis._size;
                  }
                  var longest = (values || []).reduce(function (a, v) { return v.length > a.length ? v : a; }, '');
                  u.ctx.font = axis.font[0];
                  return Math.max(60, Math.ceil(axis.ticks.size + axis.gap + u.ctx.measureText(longest).width / devicePixelRatio + 24));
                }
                report.charts.forEach(function (c) {
                  var box = document.getElementById('chart-' + c.id);
                  var series = [{ label: c.x_label }];
                  c.lines.forEach(function (l, i) {
                    series.push({ label: l.name, stroke: colours[i % colours.length], width: 1.5, spanGaps: true,
                      points: { show: c.x.length < 60 } });
                  });
                  var xAxis = { label: c.x_label };
                  var xScale = { time: false, distr: c.log_x ? 3 : 1 };
                  if (c.x_names) {
                    xAxis.splits = function () { return c.x; };
                    xAxis.values = function (u, splits) {
                      return splits.map(function (v) { return c.x_names[v] === undefined ? '' : c.x_names[v]; });
                    };
                    xScale.range = function () { return [-0.5, c.x.length - 0.5]; };
                  }
                  var opts = {
                    title: c.title, width: width, height: 280, series: series,
                    scales: { x: xScale },
                    axes: [xAxis, { label: c.y_label, size: yAxisSize }]
                  };
                  var data = [c.x].concat(c.lines.map(function (l) { return l.y; }));
                  var plot = new uPlot(opts, data, box);
                  box.setAttribute('data-points', String(plot.data[0].length));
                  box.setAttribute('data-series', String(plot.series.length - 1));
                });
                if (!shown) {
                  document.body.setAttribute('data-state', 'drawn');
                }
              } catch (e) {
                fail(e && e.message ? e.message : String(e));
              }
            })();
            """;
}
