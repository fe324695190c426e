package org.pagelab.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The writer is the parser's inverse: every example, written and read back, is the same scenario. */
class ScenarioWriterTest {
    static Stream<Path> examples() throws IOException {
        return Files.list(Path.of("..", "examples")).filter(p -> p.toString().endsWith(".yaml")).sorted();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void everyExampleWrittenAndReadBackIsTheSameScenario(Path example) throws IOException {
        Scenario s = Scenario.load(example);
        String text = ScenarioWriter.write(s, List.of("from " + example.getFileName()));
        Scenario back = Scenario.parse(example.toString(), text);
        assertThat(ScenarioWriter.write(back, List.of())).as(text).isEqualTo(ScenarioWriter.write(s, List.of()));
        assertThat(back.processes().size()).isEqualTo(s.processes().size());
        assertThat(back.sizing().memTotal()).isEqualTo(s.sizing().memTotal());
        assertThat(back.files().stream().map(Scenario.FileSpec::name).toList())
                .isEqualTo(s.files().stream().map(Scenario.FileSpec::name).toList());
    }
}
