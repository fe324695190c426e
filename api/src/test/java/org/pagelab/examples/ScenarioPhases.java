package org.pagelab.examples;

import java.nio.file.Path;
import org.pagelab.api.Lab;
import org.pagelab.api.ScenarioRun;

/**
 * Runs a scenario file as {@code pagelab run FILE} does, and prints what each phase between two
 * mark steps read from and wrote to disk. The argument is the file (default: examples/file-phases.yaml,
 * run from the repository's top directory).
 */
public final class ScenarioPhases {
    public static void main(String[] args) {
        Path file = Path.of(args.length > 0 ? args[0] : "examples/file-phases.yaml");
        ScenarioRun run = Lab.runScenario(file);
        try (Lab lab = run.lab()) {
            if (run.failure() != null) {
                throw new AssertionError(run.failure());
            }
            ScenarioRun.Mark previous = null;
            for (ScenarioRun.Mark m : run.marks()) {
                if (previous != null) {
                    System.out.printf("%-7s -> %-7s %8.3f ms  pgpgin %7d kB  pgpgout %7d kB%n", previous.name(),
                            m.name(), (m.timeNs() - previous.timeNs()) / 1e6,
                            m.vmstat().get("pgpgin") - previous.vmstat().get("pgpgin"),
                            m.vmstat().get("pgpgout") - previous.vmstat().get("pgpgout"));
                }
                previous = m;
            }
            lab.check();
        }
    }
}
