package org.pagelab.reclaim;

import org.pagelab.lruvec.LruVec;
import org.pagelab.stat.VmItem;

/**
 * lru_gen_shrink_lruvec: reclaim of one lruvec under a generational policy (the
 * multi-generational LRU). The policy says how much to scan and isolates each batch from its
 * oldest generation; this driver reclaims each batch through shrink_folio_list, as
 * {@link Vmscan} does for the two lists, and counts pgscan and pgsteal, until the scan target or
 * the reclaim target is reached. Split out of {@link Vmscan}, which chooses between the two
 * drivers per lruvec.
 */
final class GenerationalShrink {
    /** Counts a reclaim event: in the cgroup only for cgroup reclaim (Vmscan.countReclaim). */
    @FunctionalInterface
    interface ReclaimCounter {
        void count(VmItem item, long n, boolean cgroupReclaim);
    }

    private final ReclaimHost machine;
    private final ShrinkFolioList shrinkList;
    private final ReclaimCounter counter;

    GenerationalShrink(ReclaimHost machine, ShrinkFolioList shrinkList, ReclaimCounter counter) {
        this.machine = machine;
        this.shrinkList = shrinkList;
        this.counter = counter;
    }

    /**
     * Reclaims from {@code lruvec} at {@code priority} with {@code swappiness} (0: file only) until
     * the policy's scan target or {@code nrToReclaim}; adds the batches' counts to {@code stat}.
     * Returns pages reclaimed.
     */
    long shrink(GenerationalScan gen, LruVec lruvec, int priority, int swappiness, long nrToReclaim,
            ShrinkFolioList.Pass pass, boolean cgroupReclaim, ShrinkFolioList.Stat stat) {
        boolean kswapd = pass.kswapd();
        long nrToScan = gen.nrToScan(lruvec, priority, swappiness, kswapd);
        long scanned = 0;
        long reclaimed = 0;
        while (scanned < nrToScan && reclaimed < nrToReclaim) {
            machine.sim().runTimersDue(); // writes that completed while this reclaimer scanned end now
            GenerationalScan.Batch b = gen.isolate(lruvec, swappiness);
            IsolateResult iso = b.result();
            machine.sim().cpu(org.pagelab.sim.CpuEvent.RECLAIM_SCAN, iso.nrScanned());
            scanned += iso.nrScanned();
            counter.count(kswapd ? VmItem.PGSCAN_KSWAPD : VmItem.PGSCAN_DIRECT, iso.nrTaken(), cgroupReclaim);
            machine.vmstat().add(b.file() ? VmItem.PGSCAN_FILE : VmItem.PGSCAN_ANON, iso.nrTaken());
            stat.scanned += iso.nrScanned();
            if (!iso.folios().isEmpty()) {
                ShrinkFolioList.Stat batchStat = new ShrinkFolioList.Stat();
                long got = shrinkList.shrink(lruvec, iso.folios(), pass, batchStat);
                stat.add(batchStat);
                counter.count(kswapd ? VmItem.PGSTEAL_KSWAPD : VmItem.PGSTEAL_DIRECT, got, cgroupReclaim);
                machine.vmstat().add(b.file() ? VmItem.PGSTEAL_FILE : VmItem.PGSTEAL_ANON, got);
                reclaimed += got;
            }
            if (iso.nrScanned() == 0) {
                break;
            }
        }
        return reclaimed;
    }
}
