package org.pagelab.compaction;

import org.pagelab.phys.CompactResult;
import org.pagelab.phys.PageAllocator;
import org.pagelab.phys.Zone;
import org.pagelab.phys.ZoneType;
import org.pagelab.stat.VmItem;
import org.pagelab.stat.VmStat;

/**
 * kcompactd, the node's background compaction thread (mm/compaction.c): woken for a high-order
 * request that kswapd could not satisfy, it compacts every suitable zone for that order,
 * synchronously but without waiting on writeback (MIGRATE_SYNC_LIGHT), then sleeps. The thread
 * itself is a kernel thread of the machine's simulator; this class is its state and its work.
 */
public final class Kcompactd {
    private final Compaction compaction;
    private final PageAllocator phys;
    private final VmStat vmstat;
    private final Runnable wakeThread;
    /** kcompactd_max_order and kcompactd_highest_zoneidx: what the wake-ups since the last run asked for. */
    private int maxOrder;
    private ZoneType highest = ZoneType.DMA32;

    /** kcompactd over {@code compaction}; {@code wakeThread} makes its kernel thread runnable. */
    public Kcompactd(Compaction compaction, PageAllocator phys, VmStat vmstat, Runnable wakeThread) {
        this.compaction = compaction;
        this.phys = phys;
        this.vmstat = vmstat;
        this.wakeThread = wakeThread;
    }

    /**
     * wakeup_kcompactd: records the request's order and highest zone and wakes the thread, when
     * {@code order} is above 0 and some zone up to {@code highestZone} is suitable for compaction
     * (kcompactd_node_suitable). Returns whether it woke the thread.
     */
    public boolean wake(int order, ZoneType highestZone) {
        if (order <= 0 || !nodeSuitable(order, highestZone)) {
            return false;
        }
        maxOrder = Math.max(maxOrder, order);
        if (highestZone.ordinal() > highest.ordinal()) {
            highest = highestZone;
        }
        wakeThread.run();
        return true;
    }

    /** Whether a wake-up is waiting for the thread to run. */
    public boolean pending() {
        return maxOrder > 0;
    }

    private boolean nodeSuitable(int order, ZoneType highestZone) {
        for (Zone z : phys.zones()) {
            if (z.managedPages() > 0 && z.index() <= highestZone.ordinal()
                    && Compaction.suitable(z, order, highestZone) == CompactResult.CONTINUE) {
                return true;
            }
        }
        return false;
    }

    /**
     * kcompactd_do_work: one wake-up's work. Counts compact_daemon_wake, compacts each populated
     * zone up to the highest asked for, lowest first, that is neither deferred nor unsuitable;
     * a success resets the zone's deferral, a run that saw its zone without success defers it;
     * the scanners' pfns are also counted in compact_daemon_migrate_scanned and
     * compact_daemon_free_scanned. Does nothing when no wake-up is pending.
     */
    public void run() {
        if (maxOrder == 0) {
            return;
        }
        int order = maxOrder;
        ZoneType top = highest;
        maxOrder = 0;
        highest = ZoneType.DMA32;
        vmstat.inc(VmItem.COMPACT_DAEMON_WAKE);
        long[] scanned = new long[2];
        for (Zone z : phys.zones()) {
            if (z.managedPages() == 0 || z.index() > top.ordinal()) {
                continue;
            }
            if (compaction.deferred(z, order) || Compaction.suitable(z, order, top) != CompactResult.CONTINUE) {
                continue;
            }
            CompactResult status = compaction.compactZone(z, order, top, Compaction.Mode.SYNC_LIGHT, false, scanned);
            if (status == CompactResult.SUCCESS) {
                compaction.deferReset(z, order, false);
            } else if (status == CompactResult.PARTIAL_SKIPPED || status == CompactResult.COMPLETE) {
                compaction.defer(z, order);
            }
        }
        vmstat.add(VmItem.COMPACT_DAEMON_MIGRATE_SCANNED, scanned[0]);
        vmstat.add(VmItem.COMPACT_DAEMON_FREE_SCANNED, scanned[1]);
    }
}
