package org.pagelab.sim;

import java.util.Arrays;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The CPU costs of one run: nanoseconds per {@link CpuEvent}. Immutable; {@link #DEFAULT} holds the
 * documented defaults, {@link #with} and {@link #parse} derive variants.
 */
public final class CostModel {
    /** Every event at its {@link CpuEvent#defaultNs() default}. */
    public static final CostModel DEFAULT = new CostModel(defaults());

    private final long[] ns;

    private CostModel(long[] ns) {
        this.ns = ns;
    }

    private static long[] defaults() {
        long[] d = new long[CpuEvent.values().length];
        for (CpuEvent e : CpuEvent.values()) {
            d[e.ordinal()] = e.defaultNs();
        }
        return d;
    }

    /** A model in which every event costs {@code ns} nanoseconds (for tests and what-if runs). */
    public static CostModel uniform(long ns) {
        if (ns < 0) {
            throw new IllegalArgumentException("cost model: negative cost " + ns);
        }
        long[] d = new long[CpuEvent.values().length];
        Arrays.fill(d, ns);
        return new CostModel(d);
    }

    /** Nanoseconds one {@code event} costs. */
    public long ns(CpuEvent event) {
        return ns[event.ordinal()];
    }

    /** This model with {@code event} costing {@code nanos}. Requires: {@code nanos >= 0}. */
    public CostModel with(CpuEvent event, long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("cost model: " + event.key() + " cost " + nanos + " is negative");
        }
        long[] d = ns.clone();
        d[event.ordinal()] = nanos;
        return new CostModel(d);
    }

    /**
     * This model with the overrides of {@code spec}, comma-separated {@code key=duration} pairs
     * whose keys are {@link CpuEvent#key()}s: {@code "fault=1.2us,zero=300ns"}. Bad input throws
     * IllegalArgumentException naming the key and value.
     */
    public CostModel parse(String spec) {
        CostModel m = this;
        for (Map.Entry<String, String> p : Units.pairs("cost model", spec).entrySet()) {
            CpuEvent e = CpuEvent.byKey(p.getKey());
            if (e == null) {
                StringJoiner keys = new StringJoiner(", ");
                for (CpuEvent k : CpuEvent.values()) {
                    keys.add(k.key());
                }
                throw new IllegalArgumentException("cost model: unknown key \"" + p.getKey() + "\" (known: " + keys + ")");
            }
            m = m.with(e, Units.durationNs("cost model", e.key(), p.getValue()));
        }
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CostModel c && Arrays.equals(ns, c.ns);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(ns);
    }

    /** The model as an override string that {@link #parse} reads back. */
    @Override
    public String toString() {
        StringJoiner j = new StringJoiner(",");
        for (CpuEvent e : CpuEvent.values()) {
            j.add(e.key() + "=" + ns[e.ordinal()] + "ns");
        }
        return j.toString();
    }
}
