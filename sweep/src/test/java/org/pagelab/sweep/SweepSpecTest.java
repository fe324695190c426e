package org.pagelab.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Sweep specs: expansion into points, canonical values, seeds, and an error naming file and line for each bad input. */
class SweepSpecTest {
    @TempDir
    Path dir;

    @BeforeEach
    void scenario() throws IOException {
        try (var in = SweepSpecTest.class.getResourceAsStream("/app.yaml")) {
            Files.write(dir.resolve("app.yaml"), in.readAllBytes());
        }
    }

    private SweepSpec spec(String yaml) {
        return SweepSpec.parse("s.yaml", yaml, dir);
    }

    @Test
    void crossProductVariesTheFirstAxisSlowest() {
        SweepSpec s = spec("""
                scenario: app.yaml
                axes:
                  memory: [32M, 16M]
                  swap: [0, 8M, 16M]
                  swappiness: 100
                """);
        assertThat(s.points()).hasSize(6);
        assertThat(s.points().stream().map(s::key).toList()).containsExactly(
                "memory=32M swap=0 swappiness=100", "memory=32M swap=8M swappiness=100",
                "memory=32M swap=16M swappiness=100", "memory=16M swap=0 swappiness=100",
                "memory=16M swap=8M swappiness=100", "memory=16M swap=16M swappiness=100");
        assertThat(s.points().stream().map(Point::index).toList()).containsExactly(0, 1, 2, 3, 4, 5);
        assertThat(s.reportX()).as("axes with one value are settings, not charted").containsExactly("memory", "swap");
    }

    @Test
    void rangesWithUnitsStepAndFactor() {
        SweepSpec s = spec("""
                scenario: app.yaml
                axes:
                  memory: { from: 16M, to: 40M, step: 8M }
                  /app/memory.max: { from: 4M, to: 40M, factor: 3 }
                  cpus: { from: 1, to: 4, step: 2 }
                """);
        assertThat(s.axes().get(0).values()).containsExactly("16M", "24M", "32M", "40M");
        assertThat(s.axes().get(1).values()).containsExactly("4M", "12M", "36M");
        assertThat(s.axes().get(1).cgroup()).isEqualTo("/app");
        assertThat(s.axes().get(1).setting()).isEqualTo(Setting.CGROUP_MAX);
        assertThat(s.axes().get(2).values()).containsExactly("1", "3");
        assertThat(s.points()).hasSize(24);
    }

    @Test
    void valuesAreCanonicalSoSpellingsOfOneValueAreOnePoint() {
        SweepSpec a = spec("scenario: app.yaml\naxes:\n  memory: [65536K, 1G]\n  workingset: [true, off]\n");
        SweepSpec b = spec("scenario: app.yaml\naxes:\n  memory: [64M, 1024M]\n  workingset: [on, false]\n");
        assertThat(a.points()).isEqualTo(b.points());
        assertThat(a.fingerprint()).isEqualTo(b.fingerprint());
        assertThatThrownBy(() -> spec("scenario: app.yaml\naxes:\n  memory: [64M, 65536K]\n"))
                .hasMessage("s.yaml:3: axis 'memory': value 64M is given twice");
    }

    @Test
    void thpValuesAreCanonicalSoSpellingsOfOneSettingAreOnePoint() {
        SweepSpec s = spec("""
                scenario: app.yaml
                axes:
                  transparent_hugepage:
                    - never
                    - 2048kB=never,64k=always never
                    - always
                    - 16K=inherit  madvise
                """);
        assertThat(s.axes().getFirst().values()).containsExactly("never", "never 64K=always 2M=never", "always",
                "madvise 16K=inherit");
        assertThat(s.key(s.points().get(1))).isEqualTo("transparent_hugepage=never 64K=always 2M=never");
        assertThat(s.axes().getFirst().numeric()).as("settings are names").isFalse();
        assertThat(s.points().get(1)).isEqualTo(spec("scenario: app.yaml\naxes:\n  transparent_hugepage: [never,"
                + " never 64K=always 2M=never, always, madvise 16K=inherit]\n").points().get(1));
        assertThatThrownBy(() -> spec("scenario: app.yaml\naxes:\n  transparent_hugepage: [64K=always never, never 64kB=always]\n"))
                .hasMessage("s.yaml:3: axis 'transparent_hugepage': value never 64K=always is given twice");
    }

    @Test
    void seedsDeriveFromTheSweepSeedAndThePointAlone() {
        String axes = "axes:\n  memory: [16M, 32M]\n  workingset: [on, off]\n";
        SweepSpec s = spec("scenario: app.yaml\nseed: 5\n" + axes);
        Set<Long> seeds = new HashSet<>();
        s.points().forEach(p -> seeds.add(p.seed()));
        assertThat(seeds).as("one seed per point").hasSize(4);
        assertThat(s.points().getFirst().seed()).isEqualTo(Point.seedOf(5, "memory=16M workingset=on"));
        SweepSpec more = spec("scenario: app.yaml\nseed: 5\naxes:\n  memory: [8G, 16M, 32M, 64M]\n  workingset: [on, off]\n");
        for (Point p : s.points()) {
            Point same = more.points().stream().filter(q -> more.key(q).equals(s.key(p))).findFirst().orElseThrow();
            assertThat(same.seed()).as("a point's seed does not depend on the other points").isEqualTo(p.seed());
        }
        assertThat(spec("scenario: app.yaml\nseed: 6\n" + axes).points().getFirst().seed())
                .isNotEqualTo(s.points().getFirst().seed());
        SweepSpec common = spec("scenario: app.yaml\nseed: 5\nseed_axes: [memory]\n" + axes);
        assertThat(common.points().get(0).seed()).as("workingset on and off share the random stream")
                .isEqualTo(common.points().get(1).seed()).isNotEqualTo(common.points().get(2).seed());
        assertThat(common.fingerprint()).isNotEqualTo(s.fingerprint());
        SweepSpec none = spec("scenario: app.yaml\nseed: 5\nseed_axes: []\n" + axes);
        assertThat(none.points().stream().map(Point::seed).distinct()).hasSize(1);
    }

    @Test
    void aDeclaredSubsetRunsOnlyItsPointsInItsOrder() {
        SweepSpec s = spec("""
                scenario: app.yaml
                axes:
                  memory: [16M, 32M, 64M]
                  workingset: [on, off]
                  swap: 8M
                points:
                  - { memory: 64M, workingset: off }
                  - { memory: 16M, workingset: on, swap: 8192K }
                """);
        assertThat(s.points().stream().map(s::key).toList()).containsExactly("memory=64M workingset=off swap=8M",
                "memory=16M workingset=on swap=8M");
        assertThat(s.points().get(0).seed()).isEqualTo(spec("scenario: app.yaml\naxes:\n  memory: [16M, 32M, 64M]\n"
                + "  workingset: [on, off]\n  swap: 8M\n").points().get(5).seed());
    }

    @Test
    void tracesResolveAgainstTheSpecsDirectory() throws IOException {
        Files.writeString(dir.resolve("t.txt"), "R 0x1000\nW 0x2000\n");
        SweepSpec s = spec("trace: plain:t.txt\naxes:\n  memory: 16M\n  /replay/memory.max: [4M, max]\n");
        assertThat(((Workload.Traces) s.workload()).specs()).containsExactly("plain:" + dir.resolve("t.txt"));
        assertThat(s.axes().get(1).numeric()).as("max is a name").isFalse();
    }

    static Stream<Arguments> badSpecs() {
        return Stream.of(
                Arguments.of("axes: { memory: 16M }\n", "s.yaml:1: the sweep spec names no base: give 'scenario: FILE' or"
                        + " 'trace: FORMAT:PATH'"),
                Arguments.of("scenario: app.yaml\ntrace: plain:x\naxes: { memory: 16M }\n",
                        "s.yaml:2: give either 'scenario' or 'trace', not both"),
                Arguments.of("scenario: nope.yaml\naxes: { memory: 16M }\n", "s.yaml:1: cannot read scenario file '"),
                Arguments.of("scenario: app.yaml\n", "s.yaml:1: sweep spec is missing 'axes'"),
                Arguments.of("scenario: app.yaml\naxes: {}\n", "s.yaml:2: 'axes' is empty: a sweep needs at least one axis"),
                Arguments.of("scenario: app.yaml\nseeds: 1\naxes: { memory: 16M }\n", "s.yaml:2: unknown key 'seeds' in sweep"
                        + " spec (expected one of axes, name, points, report, scenario, seed, seed_axes, trace)"),
                Arguments.of("scenario: app.yaml\naxes:\n  memroy: 16M\n", "s.yaml:3: unknown axis 'memroy' (expected one of"
                        + " memory, swap, swappiness, cpus, workingset, transparent_hugepage, policy, mode, or a cgroup file"
                        + " such as /PATH/memory.max)"),
                Arguments.of("scenario: app.yaml\naxes:\n  memory: [16M, 12M]\n", "s.yaml:3: axis 'memory': bad memory '12M':"
                        + " expected a size from 16M, a multiple of 4K (64M, 1G)"),
                Arguments.of("scenario: app.yaml\naxes:\n  swappiness: [60, 201]\n", "s.yaml:3: axis 'swappiness': bad"
                        + " swappiness '201': expected a whole number 0..200"),
                Arguments.of("scenario: app.yaml\naxes:\n  swap: 4K\n", "s.yaml:3: axis 'swap': bad swap '4K': expected a size"
                        + " of at least 8K, or 0 for none"),
                Arguments.of("scenario: app.yaml\naxes:\n  transparent_hugepage: [never, sometimes]\n", "s.yaml:3: axis"
                        + " 'transparent_hugepage': bad transparent_hugepage 'sometimes': expected always, madvise or never"
                        + " (the top level, PMD-sized folios), and/or SIZE=MODE per size (64K=always 2M=never; sizes 16K to"
                        + " 2M, modes always, inherit, madvise, never)"),
                Arguments.of("scenario: app.yaml\naxes:\n  transparent_hugepage: never 64K=often\n", "s.yaml:3: axis"
                        + " 'transparent_hugepage': bad transparent_hugepage 'never 64K=often': '64K=often': bad mode 'often'"
                        + " for hugepages-64kB/enabled: expected always, inherit, madvise or never"),
                Arguments.of("scenario: app.yaml\naxes:\n  transparent_hugepage: 8K=always\n", "s.yaml:3: axis"
                        + " 'transparent_hugepage': bad transparent_hugepage '8K=always': '8K=always': no transparent huge"
                        + " page size '8K' (expected 16K, 32K, 64K, 128K, 256K, 512K, 1M or 2M)"),
                Arguments.of("scenario: app.yaml\naxes:\n  transparent_hugepage: never always\n", "s.yaml:3: axis"
                        + " 'transparent_hugepage': bad transparent_hugepage 'never always': 'never always' gives the"
                        + " top-level mode twice (never, always)"),
                Arguments.of("scenario: app.yaml\naxes:\n  transparent_hugepage: 64K=always 64kB=never\n", "s.yaml:3: axis"
                        + " 'transparent_hugepage': bad transparent_hugepage '64K=always 64kB=never': size 64K is given twice"
                        + " (64K=always, 64K=never)"),
                Arguments.of("scenario: app.yaml\naxes:\n  policy: [clock-pro]\n", "s.yaml:3: axis 'policy': bad policy 'clock-pro':"
                        + " expected a reclaim policy, one of twolist"),
                Arguments.of("scenario: app.yaml\naxes:\n  workingset: { from: 1, to: 2, step: 1 }\n", "s.yaml:3: axis"
                        + " 'workingset' takes named values (on or off): list them; a range is for sizes and numbers"),
                Arguments.of("scenario: app.yaml\naxes:\n  memory: { from: 16M, to: 32M }\n", "s.yaml:3: range of axis"
                        + " 'memory' needs either 'step' (from, from+step, ...) or 'factor' (from, from*factor, ...)"),
                Arguments.of("scenario: app.yaml\naxes:\n  memory: { from: 32M, to: 16M, step: 1M }\n", "s.yaml:3: range of"
                        + " axis 'memory': 'to' is below 'from'"),
                Arguments.of("scenario: app.yaml\naxes:\n  memory: { from: 16M, to: 1T, step: 4K }\n", "s.yaml:3: range of"
                        + " axis 'memory' has more than 10000 values"),
                Arguments.of("scenario: app.yaml\naxes:\n  /db/memory.max: 8M\n", "s.yaml:3: axis '/db/memory.max': the"
                        + " scenario declares no cgroup '/db'"),
                Arguments.of("scenario: app.yaml\naxes:\n  /app/memory.maks: 8M\n", "s.yaml:3: unknown cgroup file in axis"
                        + " '/app/memory.maks' (expected memory.max, memory.high, memory.low, memory.min or memory.swap.max)"),
                Arguments.of("scenario: app.yaml\naxes:\n  memory: [16M, 32M]\npoints:\n  - { memory: 24M }\n", "s.yaml:5:"
                        + " axis 'memory' has no value 24M (values: 16M, 32M)"),
                Arguments.of("scenario: app.yaml\naxes:\n  memory: [16M, 32M]\n  swap: [0, 8M]\npoints:\n  - { memory: 16M }\n",
                        "s.yaml:6: point is missing axis 'swap' (it has several values)"),
                Arguments.of("scenario: app.yaml\naxes:\n  memory: [16M, 32M]\npoints:\n  - { memory: 16M }\n  - { memory: 16M }\n",
                        "s.yaml:6: this point is listed twice"),
                Arguments.of("scenario: app.yaml\naxes:\n  memory: 16M\nseed_axes: [swap]\n", "s.yaml:4: unknown axis 'swap' in"
                        + " seed_axes (axes: memory)"),
                Arguments.of("scenario: app.yaml\naxes:\n  memory: 16M\nreport: { metrics: [pgmajfault+pswpinn] }\n",
                        "s.yaml:4: unknown metric 'pswpinn' in 'pgmajfault+pswpinn' (metrics: pgfault, "),
                Arguments.of("scenario: app.yaml\nseed: x\naxes: { memory: 16M }\n", "s.yaml:2: bad seed 'x': expected a whole"
                        + " number"),
                Arguments.of("scenario: app.yaml\naxes: [memory]\n", "s.yaml:2: 'axes' must be a mapping from a setting to"
                        + " its values"),
                Arguments.of("scenario: app.yaml\naxes:\n  memory: [16M\n", "s.yaml:4: invalid YAML: "),
                Arguments.of("trace: plain:none.txt\naxes: { memory: 16M }\n", "s.yaml:1: bad trace: "),
                Arguments.of("trace: plain:t.txt\naxes: { mode: [data] }\n", "s.yaml:2: axis 'mode': traces replay on data-less"
                        + " machines; mode applies to scenarios only"),
                Arguments.of("trace: plain:t.txt\naxes:\n  /a/memory.max: 8M\n  /b/memory.high: 8M\n", "s.yaml:4: axis"
                        + " '/b/memory.high': a trace's processes run in one cgroup, and '/a' is named already"));
    }

    @ParameterizedTest
    @MethodSource("badSpecs")
    void badSpecsAreOneLineNamingFileAndLine(String yaml, String message) throws IOException {
        Files.writeString(dir.resolve("t.txt"), "R 0x1000\n");
        assertThatThrownBy(() -> spec(yaml)).isInstanceOf(SweepException.class).message().startsWith(message)
                .doesNotContain("\n");
    }

    @Test
    void theScenariosOwnErrorsNameTheScenariosFileAndLine() throws IOException {
        Files.writeString(dir.resolve("bad.yaml"), "processes:\n  - name: p\n    steps:\n      - jump: {}\n");
        assertThatThrownBy(() -> spec("scenario: bad.yaml\naxes: { memory: 16M }\n")).isInstanceOf(SweepException.class)
                .as("named relative to the spec's path").hasMessageStartingWith("bad.yaml:4: unknown step 'jump'");
    }

    @Test
    void anExpectingScenarioCannotRunOnAMetadataMachine() throws IOException {
        Files.writeString(dir.resolve("x.yaml"), "processes:\n  - name: p\n    steps:\n      - mmap: { name: a, size: 4K, prot: rw }\n"
                + "      - expect: { region: a, length: 4K, equals: 0 }\n");
        assertThat(spec("scenario: x.yaml\naxes: { mode: data }\n").points()).hasSize(1);
        assertThatThrownBy(() -> spec("scenario: x.yaml\naxes: { mode: [data, metadata] }\n"))
                .hasMessage("s.yaml:2: axis 'mode' has metadata, but the scenario has expect steps, which need data mode");
    }

    @Test
    void loadNamesAMissingSpecFile() {
        assertThatThrownBy(() -> SweepSpec.load(dir.resolve("none.yaml")))
                .hasMessage("cannot read sweep spec '" + dir.resolve("none.yaml") + "': no such file or directory");
        assertThatThrownBy(() -> SweepSpec.load(dir)).hasMessage("cannot read sweep spec '" + dir + "': it is a directory");
    }

    @Test
    void reportDefaultsAndChoices() {
        SweepSpec s = spec("scenario: app.yaml\naxes:\n  memory: [16M, 32M]\n  swap: [0, 8M]\nreport:\n  x: [swap]\n"
                + "  metrics: [pswpin + pswpout, oom_kill]\n");
        assertThat(s.reportX()).containsExactly("swap");
        assertThat(s.reportMetrics()).containsExactly("pswpin+pswpout", "oom_kill");
        assertThat(spec("scenario: app.yaml\naxes: { memory: 16M }\n").reportMetrics()).isEqualTo(Metric.DEFAULT_REPORT);
        assertThat(List.of(Metric.parseSum("pswpin+pswpout"))).hasSize(1);
    }
}
