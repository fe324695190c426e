package org.pagelab.sweep;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Something that runs the points of a sweep: {@link LocalEngine} on this JVM's threads, or another
 * engine found through {@link Factory} (Apache Spark, in module sweep-spark). Every engine runs
 * each point with {@link PointRunner}, so the results are the same whatever runs them.
 */
public interface SweepEngine extends AutoCloseable {
    /** The engine's name, as {@code --engine} takes it. */
    String name();

    /**
     * Runs every point of {@code todo}; as each finishes, hands its result or error to
     * {@code listener} (from any thread, one call at a time per point). Returns when every point
     * has been handed over.
     */
    void run(SweepSpec spec, List<Point> todo, Listener listener) throws InterruptedException;

    /** Writes what this engine adds to a results directory, given every result in point order. */
    default void writeResults(SweepSpec spec, List<PointResult> results, Path dir) throws IOException {
    }

    @Override
    default void close() {
    }

    /** What an engine reports as points finish; implementations are thread-safe. */
    interface Listener {
        /** Point {@code r.point()} ran and gave {@code r}. */
        void finished(PointResult r);

        /** Point {@code p} could not give a result: an internal error, {@code error} saying what. */
        void failed(Point p, String error);
    }

    /** Makes engines of one kind; listed in META-INF/services for {@link java.util.ServiceLoader}. */
    interface Factory {
        /** The engine's name. */
        String name();

        /**
         * An engine configured by {@code options} (engine-specific; the Spark engine takes "master" and
         * Spark settings by their own names). Throws {@link IllegalArgumentException} naming a bad option.
         */
        SweepEngine create(Map<String, String> options);
    }
}
