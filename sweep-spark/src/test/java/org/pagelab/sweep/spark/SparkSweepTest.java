package org.pagelab.sweep.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pagelab.cli.Main;
import org.pagelab.sweep.LocalEngine;
import org.pagelab.sweep.Point;
import org.pagelab.sweep.PointResult;
import org.pagelab.sweep.SweepEngine;
import org.pagelab.sweep.SweepSpec;
import picocli.CommandLine;

/**
 * The same sweeps on Spark (a local master bound to 127.0.0.1, two executor threads) and on the local
 * engine: identical results point for point, the Parquet file equal to the CSV, traces shipped to the
 * tasks, and points that throw reported as errors, not as a failed job.
 */
class SparkSweepTest {
    /** The sweep module's test workload: a heap, a file read twice, random reads of the heap between. */
    private static final Path SCENARIO = Path.of("../sweep/src/test/resources/app.yaml");

    @TempDir
    Path dir;

    /** One in-process {@code pagelab} run: status and stdout; stderr goes into the assertion's message. */
    private static String[] pagelab(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int status = cl.execute(args);
        return new String[] {Integer.toString(status), out.toString(), err.toString()};
    }

    @Test
    void theCommandOnSparkWritesTheLocalEnginesResultsAndTheirParquet() throws IOException {
        long seed = Long.getLong("pagelab.seed", 20261204L);
        Files.copy(SCENARIO, dir.resolve("app.yaml"));
        Path spec = Files.writeString(dir.resolve("s.yaml"), "seed: " + seed + "\nscenario: app.yaml\naxes:\n"
                + "  memory: [16M, 24M, 32M, 48M]\n  swap: [0, 16M]\n  workingset: [on, off]\n");
        String[] local = pagelab("sweep", spec.toString(), "--out", dir.resolve("local").toString(), "--threads", "2");
        assertThat(local[0]).as("stderr: %s", local[2]).isEqualTo("0");
        String[] spark = pagelab("sweep", spec.toString(), "--out", dir.resolve("spark").toString(), "--engine", "spark",
                "--master", "local[2]");
        assertThat(spark[0]).as("stderr: %s", spark[2]).isEqualTo("0");
        assertThat(spark[1]).startsWith("points 16 (16 run now, 0 done before, 0 without a result)\nok 16\nfailed 0\n"
                + "engine spark, master local[2]\n");
        String csv = Files.readString(dir.resolve("local/results.csv"));
        assertThat(Files.readString(dir.resolve("spark/results.csv"))).as("seed %d", seed).isEqualTo(csv);
        assertThat(Files.readString(dir.resolve("spark/results.jsonl")))
                .isEqualTo(Files.readString(dir.resolve("local/results.jsonl")));
        assertThat(dir.resolve("local/results.parquet")).doesNotExist();

        List<String> lines = csv.lines().toList();
        SparkSession s = SparkSession.builder().master("local[1]").appName("read back")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
        try {
            var frame = s.read().parquet(dir.resolve("spark/results.parquet").toString());
            assertThat(String.join(",", frame.columns())).isEqualTo(lines.getFirst());
            List<Row> rows = new ArrayList<>(frame.collectAsList());
            rows.sort(Comparator.comparingInt(r -> r.getInt(0)));
            assertThat(rows).hasSize(16);
            for (int i = 0; i < rows.size(); i++) {
                List<String> cells = new ArrayList<>();
                for (int c = 0; c < rows.get(i).size(); c++) {
                    cells.add(String.valueOf(rows.get(i).get(c)));
                }
                assertThat(String.join(",", cells)).as("row %d", i).isEqualTo(lines.get(i + 1));
            }
        } finally {
            s.stop();
        }
    }

    /** Results and errors of an engine's run, by point. */
    private record Run(Map<Integer, PointResult> results, Map<Integer, String> errors) {
    }

    private static Run run(SweepEngine engine, SweepSpec spec) throws InterruptedException {
        Map<Integer, PointResult> results = new ConcurrentHashMap<>();
        Map<Integer, String> errors = new ConcurrentHashMap<>();
        List<Point> shuffled = new ArrayList<>(spec.points());
        Collections.shuffle(shuffled, new java.util.Random(spec.seed()));
        engine.run(spec, shuffled, new SweepEngine.Listener() {
            @Override
            public void finished(PointResult r) {
                assertThat(results.put(r.point(), r)).isNull();
            }

            @Override
            public void failed(Point p, String error) {
                errors.put(p.index(), error);
            }
        });
        return new Run(new TreeMap<>(results), new TreeMap<>(errors));
    }

    @Test
    void tracesTravelToTheTasksAndAPointThatThrowsIsAnError() throws IOException, InterruptedException {
        long seed = Long.getLong("pagelab.seed", 20261204L);
        SplittableRandom rnd = new SplittableRandom(seed);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 30_000; i++) {
            sb.append(rnd.nextInt(3) == 0 ? "W" : "R").append(" 0x")
                    .append(Long.toHexString(0x10000000L + rnd.nextInt(6000) * 4096L)).append('\n');
        }
        Files.writeString(dir.resolve("t.txt"), sb);
        Files.writeString(dir.resolve("broken.txt"), "W 0x1000\nW 0x2000\nW 0xnothex\n");
        SweepSpec traces = SweepSpec.parse("t.yaml", "seed: " + seed + "\ntrace: plain:t.txt\naxes:\n  memory: [16M, 32M]\n"
                + "  swap: [0, 32M]\n  /replay/memory.max: [8M, max]\n", dir);
        SweepSpec broken = SweepSpec.parse("b.yaml", "trace: plain:broken.txt\naxes:\n  memory: [16M, 32M]\n", dir);
        try (SparkEngine spark = new SparkEngine(Map.of("master", "local[2]"))) {
            Run onSpark = run(spark, traces);
            Run local = run(new LocalEngine(2, 1L << 30), traces);
            assertThat(onSpark.errors()).isEmpty();
            assertThat(onSpark.results()).as("seed %d", seed).hasSize(8).isEqualTo(local.results());
            assertThat(onSpark.results().values().stream().map(r -> r.metrics().get(4)).distinct().count())
                    .as("seed %d: pswpin differs between points", seed).isGreaterThan(1);

            Run failing = run(spark, broken);
            assertThat(failing.results()).isEmpty();
            assertThat(failing.errors()).containsOnlyKeys(0, 1);
            assertThat(failing.errors().get(0)).contains("TraceException").contains("broken.txt");
            Map<Integer, String> localErrors = run(new LocalEngine(1, 1L << 30), broken).errors();
            for (int p : List.of(0, 1)) {
                assertThat(withoutPath(failing.errors().get(p))).as("the same error, the trace's copy aside")
                        .isEqualTo(withoutPath(localErrors.get(p)));
            }
        }
    }

    private static String withoutPath(String error) {
        return error.replaceAll("\\S*broken\\.txt", "broken.txt");
    }

    @Test
    void optionsThatAreNotSparkSettingsAreRefused() {
        assertThatThrownBy(() -> new SparkEngine(Map.of("threads", "4"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown option 'threads': the spark engine takes master and Spark settings (spark.*)");
        assertThatThrownBy(() -> new SparkEngine(Map.of("master", "foo://x"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bad master 'foo://x': expected local, local[N], local[*], spark://HOST:PORT, yarn or k8s://URL");
        for (String m : List.of("local", "local[3]", "local[*]", "local[2,4]", "spark://a:7077,b:7077", "yarn", "k8s://https://h:6443")) {
            assertThat(new SparkEngine(Map.of("master", m)).master()).isEqualTo(m);
        }
        assertThat(new SparkEngine(Map.of()).master()).isEqualTo("local[*]");
    }
}
