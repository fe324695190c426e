package org.pagelab.stat;

import java.util.Locale;

/**
 * The counters of /proc/vmstat that pagelab maintains, in the order the kernel prints them
 * (mm/vmstat.c vmstat_text): zone state, then node state, then events. Each constant's name,
 * lower-cased, is the kernel's counter name. Subsystems add their counters here, in kernel order,
 * when they start maintaining them; nothing is listed that nothing counts.
 */
public enum VmItem {
    // zone state (summed over zones)
    NR_FREE_PAGES(Kind.ZONE),
    // node state
    NR_INACTIVE_ANON(Kind.NODE),
    NR_ACTIVE_ANON(Kind.NODE),
    NR_INACTIVE_FILE(Kind.NODE),
    NR_ACTIVE_FILE(Kind.NODE),
    NR_UNEVICTABLE(Kind.NODE),
    NR_SLAB_RECLAIMABLE(Kind.NODE),
    NR_SLAB_UNRECLAIMABLE(Kind.NODE),
    WORKINGSET_NODES(Kind.NODE),
    WORKINGSET_REFAULT_ANON(Kind.NODE),
    WORKINGSET_REFAULT_FILE(Kind.NODE),
    WORKINGSET_ACTIVATE_ANON(Kind.NODE),
    WORKINGSET_ACTIVATE_FILE(Kind.NODE),
    WORKINGSET_RESTORE_ANON(Kind.NODE),
    WORKINGSET_RESTORE_FILE(Kind.NODE),
    NR_ANON_PAGES(Kind.NODE),
    NR_MAPPED(Kind.NODE),
    NR_FILE_PAGES(Kind.NODE),
    NR_DIRTY(Kind.NODE),
    NR_WRITEBACK(Kind.NODE),
    NR_SHMEM(Kind.NODE),
    /** PMD-sized page-cache folios (NR_FILE_THPS), kept in huge pages as vmstat prints it. */
    NR_FILE_HUGEPAGES(Kind.NODE),
    /** PMD-sized page-cache folios some PMD maps (NR_FILE_PMDMAPPED), in huge pages. */
    NR_FILE_PMDMAPPED(Kind.NODE),
    NR_ANON_TRANSPARENT_HUGEPAGES(Kind.NODE),
    NR_VMSCAN_WRITE(Kind.NODE),
    NR_VMSCAN_IMMEDIATE_RECLAIM(Kind.NODE),
    NR_DIRTIED(Kind.NODE),
    NR_WRITTEN(Kind.NODE),
    NR_FOLL_PIN_ACQUIRED(Kind.NODE),
    NR_FOLL_PIN_RELEASED(Kind.NODE),
    NR_PAGE_TABLE_PAGES(Kind.NODE),
    NR_SWAPCACHED(Kind.NODE),
    // events
    PGPGIN(Kind.EVENT),
    PGPGOUT(Kind.EVENT),
    PSWPIN(Kind.EVENT),
    PSWPOUT(Kind.EVENT),
    PGALLOC_DMA32(Kind.EVENT),
    PGALLOC_NORMAL(Kind.EVENT),
    ALLOCSTALL_DMA32(Kind.EVENT),
    ALLOCSTALL_NORMAL(Kind.EVENT),
    ALLOCSTALL_MOVABLE(Kind.EVENT),
    PGFREE(Kind.EVENT),
    PGACTIVATE(Kind.EVENT),
    PGDEACTIVATE(Kind.EVENT),
    PGFAULT(Kind.EVENT),
    PGMAJFAULT(Kind.EVENT),
    PGREFILL(Kind.EVENT),
    PGREUSE(Kind.EVENT),
    PGSTEAL_KSWAPD(Kind.EVENT),
    PGSTEAL_DIRECT(Kind.EVENT),
    PGSCAN_KSWAPD(Kind.EVENT),
    PGSCAN_DIRECT(Kind.EVENT),
    PGSCAN_ANON(Kind.EVENT),
    PGSCAN_FILE(Kind.EVENT),
    PGSTEAL_ANON(Kind.EVENT),
    PGSTEAL_FILE(Kind.EVENT),
    PGINODESTEAL(Kind.EVENT),
    PAGEOUTRUN(Kind.EVENT),
    PGROTATED(Kind.EVENT),
    DROP_PAGECACHE(Kind.EVENT),
    DROP_SLAB(Kind.EVENT),
    OOM_KILL(Kind.EVENT),
    PGMIGRATE_SUCCESS(Kind.EVENT),
    PGMIGRATE_FAIL(Kind.EVENT),
    THP_MIGRATION_SUCCESS(Kind.EVENT),
    THP_MIGRATION_FAIL(Kind.EVENT),
    COMPACT_MIGRATE_SCANNED(Kind.EVENT),
    COMPACT_FREE_SCANNED(Kind.EVENT),
    COMPACT_ISOLATED(Kind.EVENT),
    COMPACT_STALL(Kind.EVENT),
    COMPACT_FAIL(Kind.EVENT),
    COMPACT_SUCCESS(Kind.EVENT),
    COMPACT_DAEMON_WAKE(Kind.EVENT),
    COMPACT_DAEMON_MIGRATE_SCANNED(Kind.EVENT),
    COMPACT_DAEMON_FREE_SCANNED(Kind.EVENT),
    UNEVICTABLE_PGS_CULLED(Kind.EVENT),
    UNEVICTABLE_PGS_RESCUED(Kind.EVENT),
    THP_FAULT_ALLOC(Kind.EVENT),
    THP_FAULT_FALLBACK(Kind.EVENT),
    THP_FAULT_FALLBACK_CHARGE(Kind.EVENT),
    THP_COLLAPSE_ALLOC(Kind.EVENT),
    THP_COLLAPSE_ALLOC_FAILED(Kind.EVENT),
    THP_FILE_MAPPED(Kind.EVENT),
    THP_SPLIT_PAGE(Kind.EVENT),
    THP_SPLIT_PAGE_FAILED(Kind.EVENT),
    THP_DEFERRED_SPLIT_PAGE(Kind.EVENT),
    THP_SPLIT_PMD(Kind.EVENT),
    THP_SCAN_EXCEED_NONE_PTE(Kind.EVENT),
    THP_SCAN_EXCEED_SWAP_PTE(Kind.EVENT),
    THP_SCAN_EXCEED_SHARE_PTE(Kind.EVENT),
    THP_ZERO_PAGE_ALLOC(Kind.EVENT),
    THP_ZERO_PAGE_ALLOC_FAILED(Kind.EVENT),
    THP_SWPOUT(Kind.EVENT),
    THP_SWPOUT_FALLBACK(Kind.EVENT),
    SWAP_RA(Kind.EVENT),
    SWAP_RA_HIT(Kind.EVENT);

    /** Which table of the kernel the counter belongs to. */
    public enum Kind {
        /** A per-zone state item (vm_zone_stat). */
        ZONE,
        /** A per-node state item (vm_node_stat). */
        NODE,
        /** A cumulative event counter (vm_event_states). */
        EVENT
    }

    private final Kind kind;
    private final String kernelName;

    VmItem(Kind kind) {
        this.kind = kind;
        this.kernelName = name().toLowerCase(Locale.ROOT);
    }

    public Kind kind() {
        return kind;
    }

    /** The counter's name in /proc/vmstat. */
    public String kernelName() {
        return kernelName;
    }

    private static final java.util.Map<String, VmItem> BY_NAME = new java.util.HashMap<>();

    static {
        for (VmItem i : values()) {
            BY_NAME.put(i.kernelName, i);
        }
    }

    /** The item printed as {@code name} in /proc/vmstat, or null when pagelab has no such counter. */
    public static VmItem byKernelName(String name) {
        return BY_NAME.get(name);
    }
}
