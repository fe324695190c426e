package org.pagelab.reclaim;

import java.util.List;
import org.pagelab.lruvec.LruVec;
import org.pagelab.workingset.Workingset;

/**
 * The part of a multi-generational policy that the reclaim driver calls instead of balancing the
 * lists itself (lru_gen_shrink_lruvec and lru_gen_age_node in mm/vmscan.c). A list policy tells the
 * driver when its inactive list is low and leaves the choice between anon and file to the
 * driver's get_scan_count; a generational policy ages by starting a new generation, not by moving
 * folios between two lists, and picks the type to evict with its own refault feedback, so the
 * driver asks it how much to scan and lets it isolate each batch.
 *
 * <p>Order of calls:
 * <pre>
 * Vmscan constructor           attach(host, workingset)
 * kswapd, each pass            ageNode(lruvecs, priority, swappiness)
 * shrink_lruvec                nrToScan(lruvec, priority, swappiness, kswapd)   (may age)
 *   until scanned or done:     isolate(lruvec, swappiness)
 *                              shrink_folio_list, then ReclaimPolicy.putback
 * </pre>
 */
public interface GenerationalScan {
    /** Hands the policy the machine it ages (clock, address spaces, memory cgroups) and its refault counters. */
    void attach(ReclaimHost host, Workingset workingset);

    /**
     * get_nr_to_scan: the pages of {@code lruvec} to scan at {@code priority}; runs the aging first
     * when the lruvec has too few generations, except in kswapd, which ages in {@link #ageNode}.
     * Zero when nothing can be evicted.
     */
    long nrToScan(LruVec lruvec, int priority, int swappiness, boolean kswapd);

    /**
     * isolate_folios and try_to_inc_min_seq: chooses the type to evict and the tiers to protect,
     * scans the oldest generation of that type (sorting promoted and protected folios into younger
     * generations) and isolates a batch of the policy's size. A scan of zero pages ends the pass;
     * folios it isolated all the same are still the caller's to reclaim or put back.
     */
    Batch isolate(LruVec lruvec, int swappiness);

    /**
     * lru_gen_age_node: ages every lruvec of {@code lruvecs} that needs it. When the policy has a
     * min_ttl and none could be aged (every one is younger than min_ttl: the working set of that
     * period would have to be evicted), calls {@link ReclaimHost#outOfMemory} and returns false;
     * true otherwise, and always without min_ttl.
     */
    boolean ageNode(List<LruVec> lruvecs, int priority, int swappiness);

    /** One isolated batch: its folios, and whether they are file ({@code true}) or anon. */
    record Batch(boolean file, IsolateResult result) {
    }
}
