package org.pagelab.phys;

/**
 * The mobility of a pageblock's pages (the kernel's MIGRATE_UNMOVABLE, MIGRATE_MOVABLE and
 * MIGRATE_RECLAIMABLE; pagelab has no CMA, isolation or high-atomic reserve). Every pageblock of a
 * zone has one; a free block sits on the free list of one type, which is its pageblock's type
 * unless an allocation stole it for another (mm/page_alloc.c, "anti-fragmentation").
 */
public enum MigrateType {
    /** Kernel memory that cannot move: page tables, most slab, kernel stacks. */
    UNMOVABLE,
    /** User memory: anonymous and page-cache folios, which reclaim or migration can move. */
    MOVABLE,
    /** Slab whose objects a shrinker can free (dentries, inodes). */
    RECLAIMABLE;

    private static final MigrateType[] VALUES = values();

    /** The kernel's fallbacks[]: the types an allocation of this type steals from, in order. */
    public MigrateType[] fallbacks() {
        return switch (this) {
            case UNMOVABLE -> new MigrateType[] {RECLAIMABLE, MOVABLE};
            case MOVABLE -> new MigrateType[] {RECLAIMABLE, UNMOVABLE};
            case RECLAIMABLE -> new MigrateType[] {UNMOVABLE, MOVABLE};
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
        };
    }
}
