package org.pagelab.phys;

import java.util.function.Supplier;

/**
 * The allocator's call out to compaction, the kernel's __alloc_pages_direct_compact: the core
 * allocator runs without compaction ({@link #NONE}); the machine installs the compaction
 * subsystem's implementation.
 */
public interface CompactionHook {
    /** What a direct compaction came to: the zone the allocation can now take its block from (or null), and why. */
    record Outcome(Zone zone, CompactResult result) {
    }

    /** No compaction: every attempt is skipped. */
    CompactionHook NONE = (req, retry) -> new Outcome(null, CompactResult.SKIPPED);

    /**
     * Compacts the zones {@code req} may use, asynchronously, then asks {@code retry} for a zone
     * that can now satisfy it (get_page_from_freelist); counts compact_stall, compact_success and
     * compact_fail when compaction ran.
     */
    Outcome directCompact(AllocRequest req, Supplier<Zone> retry);
}
