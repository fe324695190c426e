package org.pagelab.reclaim;

import java.util.Locale;

/**
 * The /proc/vmstat event counters that LRU maintenance bumps, each counted in pages. The scan and
 * steal counters (pgscan_*, pgsteal_*) are the reclaim driver's and are not listed here.
 */
public enum LruEvent {
    /** Pages moved from an inactive to an active list (folio_activate, activation after a check). */
    PGACTIVATE,
    /** Pages moved from an active to an inactive list (shrink_active_list, lru_deactivate). */
    PGDEACTIVATE,
    /** Pages scanned on the active lists by shrink_active_list. */
    PGREFILL,
    /** Pages moved to the tail of their inactive list when writeback finished (folio_rotate_reclaimable). */
    PGROTATED,
    /** Pages found unevictable when they entered the LRU (lru_add). */
    UNEVICTABLE_PGS_CULLED,
    /** Pages that were unevictable and became evictable when they re-entered the LRU (lru_add). */
    UNEVICTABLE_PGS_RESCUED;

    private final String kernelName = name().toLowerCase(Locale.ROOT);

    /** The counter's name in /proc/vmstat. */
    public String kernelName() {
        return kernelName;
    }
}
