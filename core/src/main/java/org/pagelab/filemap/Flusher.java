package org.pagelab.filemap;

import java.util.ArrayList;
import java.util.List;
import org.pagelab.phys.PageAllocator;
import org.pagelab.phys.Watermark;
import org.pagelab.phys.Zone;
import org.pagelab.stat.VmItem;
import org.pagelab.stat.VmStat;

/**
 * Dirty page limits and the flusher thread (mm/page-writeback.c, fs/fs-writeback.c): who writes
 * dirty page-cache folios back while nobody calls fsync.
 *
 * <h2>Limits</h2>
 * The dirtyable memory is what could hold file pages: free pages above the reserves (the zones'
 * high watermarks) plus the file LRU lists (global_dirtyable_memory). Of it,
 * {@value #DIRTY_BACKGROUND_RATIO}% is the background threshold and {@value #DIRTY_RATIO}% the
 * dirty threshold (vm.dirty_background_ratio, vm.dirty_ratio):
 * <pre>
 *   dirty            &gt; background  the flusher writes in the background until below it
 *   dirty + writeback &gt; (background + threshold) / 2   writers are throttled (balance_dirty_pages)
 * </pre>
 * A writer checks every {@value #RATELIMIT_PAGES} pages it dirties (balance_dirty_pages_ratelimited).
 * When throttled it sleeps until enough writes complete to bring it under the limit (at most
 * {@value #MAX_PAUSE_MS} ms a time, the kernel's MAX_PAUSE); the kernel paces it to the measured
 * writeback bandwidth instead, which comes to the same rate.
 *
 * <h2>The flusher</h2>
 * A kernel thread (the kernel's per-device writeback worker, kworker/u:flush) that, when woken,
 * writes chunks of {@value #CHUNK_PAGES} pages per file (MIN_WRITEBACK_PAGES) while dirty pages
 * exceed the background threshold, or everything when reclaim asked (wakeup_flusher_threads,
 * WB_REASON_VMSCAN: reclaim met only dirty pages not queued for writeback). It keeps at most
 * {@value #MAX_IN_FLIGHT} pages of writes in flight, as a device queue of 64 requests of 256 KiB
 * would, and sleeps until some complete when it reaches that.
 *
 * <p>Outside a step (the Java API, no simulated time) the flusher's work is done inline by the
 * writer that would have woken it, and its writes complete at once.
 *
 * <p>Left out: periodic writeback of pages dirty for longer than dirty_expire_centisecs (the
 * kupdate timer, every 5 s), per-device bandwidth estimation, strictlimit and per-cgroup
 * writeback domains.
 */
public final class Flusher {
    /** vm.dirty_background_ratio. */
    public static final int DIRTY_BACKGROUND_RATIO = 10;
    /** vm.dirty_ratio. */
    public static final int DIRTY_RATIO = 20;
    /** Pages a writer dirties between checks of the limits (ratelimit_pages, at least 32). */
    static final int RATELIMIT_PAGES = 32;
    /** Pages written per file per chunk (MIN_WRITEBACK_PAGES: 4 MiB). */
    static final int CHUNK_PAGES = 1024;
    /** Pages of writes the flusher keeps in flight at most. */
    static final int MAX_IN_FLIGHT = 4096;
    /** The longest pause of a throttled writer (MAX_PAUSE: HZ/5). */
    static final long MAX_PAUSE_MS = 200;

    private final Vfs vfs;
    private final Writeback writeback;
    private final PageAllocator phys;
    private final VmStat vmstat;
    private IoClock clock;
    private Runnable wake;
    private boolean writeAll;
    private long dirtiedSinceCheck;

    Flusher(Vfs vfs, Writeback writeback, PageAllocator phys, VmStat vmstat) {
        this.vfs = vfs;
        this.writeback = writeback;
        this.phys = phys;
        this.vmstat = vmstat;
    }

    /** Runs the flusher as a kernel thread on {@code clock}, which {@code wake} makes runnable. */
    void setThread(IoClock clock, Runnable wake) {
        this.clock = clock;
        this.wake = wake;
    }

    /** global_dirtyable_memory: free pages above the reserves, and the file LRU lists. */
    public long dirtyableMemory() {
        long free = phys.freePages();
        long reserve = 0;
        for (Zone z : phys.zones()) {
            reserve += z.watermark(Watermark.HIGH);
        }
        return Math.max(0, free - reserve) + vmstat.get(VmItem.NR_INACTIVE_FILE) + vmstat.get(VmItem.NR_ACTIVE_FILE) + 1;
    }

    /** The background threshold, in pages. */
    public long backgroundThresh() {
        return dirtyableMemory() * DIRTY_BACKGROUND_RATIO / 100;
    }

    /** The dirty threshold, in pages. */
    public long dirtyThresh() {
        return dirtyableMemory() * DIRTY_RATIO / 100;
    }

    private long dirty() {
        return vmstat.get(VmItem.NR_DIRTY);
    }

    /**
     * balance_dirty_pages_ratelimited: called by a writer after it dirtied {@code pages} pages;
     * every {@value #RATELIMIT_PAGES} pages it wakes the flusher above the background threshold
     * and sleeps while dirty and writeback pages exceed the throttling limit.
     */
    void balanceDirtyPages(long pages) {
        dirtiedSinceCheck += pages;
        if (dirtiedSinceCheck < RATELIMIT_PAGES) {
            return;
        }
        dirtiedSinceCheck = 0;
        if (dirty() <= backgroundThresh()) {
            return;
        }
        if (clock == null || !clock.inStep()) {
            flushInline(false);
            return;
        }
        wake.run();
        long freerun = (backgroundThresh() + dirtyThresh()) / 2;
        WritebackIo io = writeback.io();
        for (int pauses = 0; dirty() + vmstat.get(VmItem.NR_WRITEBACK) > freerun && pauses < 8; pauses++) {
            long excess = dirty() + vmstat.get(VmItem.NR_WRITEBACK) - freerun;
            long until = io.completedBy((int) Math.min(Integer.MAX_VALUE, Math.max(1, excess)));
            long now = clock.now();
            long pause = until < 0 ? MAX_PAUSE_MS * 1_000_000 : Math.min(MAX_PAUSE_MS * 1_000_000, Math.max(1, until - now));
            clock.sleepFor(pause);
            clock.runTimersDue();
        }
    }

    /** wakeup_flusher_threads(WB_REASON_VMSCAN): reclaim met dirty pages nobody queued: write them all. */
    public void wakeForReclaim() {
        writeAll = true;
        if (clock == null || !clock.inStep()) {
            flushInline(true);
            return;
        }
        wake.run();
    }

    /** Whether the flusher has work: dirty pages above the background threshold, or reclaim's request. */
    public boolean hasWork() {
        return dirty() > 0 && (writeAll || dirty() > backgroundThresh());
    }

    /**
     * One step of the flusher thread: writes one chunk per dirty file (as wb_writeback does) when
     * it has work and room in the device queue. Returns the nanoseconds it must wait for writes to
     * complete first (0 when it wrote or has nothing to do).
     */
    public long step() {
        if (!hasWork()) {
            writeAll = false;
            return 0;
        }
        WritebackIo io = writeback.io();
        long inFlight = vmstat.get(VmItem.NR_WRITEBACK);
        if (inFlight >= MAX_IN_FLIGHT) {
            long until = io.completedBy(CHUNK_PAGES);
            return until < 0 ? 0 : Math.max(1, until - clock.now());
        }
        writeChunks(Math.max(1, MAX_IN_FLIGHT - inFlight));
        if (!hasWork()) {
            writeAll = false;
        }
        return 0;
    }

    /** Writes up to {@value #CHUNK_PAGES} pages of each dirty file, no more than {@code budget} in all. */
    private void writeChunks(long budget) {
        List<Inode> dirtyFiles = new ArrayList<>();
        vfs.forEachInode(i -> {
            if (i.mapping() instanceof PageCache pc && pc.index().anyMarked(CacheIndex.Mark.DIRTY)) {
                dirtyFiles.add(i);
            }
        });
        long left = budget;
        for (Inode inode : dirtyFiles) {
            if (left <= 0) {
                break;
            }
            long n = writeback.writeRange(inode, 0, Long.MAX_VALUE, Math.min(CHUNK_PAGES, left));
            if (clock != null) {
                clock.cacheLookups(n);
            }
            left -= n;
        }
    }

    /** The flusher's work done by the caller, outside simulated time: write until done, writes complete at once. */
    private void flushInline(boolean all) {
        for (int round = 0; round < 1_000_000 && (all ? dirty() > 0 : dirty() > backgroundThresh()); round++) {
            long before = dirty();
            writeChunks(MAX_IN_FLIGHT);
            if (clock != null) {
                clock.drainTimers();
            }
            if (dirty() >= before) {
                break;
            }
        }
        writeAll = false;
    }
}
