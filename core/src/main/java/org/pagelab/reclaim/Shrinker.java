package org.pagelab.reclaim;

/**
 * A shrinker (include/linux/shrinker.h): a cache of kernel objects that reclaim asks to give
 * memory back in proportion to its own scan pressure. {@link Shrinkers} drives them as
 * shrink_slab does.
 */
public interface Shrinker {
    /** The shrinker's name, for dumps and errors. */
    String name();

    /** count_objects: how many objects could be freed now (0 when none). */
    long countObjects();

    /** scan_objects: tries to free up to {@code nrToScan} objects; returns how many were freed. */
    long scanObjects(long nrToScan);

    /** The shrinker's seeks: the cost of recreating an object, DEFAULT_SEEKS (2) unless overridden. */
    default int seeks() {
        return Shrinkers.DEFAULT_SEEKS;
    }
}
