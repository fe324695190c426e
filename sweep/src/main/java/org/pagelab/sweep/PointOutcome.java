package org.pagelab.sweep;

import java.io.Serializable;

/**
 * A point's result, or the internal error that kept it from having one: what an engine's task
 * hands back, so that one failing point does not stop the others.
 *
 * @param point  the point
 * @param result its result, or null when {@code error} is set
 * @param error  what went wrong, or null
 */
public record PointOutcome(Point point, PointResult result, String error) implements Serializable {
    /** Runs {@code p} of {@code spec} and catches what would otherwise end the engine's thread or task. */
    public static PointOutcome attempt(SweepSpec spec, Point p) {
        try {
            return new PointOutcome(p, PointRunner.run(spec, p), null);
        } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
            StackTraceElement[] at = e.getStackTrace();
            return new PointOutcome(p, null, e + (at.length > 0 ? " at " + at[0] : ""));
        }
    }

    /** Hands this outcome to {@code listener}. */
    public void deliver(SweepEngine.Listener listener) {
        if (result != null) {
            listener.finished(result);
        } else {
            listener.failed(point, error);
        }
    }
}
