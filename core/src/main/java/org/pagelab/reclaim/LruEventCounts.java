package org.pagelab.reclaim;

/** An {@link LruEventSink} that keeps one total per event. */
public final class LruEventCounts implements LruEventSink {
    private final long[] counts = new long[LruEvent.values().length];

    @Override
    public void count(LruEvent event, long nrPages) {
        if (nrPages < 0) {
            throw new IllegalArgumentException("event " + event.kernelName() + " counted " + nrPages + " pages");
        }
        counts[event.ordinal()] += nrPages;
    }

    /** The pages counted for {@code event} so far. */
    public long get(LruEvent event) {
        return counts[event.ordinal()];
    }
}
