package org.pagelab.semantics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every scenario of the section "Steps for kernel-semantics tests" of docs/scenarios.md runs and
 * passes, so the examples that document the steps stay true.
 */
class ScenarioSemanticsDocTest {
    private static final String SECTION = "## Steps for kernel-semantics tests";

    @TempDir
    Path dir;

    static Stream<String> examples() throws IOException {
        String doc = Files.readString(Path.of("..", "docs", "scenarios.md"));
        int from = doc.indexOf(SECTION);
        assertThat(from).as("docs/scenarios.md has the section").isGreaterThanOrEqualTo(0);
        int to = doc.indexOf("\n## ", from + SECTION.length());
        String section = doc.substring(from, to < 0 ? doc.length() : to);
        List<String> blocks = new ArrayList<>();
        for (int i = section.indexOf("```yaml\n"); i >= 0; i = section.indexOf("```yaml\n", i + 1)) {
            int end = section.indexOf("\n```", i + 8);
            blocks.add(section.substring(i + 8, end + 1));
        }
        assertThat(blocks).hasSizeGreaterThanOrEqualTo(6);
        return blocks.stream();
    }

    @ParameterizedTest
    @MethodSource("examples")
    void theDocumentedExamplePasses(String yaml) {
        assertThat(ScenarioHarness.run("scenarios.md", yaml, dir)).as(yaml).isNull();
    }
}
