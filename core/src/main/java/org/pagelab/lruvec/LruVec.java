package org.pagelab.lruvec;

import org.pagelab.desc.DescList;
import org.pagelab.desc.Folio;
import org.pagelab.desc.FolioFlags.Flag;

/**
 * The LRU lists of one memory cgroup on the node, the kernel's {@code struct lruvec}: five
 * intrusive lists of folios, the number of pages on each (and on its descendants' lruvecs), and
 * the per-lruvec state that reclaim and workingset detection keep. Every cgroup has one, the root
 * cgroup's included (mem_cgroup_lruvec); a folio is on the lruvec of the cgroup it is charged to,
 * and node reclaim visits them all.
 *
 * <p>A folio's list is a function of its flags (the kernel's folio_lru_list):
 * <pre>
 *   UNEVICTABLE set                 -&gt; UNEVICTABLE
 *   else SWAPBACKED set (anon, shmem) -&gt; ACTIVE_ANON if ACTIVE else INACTIVE_ANON
 *   else (page cache)               -&gt; ACTIVE_FILE if ACTIVE else INACTIVE_FILE
 * </pre>
 * so a folio's ACTIVE and UNEVICTABLE flags must only change while it is off the lists: take it
 * off with {@link #del}, change the flags, put it back with {@link #add}. The head of a list is its
 * most recently added end; reclaim scans from the tail.
 *
 * <p>Invariants, recomputed by {@link #check()}:
 * <pre>
 *   nrPages(lru) == sum over folios on list lru of nrPages
 *   folio on some list         =&gt;  LRU set, and the list is folioLru(folio)
 *   never ACTIVE and UNEVICTABLE together
 * </pre>
 * The converse, {@code LRU set => on some lruvec's list}, spans every lruvec and is the
 * machine checker's to test.
 *
 * <p>The kernel links no folio on its unevictable list (it counts them and reuses the link field
 * for the mlock count); the model links them like the others, so that they can be walked and
 * checked.
 *
 * <p>When a multi-generational policy {@linkplain #enableGenerations enables} the lruvec's
 * generations, evictable folios live on those instead of the four evictable lists, ACTIVE clear,
 * and every primitive below routes a folio with a generation to {@link LruGen}; the per-list page
 * counts then count the two youngest generations as active.
 *
 * <p>Two layers of operations: {@link #add}, {@link #addTail}, {@link #del}, {@link #moveToHead}
 * and {@link #moveToTail} are the list primitives (mm_inline.h) and do not touch the reference
 * count; {@link #isolate} and {@link #putback} are the reference-counted protocol by which reclaim
 * and migration take a folio off the LRU and return it (folio_isolate_lru, move_folios_to_lru).
 */
public final class LruVec {
    private final String name;
    private final DescList<Folio>[] lists;
    private final long[] nrPages = new long[LruList.values().length];
    /** Pages on each list of this lruvec and of every descendant cgroup's lruvec (the rstat view). */
    private final long[] subtreePages = new long[LruList.values().length];
    private long anonCost;
    private long fileCost;
    /** lruvec->refaults: workingset activations (anon, file) when a reclaim aimed at this lruvec last ended. */
    private long refaultsAnon;
    private long refaultsFile;
    private long nonresidentAge;
    private final LruVec parent;
    private final int memcgId;
    /** The generations, when a multi-generational policy runs this lruvec; null otherwise. */
    private LruGen lrugen;

    /** Creates empty lists; {@code name} ("node0") appears in the lists' error messages. */
    public LruVec(String name) {
        this(name, 0, null);
    }

    /**
     * The lruvec of memory cgroup {@code memcgId} on the node, whose ancestors' lruvecs start at
     * {@code parent} (null for the root cgroup's): the non-resident age and the reclaim costs
     * propagate up that chain, as workingset_age_nonresident and lru_note_cost walk it.
     */
    @SuppressWarnings("unchecked")
    public LruVec(String name, int memcgId, LruVec parent) {
        this.name = name;
        this.memcgId = memcgId;
        this.parent = parent;
        this.lists = new DescList[LruList.values().length];
        for (LruList l : LruList.values()) {
            lists[l.ordinal()] = new DescList<>(name + ":" + l.kernelName().substring(3));
        }
    }

    public String name() {
        return name;
    }

    /** The memory cgroup whose lists these are (0 when the machine's lruvec has none). */
    public int memcgId() {
        return memcgId;
    }

    /** The parent cgroup's lruvec on the same node, or null. */
    public LruVec parent() {
        return parent;
    }

    /** The list {@code folio}'s flags put it on (folio_lru_list). */
    public static LruList folioLru(Folio folio) {
        boolean unevictable = folio.test(Flag.UNEVICTABLE);
        boolean active = folio.test(Flag.ACTIVE);
        if (unevictable && active) {
            throw new IllegalStateException("folio both active and unevictable: " + folio);
        }
        if (unevictable) {
            return LruList.UNEVICTABLE;
        }
        return LruList.of(isFileLru(folio), active);
    }

    /**
     * Whether {@code folio} belongs on the file lists (folio_is_file_lru): every folio that is not
     * swap-backed. Shmem folios are file folios that are swap-backed and so live on the anon lists.
     */
    public static boolean isFileLru(Folio folio) {
        return !folio.test(Flag.SWAPBACKED);
    }

    // ---- sizes ----

    /** Pages (not folios) on {@code lru}: the kernel's lruvec_page_state(NR_LRU_BASE + lru). */
    public long nrPages(LruList lru) {
        return nrPages[lru.ordinal()];
    }

    /** Pages on {@code lru} here and in every descendant cgroup's lruvec on the node. */
    public long subtreePages(LruList lru) {
        return subtreePages[lru.ordinal()];
    }

    void count(LruList lru, long delta) {
        nrPages[lru.ordinal()] += delta;
        for (LruVec v = this; v != null; v = v.parent) {
            v.subtreePages[lru.ordinal()] += delta;
        }
    }

    /** Folios on {@code lru}. */
    public long nrFolios(LruList lru) {
        return lists[lru.ordinal()].size();
    }

    /** Pages on the four evictable lists. */
    public long nrEvictablePages() {
        return nrPages(LruList.INACTIVE_ANON) + nrPages(LruList.ACTIVE_ANON)
                + nrPages(LruList.INACTIVE_FILE) + nrPages(LruList.ACTIVE_FILE);
    }

    // ---- walking ----

    /** The folios on {@code lru}, head (most recently added) first. Do not modify while iterating. */
    public Iterable<Folio> folios(LruList lru) {
        DescList<Folio> list = lists[lru.ordinal()];
        return list::iterator;
    }

    /** The folio at the tail (the reclaim end) of {@code lru}, or null when empty. */
    public Folio peekTail(LruList lru) {
        return lists[lru.ordinal()].peekTail();
    }

    /** The folio at the head of {@code lru}, or null when empty. */
    public Folio peekHead(LruList lru) {
        return lists[lru.ordinal()].peekHead();
    }

    /** Whether {@code folio} is linked on one of this lruvec's lists or generations. */
    public boolean contains(Folio folio) {
        if (lrugen != null && lrugen.contains(folio)) {
            return true;
        }
        for (DescList<Folio> l : lists) {
            if (l.contains(folio)) {
                return true;
            }
        }
        return false;
    }

    // ---- generations ----

    /**
     * Hands the evictable folios of this lruvec to generations from now on (the lruvec's part of
     * lru_gen_change_state): later {@link #add}s of evictable folios go to a generation, and every
     * primitive below follows a folio to the generation its field names. The first generations are
     * born at {@code now}. Requires: no evictable folio on the lists, generations not yet enabled.
     */
    public LruGen enableGenerations(long now) {
        if (lrugen != null) {
            throw new IllegalStateException(name + ": generations already enabled");
        }
        if (nrEvictablePages() != 0) {
            throw new IllegalStateException(name + ": generations enabled with folios on the lists: " + this);
        }
        lrugen = new LruGen(name, now);
        return lrugen;
    }

    /** The generations, or null when the lruvec runs the active/inactive lists. */
    public LruGen lrugen() {
        return lrugen;
    }

    // ---- list primitives ----

    /**
     * Links {@code folio} at the head of the list its flags choose and sets LRU
     * (lruvec_add_folio and folio_set_lru).
     * Requires: LRU clear, the folio on no list.
     */
    public void add(Folio folio) {
        requireOffLru(folio);
        if (lrugen != null && !folio.test(Flag.UNEVICTABLE)) {
            lrugen.add(this, folio, false);
            folio.set(Flag.LRU);
            return;
        }
        LruList lru = folioLru(folio);
        lists[lru.ordinal()].addHead(folio);
        count(lru, folio.nrPages());
        folio.set(Flag.LRU);
    }

    /** Like {@link #add} but at the tail, the next to be scanned (lruvec_add_folio_tail). */
    public void addTail(Folio folio) {
        requireOffLru(folio);
        if (lrugen != null && !folio.test(Flag.UNEVICTABLE)) {
            lrugen.add(this, folio, true);
            folio.set(Flag.LRU);
            return;
        }
        LruList lru = folioLru(folio);
        lists[lru.ordinal()].addTail(folio);
        count(lru, folio.nrPages());
        folio.set(Flag.LRU);
    }

    /**
     * Unlinks {@code folio} and clears LRU (folio_test_clear_lru and lruvec_del_folio). Its other
     * flags are unchanged. Requires: the folio is on this lruvec, on the list its flags choose.
     */
    public void del(Folio folio) {
        delFolio(folio, false);
    }

    /**
     * Unlinks {@code folio} for reclaim: like {@link #del}, but a folio of an active generation
     * does not get ACTIVE (lru_gen_del_folio with reclaiming set); the same as {@link #del} on the
     * active/inactive lists.
     */
    public void delForReclaim(Folio folio) {
        delFolio(folio, true);
    }

    private void delFolio(Folio folio, boolean reclaiming) {
        if (LruGen.folioGen(folio) >= 0) {
            if (!folio.test(Flag.LRU) || lrugen == null) {
                throw new IllegalStateException(name + ": folio with a generation not on this lruvec's: " + folio);
            }
            lrugen.del(this, folio, reclaiming);
            folio.clear(Flag.LRU);
            return;
        }
        LruList lru = requireOn(folio);
        lists[lru.ordinal()].remove(folio);
        count(lru, -folio.nrPages());
        folio.clear(Flag.LRU);
    }

    /** Moves {@code folio} to the head of its list. Requires: as for {@link #del}. */
    public void moveToHead(Folio folio) {
        if (LruGen.folioGen(folio) >= 0 && lrugen != null) {
            lrugen.rotate(folio, true);
            return;
        }
        LruList lru = requireOn(folio);
        lists[lru.ordinal()].remove(folio);
        lists[lru.ordinal()].addHead(folio);
    }

    /** Moves {@code folio} to the tail of its list. Requires: as for {@link #del}. */
    public void moveToTail(Folio folio) {
        if (LruGen.folioGen(folio) >= 0 && lrugen != null) {
            lrugen.rotate(folio, false);
            return;
        }
        LruList lru = requireOn(folio);
        lists[lru.ordinal()].remove(folio);
        lists[lru.ordinal()].addTail(folio);
    }

    // ---- isolation protocol ----

    /**
     * Takes {@code folio} off the LRU for exclusive handling (folio_isolate_lru): takes one
     * reference, the isolation reference, which the caller now holds, then unlinks the folio and
     * clears LRU. No other flag changes. Requires: as for {@link #del}.
     */
    public void isolate(Folio folio) {
        if (!contains(folio) || !folio.test(Flag.LRU)) {
            throw new IllegalStateException(name + ": isolating a folio not on this lruvec: " + folio);
        }
        folio.refAdd(1);
        del(folio);
    }

    /** Whether {@link #putback} returned the folio to a list or dropped the last reference. */
    public enum Putback {
        /** The folio is back on the list its flags choose. */
        ON_LRU,
        /**
         * The isolation reference was the last: the folio is on no list, has refcount zero and LRU,
         * ACTIVE and UNEVICTABLE clear; the caller frees it.
         */
        RELEASED
    }

    /**
     * Returns an isolated folio to the head of the list its flags choose and drops the isolation
     * reference (one step of move_folios_to_lru). Requires: LRU clear, the folio on no list, the
     * caller holding the isolation reference.
     */
    public Putback putback(Folio folio) {
        requireOffLru(folio);
        if (folio.refSub(1) == 0) {
            folio.clear(Flag.ACTIVE);
            folio.clear(Flag.UNEVICTABLE);
            return Putback.RELEASED;
        }
        add(folio);
        return Putback.ON_LRU;
    }

    // ---- reclaim state ----

    /**
     * The non-resident age (lruvec->nonresident_age): a clock that advances by a folio's page count
     * each time a folio is evicted from or activated on this lruvec. Workingset detection stores it
     * in an evicted folio's shadow entry; at refault, the difference to the current value is the
     * refault distance.
     */
    public long nonresidentAge() {
        return nonresidentAge;
    }

    /** Advances the non-resident age by {@code nrPages} (workingset_age_nonresident). */
    public void ageNonresident(long nrPages) {
        if (nrPages < 0) {
            throw new IllegalArgumentException("non-resident age moved back by " + nrPages);
        }
        for (LruVec v = this; v != null; v = v.parent) {
            v.nonresidentAge += nrPages;
        }
    }

    /**
     * The recent cost of reclaiming anon pages (lruvec->anon_cost): pages written to swap and anon
     * refaults, decayed by {@link #noteCost}. Reclaim balances its scan between anon and file in
     * inverse proportion to these costs.
     */
    public long anonCost() {
        return anonCost;
    }

    /**
     * The workingset activations of {@code file} or anon pages counted for this lruvec's cgroup when
     * a reclaim aimed at it last ended (lruvec->refaults): reclaim deactivates active pages of a type
     * whose count has moved since, as a new working set is forming.
     */
    public long refaultSnapshot(boolean file) {
        return file ? refaultsFile : refaultsAnon;
    }

    /** snapshot_refaults: a reclaim aimed at this lruvec ended with these activation counts. */
    public void snapshotRefaults(long anon, long file) {
        refaultsAnon = anon;
        refaultsFile = file;
    }

    /** The recent cost of reclaiming file pages (lruvec->file_cost): see {@link #anonCost()}. */
    public long fileCost() {
        return fileCost;
    }

    /**
     * Records that reclaiming {@code nrPages} pages of one kind cost I/O (lru_note_cost): adds
     * them to that kind's cost, then halves both costs once their sum exceeds a quarter of the
     * evictable pages, so that recent events weigh more than old ones. Repeated for every
     * ancestor memory cgroup's lruvec, as the kernel does.
     */
    public void noteCost(boolean file, long nrPages) {
        if (nrPages < 0) {
            throw new IllegalArgumentException("negative reclaim cost: " + nrPages);
        }
        for (LruVec v = this; v != null; v = v.parent) {
            v.noteCostLocal(file, nrPages);
        }
    }

    private void noteCostLocal(boolean file, long nrPages) {
        if (file) {
            fileCost += nrPages;
        } else {
            anonCost += nrPages;
        }
        long evictable = subtreePages(LruList.INACTIVE_ANON) + subtreePages(LruList.ACTIVE_ANON)
                + subtreePages(LruList.INACTIVE_FILE) + subtreePages(LruList.ACTIVE_FILE);
        if (fileCost + anonCost > evictable / 4) {
            fileCost /= 2;
            anonCost /= 2;
        }
    }

    // ---- checker ----

    /**
     * Recomputes every list: its structure, its page count, and for each folio that LRU is set,
     * that ACTIVE matches the list being active, UNEVICTABLE matches the list being the
     * unevictable one, and SWAPBACKED matches the list being an anon list. Throws
     * {@link IllegalStateException} naming the first folio or count that disagrees.
     */
    public void check() {
        for (LruList lru : LruList.values()) {
            DescList<Folio> list = lists[lru.ordinal()];
            list.check();
            long pages = 0;
            for (Folio f : list) {
                if (LruGen.folioGen(f) >= 0) {
                    throw new IllegalStateException(list.name() + ": folio with a generation on a list: " + f);
                }
                if (f.isDead()) {
                    throw new IllegalStateException(list.name() + ": dead folio " + f);
                }
                if (!f.test(Flag.LRU)) {
                    throw new IllegalStateException(list.name() + ": folio without LRU " + f);
                }
                if (f.test(Flag.UNEVICTABLE) != (lru == LruList.UNEVICTABLE)) {
                    throw new IllegalStateException(list.name() + ": UNEVICTABLE disagrees with list: " + f);
                }
                if (f.test(Flag.ACTIVE) != lru.isActive()) {
                    throw new IllegalStateException(list.name() + ": ACTIVE disagrees with list: " + f);
                }
                if (lru.isEvictable() && isFileLru(f) != lru.isFile()) {
                    throw new IllegalStateException(list.name() + ": SWAPBACKED disagrees with list: " + f);
                }
                pages += f.nrPages();
            }
            if (lrugen != null && lru.isEvictable()) {
                if (pages != 0) {
                    throw new IllegalStateException(list.name() + ": " + pages + " pages on a list the generations replace");
                }
                continue;
            }
            if (pages != nrPages[lru.ordinal()]) {
                throw new IllegalStateException(list.name() + ": counted " + nrPages[lru.ordinal()]
                        + " pages, list holds " + pages);
            }
        }
        if (lrugen != null) {
            lrugen.check(this);
        }
    }

    private void requireOffLru(Folio folio) {
        if (folio.test(Flag.LRU) || folio.list() != null) {
            throw new IllegalStateException(name + ": folio already on a list or marked LRU: " + folio);
        }
    }

    private LruList requireOn(Folio folio) {
        if (!folio.test(Flag.LRU)) {
            throw new IllegalStateException(name + ": folio not marked LRU: " + folio);
        }
        LruList lru = folioLru(folio);
        if (!lists[lru.ordinal()].contains(folio)) {
            throw new IllegalStateException(name + ": folio not on list " + lists[lru.ordinal()].name()
                    + " its flags choose: " + folio);
        }
        return lru;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("lruvec ").append(name);
        for (LruList l : LruList.values()) {
            sb.append(' ').append(l.kernelName()).append('=').append(nrPages(l));
        }
        return sb.toString();
    }
}
