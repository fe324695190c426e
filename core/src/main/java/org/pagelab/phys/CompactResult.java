package org.pagelab.phys;

/**
 * What an attempt at compaction came to (the kernel's enum compact_result), in the kernel's order:
 * a later constant is further along, so the outcome over several zones is the greatest.
 */
public enum CompactResult {
    /** The zone is short of memory rather than fragmented (fragmentation index at or below the threshold). */
    NOT_SUITABLE_ZONE,
    /** Too little free memory for migration to have targets: reclaim first. */
    SKIPPED,
    /** Compaction of this zone failed recently for this order and is deferred. */
    DEFERRED,
    /** Compaction ran and no block of the order became free (not a final outcome). */
    NO_SUITABLE_PAGE,
    /** Compaction should go on. */
    CONTINUE,
    /** The scanners met: the whole zone was compacted without success. */
    COMPLETE,
    /** The scanners met on a part of the zone. */
    PARTIAL_SKIPPED,
    /**
     * The run stopped early: migration found no target because the free scanner met a free block
     * it could not take without the zone going below its min watermark (the kernel also returns
     * this for lock contention and fatal signals, which pagelab does not have).
     */
    CONTENDED,
    /** A free block of the order exists now. */
    SUCCESS;

    /** The greater (further along) of two outcomes. */
    public static CompactResult max(CompactResult a, CompactResult b) {
        return a.ordinal() >= b.ordinal() ? a : b;
    }
}
