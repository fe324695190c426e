package org.pagelab.sweep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The results directory of a sweep: the results as JSON lines and as CSV, appended as points
 * finish, so that a sweep that stops (killed, out of power, interrupted) loses only the points
 * that were running, and a restart skips the points already done.
 *
 * <h2>Files</h2>
 * <pre>
 *   sweep.json     name, spec, fingerprint, axes, metrics, points: what sweep the results belong to
 *   results.jsonl  one object a line: {"point", "seed", "axes": {name: value}, "status", "metrics": {name: value}}
 *   results.csv    point,seed,AXIS...,status,METRIC...  with a header line
 * </pre>
 * A results line names its point by its axis values, not by its index, so a sweep whose axes gain
 * values keeps the results it has. When a sweep reopens the directory, the JSON lines are the
 * record: a last line cut short by a crash is dropped, and the CSV is written anew from them.
 * When every point is done, {@link #finish} writes both files in point order.
 *
 * <h2>Invariants</h2>
 * <pre>
 *   results.jsonl and results.csv hold the same results (when no write is in flight)
 *   each point of the sweep appears at most once; every result is a point of the sweep, with its seed
 *   sweep.json's fingerprint == the spec's (workload, seed, axis names, seed axes)
 * </pre>
 */
public final class ResultStore implements AutoCloseable {
    /** The manifest. */
    public static final String MANIFEST = "sweep.json";
    /** The results as JSON lines. */
    public static final String JSONL = "results.jsonl";
    /** The results as CSV. */
    public static final String CSV = "results.csv";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Path dir;
    private final SweepSpec spec;
    private final Map<String, Integer> indexByKey = new HashMap<>();
    private final Map<String, PointResult> done = new LinkedHashMap<>();
    private BufferedWriter jsonl;
    private BufferedWriter csv;

    private ResultStore(Path dir, SweepSpec spec) {
        this.dir = dir;
        this.spec = spec;
        for (Point p : spec.points()) {
            indexByKey.put(spec.key(p), p.index());
        }
    }

    /**
     * Opens (creating it when missing) the results directory {@code dir} of {@code spec}, reading
     * the results it holds. Throws {@link SweepException} when {@code dir} holds something else: other
     * files, another sweep's results, or results of points this spec does not have.
     */
    public static ResultStore open(Path dir, SweepSpec spec) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new SweepException("results directory '" + dir + "' exists and is not a directory");
        }
        Files.createDirectories(dir);
        ResultStore store = new ResultStore(dir, spec);
        Path manifest = dir.resolve(MANIFEST);
        if (Files.exists(manifest)) {
            store.checkManifest(manifest);
            store.readJsonl();
        } else {
            try (Stream<Path> s = Files.list(dir)) {
                if (s.findAny().isPresent()) {
                    throw new SweepException("results directory '" + dir + "' is not empty and holds no " + MANIFEST
                            + ": give an empty or new directory");
                }
            }
            store.writeManifest(manifest);
        }
        store.rewrite(new ArrayList<>(store.done.values()));
        store.jsonl = Files.newBufferedWriter(dir.resolve(JSONL), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        store.csv = Files.newBufferedWriter(dir.resolve(CSV), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        return store;
    }

    /** The results read when the directory was opened or appended since, by point key. */
    public synchronized Map<String, PointResult> done() {
        return Map.copyOf(done);
    }

    /** The points of the sweep that have no result yet, in point order. */
    public synchronized List<Point> todo() {
        return spec.points().stream().filter(p -> !done.containsKey(spec.key(p))).toList();
    }

    /** Appends {@code r} to both files and flushes them. */
    public synchronized void append(PointResult r) {
        String key = key(r.values());
        if (done.putIfAbsent(key, r) != null) {
            throw new IllegalStateException("point " + key + " finished twice");
        }
        try {
            jsonl.write(json(r));
            jsonl.write('\n');
            jsonl.flush();
            csv.write(csvLine(r));
            csv.write('\n');
            csv.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the results in " + dir, e);
        }
    }

    /** Closes the files, writes both again in point order, and returns the results in that order. */
    public synchronized List<PointResult> finish() throws IOException {
        close();
        List<PointResult> all = new ArrayList<>(done.values());
        rewrite(all);
        return all.stream().sorted(Comparator.comparingInt(PointResult::point)).toList();
    }

    @Override
    public synchronized void close() throws IOException {
        if (jsonl != null) {
            jsonl.close();
            csv.close();
            jsonl = null;
        }
    }

    private String key(List<String> values) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            sb.append(i == 0 ? "" : " ").append(spec.axes().get(i).name()).append('=').append(values.get(i));
        }
        return sb.toString();
    }

    /**
     * The checker of a results directory at rest (no write in flight): recomputes the invariants of
     * the class comment from the files and throws {@link IllegalStateException} naming the first
     * that fails.
     */
    public static void check(Path dir, SweepSpec spec) throws IOException {
        ResultStore s = new ResultStore(dir, spec);
        Path manifest = dir.resolve(MANIFEST);
        try {
            s.checkManifest(manifest);
            s.readJsonl();
        } catch (SweepException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        String jsonl = Files.readString(dir.resolve(JSONL), StandardCharsets.UTF_8);
        if (!jsonl.isEmpty() && !jsonl.endsWith("\n")) {
            throw new IllegalStateException(dir.resolve(JSONL) + " ends in a line cut short");
        }
        List<String> expected = new ArrayList<>(List.of(csvHeader(spec)));
        s.done.values().forEach(r -> expected.add(csvLine(r)));
        List<String> csv = Files.readAllLines(dir.resolve(CSV), StandardCharsets.UTF_8);
        if (!csv.equals(expected)) {
            throw new IllegalStateException(dir.resolve(CSV) + " differs from " + JSONL + ": " + csv.size()
                    + " lines for " + expected.size() + " (header and results), first difference at line "
                    + (firstDifference(csv, expected) + 1));
        }
    }

    private static int firstDifference(List<String> a, List<String> b) {
        int i = 0;
        while (i < a.size() && i < b.size() && a.get(i).equals(b.get(i))) {
            i++;
        }
        return i;
    }

    // ---- the manifest ----

    private void writeManifest(Path manifest) throws IOException {
        ObjectNode m = MAPPER.createObjectNode();
        m.put("name", spec.name());
        m.put("spec", spec.source());
        m.put("fingerprint", spec.fingerprint());
        spec.axes().forEach(a -> m.withArray("axes").add(a.name()));
        Metric.columns().forEach(c -> m.withArray("metrics").add(c));
        m.put("points", spec.points().size());
        Files.writeString(manifest, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(m) + "\n");
    }

    private void checkManifest(Path manifest) throws IOException {
        JsonNode m;
        try {
            m = MAPPER.readTree(text(manifest));
        } catch (JsonProcessingException e) {
            throw new SweepException(manifest + ": not a sweep manifest: " + e.getOriginalMessage());
        }
        if (m == null || !spec.fingerprint().equals(m.path("fingerprint").asText())) {
            throw new SweepException("results directory '" + dir + "' holds the results of another sweep (its "
                    + MANIFEST + " names " + (m == null ? "nothing" : m.path("spec").asText("no spec"))
                    + "; the workload, seed, axis names or seed axes differ): give another directory");
        }
    }

    // ---- reading ----

    private void readJsonl() throws IOException {
        Path file = dir.resolve(JSONL);
        if (!Files.exists(file)) {
            return;
        }
        String text = text(file);
        int end = text.lastIndexOf('\n') + 1; // a line without its newline was cut short by a crash: run it again
        String[] lines = text.substring(0, end).split("\n", -1);
        for (int i = 0; i < lines.length - 1; i++) {
            PointResult r = parse(lines[i], file, i + 1);
            if (done.putIfAbsent(key(r.values()), r) != null) {
                throw new SweepException(file + ":" + (i + 1) + ": point " + key(r.values()) + " appears twice");
            }
        }
    }

    /** The text of {@code file}, which pagelab wrote; anything but UTF-8 is not a results file. */
    private static String text(Path file) throws IOException {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new SweepException(file + ": not UTF-8 text, so not a file pagelab sweep wrote");
        }
    }

    private PointResult parse(String line, Path file, int lineNo) {
        String where = file + ":" + lineNo + ": ";
        JsonNode n;
        try {
            n = MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            throw new SweepException(where + "not a JSON object: " + e.getOriginalMessage());
        }
        List<String> values = new ArrayList<>();
        for (Axis a : spec.axes()) {
            JsonNode v = n.path("axes").get(a.name());
            if (v == null || !v.isTextual()) {
                throw new SweepException(where + "result has no value for axis '" + a.name() + "'");
            }
            values.add(v.asText());
        }
        String key = key(values);
        Integer index = indexByKey.get(key);
        if (index == null) {
            throw new SweepException(where + "result of point " + key + ", which this sweep does not have: give"
                    + " another results directory, or put the point back in the spec");
        }
        long seed = n.path("seed").asLong();
        long expected = spec.points().get(index).seed();
        if (!n.path("seed").isIntegralNumber() || seed != expected) {
            throw new SweepException(where + "point " + key + " ran with seed " + n.path("seed") + ", not its seed "
                    + expected);
        }
        List<Long> metrics = new ArrayList<>();
        for (String c : Metric.columns()) {
            JsonNode v = n.path("metrics").get(c);
            if (v == null || !v.isIntegralNumber()) {
                throw new SweepException(where + "result has no whole number for metric '" + c + "'");
            }
            metrics.add(v.asLong());
        }
        if (!n.path("status").isTextual()) {
            throw new SweepException(where + "result has no status");
        }
        return new PointResult(index, values, seed, n.path("status").asText(), metrics);
    }

    // ---- writing ----

    /** Writes both files with {@code results} in point order, each through a temporary file moved into place. */
    private void rewrite(List<PointResult> results) throws IOException {
        List<PointResult> sorted = results.stream().sorted(Comparator.comparingInt(PointResult::point)).toList();
        StringBuilder j = new StringBuilder();
        StringBuilder c = new StringBuilder(csvHeader()).append('\n');
        for (PointResult r : sorted) {
            j.append(json(r)).append('\n');
            c.append(csvLine(r)).append('\n');
        }
        replace(dir.resolve(JSONL), j.toString());
        replace(dir.resolve(CSV), c.toString());
    }

    private static void replace(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private String json(PointResult r) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("point", r.point());
        n.put("seed", r.seed());
        ObjectNode axes = n.putObject("axes");
        for (int i = 0; i < spec.axes().size(); i++) {
            axes.put(spec.axes().get(i).name(), r.values().get(i));
        }
        n.put("status", r.status());
        ObjectNode metrics = n.putObject("metrics");
        List<String> cols = Metric.columns();
        for (int i = 0; i < cols.size(); i++) {
            metrics.put(cols.get(i), r.metrics().get(i));
        }
        return n.toString();
    }

    /** The CSV header: point, seed, the axes, status, the metrics. */
    public static String csvHeader(SweepSpec spec) {
        List<String> cells = new ArrayList<>(List.of("point", "seed"));
        spec.axes().forEach(a -> cells.add(a.name()));
        cells.add("status");
        cells.addAll(Metric.columns());
        return String.join(",", cells.stream().map(ResultStore::csvCell).toList());
    }

    private String csvHeader() {
        return csvHeader(spec);
    }

    /** A result as a CSV line (no newline), in the columns of {@link #csvHeader(SweepSpec)}. */
    public static String csvLine(PointResult r) {
        List<String> cells = new ArrayList<>(List.of(Integer.toString(r.point()), Long.toString(r.seed())));
        cells.addAll(r.values());
        cells.add(r.status());
        r.metrics().forEach(m -> cells.add(Long.toString(m)));
        return String.join(",", cells.stream().map(ResultStore::csvCell).toList());
    }

    /** A CSV cell as RFC 4180 writes it: quoted when it holds a comma, a quote or a line break. */
    static String csvCell(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
