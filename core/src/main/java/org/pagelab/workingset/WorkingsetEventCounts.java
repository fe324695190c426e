package org.pagelab.workingset;

/** A {@link WorkingsetEventSink} that keeps one total per event. */
public final class WorkingsetEventCounts implements WorkingsetEventSink {
    private final long[] counts = new long[WorkingsetEvent.values().length];

    @Override
    public void count(WorkingsetEvent event, long nrPages) {
        if (nrPages < 0) {
            throw new IllegalArgumentException("event " + event.kernelName() + " counted " + nrPages + " pages");
        }
        counts[event.ordinal()] += nrPages;
    }

    /** The pages counted for {@code event} so far. */
    public long get(WorkingsetEvent event) {
        return counts[event.ordinal()];
    }
}
