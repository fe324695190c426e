package org.pagelab.sweep;

import java.io.Serializable;
import java.util.List;
import java.util.function.UnaryOperator;

/** What every point of a sweep runs: a scenario, or traces replayed on a data-less machine. */
public sealed interface Workload extends Serializable {
    /** One line saying what runs, for reports. */
    String describe();

    /**
     * A scenario file, carried as its text so that a point can run where the file is not (a Spark
     * executor); {@code source} names it in messages.
     */
    record ScenarioFile(String source, String text) implements Workload {
        @Override
        public String describe() {
            return "scenario " + source;
        }
    }

    /** Traces as {@code FORMAT:PATH} specs with absolute paths, replayed one after another. */
    record Traces(List<String> specs) implements Workload {
        public Traces {
            specs = List.copyOf(specs);
        }

        @Override
        public String describe() {
            return "traces " + String.join(" ", specs);
        }

        /** The path of each spec. */
        public List<String> paths() {
            return specs.stream().map(s -> s.substring(s.indexOf(':') + 1)).toList();
        }

        /** The same traces with every path mapped through {@code where} (to a copy on another host). */
        public Traces relocated(UnaryOperator<String> where) {
            return new Traces(specs.stream().map(s -> s.substring(0, s.indexOf(':') + 1)
                    + where.apply(s.substring(s.indexOf(':') + 1))).toList());
        }
    }
}
