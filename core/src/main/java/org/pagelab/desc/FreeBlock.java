package org.pagelab.desc;

/**
 * A block of 2^order free frames on a buddy free list (the kernel's PageBuddy head page).
 *
 * <p>In the {@link Memmap} only the block's first frame points at it; the other frames hold no
 * owner, and {@link Memmap#owner(int)} finds the covering block by looking at aligned heads. This
 * is what lets the buddy allocator split and merge in O(order) instead of O(2^order).
 */
public final class FreeBlock extends MemDesc {
    private final int zone;
    /** The free list (migratetype ordinal) the block is on: its pageblock's type, unless stolen. */
    private int listType;

    /** A free block of zone index {@code zone}. */
    public FreeBlock(int pfn, int order, int zone) {
        super(pfn, order);
        this.zone = zone;
    }

    /** Index of the zone whose free lists hold this block. */
    public int zone() {
        return zone;
    }

    /** Ordinal of the migratetype whose free list holds the block (see {@code org.pagelab.phys.MigrateType}). */
    public int listType() {
        return listType;
    }

    /** Records the free list the block is now on; only the zone's free lists call this. */
    public void setListType(int t) {
        this.listType = t;
    }

    @Override
    public String kind() {
        return "free";
    }

    @Override
    protected String describeState() {
        return " zone=" + zone;
    }
}
