package org.pagelab.sweep;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.pagelab.phys.MemSize;
import org.pagelab.scenario.Scenario;
import org.pagelab.scenario.ScenarioException;
import org.pagelab.scenario.Step;
import org.pagelab.scenario.YamlNodes;
import org.pagelab.trace.TraceException;
import org.pagelab.trace.TraceReader;
import org.pagelab.trace.TraceSource;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads a sweep spec from its composed YAML tree, which keeps the line of every node, so that each
 * error is one line "FILE:LINE: message naming the value".
 */
final class SpecParser {
    private static final Set<String> TOP_KEYS = Set.of("name", "seed", "scenario", "trace", "axes", "points",
            "seed_axes", "report");
    private static final int MAX_AXIS_VALUES = 10_000;

    private final String source;
    private final Path dir;

    private final YamlNodes<SweepException> yaml;

    SpecParser(String source, Path dir) {
        this.source = source;
        this.dir = dir;
        this.yaml = new YamlNodes<>(source, SweepException::new);
    }

    SweepSpec parse(String text) {
        Node root;
        try {
            root = YamlNodes.compose(source, text);
        } catch (ScenarioException e) {
            throw new SweepException(e.getMessage()); // it names the spec and the line
        }
        if (root == null) {
            throw new SweepException(source, 1, "empty sweep spec: expected a mapping with 'axes' and a 'scenario' or"
                    + " 'trace'");
        }
        Map<String, Node> top = yaml.mapping(root, "sweep spec", TOP_KEYS);
        String name = top.containsKey("name") ? yaml.scalar(top.get("name"), "name") : Path.of(source).getFileName().toString();
        long seed = top.containsKey("seed") ? seed(top.get("seed")) : 1;
        Workload workload = workload(root, top);
        Node an = yaml.required(top, root, "axes", "sweep spec");
        List<Axis> axes = axes(an, workload);
        if (axes.isEmpty()) {
            throw yaml.err(an, "'axes' is empty: a sweep needs at least one axis");
        }
        List<String> seedAxes = top.containsKey("seed_axes") ? axisNames(top.get("seed_axes"), axes, "seed_axes")
                : axes.stream().map(Axis::name).toList();
        List<List<String>> combos = top.containsKey("points") ? points(top.get("points"), axes) : cross(an, axes);
        List<Point> points = new ArrayList<>(combos.size());
        for (List<String> values : combos) {
            points.add(new Point(points.size(), values, Point.seedOf(seed, seedKey(axes, values, seedAxes))));
        }
        List<String> reportX = axes.stream().filter(a -> a.values().size() > 1).map(Axis::name).toList();
        List<String> metrics = Metric.DEFAULT_REPORT;
        if (top.containsKey("report")) {
            Map<String, Node> r = yaml.mapping(top.get("report"), "report", Set.of("x", "metrics"));
            if (r.containsKey("x")) {
                reportX = axisNames(r.get("x"), axes, "report x");
            }
            if (r.containsKey("metrics")) {
                metrics = metrics(r.get("metrics"));
            }
        }
        return new SweepSpec(source, name, seed, workload, axes, points, seedAxes, reportX, metrics,
                fingerprint(workload, seed, axes, seedAxes));
    }

    // ---- the base ----

    private Workload workload(Node root, Map<String, Node> top) {
        Node sn = top.get("scenario");
        Node tn = top.get("trace");
        if ((sn == null) == (tn == null)) {
            throw yaml.err(sn != null ? tn : root, sn == null ? "the sweep spec names no base: give 'scenario: FILE' or"
                    + " 'trace: FORMAT:PATH'" : "give either 'scenario' or 'trace', not both");
        }
        if (sn != null) {
            String given = yaml.scalar(sn, "scenario");
            Path file = resolve(sn, given);
            String text;
            try {
                text = YamlNodes.read(file, "scenario file", "a scenario");
            } catch (ScenarioException e) {
                throw yaml.err(sn, e.getMessage());
            }
            // named as the spec's own path names it: relative to the current directory when that is
            String name = Path.of(source).resolveSibling(given).normalize().toString();
            try {
                Scenario.parse(name, text);
            } catch (ScenarioException e) {
                throw new SweepException(e.getMessage()); // it names the scenario's file and line
            }
            return new Workload.ScenarioFile(name, text);
        }
        List<Node> specs = tn instanceof SequenceNode s ? s.getValue() : List.of(tn);
        if (specs.isEmpty()) {
            throw yaml.err(tn, "'trace' is empty: name at least one trace as FORMAT:PATH");
        }
        List<String> out = new ArrayList<>();
        for (Node n : specs) {
            String spec = yaml.scalar(n, "trace");
            int colon = spec.indexOf(':');
            String resolved = colon <= 0 ? spec : spec.substring(0, colon + 1) + resolve(n, spec.substring(colon + 1));
            try (TraceReader r = TraceSource.open(resolved)) {
                r.file();
            } catch (TraceException e) {
                throw yaml.err(n, "bad trace: " + e.getMessage());
            }
            out.add(resolved);
        }
        return new Workload.Traces(out);
    }

    /** {@code given}, a path in the spec, against the spec's directory. */
    private Path resolve(Node n, String given) {
        try {
            return dir.resolve(given).normalize();
        } catch (java.nio.file.InvalidPathException e) {
            throw yaml.err(n, "bad path '" + org.pagelab.input.Escape.quote(given) + "': " + e.getReason());
        }
    }

    // ---- axes ----

    private List<Axis> axes(Node an, Workload workload) {
        if (!(an instanceof MappingNode m)) {
            throw yaml.err(an, "'axes' must be a mapping from a setting to its values");
        }
        Scenario scenario = workload instanceof Workload.ScenarioFile f ? Scenario.parse(f.source(), f.text()) : null;
        List<Axis> axes = new ArrayList<>();
        Set<String> names = new HashSet<>();
        String traceCgroup = null;
        for (NodeTuple t : m.getValue()) {
            Node kn = t.getKeyNode();
            String name = yaml.scalar(kn, "axis name");
            if (!names.add(name)) {
                throw yaml.err(kn, "duplicate axis '" + name + "'");
            }
            Setting setting;
            String cgroup = null;
            int slash = name.lastIndexOf('/');
            if (name.startsWith("/") && slash > 0) {
                cgroup = name.substring(0, slash);
                setting = Setting.byKey(name.substring(slash + 1));
                if (setting == null || !setting.cgroupFile()) {
                    throw yaml.err(kn, "unknown cgroup file in axis '" + name + "' (expected memory.max, memory.high,"
                            + " memory.low, memory.min or memory.swap.max)");
                }
                if (scenario != null && scenario.cgroups().stream().noneMatch(c -> c.path().equals(cgroup(name)))) {
                    throw yaml.err(kn, "axis '" + name + "': the scenario declares no cgroup '" + cgroup + "'");
                }
                if (scenario == null && traceCgroup != null && !traceCgroup.equals(cgroup)) {
                    throw yaml.err(kn, "axis '" + name + "': a trace's processes run in one cgroup, and '" + traceCgroup
                            + "' is named already");
                }
                if (scenario == null) {
                    checkCgroupPath(kn, cgroup);
                    traceCgroup = cgroup;
                }
            } else {
                setting = Setting.byKey(name);
                if (setting == null || setting.cgroupFile()) {
                    throw yaml.err(kn, "unknown axis '" + name + "' (expected one of " + String.join(", ",
                            Setting.machineSettings().stream().map(Setting::key).toList())
                            + ", or a cgroup file such as /PATH/memory.max)");
                }
                if (setting == Setting.MODE && scenario == null) {
                    throw yaml.err(kn, "axis 'mode': traces replay on data-less machines; mode applies to scenarios only");
                }
            }
            List<String> values = values(t.getValueNode(), setting, name);
            Axis axis = new Axis(name, setting, cgroup, values, kn.getStartMark().getLine() + 1);
            if (setting == Setting.MODE && values.contains("metadata") && scenario != null && hasExpect(scenario)) {
                throw yaml.err(kn, "axis 'mode' has metadata, but the scenario has expect steps, which need data mode");
            }
            axes.add(axis);
        }
        return axes;
    }

    private static String cgroup(String axisName) {
        return axisName.substring(0, axisName.lastIndexOf('/'));
    }

    private void checkCgroupPath(Node n, String path) {
        if (!path.matches("(/[A-Za-z0-9_.:-]+)+") || path.contains("/./") || path.contains("/../")
                || path.endsWith("/.") || path.endsWith("/..")) {
            throw yaml.err(n, "bad cgroup path '" + path + "': expected /name or /parent/name (letters, digits, _ . : -)");
        }
    }

    private static boolean hasExpect(Scenario s) {
        for (Scenario.ProcessSpec p : s.processes()) {
            if (hasExpect(p.steps())) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasExpect(List<Step> steps) {
        for (Step st : steps) {
            if (st.kind().equals("expect") || (st.children() != null && hasExpect(st.children()))) {
                return true;
            }
        }
        return false;
    }

    /** An axis's values: one value, a list, or a range {from, to, step | factor}; canonical and distinct. */
    private List<String> values(Node vn, Setting setting, String axis) {
        List<Node> raw;
        List<String> texts = new ArrayList<>();
        if (vn instanceof MappingNode) {
            raw = List.of(vn);
            texts.addAll(range(vn, setting, axis));
        } else {
            raw = vn instanceof SequenceNode s ? s.getValue() : List.of(vn);
            if (raw.isEmpty()) {
                throw yaml.err(vn, "axis '" + axis + "' has no values");
            }
            for (Node n : raw) {
                texts.add(yaml.scalar(n, "value of axis '" + axis + "'"));
            }
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            Node at = raw.size() == texts.size() ? raw.get(i) : vn;
            String v;
            try {
                v = setting.canonical(texts.get(i));
            } catch (IllegalArgumentException e) {
                throw yaml.err(at, "axis '" + axis + "': " + e.getMessage());
            }
            if (out.contains(v)) {
                throw yaml.err(at, "axis '" + axis + "': value " + v + " is given twice");
            }
            out.add(v);
        }
        return out;
    }

    /** The values of a range, as texts the setting parses: sizes or whole numbers. */
    private List<String> range(Node vn, Setting setting, String axis) {
        Map<String, Node> r = yaml.mapping(vn, "range of axis '" + axis + "'", Set.of("from", "to", "step", "factor"));
        if (setting.unit() == null) {
            throw yaml.err(vn, "axis '" + axis + "' takes named values (" + setting.expected() + "): list them; a range"
                    + " is for sizes and numbers");
        }
        boolean size = setting.unit().equals("MiB");
        long from = rangeNumber(yaml.required(r, vn, "from", "range"), size, "from");
        long to = rangeNumber(yaml.required(r, vn, "to", "range"), size, "to");
        if (r.containsKey("step") == r.containsKey("factor")) {
            throw yaml.err(vn, "range of axis '" + axis + "' needs either 'step' (from, from+step, ...) or 'factor'"
                    + " (from, from*factor, ...)");
        }
        if (to < from) {
            throw yaml.err(r.get("to"), "range of axis '" + axis + "': 'to' is below 'from'");
        }
        List<String> out = new ArrayList<>();
        if (r.containsKey("step")) {
            long step = rangeNumber(r.get("step"), size, "step");
            if (step <= 0) {
                throw yaml.err(r.get("step"), "range of axis '" + axis + "': 'step' must be above 0");
            }
            for (long v = from; ; v += step) {
                addRangeValue(out, v, size, vn, axis);
                if (v > to - step) {
                    break;
                }
            }
        } else {
            long factor = rangeNumber(r.get("factor"), false, "factor");
            if (factor < 2 || from <= 0) {
                throw yaml.err(r.get("factor"), "range of axis '" + axis + "': 'factor' must be a whole number of 2 or"
                        + " more, and 'from' above 0");
            }
            for (long v = from; ; v *= factor) {
                addRangeValue(out, v, size, vn, axis);
                if (v > to / factor) {
                    break;
                }
            }
        }
        return out;
    }

    private void addRangeValue(List<String> out, long v, boolean size, Node vn, String axis) {
        if (out.size() == MAX_AXIS_VALUES) {
            throw yaml.err(vn, "range of axis '" + axis + "' has more than " + MAX_AXIS_VALUES + " values");
        }
        out.add(size ? MemSize.format(v) : Long.toString(v));
    }

    private long rangeNumber(Node n, boolean size, String what) {
        String v = yaml.scalar(n, what);
        try {
            if (size) {
                return MemSize.parse(v);
            }
            long x = Long.parseLong(v.trim());
            if (x >= 0) {
                return x;
            }
        } catch (IllegalArgumentException e) {
            throw yaml.err(n, "bad " + what + " '" + v + "': expected " + (size ? "a size (64M)" : "a whole number"));
        }
        throw yaml.err(n, "bad " + what + " '" + v + "': expected a whole number of 0 or more");
    }

    // ---- points ----

    private List<List<String>> cross(Node an, List<Axis> axes) {
        long n = 1;
        for (Axis a : axes) {
            n *= a.values().size();
            if (n > SweepSpec.MAX_POINTS) {
                throw yaml.err(an, "the axes' cross product has more than " + SweepSpec.MAX_POINTS
                        + " points; list the points you want under 'points'");
            }
        }
        List<List<String>> out = new ArrayList<>((int) n);
        int[] at = new int[axes.size()];
        for (long k = 0; k < n; k++) {
            List<String> values = new ArrayList<>(axes.size());
            for (int i = 0; i < axes.size(); i++) {
                values.add(axes.get(i).values().get(at[i]));
            }
            out.add(values);
            for (int i = axes.size() - 1; i >= 0; i--) {
                if (++at[i] < axes.get(i).values().size()) {
                    break;
                }
                at[i] = 0;
            }
        }
        return out;
    }

    /** 'points': "all" for the cross product, or a list of points, each giving every axis with more than one value. */
    private List<List<String>> points(Node pn, List<Axis> axes) {
        if (pn instanceof ScalarNode s) {
            if (s.getValue().equals("all")) {
                return cross(pn, axes);
            }
            throw yaml.err(pn, "bad points '" + s.getValue() + "': expected all, or a list of points");
        }
        Set<String> names = new HashSet<>();
        axes.forEach(a -> names.add(a.name()));
        List<List<String>> out = new ArrayList<>();
        Set<List<String>> seen = new HashSet<>();
        for (Node p : yaml.sequence(pn, "points")) {
            Map<String, Node> m = yaml.mapping(p, "point", names);
            List<String> values = new ArrayList<>();
            for (Axis a : axes) {
                Node vn = m.get(a.name());
                if (vn == null) {
                    if (a.values().size() > 1) {
                        throw yaml.err(p, "point is missing axis '" + a.name() + "' (it has several values)");
                    }
                    values.add(a.values().getFirst());
                    continue;
                }
                String raw = yaml.scalar(vn, "value of axis '" + a.name() + "'");
                String v;
                try {
                    v = a.setting().canonical(raw);
                } catch (IllegalArgumentException e) {
                    throw yaml.err(vn, "axis '" + a.name() + "': " + e.getMessage());
                }
                if (!a.values().contains(v)) {
                    throw yaml.err(vn, "axis '" + a.name() + "' has no value " + v + " (values: "
                            + String.join(", ", a.values()) + ")");
                }
                values.add(v);
            }
            if (!seen.add(values)) {
                throw yaml.err(p, "this point is listed twice");
            }
            out.add(values);
        }
        if (out.isEmpty()) {
            throw yaml.err(pn, "'points' is empty");
        }
        return out;
    }

    private static String seedKey(List<Axis> axes, List<String> values, List<String> seedAxes) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < axes.size(); i++) {
            if (seedAxes.contains(axes.get(i).name())) {
                sb.append(sb.isEmpty() ? "" : " ").append(axes.get(i).name()).append('=').append(values.get(i));
            }
        }
        return sb.toString();
    }

    private List<String> axisNames(Node n, List<Axis> axes, String what) {
        List<String> out = new ArrayList<>();
        for (Node an : n instanceof SequenceNode s ? s.getValue() : List.of(n)) {
            String name = yaml.scalar(an, what);
            if (axes.stream().noneMatch(a -> a.name().equals(name))) {
                throw yaml.err(an, "unknown axis '" + name + "' in " + what + " (axes: "
                        + String.join(", ", axes.stream().map(Axis::name).toList()) + ")");
            }
            if (out.contains(name)) {
                throw yaml.err(an, "axis '" + name + "' is named twice in " + what);
            }
            out.add(name);
        }
        return out;
    }

    private List<String> metrics(Node n) {
        List<String> out = new ArrayList<>();
        for (Node mn : n instanceof SequenceNode s ? s.getValue() : List.of(n)) {
            String expr = yaml.scalar(mn, "metric");
            try {
                Metric.parseSum(expr);
            } catch (IllegalArgumentException e) {
                throw yaml.err(mn, e.getMessage());
            }
            out.add(expr.replace(" ", ""));
        }
        if (out.isEmpty()) {
            throw yaml.err(n, "report 'metrics' is empty");
        }
        return out;
    }

    /** A digest of what the results of a sweep depend on besides the point: workload, seed, axes and seed axes. */
    private static String fingerprint(Workload w, long seed, List<Axis> axes, List<String> seedAxes) {
        MessageDigest d;
        try {
            d = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        StringBuilder sb = new StringBuilder();
        switch (w) {
            case Workload.ScenarioFile f -> sb.append("scenario\n").append(f.text());
            case Workload.Traces t -> {
                sb.append("traces\n");
                for (String spec : t.specs()) {
                    long size;
                    try {
                        size = Files.size(Path.of(spec.substring(spec.indexOf(':') + 1)));
                    } catch (IOException e) {
                        size = -1;
                    }
                    sb.append(spec).append(' ').append(size).append('\n');
                }
            }
        }
        sb.append("\nseed ").append(seed).append("\naxes");
        axes.forEach(a -> sb.append(' ').append(a.name()));
        sb.append("\nseed_axes ").append(String.join(" ", seedAxes));
        return HexFormat.of().formatHex(d.digest(sb.toString().getBytes(StandardCharsets.UTF_8)));
    }

    // ---- YAML helpers ----

    private long seed(Node n) {
        String v = yaml.scalar(n, "seed");
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw yaml.err(n, "bad seed '" + v + "': expected a whole number");
        }
    }
}
