package org.pagelab.semantics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.pagelab.machine.Machine;
import org.pagelab.scenario.Scenario;
import org.pagelab.scenario.ScenarioRunner;

/**
 * Runs a scenario text on a machine it describes (data mode, 64 MiB unless the text says), checks
 * every invariant of the machine afterwards, and returns the run's failure (null when every step
 * passed).
 */
final class ScenarioHarness {
    private ScenarioHarness() {
    }

    static ScenarioRunner.Failure run(String name, String yaml, Path workdir) {
        return run(name, yaml, workdir, m -> { });
    }

    /** {@link #run(String, String, Path)}, handing each mark step's snapshot to {@code marks}. */
    static ScenarioRunner.Failure run(String name, String yaml, Path workdir,
                                      java.util.function.Consumer<ScenarioRunner.Mark> marks) {
        Scenario s = Scenario.parse(name, yaml);
        try (Machine m = Machine.boot(s.sizing().physConfig(name, s.memory() == null ? 64L << 20 : s.memory(), 64L << 20, true),
                workdir, s.simConfig(2))) {
            ScenarioRunner.Failure f = ScenarioRunner.run(m, s, s.seed() == null ? 1 : s.seed(), marks);
            m.check();
            return f;
        }
    }

    /**
     * Runs {@code yaml}, the scenario of case {@code c} on setup {@code s} of a matrix
     * ({@link EnumProduct}), and requires every step to pass; a failure names both and shows the text.
     */
    static void assertPasses(Object c, Object s, String yaml, Path workdir) {
        assertThat(run(c + "-" + s + ".yaml", yaml, workdir)).as("%s with %s:\n%s", c, s, yaml).isNull();
    }
}
