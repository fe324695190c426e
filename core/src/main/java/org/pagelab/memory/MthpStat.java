package org.pagelab.memory;

import java.util.Locale;

/**
 * The per-size counters of /sys/kernel/mm/transparent_hugepage/hugepages-&lt;N&gt;kB/stats/ (the
 * kernel's enum mthp_stat_item), one file each, named as the constant in lower case.
 */
public enum MthpStat {
    /** An anonymous fault got a folio of this size. */
    ANON_FAULT_ALLOC,
    /** An anonymous fault tried this size and fell back to a smaller one (no block, or no charge). */
    ANON_FAULT_FALLBACK,
    /** The fall-back happened because the memory cgroup refused the charge (counted with the above). */
    ANON_FAULT_FALLBACK_CHARGE,
    /** A folio of this size was swapped out whole (for 2 MiB: thp_swpout; see {@link MthpSettings#stat}). */
    SWPOUT,
    /** A folio of this size was split before swap-out because no run of swap slots could be had. */
    SWPOUT_FALLBACK;

    /** The file's name under stats/. */
    public String fileName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
