package org.pagelab.sweep;

import java.io.Serializable;
import java.util.List;

/**
 * What one point's run gave: the point (its index in the sweep, canonical values, seed), how it
 * ended, and the value of every {@link Metric}, in column order.
 *
 * @param point   the point's index in its sweep
 * @param values  the point's canonical value of each axis, in axis order
 * @param seed    the seed of its run
 * @param status  {@value #OK}, or "failed: " and why the workload stopped early (a scenario step that
 *                failed, a swap file that could not be turned on); the metrics are then the
 *                machine's at that moment
 * @param metrics one value per {@link Metric}, in order
 */
public record PointResult(int point, List<String> values, long seed, String status, List<Long> metrics)
        implements Serializable {
    /** The status of a point whose workload ran to its end. */
    public static final String OK = "ok";

    public PointResult {
        values = List.copyOf(values);
        metrics = List.copyOf(metrics);
        if (metrics.size() != Metric.values().length) {
            throw new IllegalArgumentException("a result has " + metrics.size() + " metrics, not "
                    + Metric.values().length);
        }
    }

    /** The same result at index {@code index} (of another list of the same sweep's points). */
    public PointResult at(int index) {
        return index == point ? this : new PointResult(index, values, seed, status, metrics);
    }

    /** Whether the workload ran to its end. */
    public boolean ok() {
        return status.equals(OK);
    }

    /** The sum of the metrics at {@code columns} (from {@link Metric#parseSum}). */
    public long sum(int[] columns) {
        long s = 0;
        for (int c : columns) {
            s += metrics.get(c);
        }
        return s;
    }
}
