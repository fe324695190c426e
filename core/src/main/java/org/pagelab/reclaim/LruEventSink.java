package org.pagelab.reclaim;

/**
 * Where a {@link ReclaimPolicy} reports its {@link LruEvent}s. The machine forwards them to its
 * vmstat counters; tests use {@link LruEventCounts}.
 */
@FunctionalInterface
public interface LruEventSink {
    /** A sink that drops every event. */
    LruEventSink NONE = (event, nrPages) -> {
    };

    /** Records that {@code event} happened to {@code nrPages} pages. Requires: {@code nrPages >= 0}. */
    void count(LruEvent event, long nrPages);
}
