package org.pagelab.compaction;

import java.util.function.BooleanSupplier;
import org.pagelab.phys.CompactResult;
import org.pagelab.phys.PageAllocator;
import org.pagelab.phys.Zone;
import org.pagelab.phys.ZoneType;
import org.pagelab.stat.VmItem;
import org.pagelab.stat.VmStat;

/**
 * kcompactd, the node's background compaction thread (mm/compaction.c): woken for a high-order
 * request that kswapd could not satisfy, it compacts every suitable zone for that order,
 * synchronously but without waiting on writeback (MIGRATE_SYNC_LIGHT), then sleeps. Its sleep has
 * a timeout of {@value #CHECK_INTERVAL_MS} ms (HPAGE_FRAG_CHECK_INTERVAL_MSEC): when it passes
 * without a wake-up, the thread compacts proactively if vm.compaction_proactiveness is above 0,
 * kswapd is not running and the node's fragmentation score is above the high mark; a proactive
 * run that does not lower the score makes the next timeout 2^{@value #MAX_DEFER_SHIFT} times as
 * long. The thread itself is a kernel thread of the machine's simulator, made at the first
 * wake-up that has work for it; the timeout is a timer of the simulator, which checks the score
 * and wakes the thread only when there is proactive work. This class is its state and its work.
 */
public final class Kcompactd {
    /** HPAGE_FRAG_CHECK_INTERVAL_MSEC: the sleep's timeout. */
    public static final long CHECK_INTERVAL_MS = 500;
    /** COMPACT_MAX_DEFER_SHIFT, by which a proactive run without progress lengthens the timeout. */
    static final int MAX_DEFER_SHIFT = 6;

    private final Compaction compaction;
    private final PageAllocator phys;
    private final VmStat vmstat;
    private final Runnable wakeThread;
    private final org.pagelab.sim.Sim sim;
    private final BooleanSupplier kswapdRunning;
    /** kcompactd_max_order and kcompactd_highest_zoneidx: what the wake-ups since the last run asked for. */
    private int maxOrder;
    private ZoneType highest = ZoneType.DMA32;
    /** vm.compaction_proactiveness, 0..100. */
    private int proactiveness = Compaction.DEFAULT_PROACTIVENESS;
    /** The sleep's timeout has passed (or the sysctl was written) with proactive work to do. */
    private boolean proactiveDue;
    /** The current sleep's number: a timer of an earlier sleep, which a wake-up ended, does nothing. */
    private long sleepSeq;
    private long proactiveRuns;

    /**
     * kcompactd over {@code compaction}; {@code wakeThread} makes its kernel thread runnable;
     * {@code sim} times its sleeps; {@code kswapdRunning} says whether kswapd is awake. Call
     * {@link #start} once the machine is up.
     */
    public Kcompactd(Compaction compaction, PageAllocator phys, VmStat vmstat, Runnable wakeThread,
                     org.pagelab.sim.Sim sim, BooleanSupplier kswapdRunning) {
        this.compaction = compaction;
        this.phys = phys;
        this.vmstat = vmstat;
        this.wakeThread = wakeThread;
        this.sim = sim;
        this.kswapdRunning = kswapdRunning;
    }

    /** The thread's first sleep begins (kcompactd_run at boot). */
    public void start() {
        sleep(CHECK_INTERVAL_MS);
    }

    /** vm.compaction_proactiveness. */
    public int proactiveness() {
        return proactiveness;
    }

    /**
     * Sets vm.compaction_proactiveness (compaction_proactiveness_sysctl_handler): a non-zero value
     * also makes the thread check for proactive work now (proactive_compact_trigger). Throws
     * {@link IllegalArgumentException} outside 0..100.
     */
    public void setProactiveness(int value) {
        if (value < 0 || value > Compaction.MAX_PROACTIVENESS) {
            throw new IllegalArgumentException("compaction_proactiveness must be in 0.." + Compaction.MAX_PROACTIVENESS
                    + ": " + value);
        }
        proactiveness = value;
        if (value > 0 && shouldProactiveCompact()) {
            proactiveDue = true;
            wakeThread.run();
        } else if (value > 0 && !proactiveDue) {
            sleep(CHECK_INTERVAL_MS); // woken, nothing to do: it sleeps again with the timeout
        }
    }

    /** Proactive runs so far (each compacts every zone once). */
    public long proactiveRuns() {
        return proactiveRuns;
    }

    /** should_proactive_compact_node. */
    public boolean shouldProactiveCompact() {
        return proactiveness > 0 && !kswapdRunning.getAsBoolean()
                && compaction.nodeFragmentationScore() > Compaction.fragmentationScoreWmark(proactiveness, false);
    }

    /** The thread goes to sleep for {@code ms} at most: its timeout checks for proactive work. */
    private void sleep(long ms) {
        long seq = ++sleepSeq;
        if (sim != null) {
            sim.timeout(sim.now() + ms * 1_000_000L, () -> timeout(seq));
        }
    }

    private void timeout(long seq) {
        if (seq != sleepSeq) {
            return; // a wake-up ended that sleep
        }
        if (proactiveness > 0 && shouldProactiveCompact()) {
            proactiveDue = true;
            wakeThread.run();
        } else if (proactiveness > 0) {
            sleep(CHECK_INTERVAL_MS); // the thread wakes, finds nothing to do, and sleeps again
        }
        // with proactiveness 0 the kernel's thread sleeps without a timeout
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

    /** Whether a wake-up or proactive work is waiting for the thread to run. */
    public boolean pending() {
        return maxOrder > 0 || proactiveDue;
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
     * compact_daemon_free_scanned. Without a wake-up, the proactive work when it is due
     * ({@link #runProactive}). Then the thread sleeps again with its timeout.
     */
    public void run() {
        if (maxOrder == 0) {
            if (proactiveDue) {
                proactiveDue = false;
                sleep(runProactive());
            }
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
        sleep(CHECK_INTERVAL_MS);
    }

    /**
     * The proactive part of the kcompactd loop: when should_proactive_compact_node holds now,
     * proactive_compact_node; returns the next timeout in ms, longer when the score did not go down.
     */
    public long runProactive() {
        if (!shouldProactiveCompact()) {
            return CHECK_INTERVAL_MS;
        }
        proactiveRuns++;
        int before = compaction.nodeFragmentationScore();
        compaction.proactiveCompactNode(proactiveness, kswapdRunning);
        return compaction.nodeFragmentationScore() >= before ? CHECK_INTERVAL_MS << MAX_DEFER_SHIFT : CHECK_INTERVAL_MS;
    }
}
