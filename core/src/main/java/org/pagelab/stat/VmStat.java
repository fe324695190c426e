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
    private final java.util.function.LongSupplier[] bound = new java.util.function.LongSupplier[VmItem.values().length];

    /**
     * Makes {@code item} read its value from {@code source}, the structure that already counts it
     * (the LRU lists count their pages), instead of a stored counter that could drift from it.
     */
    public void bind(VmItem item, java.util.function.LongSupplier source) {
        bound[item.ordinal()] = source;
    }

    private java.util.function.ObjLongConsumer<VmItem> eventListener;

    /**
     * Makes every change counted from now on also reach {@code listener} (memory cgroups count
     * the events of their own tasks and lruvecs this way, workingset counts included, which the
     * kernel keeps as node state); null for none.
     */
    public void setEventListener(java.util.function.ObjLongConsumer<VmItem> listener) {
        this.eventListener = listener;
    }

    /** Adds {@code delta} to {@code item}. Events may only grow. */
    public void add(VmItem item, long delta) {
        if (item.kind() == VmItem.Kind.EVENT && delta < 0) {
            throw new IllegalArgumentException("event counter " + item.kernelName() + " decremented by " + delta);
        }
        if (bound[item.ordinal()] != null) {
            throw new IllegalStateException(item.kernelName() + " is read from its structure and cannot be added to");
        }
        values[item.ordinal()] += delta;
        if (eventListener != null && delta != 0) {
            eventListener.accept(item, delta);
        }
    }

    /** Adds one to event {@code item}. */
    public void inc(VmItem item) {
        add(item, 1);
    }

    public long get(VmItem item) {
        java.util.function.LongSupplier s = bound[item.ordinal()];
        return s != null ? s.getAsLong() : values[item.ordinal()];
    }

    /** All counters in kernel order, keyed by kernel name. */
    public Map<String, Long> snapshot() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (VmItem i : VmItem.values()) {
            m.put(i.kernelName(), get(i));
        }
        return m;
    }
}
