package org.pagelab.lruvec;

import org.pagelab.desc.DescList;
import org.pagelab.desc.Folio;
import org.pagelab.desc.FolioFlags.Flag;

/**
 * The generations of one {@link LruVec} when the multi-generational LRU runs it, the kernel's
 * {@code struct lru_gen_folio} (include/linux/mmzone.h) with the list helpers of
 * include/linux/mm_inline.h: a list per (generation, type), the youngest sequence number
 * {@code maxSeq} shared by both types, the oldest {@code minSeq} of each type, the birth time of
 * each generation, and the refault feedback of each tier. The policy that ages and evicts is in
 * {@code org.pagelab.mglru}; this class holds the state and keeps its counts.
 *
 * <p>The generation a folio is on, and its tier, live in the 8-bit generation field of its flag
 * word ({@link Folio#gen()}):
 * <pre>
 *    7      5 4   3 2      0
 *   +--------+-----+--------+
 *   |  zero  |refs | gen+1  |     gen+1 == 0: on no generation list
 *   +--------+-----+--------+
 *             REFS_WIDTH (2)  GEN_WIDTH (3)
 * </pre>
 * {@code refs} counts the accesses through file descriptors beyond the ones REFERENCED and
 * WORKINGSET record (folio_lru_refs): the tier of a folio is {@code order_base_2(refs + 1)} with
 * {@code refs = field refs + (WORKINGSET ? 1 : 0)}.
 *
 * <p>A generation's index in the arrays is its sequence number modulo {@value #MAX_NR_GENS}. The
 * two youngest generations count as active in the lruvec's per-list page counts and the rest as
 * inactive, so that /proc/vmstat keeps its meaning (lru_gen_is_active); ACTIVE is clear on every
 * folio on a generation list.
 *
 * <p>Invariants, recomputed by {@link #check}:
 * <pre>
 *   minSeq[type] &lt;= maxSeq  and  maxSeq - minSeq[type] &lt; MAX_NR_GENS
 *   maxSeq - minSeq[FILE] + 1 &gt;= MIN_NR_GENS;  minSeq[ANON] &lt;= minSeq[FILE]
 *   folio on list (gen, type)  =&gt;  LRU set, ACTIVE and UNEVICTABLE clear, its gen field == gen + 1,
 *                                  type == (file LRU ? FILE : ANON), gen within [minSeq[type], maxSeq]
 *   nrPages(gen, type) == sum over folios on list (gen, type) of nrPages
 *   lruvec.nrPages(ACTIVE_x)   == sum over the active generations of nrPages(gen, x)
 *   lruvec.nrPages(INACTIVE_x) == sum over the other generations of nrPages(gen, x)
 * </pre>
 * The kernel sorts its lists lazily: the aging only rewrites a folio's generation, and the
 * eviction moves it when it meets it. The model moves a folio when its generation changes, so
 * that every folio is on the list its field names and the checker can say so.
 */
public final class LruGen {
    /** The fewest generations: a folio needs two accessed-bit checks before eviction. */
    public static final int MIN_NR_GENS = 2;
    /** The most generations at once. */
    public static final int MAX_NR_GENS = 4;
    /** Tiers by accesses through file descriptors. */
    public static final int MAX_NR_TIERS = 4;
    /** Index of the anon type. */
    public static final int ANON = 0;
    /** Index of the file type. */
    public static final int FILE = 1;

    /** Width of the generation part of the folio's field. */
    public static final int GEN_WIDTH = 3;
    /** Width of the reference counter part. */
    public static final int REFS_WIDTH = 2;
    /** Shift of the reference counter. */
    public static final int REFS_SHIFT = GEN_WIDTH;
    private static final int GEN_FIELD_MASK = (1 << GEN_WIDTH) - 1;
    /** The largest value of the reference counter. */
    public static final int REFS_MASK = (1 << REFS_WIDTH) - 1;

    static {
        if (GEN_WIDTH + REFS_WIDTH > org.pagelab.desc.FolioFlags.GEN_BITS) {
            throw new ExceptionInInitializerError("generation and refs do not fit the folio's generation field");
        }
        if (MAX_NR_GENS + 1 > GEN_FIELD_MASK + 1) {
            throw new ExceptionInInitializerError("gen+1 does not fit " + GEN_WIDTH + " bits");
        }
    }

    private final String name;
    private long maxSeq = MIN_NR_GENS + 1;
    private final long[] minSeq = new long[2];
    private final long[] timestamps = new long[MAX_NR_GENS];
    private final DescList<Folio>[][] lists;
    private final long[][] nrPages = new long[MAX_NR_GENS][2];

    /** Moving average of refaulted pages per type and tier (avg_refaulted). */
    final long[][] avgRefaulted = new long[2][MAX_NR_TIERS];
    /** Moving average of evicted plus protected pages per type and tier (avg_total). */
    final long[][] avgTotal = new long[2][MAX_NR_TIERS];
    /** Pages evicted from the oldest generation since it became the oldest, per type and tier. */
    final long[][] evicted = new long[2][MAX_NR_TIERS];
    /** Refaults of pages evicted while the current oldest generation was the oldest. */
    final long[][] refaulted = new long[2][MAX_NR_TIERS];
    /** Pages protected by their tier (moved to the next generation) from the oldest, tiers 1 up. */
    final long[][] protectedPages = new long[2][MAX_NR_TIERS - 1];

    @SuppressWarnings("unchecked")
    LruGen(String name, long now) {
        this.name = name;
        this.lists = new DescList[MAX_NR_GENS][2];
        for (int g = 0; g < MAX_NR_GENS; g++) {
            for (int t = 0; t < 2; t++) {
                lists[g][t] = new DescList<>(name + ":gen" + g + (t == FILE ? ":file" : ":anon"));
            }
            timestamps[g] = now;
        }
    }

    // ---- the folio's field ----

    /** The generation index of {@code folio}, or -1 when it is on no generation list (folio_lru_gen). */
    public static int folioGen(Folio folio) {
        return (folio.gen() & GEN_FIELD_MASK) - 1;
    }

    /** The reference counter of the folio's field, without WORKINGSET. */
    public static int folioRefsField(Folio folio) {
        return (folio.gen() >>> REFS_SHIFT) & REFS_MASK;
    }

    /** Accesses through file descriptors beyond the first (folio_lru_refs). */
    public static int folioRefs(Folio folio) {
        return folioRefsField(folio) + (folio.test(Flag.WORKINGSET) ? 1 : 0);
    }

    /** The tier of a folio with {@code refs} (lru_tier_from_refs): order_base_2(refs + 1). */
    public static int tierFromRefs(int refs) {
        if (refs < 0 || refs > REFS_MASK + 1) {
            throw new IllegalArgumentException("refs out of range: " + refs);
        }
        return 32 - Integer.numberOfLeadingZeros(refs);
    }

    /** Sets the reference counter of the folio's field, keeping its generation. */
    public static void setFolioRefsField(Folio folio, int refs) {
        if (refs < 0 || refs > REFS_MASK) {
            throw new IllegalArgumentException("refs out of range: " + refs);
        }
        folio.setGen((folio.gen() & GEN_FIELD_MASK) | (refs << REFS_SHIFT));
    }

    private static void setFolioGen(Folio folio, int gen) {
        folio.setGen((folio.gen() & ~GEN_FIELD_MASK) | (gen + 1));
    }

    /** The type index of {@code folio}: {@link #FILE} for the file LRU, {@link #ANON} otherwise. */
    public static int typeOf(Folio folio) {
        return LruVec.isFileLru(folio) ? FILE : ANON;
    }

    /** The generation index of sequence number {@code seq} (lru_gen_from_seq). */
    public static int genFromSeq(long seq) {
        return (int) (seq % MAX_NR_GENS);
    }

    // ---- sequence numbers ----

    public long maxSeq() {
        return maxSeq;
    }

    public long minSeq(int type) {
        return minSeq[type];
    }

    /** Generations of {@code type} (get_nr_gens): {@code maxSeq - minSeq[type] + 1}. */
    public int nrGens(int type) {
        return (int) (maxSeq - minSeq[type] + 1);
    }

    /** The simulated time at which generation index {@code gen} began, in nanoseconds. */
    public long timestamp(int gen) {
        return timestamps[gen];
    }

    /** Pages of {@code type} in generation index {@code gen}. */
    public long nrPages(int gen, int type) {
        return nrPages[gen][type];
    }

    /** Folios on list (gen, type). */
    public long nrFolios(int gen, int type) {
        return lists[gen][type].size();
    }

    /** The oldest folio of list (gen, type), or null. */
    public Folio peekTail(int gen, int type) {
        return lists[gen][type].peekTail();
    }

    /** The folios of list (gen, type), youngest first. Do not modify while iterating. */
    public Iterable<Folio> folios(int gen, int type) {
        DescList<Folio> l = lists[gen][type];
        return l::iterator;
    }

    /** Whether generation index {@code gen} counts as active (lru_gen_is_active): one of the two youngest. */
    public boolean isActive(int gen) {
        return gen == genFromSeq(maxSeq) || gen == genFromSeq(maxSeq - 1);
    }

    // ---- feedback counters ----

    /** The refault feedback of tier {@code tier} of {@code type}: what the PID controller reads. */
    public long avgRefaulted(int type, int tier) {
        return avgRefaulted[type][tier];
    }

    public long avgTotal(int type, int tier) {
        return avgTotal[type][tier];
    }

    public long evicted(int type, int tier) {
        return evicted[type][tier];
    }

    public long refaulted(int type, int tier) {
        return refaulted[type][tier];
    }

    /** Pages of tier {@code tier} (1 and up) protected from the oldest generation. */
    public long protectedPages(int type, int tier) {
        return protectedPages[type][tier - 1];
    }

    /** Counts {@code n} pages of {@code type} and {@code tier} evicted from the oldest generation. */
    public void countEvicted(int type, int tier, long n) {
        evicted[type][tier] += n;
    }

    /** Counts {@code n} pages of {@code type} and {@code tier} refaulted since their eviction. */
    public void countRefaulted(int type, int tier, long n) {
        refaulted[type][tier] += n;
    }

    /** Counts {@code n} pages of {@code tier} (1 and up) protected from eviction. */
    public void countProtected(int type, int tier, long n) {
        protectedPages[type][tier - 1] += n;
    }

    /**
     * reset_ctrl_pos with carry-over: the oldest generation of {@code type} is leaving, so its
     * counts fold into the moving averages (the mean of the old average and the new counts) and
     * start again from zero.
     */
    private void carryOverFeedback(int type) {
        for (int tier = 0; tier < MAX_NR_TIERS; tier++) {
            avgRefaulted[type][tier] = (avgRefaulted[type][tier] + refaulted[type][tier]) / 2;
            long total = avgTotal[type][tier] + evicted[type][tier] + (tier > 0 ? protectedPages[type][tier - 1] : 0);
            avgTotal[type][tier] = total / 2;
            refaulted[type][tier] = 0;
            evicted[type][tier] = 0;
            if (tier > 0) {
                protectedPages[type][tier - 1] = 0;
            }
        }
    }

    // ---- list operations (lru_gen_add_folio, lru_gen_del_folio, folio_inc_gen) ----

    /**
     * Puts an evictable folio on a generation (lru_gen_add_folio): an ACTIVE folio on the youngest;
     * an anon folio outside the swap cache, or one that reclaim left dirty or under writeback, on
     * the second youngest; otherwise on the oldest when {@code reclaiming} or when there are only
     * {@value #MIN_NR_GENS} generations, else the second oldest. Clears ACTIVE; links at the tail
     * when {@code reclaiming}. Requires: LRU clear, on no list, evictable.
     */
    void add(LruVec lruvec, Folio folio, boolean reclaiming) {
        int type = typeOf(folio);
        long seq;
        if (folio.test(Flag.ACTIVE)) {
            seq = maxSeq;
        } else if (type == ANON && !folio.test(Flag.SWAPCACHE)
                || folio.test(Flag.RECLAIM) && (folio.test(Flag.DIRTY) || folio.test(Flag.WRITEBACK))) {
            seq = maxSeq - 1;
        } else if (reclaiming || minSeq[type] + MIN_NR_GENS >= maxSeq) {
            seq = minSeq[type];
        } else {
            seq = minSeq[type] + 1;
        }
        int gen = genFromSeq(seq);
        folio.clear(Flag.ACTIVE);
        setFolioGen(folio, gen);
        if (reclaiming) {
            lists[gen][type].addTail(folio);
        } else {
            lists[gen][type].addHead(folio);
        }
        updateSize(lruvec, type, folio.nrPages(), -1, gen);
    }

    /**
     * Takes a folio off its generation (lru_gen_del_folio). Unless {@code reclaiming}, a folio of
     * an active generation gets ACTIVE, so that it goes back young when put back. Requires: the
     * folio on a generation list of this lruvec.
     */
    void del(LruVec lruvec, Folio folio, boolean reclaiming) {
        int gen = requireOn(folio);
        int type = typeOf(folio);
        lists[gen][type].remove(folio);
        if (!reclaiming && isActive(gen)) {
            folio.set(Flag.ACTIVE);
        }
        folio.setGen(folio.gen() & ~GEN_FIELD_MASK);
        updateSize(lruvec, type, folio.nrPages(), gen, -1);
    }

    /**
     * Moves a folio on the LRU to generation index {@code gen}, at the head of its list, clearing
     * its tier (folio_update_gen: promotion by the aging). Returns the generation it was on.
     * Requires: {@code gen} between the oldest of its type and the youngest.
     */
    public int promote(LruVec lruvec, Folio folio, int gen) {
        int old = requireOn(folio);
        requireLive(gen, typeOf(folio));
        folio.clear(Flag.REFERENCED);
        folio.clear(Flag.WORKINGSET);
        folio.setGen(0);
        move(lruvec, folio, old, gen, true);
        return old;
    }

    /**
     * Moves a folio of the oldest generation of its type to the next one, clearing its tier
     * (folio_inc_gen); at the tail when {@code tail}, else at the head. {@code reclaiming} also sets
     * RECLAIM, so that its writeback's end rotates it. Returns the new generation.
     */
    public int incGen(LruVec lruvec, Folio folio, boolean reclaiming, boolean tail) {
        int old = requireOn(folio);
        int type = typeOf(folio);
        int oldest = genFromSeq(minSeq[type]);
        if (old != oldest) {
            throw new IllegalStateException(name + ": folio not in the oldest generation " + oldest + ": " + folio);
        }
        int gen = (oldest + 1) % MAX_NR_GENS;
        folio.clear(Flag.REFERENCED);
        folio.clear(Flag.WORKINGSET);
        folio.setGen(0);
        if (reclaiming) {
            folio.set(Flag.RECLAIM);
        }
        move(lruvec, folio, old, gen, !tail);
        return gen;
    }

    /** Moves a folio to the head or tail of its own generation's list (sort_folio's list_move). */
    public void rotate(Folio folio, boolean head) {
        int gen = requireOn(folio);
        DescList<Folio> l = lists[gen][typeOf(folio)];
        l.remove(folio);
        if (head) {
            l.addHead(folio);
        } else {
            l.addTail(folio);
        }
    }

    private void move(LruVec lruvec, Folio folio, int from, int to, boolean head) {
        int type = typeOf(folio);
        lists[from][type].remove(folio);
        setFolioGen(folio, to);
        if (head) {
            lists[to][type].addHead(folio);
        } else {
            lists[to][type].addTail(folio);
        }
        updateSize(lruvec, type, folio.nrPages(), from, to);
    }

    /** lru_gen_update_size: the generation counts and the active/inactive counts of the lruvec. */
    private void updateSize(LruVec lruvec, int type, long delta, int oldGen, int newGen) {
        boolean file = type == FILE;
        if (oldGen >= 0) {
            nrPages[oldGen][type] -= delta;
            lruvec.count(LruList.of(file, isActive(oldGen)), -delta);
        }
        if (newGen >= 0) {
            nrPages[newGen][type] += delta;
            lruvec.count(LruList.of(file, isActive(newGen)), delta);
        }
    }

    // ---- sequence changes ----

    /**
     * Starts a new youngest generation (the bookkeeping of inc_max_seq): a type whose window is
     * already {@value #MAX_NR_GENS} wide first loses its oldest generation, whose folios move to the
     * next one ({@link #incMinSeq}); the generation that stops being active moves its pages from
     * the active to the inactive count; the feedback of the oldest generations carries on; the new
     * generation is born at {@code now}.
     */
    public void incMaxSeq(LruVec lruvec, boolean canSwap, long now) {
        for (int type = FILE; type >= ANON; type--) {
            if (nrGens(type) == MAX_NR_GENS) {
                incMinSeq(lruvec, type, canSwap);
            }
        }
        int prev = genFromSeq(maxSeq - 1);
        int next = genFromSeq(maxSeq + 1);
        for (int type = 0; type < 2; type++) {
            boolean file = type == FILE;
            long delta = nrPages[prev][type] - nrPages[next][type];
            lruvec.count(LruList.of(file, false), delta);
            lruvec.count(LruList.of(file, true), -delta);
        }
        timestamps[next] = now;
        maxSeq++;
    }

    /**
     * Retires the oldest generation of {@code type} (inc_min_seq): its folios move to the tail of the
     * next generation, tiers cleared, and its feedback carries over. Anon folios that cannot be
     * swapped stay where they are: their generation index becomes the new youngest one, the
     * cold/hot inversion the kernel accepts when swap is constrained.
     */
    void incMinSeq(LruVec lruvec, int type, boolean canSwap) {
        if (type == FILE || canSwap) {
            int old = genFromSeq(minSeq[type]);
            Folio f;
            while ((f = lists[old][type].peekTail()) != null) {
                incGen(lruvec, f, false, true);
            }
        }
        carryOverFeedback(type);
        minSeq[type]++;
    }

    /**
     * Advances each type's oldest generation past the empty ones (try_to_inc_min_seq), keeping at
     * least {@value #MIN_NR_GENS}; with swap, anon's may not pass file's and file's may not fall
     * behind anon's. Returns whether any moved.
     */
    public boolean tryToIncMinSeq(boolean canSwap) {
        long[] seq = minSeq.clone();
        for (int type = canSwap ? ANON : FILE; type < 2; type++) {
            while (seq[type] + MIN_NR_GENS <= maxSeq && lists[genFromSeq(seq[type])][type].isEmpty()) {
                seq[type]++;
            }
        }
        if (canSwap) {
            seq[ANON] = Math.min(seq[ANON], seq[FILE]);
            seq[FILE] = Math.max(seq[ANON], minSeq[FILE]);
        }
        boolean moved = false;
        for (int type = canSwap ? ANON : FILE; type < 2; type++) {
            if (seq[type] != minSeq[type]) {
                carryOverFeedback(type);
                minSeq[type] = seq[type];
                moved = true;
            }
        }
        return moved;
    }

    // ---- checker ----

    /** Whether {@code folio} is on one of the generation lists. */
    boolean contains(Folio folio) {
        int gen = folioGen(folio);
        return gen >= 0 && lists[gen][typeOf(folio)].contains(folio);
    }

    private int requireOn(Folio folio) {
        int gen = folioGen(folio);
        if (gen < 0 || !lists[gen][typeOf(folio)].contains(folio)) {
            throw new IllegalStateException(name + ": folio not on the generation its field names: " + folio);
        }
        return gen;
    }

    private void requireLive(int gen, int type) {
        for (long s = minSeq[type]; s <= maxSeq; s++) {
            if (genFromSeq(s) == gen) {
                return;
            }
        }
        throw new IllegalArgumentException(name + ": generation " + gen + " is outside [" + minSeq[type] + ", "
                + maxSeq + "] of type " + type);
    }

    /**
     * Recomputes the invariants of the class comment against {@code lruvec}'s per-list counts;
     * throws {@link IllegalStateException} naming the first that fails.
     */
    void check(LruVec lruvec) {
        for (int type = 0; type < 2; type++) {
            if (minSeq[type] > maxSeq || maxSeq - minSeq[type] >= MAX_NR_GENS) {
                throw new IllegalStateException(name + ": sequence window of type " + type + " is [" + minSeq[type]
                        + ", " + maxSeq + "]");
            }
        }
        if (nrGens(FILE) < MIN_NR_GENS || minSeq[ANON] > minSeq[FILE]) {
            throw new IllegalStateException(name + ": min_seq anon " + minSeq[ANON] + ", file " + minSeq[FILE]
                    + ", max_seq " + maxSeq);
        }
        long[] active = new long[2];
        long[] inactive = new long[2];
        for (int gen = 0; gen < MAX_NR_GENS; gen++) {
            for (int type = 0; type < 2; type++) {
                DescList<Folio> l = lists[gen][type];
                l.check();
                long pages = 0;
                for (Folio f : l) {
                    if (f.isDead() || !f.test(Flag.LRU) || f.test(Flag.ACTIVE) || f.test(Flag.UNEVICTABLE)) {
                        throw new IllegalStateException(l.name() + ": dead, off-LRU, active or unevictable folio " + f);
                    }
                    if (folioGen(f) != gen || typeOf(f) != type) {
                        throw new IllegalStateException(l.name() + ": folio's generation or type disagrees: " + f);
                    }
                    pages += f.nrPages();
                }
                if (pages != nrPages[gen][type]) {
                    throw new IllegalStateException(l.name() + ": counted " + nrPages[gen][type] + " pages, list holds "
                            + pages);
                }
                if (pages > 0 && !live(gen, type)) {
                    throw new IllegalStateException(l.name() + ": " + pages + " pages outside the window ["
                            + minSeq[type] + ", " + maxSeq + "]");
                }
                if (isActive(gen)) {
                    active[type] += pages;
                } else {
                    inactive[type] += pages;
                }
            }
        }
        for (int type = 0; type < 2; type++) {
            boolean file = type == FILE;
            if (lruvec.nrPages(LruList.of(file, true)) != active[type]
                    || lruvec.nrPages(LruList.of(file, false)) != inactive[type]) {
                throw new IllegalStateException(name + ": lruvec counts " + lruvec + " disagree with the generations' "
                        + (file ? "file" : "anon") + " active " + active[type] + " inactive " + inactive[type]);
            }
        }
    }

    private boolean live(int gen, int type) {
        for (long s = minSeq[type]; s <= maxSeq; s++) {
            if (genFromSeq(s) == gen) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return name + " max_seq=" + maxSeq + " min_seq=" + minSeq[ANON] + "/" + minSeq[FILE];
    }
}
