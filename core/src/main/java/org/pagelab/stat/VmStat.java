package org.pagelab.stat;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The machine's vmstat counters: one {@code long} per {@link VmItem}. State items go up and down
 * with the state they count and are checked against recounts by the checkers; events only grow.
 * For pgpgin and pgpgout the unit is KiB, as the kernel prints them.
 */
public final class VmStat {
    private final long[] values = new long[VmItem.values().length];

    /** Adds {@code delta} to {@code item}. Events may only grow. */
    public void add(VmItem item, long delta) {
        if (item.kind() == VmItem.Kind.EVENT && delta < 0) {
            throw new IllegalArgumentException("event counter " + item.kernelName() + " decremented by " + delta);
        }
        values[item.ordinal()] += delta;
    }

    /** Adds one to event {@code item}. */
    public void inc(VmItem item) {
        add(item, 1);
    }

    public long get(VmItem item) {
        return values[item.ordinal()];
    }

    /** All counters in kernel order, keyed by kernel name. */
    public Map<String, Long> snapshot() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (VmItem i : VmItem.values()) {
            m.put(i.kernelName(), values[i.ordinal()]);
        }
        return m;
    }
}
