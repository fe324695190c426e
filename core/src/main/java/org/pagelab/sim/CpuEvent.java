package org.pagelab.sim;

/**
 * A CPU event that costs simulated time, with its default cost on a modern x86 core (about 3–4 GHz,
 * 2020s server or desktop part). Every figure is an estimate of the mean cost of the kernel path
 * named, not a measurement taken by pagelab; where a published or commonly quoted figure informed
 * it, the Javadoc says which. {@link CostModel} holds the costs a run uses.
 */
public enum CpuEvent {
    /**
     * Exception entry and exit plus handle_mm_fault's walk and bookkeeping for one page fault,
     * excluding allocation, zeroing and copying, which are charged separately. Estimate: a native
     * anonymous write fault costs about 1.6 µs on this kind of machine (DESIGN.md), of which
     * zeroing and allocation are about 0.4 µs; exception entry/exit alone is a few hundred ns.
     */
    FAULT("fault", 1_000),
    /**
     * clear_page of one 4 KiB page. Estimate: {@code rep stosb} stores at roughly 15–30 GB/s into
     * the cache on current cores, so 4 KiB takes about 150–270 ns.
     */
    ZERO_PAGE("zero", 250),
    /**
     * copy_page (COW) or copy_to_user/copy_from_user of 4 KiB. Estimate: twice the traffic of
     * zeroing (read plus write), about 8–10 GB/s when the source is not cached.
     */
    COPY_PAGE("copy", 500),
    /**
     * One buddy-allocator allocation or free of an order-0 page including the memcg charge.
     * Estimate: per-cpu list hits cost about 100 ns; the zone lock path a few hundred.
     */
    PAGE_ALLOC("alloc", 150),
    /**
     * One page-cache or swap-cache lookup (an xarray walk under RCU). Estimate: three to four
     * levels of radix-tree nodes, mostly cache hits: 30–60 ns.
     */
    CACHE_LOOKUP("lookup", 50),
    /**
     * One access to a page whose PTE is present and permits it: the load or store itself plus the
     * amortised share of TLB misses. Estimate: an L2/L3 hit costs 4–40 cycles and a page walk on a
     * TLB miss 20–30 ns; one trace record usually stands for several accesses to its page.
     */
    TOUCH("touch", 10),
    /**
     * Reclaim's cost of scanning one folio: isolating it from the LRU, checking its references
     * through rmap and deciding (shrink_folio_list per folio, excluding unmapping and I/O).
     * Estimate: commonly quoted reclaim rates of 1–3 million pages per second per core.
     */
    RECLAIM_SCAN("scan", 300),
    /**
     * Clearing one PTE that maps a page being unmapped (try_to_unmap_one, zap_pte_range) with the
     * local TLB invalidation. Estimate: invlpg costs 100–200 cycles; remote TLB shootdowns
     * (IPIs, several µs) are not modelled.
     */
    UNMAP_PTE("unmap", 150),
    /**
     * A system call's entry and exit (read, write, mmap, madvise ...), excluding the work it does.
     * Estimate: about 100 ns on current cores with the usual speculation mitigations.
     */
    SYSCALL("syscall", 100),
    /**
     * Examining one PTE in a page-table walk of reclaim (MGLRU's aging walk and look-around):
     * reading the entry and testing its accessed bit. Estimate: eight entries share a cache line
     * and the walk streams through them, so a few ns each; the young ones' generation updates are
     * cheap flag writes and are included.
     */
    PTE_WALK("ptwalk", 5);

    private final String key;
    private final long defaultNs;

    CpuEvent(String key, long defaultNs) {
        this.key = key;
        this.defaultNs = defaultNs;
    }

    /** The name of this event in override strings ({@code fault=1.2us}). */
    public String key() {
        return key;
    }

    /** The default cost in nanoseconds. */
    public long defaultNs() {
        return defaultNs;
    }

    /** The event whose {@link #key()} is {@code key}, or null. */
    static CpuEvent byKey(String key) {
        for (CpuEvent e : values()) {
            if (e.key.equals(key)) {
                return e;
            }
        }
        return null;
    }
}
