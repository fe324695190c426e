package org.pagelab.phys;

/**
 * The mobility of a pageblock's pages (the kernel's MIGRATE_UNMOVABLE, MIGRATE_MOVABLE,
 * MIGRATE_RECLAIMABLE and MIGRATE_HIGHATOMIC; pagelab has no CMA or isolation). Every pageblock of a
 * zone has one; a free block sits on the free list of one type, which is its pageblock's type
 * unless an allocation stole it for another (mm/page_alloc.c, "anti-fragmentation").
 */
public enum MigrateType {
    /** Kernel memory that cannot move: page tables, most slab, kernel stacks. */
    UNMOVABLE,
    /** User memory: anonymous and page-cache folios, which reclaim or migration can move. */
    MOVABLE,
    /** Slab whose objects a shrinker can free (dentries, inodes). */
    RECLAIMABLE,
    /**
     * A pageblock reserved for high-order atomic allocations (reserve_highatomic_pageblock): no
     * other allocation takes from it, and no allocation falls back to it.
     */
    HIGHATOMIC;

    private static final MigrateType[] VALUES = values();

    /** The kernel's fallbacks[]: the types an allocation of this type steals from, in order. */
    public MigrateType[] fallbacks() {
        return switch (this) {
            case UNMOVABLE -> new MigrateType[] {RECLAIMABLE, MOVABLE};
            case MOVABLE -> new MigrateType[] {RECLAIMABLE, UNMOVABLE};
            case RECLAIMABLE -> new MigrateType[] {UNMOVABLE, MOVABLE};
            case HIGHATOMIC -> new MigrateType[0];
        };
    }

    /** The type of ordinal {@code i}. */
    public static MigrateType of(int i) {
        return VALUES[i];
    }

    /** The name /proc/pagetypeinfo gives the type. */
    public String kernelName() {
        return switch (this) {
            case UNMOVABLE -> "Unmovable";
            case MOVABLE -> "Movable";
            case RECLAIMABLE -> "Reclaimable";
            case HIGHATOMIC -> "HighAtomic";
        };
    }
}
