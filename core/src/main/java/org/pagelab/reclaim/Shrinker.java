package org.pagelab.reclaim;

import java.util.function.IntPredicate;

/**
 * A shrinker (include/linux/shrinker.h): a cache of kernel objects that reclaim asks to give
 * memory back in proportion to its own scan pressure. {@link Shrinkers} drives them as
 * shrink_slab does. A memcg-aware shrinker (SHRINKER_MEMCG_AWARE) keeps its objects per memory
 * cgroup and is asked about one cgroup's at a time; the others are asked only for the root.
 */
public interface Shrinker {
    /** The shrinker's name, for dumps and errors. */
    String name();

    /**
     * count_objects: how many objects could be freed now (0 when none), counting, for a
     * memcg-aware shrinker, only objects charged to a memory cgroup id {@code inMemcg} accepts.
     */
    long countObjects(IntPredicate inMemcg);

    /** scan_objects: tries to free up to {@code nrToScan} objects of those; returns how many were freed. */
    long scanObjects(long nrToScan, IntPredicate inMemcg);

    /** SHRINKER_MEMCG_AWARE: whether the objects are kept and shrunk per memory cgroup. */
    default boolean memcgAware() {
        return false;
    }

    /** The shrinker's seeks: the cost of recreating an object, DEFAULT_SEEKS (2) unless overridden. */
    default int seeks() {
        return Shrinkers.DEFAULT_SEEKS;
    }
}
