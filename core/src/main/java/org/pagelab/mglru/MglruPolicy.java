package org.pagelab.mglru;

import java.util.ArrayList;
import java.util.List;
import org.pagelab.desc.Folio;
import org.pagelab.desc.FolioFlags.Flag;
import org.pagelab.lruvec.LruGen;
import org.pagelab.lruvec.LruVec;
import org.pagelab.reclaim.FolioReferences;
import org.pagelab.reclaim.GenerationalScan;
import org.pagelab.reclaim.IsolateRequest;
import org.pagelab.reclaim.IsolateResult;
import org.pagelab.reclaim.LruEvent;
import org.pagelab.reclaim.LruEventSink;
import org.pagelab.reclaim.ReclaimHost;
import org.pagelab.reclaim.ReclaimPolicy;
import org.pagelab.reclaim.RmapReferences;
import org.pagelab.reclaim.ShrinkActiveResult;
import org.pagelab.reclaim.TwoListPolicy;
import org.pagelab.reclaim.Vmscan;
import org.pagelab.workingset.ShadowWord;
import org.pagelab.workingset.Workingset;
import org.pagelab.workingset.WorkingsetEvent;

/**
 * The multi-generational LRU as a {@link ReclaimPolicy} (the CONFIG_LRU_GEN half of mm/vmscan.c,
 * with folio_inc_refs of mm/swap.c and lru_gen_eviction/lru_gen_refault of mm/workingset.c). The
 * design is in the {@linkplain org.pagelab.mglru package description}; the state it works on is
 * each lruvec's {@link LruGen}.
 *
 * <h2>Implementation notes</h2>
 * <h3>1. Where a new folio goes</h3>
 * The kernel marks a folio ACTIVE when it is added to the LRU inside a page fault, so it joins the
 * youngest generation. The model does not know whether a file folio was read in by a fault or by
 * read(2): anon folios count as faulted in, file folios as read, in {@link #onAdd} and in the
 * refault feedback alike.
 *
 * <h3>2. The other policy's hooks</h3>
 * {@link #inactiveIsLow} and {@link #shrinkActive} belong to a two-list policy; the driver calls
 * {@link #generational()} instead, so the first answers false and the second refuses.
 *
 * <h3>3. Look-around</h3>
 * The rmap walk on eviction ages the PTEs next to each young one it finds
 * (lru_gen_look_around): the policy installs {@link Aging#lookAround} as the reverse map's
 * young-PTE observer when it is attached. Which anon folios it may age follows the eviction's
 * swappiness; the kernel takes that from its page-table walk's state, which in direct reclaim can
 * be one that was never set (then anon neighbours are left alone).
 */
public final class MglruPolicy implements ReclaimPolicy, GenerationalScan {
    /** The registry name, as /sys/kernel/mm/lru_gen/enabled turns the kernel's on. */
    public static final String NAME = "mglru";
    /** Pages a scan isolates at most before it hands them to shrink_folio_list (MIN_LRU_BATCH). */
    public static final int MIN_LRU_BATCH = 64;
    /** Folios a scan looks at most (MAX_LRU_BATCH). */
    public static final int MAX_LRU_BATCH = MIN_LRU_BATCH * 64;

    private final LruEventSink events;
    /** The folio-level decisions both policies make alike: evictability, the reference check, activation. */
    private final TwoListPolicy lists;
    private final Aging aging = new Aging();
    private Workingset workingset;
    private ReclaimHost host;
    private long minTtlNs;
    /** Whether the eviction under way may take anon folios (swappiness not 0): the look-around ages anon folios only then. */
    private boolean evictCanSwap = true;

    /** Creates the policy reporting to {@code events}. */
    public MglruPolicy(LruEventSink events) {
        this.events = events;
        this.lists = new TwoListPolicy(events);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public GenerationalScan generational() {
        return this;
    }

    @Override
    public void attach(ReclaimHost host, Workingset workingset) {
        aging.attach(host);
        host.rmap().setYoungPteObserver((folio, vma, addr, table) -> aging.lookAround(folio, vma, addr, table, evictCanSwap));
        this.host = host;
        this.workingset = workingset;
    }

    /**
     * min_ttl (/sys/kernel/mm/lru_gen/min_ttl_ms): when kswapd's aging finds every lruvec's oldest
     * generation younger than {@code nanos}, evicting would take the working set of that period,
     * and kswapd calls the OOM killer instead ({@link #ageNode}). Zero turns it off. Requires:
     * {@code nanos >= 0}.
     */
    public void setMinTtlNanos(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("negative min_ttl: " + nanos);
        }
        minTtlNs = nanos;
    }

    /** min_ttl in nanoseconds; zero when off. */
    public long minTtlNanos() {
        return minTtlNs;
    }

    /** The generations of {@code lruvec}, turned on the first time the policy meets it. */
    LruGen gens(LruVec lruvec) {
        LruGen g = lruvec.lrugen();
        return g != null ? g : lruvec.enableGenerations(aging.now());
    }

    /** The aging, for tests that drive it as kswapd's ageNode does. */
    Aging aging() {
        return aging;
    }

    /** The page-table walk counters of {@code lruvec}'s last aging, in mm_stats order. */
    long[] walkStats(LruVec lruvec) {
        return aging.stats(lruvec);
    }

    // ---- entry, access, exit ----

    @Override
    public void onAdd(LruVec lruvec, Folio folio) {
        gens(lruvec);
        lists.prepareForLru(folio);
        if (!folio.test(Flag.UNEVICTABLE) && inFault(folio)) {
            folio.set(Flag.ACTIVE);
        }
        lruvec.add(folio);
    }

    /** lru_gen_in_fault, as the model approximates it (implementation note 1). */
    private static boolean inFault(Folio folio) {
        return !LruVec.isFileLru(folio);
    }

    /**
     * folio_inc_refs: an access through a file descriptor moves the folio up a tier without moving
     * it between lists: REFERENCED first, then WORKINGSET, then the counter up to its maximum.
     */
    @Override
    public void onAccess(LruVec lruvec, Folio folio) {
        if (folio.test(Flag.UNEVICTABLE)) {
            return;
        }
        if (!folio.test(Flag.REFERENCED)) {
            folio.set(Flag.REFERENCED);
        } else if (!folio.test(Flag.WORKINGSET)) {
            folio.set(Flag.WORKINGSET);
        } else if (LruGen.folioRefsField(folio) < LruGen.REFS_MASK) {
            LruGen.setFolioRefsField(folio, LruGen.folioRefsField(folio) + 1);
        }
    }

    /** As on the two lists (the lruvec finds the folio's generation); the tier goes with it. */
    @Override
    public void remove(LruVec lruvec, Folio folio) {
        if (folio.test(Flag.LRU)) {
            lists.remove(lruvec, folio);
            folio.setGen(0);
        }
    }

    /** lru_deactivate_fn with generations: any evictable folio goes back to an old generation. */
    @Override
    public void deactivate(LruVec lruvec, Folio folio) {
        if (folio.test(Flag.LRU) && !folio.test(Flag.UNEVICTABLE)) {
            lruvec.del(folio);
            folio.clear(Flag.ACTIVE);
            folio.clear(Flag.REFERENCED);
            lruvec.add(folio); // anon to the second youngest generation, file to the second oldest
            events.count(LruEvent.PGDEACTIVATE, folio.nrPages());
        }
    }

    /** folio_rotate_reclaimable: to the tail of the oldest generation, as on the two lists. */
    @Override
    public void rotateReclaimable(LruVec lruvec, Folio folio) {
        lists.rotateReclaimable(lruvec, folio); // the lruvec's addTail puts it on the oldest generation
    }

    // ---- the two-list hooks (implementation note 2) ----

    @Override
    public boolean inactiveIsLow(LruVec lruvec, boolean file) {
        return false;
    }

    @Override
    public ShrinkActiveResult shrinkActive(LruVec lruvec, IsolateRequest request,
            org.pagelab.reclaim.ReferenceHarvester harvester) {
        throw new IllegalStateException("mglru has no active list: the driver ages it through generational()");
    }

    @Override
    public IsolateResult isolateForReclaim(LruVec lruvec, IsolateRequest request) {
        throw new IllegalStateException("mglru isolates through generational().isolate");
    }

    // ---- the reference decision and putback ----

    /**
     * folio_check_references after lru_gen_look_around: a young mapping marks the folio REFERENCED
     * before the two-list check runs, so any young PTE activates it (to the youngest generation).
     * The look-around itself ran inside the rmap walk ({@link Aging#lookAround}).
     */
    @Override
    public FolioReferences checkReferences(Folio folio, RmapReferences references) {
        if (references.referenced()) {
            folio.set(Flag.REFERENCED);
        }
        return lists.checkReferences(folio, references);
    }

    @Override
    public void activateIsolated(Folio folio) {
        lists.activateIsolated(folio);
    }

    /**
     * evict_folios' return of the survivors, then move_folios_to_lru: a folio reclaim started
     * writing stays where {@code add} puts it (the second youngest generation), its WORKINGSET
     * restored to REFERENCED; one that is active, referenced, mapped, locked, dirty or under
     * writeback goes to the youngest generation with its tier cleared, so that rejected folios do
     * not return to the oldest one.
     */
    @Override
    public List<Folio> putback(LruVec lruvec, List<Folio> folios) {
        List<Folio> released = new ArrayList<>();
        for (Folio f : folios) {
            TwoListPolicy.requireIsolated(f);
            if (TwoListPolicy.evictable(f)) {
                if (f.test(Flag.RECLAIM) && (f.test(Flag.DIRTY) || f.test(Flag.WRITEBACK))) {
                    if (f.test(Flag.WORKINGSET)) {
                        f.set(Flag.REFERENCED);
                    }
                } else if (f.test(Flag.ACTIVE) || f.test(Flag.REFERENCED) || f.mapped() || f.test(Flag.LOCKED)
                        || f.test(Flag.DIRTY) || f.test(Flag.WRITEBACK)) {
                    f.clear(Flag.REFERENCED);
                    f.clear(Flag.WORKINGSET);
                    LruGen.setFolioRefsField(f, 0);
                    f.set(Flag.ACTIVE);
                }
            }
            lists.prepareForLru(f);
            if (lruvec.putback(f) == LruVec.Putback.RELEASED) {
                f.setGen(0);
                released.add(f);
            }
        }
        return released;
    }

    // ---- how much to scan, and the aging ----

    /**
     * should_run_aging: whether {@code g} needs a new generation, and (in {@code nrToScan[0]}) the
     * evictable pages shifted by {@code priority}. Aging is due with fewer than
     * {@value LruGen#MIN_NR_GENS}+1 generations, or with exactly that many when the youngest holds
     * more than 1/{@value LruGen#MIN_NR_GENS} of the pages or the oldest less than
     * 1/({@value LruGen#MIN_NR_GENS}+2).
     */
    static boolean shouldRunAging(LruGen g, boolean canSwap, int priority, long[] nrToScan) {
        long old = 0;
        long young = 0;
        long total = 0;
        long maxSeq = g.maxSeq();
        for (int type = canSwap ? LruGen.ANON : LruGen.FILE; type <= LruGen.FILE; type++) {
            for (long seq = g.minSeq(type); seq <= maxSeq; seq++) {
                long size = Math.max(0, g.nrPages(LruGen.genFromSeq(seq), type));
                total += size;
                if (seq == maxSeq) {
                    young += size;
                } else if (seq + LruGen.MIN_NR_GENS == maxSeq) {
                    old += size;
                }
            }
        }
        nrToScan[0] = total >> priority;
        long minSeq = g.minSeq(canSwap ? LruGen.ANON : LruGen.FILE);
        if (minSeq + LruGen.MIN_NR_GENS > maxSeq) {
            return true;
        }
        if (minSeq + LruGen.MIN_NR_GENS < maxSeq) {
            return false;
        }
        return young * LruGen.MIN_NR_GENS > total || old * (LruGen.MIN_NR_GENS + 2) < total;
    }

    @Override
    public long nrToScan(LruVec lruvec, int priority, int swappiness, boolean kswapd) {
        LruGen g = gens(lruvec);
        boolean canSwap = swappiness != 0;
        long[] nr = new long[1];
        if (!shouldRunAging(g, canSwap, priority, nr)) {
            return nr[0];
        }
        if (priority != Vmscan.DEF_PRIORITY) {
            if (kswapd) {
                return 0; // left to the aging of ageNode
            }
            if (aging.tryToIncMaxSeq(lruvec, canSwap, false)) {
                return nr[0];
            }
        }
        return g.minSeq(canSwap ? LruGen.ANON : LruGen.FILE) + LruGen.MIN_NR_GENS <= g.maxSeq() ? nr[0] : 0;
    }

    /**
     * The aging command of the lru_gen debugfs file ({@code + memcg node seq can_swap force_scan},
     * run_aging): creates a new generation in {@code lruvec} now, walking the page tables first,
     * through every table when {@code forceScan}, else through those the Bloom filter names.
     * Returns false when a walk for this generation already ran. Requires: fewer than
     * {@value LruGen#MAX_NR_GENS} generations of anon when {@code canSwap}, of file otherwise, unless
     * {@code forceScan} (the kernel refuses with ERANGE: it would merge the oldest generation).
     */
    public boolean runAging(LruVec lruvec, boolean canSwap, boolean forceScan) {
        LruGen g = gens(lruvec);
        if (!forceScan && g.nrGens(canSwap ? LruGen.ANON : LruGen.FILE) >= LruGen.MAX_NR_GENS) {
            throw new IllegalArgumentException("aging " + lruvec.name() + " would retire its oldest generation: " + g
                    + "; evict first or force the scan");
        }
        return aging.tryToIncMaxSeq(lruvec, canSwap, forceScan);
    }

    /**
     * lru_gen_age_node: ages each lruvec that needs it; when min_ttl is set and none could be aged
     * or evicted without losing the working set of the last min_ttl (every oldest generation is
     * younger, or every cgroup is within memory.min or empty), calls the OOM killer
     * ({@link ReclaimHost#outOfMemory}; the kernel's oom_lock is never contended here, since the
     * model runs one reclaimer at a time). kswapd reclaims at order 0 in the model, so the
     * kernel's exemption of compaction-induced reclaim does not arise.
     */
    @Override
    public boolean ageNode(List<LruVec> lruvecs, int priority, int swappiness) {
        boolean success = false;
        boolean canSwap = swappiness != 0;
        for (LruVec lruvec : lruvecs) {
            if (lruvec.lrugen() == null) {
                continue;
            }
            if (ageLruvec(lruvec, canSwap, priority)) {
                success = true;
            }
        }
        if (success || minTtlNs == 0) {
            return true;
        }
        if (host != null) {
            host.outOfMemory();
        }
        return false;
    }

    /**
     * age_lruvec: ages one lruvec when it needs it. False when its cgroup is within memory.min, or
     * with min_ttl set when its oldest file generation is younger than min_ttl or (below the first
     * priority) it has too few pages to be worth it.
     */
    private boolean ageLruvec(LruVec lruvec, boolean canSwap, int priority) {
        if (host != null) {
            org.pagelab.memcg.MemoryCgroups cgroups = host.memcg();
            org.pagelab.memcg.MemCgroup c = cgroups.ofLruvec(lruvec);
            cgroups.calculateProtection(cgroups.root(), c);
            if (org.pagelab.memcg.MemoryCgroups.belowMin(c)) {
                return false;
            }
        }
        LruGen g = lruvec.lrugen();
        long[] nr = new long[1];
        boolean needAging = shouldRunAging(g, canSwap, priority, nr);
        if (minTtlNs > 0) {
            long birth = g.timestamp(LruGen.genFromSeq(g.minSeq(LruGen.FILE)));
            if (aging.now() < birth + minTtlNs) {
                return false;
            }
            if (nr[0] == 0 && priority != Vmscan.DEF_PRIORITY) {
                return false;
            }
        }
        if (needAging) {
            aging.tryToIncMaxSeq(lruvec, canSwap, false);
        }
        return true;
    }

    // ---- the eviction ----

    @Override
    public Batch isolate(LruVec lruvec, int swappiness) {
        LruGen g = gens(lruvec);
        evictCanSwap = swappiness != 0;
        List<Folio> list = new ArrayList<>();
        int type;
        int tier = -1;
        if (swappiness == 0) {
            type = LruGen.FILE;
        } else if (g.minSeq(LruGen.ANON) < g.minSeq(LruGen.FILE)) {
            type = LruGen.ANON;
        } else if (swappiness == 1) {
            type = LruGen.FILE;
        } else if (swappiness == 200) {
            type = LruGen.ANON;
        } else {
            int[] tierOut = new int[1];
            type = Feedback.typeToScan(g, swappiness, tierOut);
            tier = tierOut[0];
        }
        long scanned = 0;
        for (int i = swappiness == 0 ? 1 : 0; i < 2; i++) {
            if (tier < 0) {
                tier = Feedback.tierIdx(g, type);
            }
            scanned = scanFolios(lruvec, g, type, tier, list);
            if (scanned != 0) {
                break;
            }
            type = 1 - type;
            tier = -1;
        }
        boolean canSwap = swappiness != 0;
        if (g.tryToIncMinSeq(canSwap)) {
            scanned++;
        }
        if (g.nrGens(canSwap ? LruGen.ANON : LruGen.FILE) == LruGen.MIN_NR_GENS) {
            scanned = 0;
        }
        long taken = 0;
        for (Folio f : list) {
            taken += f.nrPages();
        }
        return new Batch(type == LruGen.FILE, new IsolateResult(list, scanned, taken));
    }

    /**
     * scan_folios: takes folios from the tail of the oldest generation of {@code type}, sorting the
     * ones to keep into younger generations and isolating the rest, until {@value #MIN_LRU_BATCH}
     * pages are isolated or skipped or {@value #MAX_LRU_BATCH} folios looked at. Returns pages
     * scanned, or 0 when nothing could be isolated before the batch ended.
     */
    private long scanFolios(LruVec lruvec, LruGen g, int type, int tier, List<Folio> out) {
        if (g.nrGens(type) == LruGen.MIN_NR_GENS) {
            return 0;
        }
        int gen = LruGen.genFromSeq(g.minSeq(type));
        long scanned = 0;
        long sorted = 0;
        long isolated = 0;
        long skipped = 0;
        int remaining = MAX_LRU_BATCH;
        Folio f;
        while ((f = g.peekTail(gen, type)) != null) {
            long delta = f.nrPages();
            scanned += delta;
            if (sortFolio(lruvec, g, f, tier)) {
                sorted += delta;
            } else if (isolateFolio(lruvec, f)) {
                out.add(f);
                isolated += delta;
            } else {
                g.rotate(f, true);
                skipped += delta;
            }
            if (--remaining == 0 || Math.max(isolated, skipped) >= MIN_LRU_BATCH) {
                break;
            }
        }
        events.count(LruEvent.PGREFILL, sorted);
        return isolated > 0 || remaining == 0 ? scanned : 0;
    }

    /**
     * sort_folio: keeps a folio of the oldest generation off the eviction when it became
     * unevictable (to the unevictable list), when its tier is protected by the feedback (to the next
     * generation, counted as protected), or when it is locked, under writeback or a dirty file
     * folio (to the next generation, marked RECLAIM). Returns whether it was kept.
     */
    private boolean sortFolio(LruVec lruvec, LruGen g, Folio f, int tierIdx) {
        int type = LruGen.typeOf(f);
        int refs = LruGen.folioRefs(f);
        int tier = LruGen.tierFromRefs(refs);
        long delta = f.nrPages();
        if (!TwoListPolicy.evictable(f)) {
            lruvec.delForReclaim(f);
            f.set(Flag.UNEVICTABLE);
            lruvec.add(f);
            events.count(LruEvent.UNEVICTABLE_PGS_CULLED, delta);
            return true;
        }
        if (tier > tierIdx || refs == LruGen.REFS_MASK + 1) {
            g.incGen(lruvec, f, false, true);
            g.countProtected(type, tier, delta);
            if (workingset != null) {
                workingset.count(WorkingsetEvent.activate(type == LruGen.FILE), delta);
            }
            return true;
        }
        if (f.test(Flag.LOCKED) || f.test(Flag.WRITEBACK) || type == LruGen.FILE && f.test(Flag.DIRTY)) {
            g.incGen(lruvec, f, true, false);
            return true;
        }
        return false;
    }

    /**
     * isolate_folio: takes the folio off its generation with the isolation reference; a folio not
     * REFERENCED since it was last aged loses its tier; REFERENCED and RECLAIM are cleared for
     * shrink_folio_list.
     */
    private static boolean isolateFolio(LruVec lruvec, Folio f) {
        if (!f.test(Flag.REFERENCED)) {
            f.clear(Flag.WORKINGSET);
            LruGen.setFolioRefsField(f, 0);
        }
        f.clear(Flag.RECLAIM);
        f.clear(Flag.REFERENCED);
        lruvec.isolate(f);
        return true;
    }

    // ---- shadow entries and refaults ----

    /**
     * lru_gen_eviction: the shadow's timestamp is a token of the type's oldest sequence number and
     * the folio's accesses beyond the first, {@code minSeq << REFS_WIDTH | max(refs - 1, 0)}; its
     * workingset bit says whether it had any. Counts the pages as evicted from their tier.
     */
    @Override
    public long shadowOnEviction(LruVec lruvec, Folio folio, Workingset ws) {
        LruGen g = gens(lruvec);
        int type = LruGen.typeOf(folio);
        int refs = LruGen.folioRefs(folio);
        long token = g.minSeq(type) << LruGen.REFS_WIDTH | Math.max(refs - 1, 0);
        g.countEvicted(type, LruGen.tierFromRefs(refs), folio.nrPages());
        return ShadowWord.pack(Workingset.NODE_ID, lruvec.memcgId(), token, refs != 0);
    }

    /** The sequence-number part of an eviction token, as far as the shadow's timestamp holds it. */
    static long tokenSeq(long token) {
        return token >>> LruGen.REFS_WIDTH;
    }

    /**
     * lru_gen_refault: a refault counts only while the generation that was the oldest at eviction
     * still is (the token's sequence number matches) and in the cgroup that evicted it. It is
     * counted in the tier the folio had; a folio faulted in again, or one with the most accesses,
     * comes back with its tier restored (WORKINGSET and the full counter).
     */
    @Override
    public void onRefault(LruVec evictionLruvec, LruVec lruvec, Folio folio, long shadowWord, boolean swapAvailable,
            Workingset ws) {
        if (ShadowWord.memcgId(shadowWord) != lruvec.memcgId()) {
            return;
        }
        LruGen g = gens(lruvec);
        int type = LruGen.typeOf(folio);
        long token = ShadowWord.eviction(shadowWord);
        if (tokenSeq(token) != (g.minSeq(type) & (ShadowWord.EVICTION_MASK >>> LruGen.REFS_WIDTH))) {
            return;
        }
        int refs = (int) (token & LruGen.REFS_MASK) + (ShadowWord.workingset(shadowWord) ? 1 : 0);
        int tier = LruGen.tierFromRefs(refs);
        long delta = folio.nrPages();
        boolean file = type == LruGen.FILE;
        g.countRefaulted(type, tier, delta);
        ws.count(WorkingsetEvent.refault(file), delta);
        if (inFault(folio) || refs >= LruGen.REFS_MASK) {
            LruGen.setFolioRefsField(folio, LruGen.REFS_MASK);
            folio.set(Flag.WORKINGSET);
            ws.count(WorkingsetEvent.restore(file), delta);
        }
    }
}
