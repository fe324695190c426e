package org.pagelab.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.pagelab.testing.Seeds;

/** The results directory: appends, a restart that skips what is done, a crash mid-line, and directories of other sweeps. */
@ExtendWith(Seeds.class)
class ResultStoreTest {
    @TempDir
    Path dir;
    private SweepSpec spec;

    @BeforeEach
    void spec() throws IOException {
        try (var in = ResultStoreTest.class.getResourceAsStream("/app.yaml")) {
            Files.write(dir.resolve("app.yaml"), in.readAllBytes());
        }
        spec = SweepSpec.parse("s.yaml", "scenario: app.yaml\naxes:\n  memory: [16M, 32M, 48M]\n  swap: [0, 8M]\n", dir);
    }

    /** A made-up result of {@code p}: the store stores, it does not run. */
    private static PointResult result(Point p, String status, long base) {
        List<Long> metrics = new ArrayList<>();
        for (int i = 0; i < Metric.values().length; i++) {
            metrics.add(base + i);
        }
        return new PointResult(p.index(), p.values(), p.seed(), status, metrics);
    }

    private static String status(Point p) {
        return p.index() == 5 ? "failed: process app step 2 (touch): no, with \"quotes\"" : PointResult.OK;
    }

    @Test
    void aRestartSkipsThePointsDoneAndFinishWritesThemInOrder() throws IOException {
        long seed = Seeds.derive(20261204L);
        List<Point> order = new ArrayList<>(spec.points());
        Collections.shuffle(order, new java.util.Random(new SplittableRandom(seed).nextLong()));
        Path out = dir.resolve("out");
        try (ResultStore s = ResultStore.open(out, spec)) {
            assertThat(s.todo()).isEqualTo(spec.points());
            for (Point p : order.subList(0, 4)) {
                s.append(result(p, status(p), p.index() * 100));
            }
        }
        ResultStore.check(out, spec);
        List<PointResult> all;
        try (ResultStore s = ResultStore.open(out, spec)) {
            assertThat(s.done()).as("seed %d", seed).hasSize(4);
            assertThat(s.todo()).as("seed %d", seed).containsExactlyElementsOf(spec.points().stream()
                    .filter(p -> !order.subList(0, 4).contains(p)).toList());
            ResultStore.check(out, spec);
            for (Point p : s.todo()) {
                s.append(result(p, status(p), p.index() * 100));
            }
            assertThatThrownBy(() -> s.append(result(spec.points().getFirst(), PointResult.OK, 0)))
                    .hasMessageContaining("finished twice");
            all = s.finish();
        }
        ResultStore.check(out, spec);
        assertThat(all.stream().map(PointResult::point).toList()).containsExactly(0, 1, 2, 3, 4, 5);
        for (PointResult r : all) {
            assertThat(r).isEqualTo(result(spec.points().get(r.point()), r.status(), r.point() * 100L));
        }
        List<String> csv = Files.readAllLines(out.resolve(ResultStore.CSV));
        assertThat(csv.getFirst()).startsWith("point,seed,memory,swap,status,pgfault,pgmajfault,");
        assertThat(csv.get(1)).startsWith("0," + spec.points().getFirst().seed() + ",16M,0,ok,0,1,2,");
        assertThat(csv.get(6)).startsWith("5," + spec.points().get(5).seed()
                + ",48M,8M,\"failed: process app step 2 (touch): no, with \"\"quotes\"\"\",500,501,");
        try (ResultStore s = ResultStore.open(out, spec)) {
            assertThat(s.todo()).isEmpty();
            assertThat(s.finish()).isEqualTo(all);
        }
    }

    @Test
    void aLineCutShortByACrashIsRunAgain() throws IOException {
        Path out = dir.resolve("out");
        try (ResultStore s = ResultStore.open(out, spec)) {
            s.append(result(spec.points().get(0), PointResult.OK, 1));
            s.append(result(spec.points().get(1), PointResult.OK, 2));
        }
        Path jsonl = out.resolve(ResultStore.JSONL);
        String text = Files.readString(jsonl);
        String cut = text.substring(0, text.length() - 20);
        Files.writeString(jsonl, cut);
        assertThatThrownBy(() -> ResultStore.check(out, spec)).isInstanceOf(IllegalStateException.class);
        try (ResultStore s = ResultStore.open(out, spec)) {
            assertThat(s.done()).hasSize(1);
            assertThat(s.todo().getFirst()).isEqualTo(spec.points().get(1));
        }
        ResultStore.check(out, spec);
        assertThat(Files.readAllLines(out.resolve(ResultStore.CSV))).hasSize(2);
    }

    @Test
    void theCheckerSeesACsvThatDisagrees() throws IOException {
        Path out = dir.resolve("out");
        try (ResultStore s = ResultStore.open(out, spec)) {
            s.append(result(spec.points().get(0), PointResult.OK, 1));
        }
        Files.writeString(out.resolve(ResultStore.CSV), "0,1,16M,0,ok\n", StandardOpenOption.APPEND);
        assertThatThrownBy(() -> ResultStore.check(out, spec)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("differs from results.jsonl: 3 lines for 2");
    }

    @Test
    void aSweepWithMoreValuesKeepsTheResultsItHas() throws IOException {
        Path out = dir.resolve("out");
        try (ResultStore s = ResultStore.open(out, spec)) {
            spec.points().forEach(p -> s.append(result(p, PointResult.OK, p.index())));
        }
        SweepSpec more = SweepSpec.parse("s.yaml", "scenario: app.yaml\naxes:\n  memory: [16M, 24M, 32M, 48M]\n"
                + "  swap: [0, 8M]\n", dir);
        try (ResultStore s = ResultStore.open(out, more)) {
            assertThat(s.todo().stream().map(more::key).toList()).containsExactly("memory=24M swap=0", "memory=24M swap=8M");
            more.points().stream().filter(p -> p.values().getFirst().equals("24M"))
                    .forEach(p -> s.append(result(p, PointResult.OK, 7)));
            List<PointResult> all = s.finish();
            assertThat(all.stream().map(PointResult::point).toList()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
            assertThat(all.get(4).values()).containsExactly("32M", "0");
        }
        ResultStore.check(out, more);
    }

    @Test
    void directoriesOfOtherThingsAreRefused() throws IOException {
        Path out = dir.resolve("out");
        try (ResultStore s = ResultStore.open(out, spec)) {
            s.append(result(spec.points().get(0), PointResult.OK, 1));
        }
        SweepSpec reseeded = SweepSpec.parse("s.yaml", "scenario: app.yaml\nseed: 2\naxes:\n  memory: [16M, 32M, 48M]\n"
                + "  swap: [0, 8M]\n", dir);
        assertThatThrownBy(() -> ResultStore.open(out, reseeded)).isInstanceOf(SweepException.class)
                .hasMessage("results directory '" + out + "' holds the results of another sweep (its sweep.json names s.yaml;"
                        + " the workload, seed, axis names or seed axes differ): give another directory");
        SweepSpec fewer = SweepSpec.parse("s.yaml", "scenario: app.yaml\naxes:\n  memory: [32M, 48M]\n  swap: [0, 8M]\n", dir);
        assertThatThrownBy(() -> ResultStore.open(out, fewer)).isInstanceOf(SweepException.class)
                .hasMessage(out.resolve(ResultStore.JSONL) + ":1: result of point memory=16M swap=0, which this sweep does not"
                        + " have: give another results directory, or put the point back in the spec");
        Files.writeString(out.resolve(ResultStore.JSONL), "{\"point\": 0, \"seed\": 3, \"axes\": {\"memory\": \"16M\","
                + " \"swap\": \"0\"}}\n", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> ResultStore.open(out, spec)).hasMessage(out.resolve(ResultStore.JSONL) + ":1: point"
                + " memory=16M swap=0 ran with seed 3, not its seed " + spec.points().getFirst().seed());
        Files.writeString(out.resolve(ResultStore.JSONL), "{not json\n", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> ResultStore.open(out, spec)).hasMessageStartingWith(out.resolve(ResultStore.JSONL)
                + ":1: not a JSON object: ");
        Path other = Files.createDirectory(dir.resolve("other"));
        Files.writeString(other.resolve("notes.txt"), "mine");
        assertThatThrownBy(() -> ResultStore.open(other, spec)).hasMessage("results directory '" + other
                + "' is not empty and holds no sweep.json: give an empty or new directory");
        assertThatThrownBy(() -> ResultStore.open(other.resolve("notes.txt"), spec)).hasMessage("results directory '"
                + other.resolve("notes.txt") + "' exists and is not a directory");
    }
}
