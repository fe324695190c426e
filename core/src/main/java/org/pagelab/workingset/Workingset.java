package org.pagelab.workingset;

import org.pagelab.desc.Folio;
import org.pagelab.desc.FolioFlags.Flag;
import org.pagelab.lruvec.LruList;
import org.pagelab.lruvec.LruVec;

/**
 * Workingset detection for one machine (mm/workingset.c, the two-list half): writes the shadow
 * word when reclaim evicts a folio, and when the folio comes back over that shadow decides from
 * the refault distance whether it goes straight to the active list. See the
 * {@linkplain org.pagelab.workingset package description} for the reasoning.
 *
 * <p>The model has one node: every shadow is packed with node {@value #NODE_ID} and the id of the
 * memory cgroup whose lruvec evicted the folio ({@link LruVec#memcgId()}); a refault is measured
 * against that cgroup's lruvec and counted on the lruvec the new folio is charged to.
 *
 * <p>Detection can be switched off ({@link #setDetectionEnabled}): refaults are still counted and
 * their distance computed, but no refault is activated, which is how the page cache behaved
 * before the kernel had workingset detection.
 */
public final class Workingset {
    /** The node id every shadow carries while the machine has one node. */
    public static final int NODE_ID = 0;

    private final int bucketOrder;
    private final WorkingsetEventSink events;
    private boolean detectionEnabled = true;

    /**
     * Workingset detection for a machine of {@code totalRamPages} pages (which fixes the bucket
     * order, as workingset_init does at boot), reporting to {@code events}.
     * Requires: {@code totalRamPages > 0}.
     */
    public Workingset(long totalRamPages, WorkingsetEventSink events) {
        this.bucketOrder = ShadowWord.bucketOrder(totalRamPages);
        this.events = events;
    }

    /** Low bits of the non-resident age dropped from each timestamp. */
    public int bucketOrder() {
        return bucketOrder;
    }

    /** Whether refaults may be activated. */
    public boolean detectionEnabled() {
        return detectionEnabled;
    }

    /** Switches activation of refaults on or off; counting goes on either way. */
    public void setDetectionEnabled(boolean enabled) {
        this.detectionEnabled = enabled;
    }

    /**
     * Notes the eviction of {@code folio} from {@code lruvec} (workingset_eviction): reads the
     * non-resident age as the eviction timestamp, then advances the age by the folio's pages, and
     * returns the shadow word to store in the folio's cache slots in its place. The word records
     * whether the folio had WORKINGSET.
     * Requires: the folio is off the LRU (isolated by reclaim).
     */
    public long eviction(LruVec lruvec, Folio folio) {
        if (folio.test(Flag.LRU)) {
            throw new IllegalStateException("evicting a folio that is still on the LRU: " + folio);
        }
        long eviction = lruvec.nonresidentAge() >>> bucketOrder;
        lruvec.ageNonresident(folio.nrPages());
        return ShadowWord.pack(NODE_ID, lruvec.memcgId(), eviction, folio.test(Flag.WORKINGSET));
    }

    /**
     * Judges {@code folio}, freshly allocated to replace the folio whose eviction left
     * {@code shadowWord} (workingset_refault). Counts the refault; if detection is on and the
     * refault distance is at most {@link #workingsetSize}, sets ACTIVE, advances the non-resident
     * age by the folio's pages and counts an activation, and if the shadow has the workingset bit
     * also sets WORKINGSET, charges the pages to the lruvec's reclaim cost and counts a restore.
     * {@code swapAvailable} is whether free swap space exists (mem_cgroup_get_nr_swap_pages &gt; 0).
     * Requires: the folio is not on the LRU yet; the caller adds it after this returns.
     */
    public Refault refault(LruVec lruvec, Folio folio, long shadowWord, boolean swapAvailable) {
        return refault(ShadowWord.memcgId(shadowWord) == lruvec.memcgId() ? lruvec : null, lruvec, folio, shadowWord,
                swapAvailable);
    }

    /**
     * {@link #refault(LruVec, Folio, long, boolean)} with memory cgroups: the distance is measured
     * on {@code evictionLruvec}, the lruvec of the cgroup the shadow names (null when that cgroup
     * is gone: the refault is then not counted at all, as the kernel ignores it), against that
     * lruvec's workingset including its descendants'; the refault is counted, and the folio
     * activated, on {@code lruvec}, the one it is charged to now.
     */
    public Refault refault(LruVec evictionLruvec, LruVec lruvec, Folio folio, long shadowWord, boolean swapAvailable) {
        if (folio.test(Flag.LRU)) {
            throw new IllegalStateException("refault of a folio already on the LRU: " + folio);
        }
        int nodeId = ShadowWord.nodeId(shadowWord);
        int memcgId = ShadowWord.memcgId(shadowWord);
        if (nodeId != NODE_ID || evictionLruvec == null || evictionLruvec.memcgId() != memcgId) {
            return new Refault.Foreign(nodeId, memcgId);
        }
        long eviction = ShadowWord.eviction(shadowWord) << bucketOrder;
        long distance = (evictionLruvec.nonresidentAge() - eviction) & ShadowWord.EVICTION_MASK;
        boolean file = LruVec.isFileLru(folio);
        int nr = folio.nrPages();
        events.count(WorkingsetEvent.refault(file), nr);

        long size = workingsetSize(evictionLruvec, file, swapAvailable);
        if (!detectionEnabled) {
            return new Refault.Evaluated(distance, size, Refault.Verdict.DETECTION_OFF);
        }
        if (distance > size) {
            return new Refault.Evaluated(distance, size, Refault.Verdict.TOO_FAR);
        }
        folio.set(Flag.ACTIVE);
        lruvec.ageNonresident(nr);
        events.count(WorkingsetEvent.activate(file), nr);
        if (!ShadowWord.workingset(shadowWord)) {
            return new Refault.Evaluated(distance, size, Refault.Verdict.ACTIVATED);
        }
        folio.set(Flag.WORKINGSET);
        lruvec.noteCost(file, nr);
        events.count(WorkingsetEvent.restore(file), nr);
        return new Refault.Evaluated(distance, size, Refault.Verdict.RESTORED);
    }

    /** Counts {@code n} pages of {@code event}, for a policy that keeps shadow entries of its own form. */
    public void count(WorkingsetEvent event, long n) {
        events.count(event, n);
    }

    /**
     * The pages a refaulting folio competes with, the bound on its refault distance: the active
     * file list; for an anon folio also the inactive file list; with free swap also the active
     * anon list, and for a file folio the inactive anon list too. (Without swap, anon pages cannot
     * be reclaimed to make room, so they are not counted; an anon folio's own inactive list is
     * where its distance was measured.)
     */
    public static long workingsetSize(LruVec lruvec, boolean file, boolean swapAvailable) {
        long size = lruvec.subtreePages(LruList.ACTIVE_FILE);
        if (!file) {
            size += lruvec.subtreePages(LruList.INACTIVE_FILE);
        }
        if (swapAvailable) {
            size += lruvec.subtreePages(LruList.ACTIVE_ANON);
            if (file) {
                size += lruvec.subtreePages(LruList.INACTIVE_ANON);
            }
        }
        return size;
    }

    /**
     * Notes that {@code folio} was activated on {@code lruvec} (workingset_activation): advances
     * the non-resident age by its pages. {@link org.pagelab.reclaim.TwoListPolicy} already does
     * this itself where the kernel calls it (folio_mark_accessed) and where reclaim puts active
     * folios back (move_folios_to_lru); call this only from activation paths that do not.
     */
    public void activation(LruVec lruvec, Folio folio) {
        lruvec.ageNonresident(folio.nrPages());
    }
}
