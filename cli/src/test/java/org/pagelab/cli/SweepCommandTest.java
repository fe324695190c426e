package org.pagelab.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pagelab.cli.RunCommandTest.pagelab;
import static org.pagelab.cli.RunCommandTest.usageError;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pagelab.sweep.ResultStore;
import org.pagelab.sweep.SweepSpec;

/** {@code pagelab sweep}: results files, a resumed sweep, exit statuses, bad input, and the report drawn in Chromium. */
class SweepCommandTest {
    /** The sweep module's test workload: a heap, a file read twice, random reads of the heap between. */
    private static final Path SCENARIO = Path.of("../sweep/src/test/resources/app.yaml");

    @TempDir
    Path dir;
    private Path spec;

    @BeforeEach
    void files() throws IOException {
        Files.copy(SCENARIO, dir.resolve("app.yaml"));
        spec = Files.writeString(dir.resolve("s.yaml"), """
                name: app against memory and workingset
                seed: 3
                scenario: app.yaml
                axes:
                  memory: { from: 16M, to: 48M, step: 16M }
                  workingset: [on, off]
                  swap: 16M
                report:
                  metrics: [pgpgin, pswpin+pswpout]
                """);
    }

    private String[] sweep(String... more) {
        String[] args = new String[more.length + 2];
        args[0] = "sweep";
        args[1] = spec.toString();
        System.arraycopy(more, 0, args, 2, more.length);
        return args;
    }

    @Test
    void aSweepWritesItsResultsAndARerunRunsNothing() throws IOException {
        Path out = dir.resolve("out");
        RunCommandTest.Result r = pagelab(sweep("--out", out.toString(), "--threads", "2"));
        assertThat(r.status()).as("stderr: %s", r.err()).isZero();
        assertThat(r.out()).startsWith("points 6 (6 run now, 0 done before, 0 without a result)\nok 6\nfailed 0\n"
                + "engine local, 2 threads, memory budget ");
        assertThat(r.out()).containsPattern("(?m)^wall time \\d+\\.\\d s$")
                .contains("results " + out.resolve("results.csv") + " " + out.resolve("results.jsonl"));
        assertThat(r.errLines()).containsExactly("pagelab sweep: 6 points, 0 done before; running 6 on the local engine,"
                + " 2 threads, memory budget " + r.out().lines().filter(l -> l.startsWith("engine")).findFirst().orElseThrow()
                .replaceAll(".*memory budget ", ""));
        SweepSpec s = SweepSpec.load(spec);
        ResultStore.check(out, s);
        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertThat(csv).hasSize(7);
        assertThat(csv.get(1)).startsWith("0," + s.points().getFirst().seed() + ",16M,on,16M,ok,");
        String before = Files.readString(out.resolve("results.csv"));

        RunCommandTest.Result again = pagelab(sweep("--out", out.toString(), "--threads", "1"));
        assertThat(again.status()).isZero();
        assertThat(again.out()).startsWith("points 6 (0 run now, 6 done before, 0 without a result)\n");
        assertThat(Files.readString(out.resolve("results.csv"))).isEqualTo(before);
    }

    @Test
    void aSweepCutShortResumesAndEndsWithTheSameResults() throws IOException {
        Path whole = dir.resolve("whole");
        assertThat(pagelab(sweep("--out", whole.toString())).status()).isZero();
        Path cut = dir.resolve("cut");
        Files.createDirectories(cut);
        Files.copy(whole.resolve("sweep.json"), cut.resolve("sweep.json"));
        List<String> lines = Files.readAllLines(whole.resolve("results.jsonl"));
        Files.writeString(cut.resolve("results.jsonl"), lines.get(4) + "\n" + lines.get(1) + "\n"
                + lines.get(2).substring(0, 40));
        RunCommandTest.Result r = pagelab(sweep("--out", cut.toString(), "--threads", "3"));
        assertThat(r.status()).as("stderr: %s", r.err()).isZero();
        assertThat(r.out()).startsWith("points 6 (4 run now, 2 done before, 0 without a result)\n");
        assertThat(Files.readString(cut.resolve("results.csv"))).isEqualTo(Files.readString(whole.resolve("results.csv")));
        assertThat(Files.readString(cut.resolve("results.jsonl"))).isEqualTo(Files.readString(whole.resolve("results.jsonl")));
    }

    @Test
    void pointsWhoseWorkloadFailsExitWithStatusOneAndSayWhy() throws IOException {
        Files.writeString(dir.resolve("bad.yaml"), """
                machine: { mode: data }
                processes:
                  - name: p
                    steps:
                      - mmap: { name: a, size: 4K, prot: rw }
                      - write: { region: a, length: 4K, fill: 1 }
                      - expect: { region: a, length: 4K, equals: 2 }
                """);
        Path s = Files.writeString(dir.resolve("bad-sweep.yaml"), "scenario: bad.yaml\naxes:\n  memory: [16M, 32M]\n");
        RunCommandTest.Result r = pagelab("sweep", s.toString(), "--out", dir.resolve("bad").toString());
        assertThat(r.status()).isEqualTo(Main.EXIT_EXPECT);
        assertThat(r.out()).contains("ok 0\nfailed 2\n");
        assertThat(r.errLines()).contains("pagelab sweep: point 0 (memory=16M): failed: process p step 3 (expect): region 'a'"
                + " byte at offset 0 is 0x01, expected 0x02");
        assertThat(Files.readAllLines(dir.resolve("bad/results.csv")).get(2))
                .contains(",32M,\"failed: process p step 3 (expect): region 'a' byte at offset 0 is 0x01, expected 0x02\",");
    }

    @Test
    void badInputIsOneLineAndStatusTwo() throws IOException {
        assertThat(usageError(pagelab("sweep", dir.resolve("none.yaml").toString())))
                .isEqualTo("pagelab sweep: cannot read sweep spec '" + dir.resolve("none.yaml") + "': no such file or directory");
        Path bad = Files.writeString(dir.resolve("b.yaml"), "scenario: app.yaml\naxes:\n  memory: [16M, 7M]\n");
        assertThat(usageError(pagelab("sweep", bad.toString()))).isEqualTo(bad + ":3: axis 'memory': bad memory '7M':"
                + " expected a size from 16M, a multiple of 4K (64M, 1G)");
        assertThat(usageError(pagelab(sweep("--engine", "spark", "--out", dir.resolve("o").toString()))))
                .startsWith("pagelab sweep: unknown --engine 'spark' (here: local; the spark engine is module sweep-spark,");
        assertThat(usageError(pagelab(sweep("--master", "local[2]"))))
                .isEqualTo("pagelab sweep: --master is for --engine spark; the local engine takes --threads and --memory-budget");
        assertThat(usageError(pagelab(sweep("--threads", "0")))).isEqualTo("pagelab sweep: --threads must be 1..4096, not 0");
        assertThat(usageError(pagelab(sweep("--memory-budget", "1K"))))
                .isEqualTo("pagelab sweep: --memory-budget: a memory budget of 1024 bytes is less than 1 MiB");
        Path foreign = Files.createDirectory(dir.resolve("foreign"));
        Files.writeString(foreign.resolve("x"), "x");
        assertThat(usageError(pagelab(sweep("--out", foreign.toString())))).isEqualTo("pagelab sweep: results directory '"
                + foreign + "' is not empty and holds no sweep.json: give an empty or new directory");
        assertThat(usageError(pagelab(sweep("--report", dir.resolve("no/r.html").toString()))))
                .startsWith("pagelab sweep: cannot write --report file '");
        Path thp = Files.writeString(dir.resolve("t.yaml"), "scenario: app.yaml\naxes:\n  transparent_hugepage: [never, 64K=maybe]\n");
        assertThat(usageError(pagelab("sweep", thp.toString()))).isEqualTo(thp + ":3: axis 'transparent_hugepage': bad"
                + " transparent_hugepage '64K=maybe': '64K=maybe': bad mode 'maybe' for hugepages-64kB/enabled: expected always,"
                + " inherit, madvise or never");
        Path scenarioBad = Files.writeString(dir.resolve("sb.yaml"), "processes: [ { name: p, steps: [ { fly: {} } ] } ]\n");
        Files.writeString(dir.resolve("c.yaml"), "scenario: sb.yaml\naxes: { memory: 16M }\n");
        assertThat(usageError(pagelab("sweep", dir.resolve("c.yaml").toString()))).startsWith(scenarioBad
                + ":1: unknown step 'fly'");
    }

    @Test
    void everyExampleSweepLoadsAndItsFirstAndLastPointsRun() throws IOException {
        List<Path> specs;
        try (java.util.stream.Stream<Path> files = Files.list(Path.of("../examples/sweeps"))) {
            specs = files.filter(f -> f.toString().endsWith(".yaml") && !f.getFileName().toString().equals("app.yaml"))
                    .sorted().toList();
        }
        assertThat(specs).isNotEmpty();
        for (Path file : specs) {
            SweepSpec s = SweepSpec.load(file);
            assertThat(s.points()).as("%s", file).hasSizeGreaterThanOrEqualTo(100);
            for (org.pagelab.sweep.Point p : List.of(s.points().getFirst(), s.points().getLast())) {
                assertThat(org.pagelab.sweep.PointRunner.run(s, p).ok()).as("%s %s", file, s.key(p)).isTrue();
            }
        }
    }

    private static final Pattern CHART = Pattern.compile(
            "<div class=\"chart\" id=\"chart-(c\\d+)\" data-points=\"(\\d+)\" data-series=\"(\\d+)\">");

    @Test
    void theReportChartsEveryMetricAgainstEveryAxisOneLinePerSetting() throws Exception {
        HeadlessChromium chromium = HeadlessChromium.require(dir);
        Path page = dir.resolve("sweep.html");
        RunCommandTest.Result r = pagelab(sweep("--out", dir.resolve("out").toString(), "--report", page.toString()));
        assertThat(r.status()).as("stderr: %s", r.err()).isZero();
        String html = Files.readString(page);
        assertThat(html).doesNotContain("http://", "https://cdn").contains("\"x_names\":[\"on\",\"off\"]");
        String dom = chromium.dumpDom(page);
        assertThat(dom).contains("<body data-state=\"drawn\">").doesNotContain("<div id=\"pagelab-error\"");
        Matcher m = CHART.matcher(dom);
        StringBuilder charts = new StringBuilder();
        while (m.find()) {
            charts.append(m.group(1)).append(' ').append(m.group(2)).append('x').append(m.group(3)).append(';');
        }
        assertThat(charts.toString()).as("pgpgin and swap I/O against memory (3 sizes, a line per workingset) and"
                + " against workingset (2 names, a line per size)").isEqualTo("c0 3x2;c1 2x3;c2 3x2;c3 2x3;");
        List<String> csv = Files.readAllLines(dir.resolve("out/results.csv"));
        int pgpgin = List.of(csv.getFirst().split(",")).indexOf("pgpgin");
        for (String row : csv.subList(1, csv.size())) {
            assertThat(dom).as("the table has each point's pgpgin").contains("<td>" + row.split(",")[pgpgin] + "</td>");
        }
        assertThat(dom).contains("<td>axis memory</td>".replace("td", "th")).contains("16M, 32M, 48M (3 values)");
    }
}
