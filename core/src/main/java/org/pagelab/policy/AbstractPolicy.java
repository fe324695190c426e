package org.pagelab.policy;

/**
 * What every policy here shares: its name, capacity and hit/miss counters, and the checks that
 * do not depend on the policy ({@code size <= capacity}, {@code accesses == hits + misses}).
 */
abstract sealed class AbstractPolicy implements CachePolicy
        permits LruPolicy, FifoPolicy, ClockPolicy, ArcPolicy, S3FifoPolicy, TwoListCachePolicy, OptPolicy {

    private final String name;
    final int capacity;
    long hits;
    long misses;

    /** Requires: {@code capacity >= 1}. */
    AbstractPolicy(String name, int capacity) {
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

    /** Throws {@link IllegalStateException} with the policy's name unless {@code ok}. */
    final void require(boolean ok, String invariant) {
        if (!ok) {
            throw new IllegalStateException(name + " (capacity " + capacity + ", size " + size()
                    + "): invariant broken: " + invariant);
        }
    }

    /** The checks shared by all policies; subclasses call it first. */
    void checkCommon(int mapped, int linked) {
        require(size() <= capacity, "size <= capacity");
        require(size() >= 0, "size >= 0");
        require(mapped == linked, "mapped keys (" + mapped + ") == linked nodes (" + linked + ")");
    }
}
