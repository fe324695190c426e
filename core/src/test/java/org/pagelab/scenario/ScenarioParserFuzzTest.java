package org.pagelab.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Hostile input for the scenario parser: seeded mutations (deleted, inserted, duplicated, swapped
 * and truncated text, YAML punctuation, huge numbers, anchors and aliases) of every example
 * scenario and of the documented ones. The parser may accept a mutant or refuse it with a
 * {@link ScenarioException} whose line is never 0; anything else it throws, or a parse taking
 * more than two seconds, fails the test with the seed and the mutant. The seed comes from
 * {@code -Dpagelab.seed} and the number of mutants from {@code -Dpagelab.fuzz.iterations}
 * (default 20,000, sized for CI).
 */
class ScenarioParserFuzzTest {
    private static final Pattern LINE = Pattern.compile("^[^:]*:(\\d+): ");
    private static final String[] PIECES = {"{", "}", "[", "]", ":", ",", "- ", "#", "&a ", "*a", "!!str ", "|", ">",
        "'", "\"", "%", "@", "`", "\n", "\t", " ", "\u0000", "\u00e9", "0x", "-1", "99999999999999999999", "1e308",
        "4K", "2M", "1T", "true", "null", "~", "<<: *a", "? ", "steps:", "region: buf", "- mmap: {}", "\r\n"};

    private static List<String> corpus() throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("..", "examples"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                out.add(Files.readString(f));
            }
        }
        String doc = Files.readString(Path.of("..", "docs", "scenarios.md"));
        for (int i = doc.indexOf("```yaml\n"); i >= 0; i = doc.indexOf("```yaml\n", i + 1)) {
            out.add(doc.substring(i + 8, doc.indexOf("\n```", i + 8) + 1));
        }
        return out;
    }

    static String mutate(String text, SplittableRandom rnd) {
        StringBuilder b = new StringBuilder(text);
        int edits = 1 + rnd.nextInt(4);
        for (int e = 0; e < edits; e++) {
            int at = b.isEmpty() ? 0 : rnd.nextInt(b.length() + 1);
            switch (rnd.nextInt(7)) {
                case 0 -> b.delete(at, Math.min(b.length(), at + 1 + rnd.nextInt(20)));
                case 1 -> b.insert(at, PIECES[rnd.nextInt(PIECES.length)]);
                case 2 -> b.insert(at, (char) rnd.nextInt(32, 127));
                case 3 -> {
                    String[] lines = b.toString().split("\n", -1);
                    int i = rnd.nextInt(lines.length);
                    int j = rnd.nextInt(lines.length);
                    String t = lines[i];
                    lines[i] = lines[j];
                    lines[j] = t;
                    b = new StringBuilder(String.join("\n", lines));
                }
                case 4 -> {
                    String[] lines = b.toString().split("\n", -1);
                    int i = rnd.nextInt(lines.length);
                    b.insert(Math.min(b.length(), at), lines[i] + "\n");
                }
                case 5 -> b.setLength(at);
                default -> b.insert(at, "a".repeat(rnd.nextInt(1, 200)));
            }
        }
        return b.toString();
    }

    @Test
    void mutantsAreAcceptedOrRefusedWithALineNeverAnythingElse() throws IOException {
        long seed = Long.getLong("pagelab.seed", 20261205L);
        int iterations = Integer.getInteger("pagelab.fuzz.iterations", 20_000);
        List<String> corpus = corpus();
        assertThat(corpus).hasSizeGreaterThan(10);
        SplittableRandom rnd = new SplittableRandom(seed);
        int accepted = 0;
        int refused = 0;
        for (int n = 0; n < iterations; n++) {
            String mutant = mutate(corpus.get(rnd.nextInt(corpus.size())), rnd);
            long start = System.nanoTime();
            try {
                Scenario.parse("fuzz.yaml", mutant);
                accepted++;
            } catch (ScenarioException e) {
                refused++;
                Matcher m = LINE.matcher(e.getMessage());
                if (m.find() && Integer.parseInt(m.group(1)) == 0) {
                    throw new AssertionError("seed " + seed + " mutant " + n + ": line 0 in '" + e.getMessage()
                            + "' for:\n" + mutant);
                }
            } catch (RuntimeException | Error e) {
                throw new AssertionError("seed " + seed + " mutant " + n + ": " + e + " for:\n" + mutant, e);
            }
            long ms = (System.nanoTime() - start) / 1_000_000;
            if (ms > 2000) {
                throw new AssertionError("seed " + seed + " mutant " + n + ": parse took " + ms + " ms for:\n" + mutant);
            }
        }
        System.out.printf("scenario parser fuzz: seed %d, %d mutants, %d accepted, %d refused%n", seed, iterations,
                accepted, refused);
        assertThat(accepted + refused).isEqualTo(iterations);
        assertThat(refused).as("the mutations reach the error paths").isGreaterThan(iterations / 10);
    }

    @Test
    void aScenarioBeyondTheSizeLimitIsRefusedClearlyAndOneWithinItIsNotCutShortByTheYamlParser() {
        StringBuilder b = new StringBuilder("processes:\n  - name: p\n    steps:\n");
        String step = "      - sleep: { time: 1ms }\n";
        while (b.length() + step.length() <= org.pagelab.input.Limits.MAX_SCENARIO_BYTES) {
            b.append(step);
        }
        try {
            Scenario s = Scenario.parse("big.yaml", b.toString());
            assertThat(s.processes().getFirst().steps()).hasSizeGreaterThan(30_000);
        } catch (ScenarioException e) {
            assertThat(e.getMessage()).as("only a documented limit may refuse it").contains("at most")
                    .doesNotContain("big.yaml:0:");
        }
        b.append(step);
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> Scenario.parse("big.yaml", b.toString())))
                .isInstanceOf(ScenarioException.class).hasMessageStartingWith("big.yaml:1: scenario too large: ");
    }
}
