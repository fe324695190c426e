package org.pagelab.reclaim;

import java.util.List;
import org.pagelab.desc.Folio;
import org.pagelab.lruvec.LruVec;

/**
 * A page replacement policy at the level of one {@link LruVec}: where folios enter, what an access
 * does, and how the reclaim driver takes candidates and returns survivors. The kernel's two-list
 * policy is {@link TwoListPolicy}; a multi-generational LRU, or a textbook LRU or CLOCK, would be
 * other implementations, chosen by {@linkplain ReclaimPolicies name}.
 *
 * <p>Division of labour with the reclaim driver (mm/vmscan.c, not in this package): the driver
 * decides how much to scan of which LRU ({@link #inactiveIsLow} tells it when to refill the
 * inactive list), isolates candidates with {@link #isolateForReclaim}, harvests their references
 * through rmap, asks {@link #checkReferences} what to do with each, unmaps, writes back and frees
 * the victims, and returns the rest with {@link #activateIsolated} and {@link #putback}. The driver
 * counts pgscan and pgsteal; the policy counts the {@link LruEvent}s on the sink it was created
 * with.
 *
 * <p>Order of calls:
 * <pre>
 * fault, read, write that allocate a folio   -&gt; onAdd
 * folio_mark_accessed (read(2), write(2), unmap of a young PTE) -&gt; onAccess
 * folio release (last reference)             -&gt; remove
 * MADV_COLD                                  -&gt; deactivate
 * writeback end of a folio marked RECLAIM    -&gt; rotateReclaimable
 * shrink_lruvec
 *   inactiveIsLow(file)    ? shrinkActive(file, harvester)
 *   isolateForReclaim(inactive)
 *   for each folio: checkReferences(folio, harvester.harvest(folio))
 *       ACTIVATE -&gt; activateIsolated;  KEEP -&gt; (nothing);  RECLAIM[_CLEAN] -&gt; try to free
 *   putback(survivors)      (frees what putback releases)
 * </pre>
 *
 * <p>A policy may keep per-lruvec state of its own (a generation counter, a clock hand), keyed by
 * the {@link LruVec}; the two-list policy keeps none beyond the lists.
 */
public interface ReclaimPolicy {
    /** The name the policy is registered under in {@link ReclaimPolicies}. */
    String name();

    /**
     * Puts a folio that is not on any LRU onto {@code lruvec} (folio_add_lru and lru_add_fn):
     * decides evictability, then places it by its flags. A folio that arrives ACTIVE (a refault
     * judged part of the working set) goes to the active list.
     * Requires: LRU clear, the folio on no list, the caller holding a reference.
     */
    void onAdd(LruVec lruvec, Folio folio);

    /**
     * Records an access that no page table saw: a read(2) or write(2) of a cached page, or an
     * unmap that found the PTE young (folio_mark_accessed). The folio may be on the LRU or
     * isolated.
     */
    void onAccess(LruVec lruvec, Folio folio);

    /**
     * Takes a folio off {@code lruvec} for good because it is being freed (the LRU part of
     * __page_cache_release): unlinks it and clears LRU, ACTIVE and UNEVICTABLE. Does nothing if
     * LRU is clear. Does not touch the reference count.
     */
    void remove(LruVec lruvec, Folio folio);

    /**
     * Moves an active evictable folio to the inactive list, dropping its REFERENCED mark
     * (lru_deactivate_fn, used by MADV_COLD). Does nothing for other folios.
     */
    void deactivate(LruVec lruvec, Folio folio);

    /**
     * Moves a folio whose writeback just finished to the tail of its inactive list, so that the
     * next scan reclaims it (folio_rotate_reclaimable). Does nothing unless the folio is on the
     * LRU, evictable, clean and unlocked.
     */
    void rotateReclaimable(LruVec lruvec, Folio folio);

    /** Whether the inactive list of the given kind is too small compared with its active list. */
    boolean inactiveIsLow(LruVec lruvec, boolean file);

    /**
     * Scans the inactive list of {@code request.file()} from its tail and isolates candidates for
     * reclaim (isolate_lru_folios on the inactive list). Each isolated folio holds the isolation
     * reference and has LRU clear.
     */
    IsolateResult isolateForReclaim(LruVec lruvec, IsolateRequest request);

    /**
     * Scans the active list of {@code request.file()} from its tail and moves folios to the
     * inactive list, keeping on the active list referenced folios this policy protects
     * (shrink_active_list). Folios whose last reference was the isolation one come back in
     * {@link ShrinkActiveResult#released()} for the caller to free.
     */
    ShrinkActiveResult shrinkActive(LruVec lruvec, IsolateRequest request, ReferenceHarvester harvester);

    /**
     * Decides the fate of an isolated inactive folio from what rmap found and the folio's own
     * REFERENCED mark (folio_check_references). May change REFERENCED.
     */
    FolioReferences checkReferences(Folio folio, RmapReferences references);

    /**
     * Marks an isolated folio to go back to the active list at {@link #putback} (the
     * activate_locked step of shrink_folio_list). Requires: the folio is isolated.
     */
    void activateIsolated(Folio folio);

    /**
     * Returns isolated folios to {@code lruvec} (move_folios_to_lru), re-deciding evictability, and
     * drops their isolation references. Returns the folios whose isolation reference was the last,
     * now off every list with refcount zero, for the caller to free.
     */
    List<Folio> putback(LruVec lruvec, List<Folio> folios);

    /**
     * The scan a multi-generational policy drives itself, or null for a list policy, which the
     * driver balances with {@link #inactiveIsLow} and {@link #shrinkActive}.
     */
    default GenerationalScan generational() {
        return null;
    }

    /**
     * The shadow word to leave in the cache for {@code folio}, evicted from {@code lruvec}
     * (workingset_eviction): by default the non-resident age that {@code workingset} keeps.
     */
    default long shadowOnEviction(LruVec lruvec, Folio folio, org.pagelab.workingset.Workingset workingset) {
        return workingset.eviction(lruvec, folio);
    }

    /**
     * A folio now charged to {@code lruvec} refaults over {@code shadowWord}, left when
     * {@code evictionLruvec} (null when its cgroup is gone) evicted it (workingset_refault): by
     * default the refault distance of {@code workingset} decides its activation.
     */
    default void onRefault(LruVec evictionLruvec, LruVec lruvec, Folio folio, long shadowWord, boolean swapAvailable,
            org.pagelab.workingset.Workingset workingset) {
        workingset.refault(evictionLruvec, lruvec, folio, shadowWord, swapAvailable);
    }
}
