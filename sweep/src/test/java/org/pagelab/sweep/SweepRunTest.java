package org.pagelab.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.pagelab.testing.Seeds;

/** Points run on real machines: the same result whatever the threads and order, and every setting reaches the machine. */
@ExtendWith(Seeds.class)
class SweepRunTest {
    @TempDir
    Path dir;

    @BeforeEach
    void scenario() throws IOException {
        try (var in = SweepRunTest.class.getResourceAsStream("/app.yaml")) {
            Files.write(dir.resolve("app.yaml"), in.readAllBytes());
        }
    }

    private SweepSpec spec(String yaml) {
        return SweepSpec.parse("s.yaml", yaml, dir);
    }

    /** Results and errors of a run, in point order. */
    private record Run(List<PointResult> results, Map<Integer, String> errors) {
    }

    private static Run run(SweepEngine engine, SweepSpec spec, List<Point> todo) throws InterruptedException {
        List<PointResult> results = Collections.synchronizedList(new ArrayList<>());
        Map<Integer, String> errors = new ConcurrentHashMap<>();
        engine.run(spec, todo, new SweepEngine.Listener() {
            @Override
            public void finished(PointResult r) {
                results.add(r);
            }

            @Override
            public void failed(Point p, String error) {
                errors.put(p.index(), error);
            }
        });
        List<PointResult> sorted = new ArrayList<>(results);
        sorted.sort(Comparator.comparingInt(PointResult::point));
        return new Run(sorted, errors);
    }

    private static long metric(PointResult r, Metric m) {
        return r.metrics().get(m.ordinal());
    }

    @Test
    void aPointsResultDependsOnItsSettingsAloneNotOnThreadsOrOrder() throws InterruptedException {
        long seed = Seeds.derive(20261204L);
        SweepSpec s = spec("scenario: app.yaml\nseed: " + seed + "\naxes:\n  memory: [16M, 24M, 40M]\n  swap: [0, 16M]\n");
        Run one = run(new LocalEngine(1, 1L << 30), s, s.points());
        assertThat(one.errors()).isEmpty();
        assertThat(one.results()).hasSize(6);
        List<Point> shuffled = new ArrayList<>(s.points());
        Collections.shuffle(shuffled, new java.util.Random(seed));
        Run three = run(new LocalEngine(3, 1L << 30), s, shuffled);
        assertThat(three.results()).as("seed %d", seed).isEqualTo(one.results());
        Point last = s.points().getLast();
        assertThat(PointRunner.run(s, last)).as("seed %d: the point alone", seed).isEqualTo(one.results().getLast());
        assertThat(one.results().stream()
                .map(r -> List.of(metric(r, Metric.PGMAJFAULT), metric(r, Metric.PSWPOUT), metric(r, Metric.PGSCAN_KSWAPD)
                        + metric(r, Metric.PGSCAN_DIRECT)))
                .distinct().count())
                .as("seed %d: memory and swap change what happens: %s", seed, one.results()).isGreaterThan(2);
        assertThat(one.results()).allMatch(PointResult::ok);
        PointResult small = one.results().get(1);
        assertThat(s.key(s.points().get(1))).isEqualTo("memory=16M swap=16M");
        assertThat(metric(small, Metric.PSWPOUT)).as("a 16M machine with swap swaps").isPositive();
        assertThat(metric(one.results().getFirst(), Metric.PSWPOUT)).as("one without cannot").isZero();
    }

    @Test
    void theSeedChangesRandomTouchesAndNothingElse() throws InterruptedException {
        SweepSpec a = spec("scenario: app.yaml\nseed: 1\naxes:\n  memory: 16M\n  swap: 16M\n");
        SweepSpec b = spec("scenario: app.yaml\nseed: 2\naxes:\n  memory: 16M\n  swap: 16M\n");
        PointResult ra = PointRunner.run(a, a.points().getFirst());
        PointResult rb = PointRunner.run(b, b.points().getFirst());
        assertThat(ra.metrics()).isNotEqualTo(rb.metrics());
        assertThat(PointRunner.run(a, a.points().getFirst())).isEqualTo(ra);
    }

    @Test
    void cgroupFilesSwappinessAndWorkingsetReachTheMachine() {
        SweepSpec s = spec("scenario: app.yaml\naxes:\n  memory: 64M\n  /app/memory.max: [8M, max]\n");
        PointResult limited = PointRunner.run(s, s.points().get(0));
        PointResult free = PointRunner.run(s, s.points().get(1));
        assertThat(metric(limited, Metric.OOM_KILL)).as("12M of heap in an 8M cgroup without swap").isEqualTo(1);
        assertThat(metric(free, Metric.OOM_KILL)).isZero();
        SweepSpec w = spec("scenario: app.yaml\nseed_axes: []\naxes:\n  memory: 32M\n  workingset: [on, off]\n"
                + "  swappiness: [0, 200]\n  swap: 32M\n");
        List<PointResult> r = w.points().stream().map(p -> PointRunner.run(w, p)).toList();
        assertThat(metric(r.get(2), Metric.WORKINGSET_ACTIVATE_FILE)).as("workingset off activates nothing").isZero();
        assertThat(metric(r.get(0), Metric.WORKINGSET_REFAULT_FILE) + metric(r.get(1), Metric.WORKINGSET_REFAULT_FILE))
                .as("on: refaults are seen").isPositive();
        assertThat(metric(r.get(0), Metric.PSWPOUT)).as("swappiness 0 keeps anon in memory while file pages remain")
                .isLessThan(metric(r.get(1), Metric.PSWPOUT));
    }

    @Test
    void dataModePointsRunAndLeaveNoFilesBehind() throws IOException {
        SweepSpec s = spec("scenario: app.yaml\naxes:\n  memory: 32M\n  mode: [data, metadata]\n");
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        List<Path> before = sweepDirs(tmp);
        PointResult data = PointRunner.run(s, s.points().get(0));
        PointResult meta = PointRunner.run(s, s.points().get(1));
        assertThat(sweepDirs(tmp)).isEqualTo(before);
        assertThat(data.ok()).isTrue();
        assertThat(metric(data, Metric.PGPGIN)).as("both modes read the file twice through the page cache")
                .isEqualTo(metric(meta, Metric.PGPGIN)).isPositive();
        assertThat(PointRunner.footprint(s, s.points().get(0)) - PointRunner.footprint(s, s.points().get(1)))
                .as("a data-mode point holds its memory's bytes besides").isEqualTo(32L << 20);
    }

    private static List<Path> sweepDirs(Path tmp) throws IOException {
        try (Stream<Path> s = Files.list(tmp)) {
            return s.filter(p -> p.getFileName().toString().startsWith("pagelab-sweep-")).sorted().toList();
        }
    }

    @Test
    void tracesReplayInTheCgroupTheAxesName() throws IOException {
        long seed = Seeds.derive(20261204L);
        SplittableRandom rnd = new SplittableRandom(seed);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            sb.append(i < 4000 || rnd.nextBoolean() ? "W" : "R").append(" 0x")
                    .append(Long.toHexString(0x10000000L + (i < 4000 ? i : rnd.nextInt(4000)) * 4096L)).append('\n');
        }
        Files.writeString(dir.resolve("t.txt"), sb);
        SweepSpec s = spec("trace: plain:t.txt\naxes:\n  memory: 64M\n  swap: 32M\n  transparent_hugepage: never\n"
                + "  /replay/memory.max: [8M, max]\n");
        PointResult limited = PointRunner.run(s, s.points().get(0));
        PointResult free = PointRunner.run(s, s.points().get(1));
        assertThat(metric(limited, Metric.PSWPOUT)).as("seed %d: 16M of pages in an 8M cgroup swap", seed).isPositive();
        assertThat(metric(free, Metric.PSWPOUT)).as("seed %d", seed).isZero();
        assertThat(metric(free, Metric.PGFAULT)).as("seed %d: with THP never, every page written faults once", seed)
                .isEqualTo(4000);
    }

    /**
     * A THP axis over none, 64K and 2M: 4M written from a 2M-aligned address faults once per folio,
     * so pgfault is 1,024 pages over the folio size each point allows.
     */
    @Test
    void aThpAxisReachesTheMachineOfEachTracePoint() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 1024; i++) {
            sb.append("W 0x").append(Long.toHexString(0x40000000L + i * 4096L)).append('\n');
        }
        Files.writeString(dir.resolve("t.txt"), sb);
        SweepSpec s = spec("trace: plain:t.txt\naxes:\n  memory: 64M\n  transparent_hugepage: [never, never 64K=always,"
                + " always, 16K=always 2M=never]\n");
        List<Long> faults = s.points().stream().map(p -> metric(PointRunner.run(s, p), Metric.PGFAULT)).toList();
        assertThat(faults).containsExactly(1024L, 64L, 2L, 256L);
    }

    /**
     * For a scenario the axis's sizes merge into the scenario's own transparent_hugepage_sizes: the
     * 16K the scenario sets stays unless the point names 16K, and the point's top-level mode replaces
     * the scenario's. The heap is 12M, 2M-aligned, written once: 3,072 pages.
     */
    @Test
    void aThpAxisMergesIntoTheScenariosPerSizeSettings() throws IOException {
        Files.writeString(dir.resolve("thp.yaml"), """
                machine: { mode: metadata, transparent_hugepage: always, transparent_hugepage_sizes: { 16kB: always } }
                processes:
                  - name: app
                    steps:
                      - mmap: { name: heap, size: 12M, prot: rw, align: 2M }
                      - touch: { region: heap, write: true }
                """);
        SweepSpec s = spec("scenario: thp.yaml\naxes:\n  transparent_hugepage: [always, never, never 16K=never,"
                + " never 64K=always]\n");
        List<Long> faults = s.points().stream().map(p -> {
            PointResult r = PointRunner.run(s, p);
            assertThat(r.ok()).as(r.status()).isTrue();
            return metric(r, Metric.PGFAULT);
        }).toList();
        assertThat(faults).as("2M folios; 16K kept; none; 64K beside the kept 16K").containsExactly(6L, 768L, 3072L, 192L);
    }

    @Test
    void aPointThatThrowsIsAnErrorAndTheOthersStillRun() throws IOException, InterruptedException {
        Files.writeString(dir.resolve("t.txt"), "W 0x1000\n");
        SweepSpec s = spec("trace: plain:t.txt\naxes:\n  memory: [16M, 32M]\n");
        Files.delete(dir.resolve("t.txt"));
        Run r = run(new LocalEngine(2, 1L << 30), s, s.points());
        assertThat(r.results()).isEmpty();
        assertThat(r.errors()).containsOnlyKeys(0, 1);
        assertThat(r.errors().get(0)).contains("TraceException").contains("t.txt");
    }

    @Test
    void aBudgetSmallerThanAPointStillRunsEveryPoint() throws InterruptedException {
        SweepSpec s = spec("scenario: app.yaml\naxes:\n  memory: [16M, 32M, 48M]\n");
        assertThat(PointRunner.footprint(s, s.points().getFirst())).isGreaterThan(1L << 20);
        LocalEngine tight = new LocalEngine(3, 1L << 20);
        Run r = run(tight, s, s.points());
        assertThat(r.results()).hasSize(3);
        assertThat(tight.peakMiB()).as("each point took the whole budget, so they ran one at a time").isEqualTo(1);
        long largest = s.points().stream().mapToLong(p -> PointRunner.footprint(s, p)).max().orElseThrow();
        LocalEngine roomy = new LocalEngine(3, largest + (largest >> 1));
        assertThat(run(roomy, s, s.points()).results()).isEqualTo(r.results());
        assertThat((long) roomy.peakMiB() << 20).as("never more than the budget").isLessThanOrEqualTo(largest + (largest >> 1));
    }
}
