package org.pagelab.workingset;

/**
 * Where {@link Workingset} reports its {@link WorkingsetEvent}s. The machine forwards them to its
 * vmstat counters; tests use {@link WorkingsetEventCounts}.
 */
@FunctionalInterface
public interface WorkingsetEventSink {
    /** A sink that drops every event. */
    WorkingsetEventSink NONE = (event, nrPages) -> {
    };

    /** Records that {@code event} happened to {@code nrPages} pages. Requires: {@code nrPages >= 0}. */
    void count(WorkingsetEvent event, long nrPages);
}
