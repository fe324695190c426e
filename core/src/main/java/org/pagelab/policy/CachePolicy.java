package org.pagelab.policy;

/**
 * A fixed-capacity page-cache replacement policy over long keys (page numbers), for policy-only
 * studies: every access either hits a resident key or misses, inserts the key and, when the
 * cache is full, evicts one resident key chosen by the policy. Nothing else competes for memory.
 *
 * <p>Implementations keep their hot data in primitive arrays ({@link LongIntMap} and intrusive
 * int-indexed lists); {@link #check()} recomputes their invariants and throws
 * {@link IllegalStateException} with a description when one is broken.
 */
public interface CachePolicy {

    /**
     * Accesses {@code key}: returns true on a hit; on a miss inserts the key, evicting one resident
     * key first if the cache is full. Counts the access in {@link #stats()}.
     */
    boolean access(long key);

    /**
     * Accesses every key of {@code keys[from, to)} in order and returns the hits among them.
     * Each implementation declares its own loop so that the call to {@link #access} stays
     * monomorphic when several policies run in one JVM. Requires: {@code 0 <= from <= to <= keys.length}.
     */
    long replay(long[] keys, int from, int to);

    /** The number of pages the cache holds when full. */
    int capacity();

    /** The registry name of the policy ({@link Policies}). */
    String name();

    /** The number of resident keys, at most {@link #capacity()}. */
    int size();

    /** The counts of accesses, hits and misses so far. */
    PolicyStats stats();

    /** Recomputes the policy's invariants; throws {@link IllegalStateException} naming the broken one. */
    void check();
}
