package org.pagelab.desc;

/**
 * Mappable memory: a naturally aligned block of 2^order frames managed as one unit, the kernel's
 * folio.
 *
 * <p>State shared by every folio: the {@linkplain FolioFlags flag word}, the reference count, the
 * map count, and the cache state that the page cache and the swap cache share ({@link #mapping()}
 * and {@link #index()}). LRU linkage uses the descriptor links of {@link MemDesc}.
 *
 * <p>Meaning of the counts, as in the kernel:
 * <ul>
 *   <li>{@code refcount}: one per page while in a cache (page cache or swap cache), one per page
 *       table entry mapping one of its pages, plus one for each temporary holder (isolation from the
 *       LRU, a get or pin). The folio returns to the allocator when it reaches zero.</li>
 *   <li>{@code mapcount}: the number of page table entries mapping any of its pages (the total
 *       mapcount of today's kernel, folio_mapcount); a PMD mapping counts once per page here.</li>
 *   <li>{@code entireMapcount}: the number of PMD entries mapping the whole folio
 *       (folio->_entire_mapcount), anonymous or file alike; kept in the large folio's tail.</li>
 * </ul>
 */
public abstract sealed class Folio extends MemDesc implements CacheEntry permits AnonFolio, FileFolio {
    private int flags;
    private int refcount;
    private int mapcount;
    /** What a large folio keeps beyond this (pin count, entire mapcount, per-page exclusive marks), or null. */
    private FolioTail tail;
    private FolioMapping mapping;
    private long index;
    private int memcgId;

    protected Folio(int pfn, int order) {
        super(pfn, order);
        this.refcount = 1;
    }

    // ---- flags ----

    /** The whole flag word (flags and reserved generation field). */
    public final int flagWord() {
        return flags;
    }

    public final boolean test(FolioFlags.Flag f) {
        return (flags & f.bit()) != 0;
    }

    public final void set(FolioFlags.Flag f) {
        flags |= f.bit();
    }

    public final void clear(FolioFlags.Flag f) {
        flags &= ~f.bit();
    }

    /** Sets {@code f} and returns whether it was already set (the kernel's folio_test_set_*). */
    public final boolean testAndSet(FolioFlags.Flag f) {
        boolean was = (flags & f.bit()) != 0;
        flags |= f.bit();
        return was;
    }

    /** Clears {@code f} and returns whether it was set (the kernel's folio_test_clear_*). */
    public final boolean testAndClear(FolioFlags.Flag f) {
        boolean was = (flags & f.bit()) != 0;
        flags &= ~f.bit();
        return was;
    }

    /** The generation field of the flag word. */
    public final int gen() {
        return FolioFlags.gen(flags);
    }

    /** Sets the generation field, keeping the flags. */
    public final void setGen(int gen) {
        flags = FolioFlags.pack(FolioFlags.flagBits(flags), gen);
    }

    // ---- reference and map counts ----

    public final int refcount() {
        return refcount;
    }

    /** Takes {@code n} references (folio_ref_add). Requires: the folio is live. */
    public final void refAdd(int n) {
        if (refcount <= 0 || isDead()) {
            throw new IllegalStateException("reference taken on a free folio: " + this);
        }
        refcount += n;
    }

    /**
     * Drops {@code n} references and returns the new count; the caller frees the folio at zero
     * (folio_ref_sub_and_test).
     */
    public final int refSub(int n) {
        if (refcount < n) {
            throw new IllegalStateException("refcount underflow by " + n + ": " + this);
        }
        refcount -= n;
        return refcount;
    }

    public final int mapcount() {
        return mapcount;
    }

    /** Whether any page table maps one of this folio's pages. */
    public final boolean mapped() {
        return mapcount > 0;
    }

    /** Adds {@code n} to the map count (negative to remove mappings). */
    public final void mapcountAdd(int n) {
        if (mapcount + n < 0) {
            throw new IllegalStateException("mapcount underflow by " + n + ": " + this);
        }
        mapcount += n;
    }

    /**
     * The folio's entire mapcount (folio->_entire_mapcount): how many huge PMD entries map it
     * whole, an anonymous folio or a page-cache one. Each such mapping is also counted 512 times
     * in {@link #mapcount()}, once per page, so the total stays the sum of per-page map counts.
     */
    public final int entireMapcount() {
        FolioTail t = tail();
        return t == null ? 0 : t.entireMapcount;
    }

    /** Adds {@code n} to the entire mapcount; it never goes negative. Requires: a large folio, unless {@code n} is 0. */
    public final void entireMapcountAdd(int n) {
        int v = entireMapcount() + n;
        if (v < 0) {
            throw new IllegalStateException("entire mapcount below zero: " + this);
        }
        if (n != 0) {
            tailForUpdate().entireMapcount = v;
        }
    }

    /**
     * GUP pins held on a large folio (the kernel's {@code folio->_pincount}); an order-0 folio
     * counts its pins in its refcount with a bias instead and keeps this at zero.
     */
    public final int pincount() {
        return tail == null ? 0 : tail.pincount;
    }

    /** References a GUP pin adds to an order-0 folio (GUP_PIN_COUNTING_BIAS); one at or above it may be pinned. */
    public static final int GUP_PIN_COUNTING_BIAS = 1024;

    /**
     * folio_maybe_dma_pinned: whether a GUP pin may hold this folio: a large folio has a pin
     * count, an order-0 one a refcount that reaches the pin bias.
     */
    public final boolean maybeDmaPinned() {
        return nrPages() > 1 ? pincount() > 0 : refcount() >= GUP_PIN_COUNTING_BIAS;
    }

    /** Adds {@code n} pins (negative to release). Requires: a large folio, the count stays >= 0. */
    public final void pincountAdd(int n) {
        if (order() == 0) {
            throw new IllegalStateException("pin count on an order-0 folio: " + this);
        }
        if (pincount() + n < 0) {
            throw new IllegalStateException("pincount underflow by " + n + ": " + this);
        }
        tailForUpdate().pincount += n;
    }

    /** The large-folio state, or null while none of it was set (always null on an order-0 folio). */
    final FolioTail tail() {
        return tail;
    }

    /** The large-folio state, made on first use. Requires: a large folio (an order-0 one has no tail pages). */
    final FolioTail tailForUpdate() {
        if (tail == null) {
            if (order() == 0) {
                throw new IllegalStateException("an order-0 folio has no tail pages: " + this);
            }
            tail = new FolioTail();
        }
        return tail;
    }

    /**
     * Gives a folio made by splitting {@code from} its flags and generation (the flag half of
     * __split_huge_page_tail). Requires: this folio is new, {@code from} is the folio split.
     */
    public final void inheritFlags(Folio from) {
        this.flags = from.flags;
    }

    // ---- cache state ----

    /** The cache this folio lives in, or null. */
    public final FolioMapping mapping() {
        return mapping;
    }

    /** Offset, in pages, of the folio's first page within its mapping. */
    public final long index() {
        return index;
    }

    /** Records that the folio now lives in {@code m} at {@code idx}; null {@code m} clears it. */
    public final void setCacheState(FolioMapping m, long idx) {
        this.mapping = m;
        this.index = m == null ? 0 : idx;
    }

    // ---- memory cgroup ----

    /**
     * The id of the memory cgroup this folio is charged to (folio->memcg_data), or 0 while it is
     * charged to none: set once at allocation by the charge hook, cleared when it is uncharged.
     */
    public final int memcgId() {
        return memcgId;
    }

    /** Records the charge of this folio to memory cgroup {@code id} (0: uncharged). */
    public final void setMemcgId(int id) {
        this.memcgId = id;
    }

    @Override
    protected String describeState() {
        return " ref=" + refcount + " map=" + mapcount + (pincount() == 0 ? "" : " pin=" + pincount())
                + (memcgId == 0 ? "" : " memcg=" + memcgId)
                + (mapping == null ? "" : " mapping=" + mapping.describeMapping() + " index=" + index)
                + " flags=" + FolioFlags.describe(flags) + (entireMapcount() == 0 ? "" : " entire=" + entireMapcount());
    }
}
