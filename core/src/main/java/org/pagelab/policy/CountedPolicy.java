package org.pagelab.policy;

/**
 * What every policy shares, the built-in ones ({@link AbstractPolicy}) and one's own
 * ({@link PolicyBase}): its name, its capacity, and the hit and miss counts its access loop keeps.
 * Invariant: {@code stats().accesses() == hits + misses}.
 */
abstract class CountedPolicy implements CachePolicy {
    private final String name;
    final int capacity;
    long hits;
    long misses;

    /** Requires: {@code capacity >= 1}. */
    CountedPolicy(String name, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException(name + ": capacity must be at least 1 page, got " + capacity);
        }
        this.name = name;
        this.capacity = capacity;
    }

    @Override
    public final int capacity() {
        return capacity;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final PolicyStats stats() {
        return new PolicyStats(name, capacity, hits + misses, hits, misses);
    }
}
