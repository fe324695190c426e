package org.pagelab.sim;

/**
 * One interval in which a task was stalled, {@code [startNs, endNs)} of simulated time.
 * Requires: {@code startNs <= endNs}.
 */
public record Stall(StallKind kind, long startNs, long endNs) {
    public Stall {
        if (startNs > endNs) {
            throw new IllegalArgumentException("stall " + kind + " ends at " + endNs + " before its start " + startNs);
        }
    }

    public long lengthNs() {
        return endNs - startNs;
    }
}
