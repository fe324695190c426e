package org.pagelab.filemap;

import java.util.IdentityHashMap;
import java.util.Map;
import org.pagelab.desc.Folio;
import org.pagelab.desc.FolioFlags.Flag;
import org.pagelab.phys.PageAllocator;

/**
 * Writes of cache folios in flight: page-cache folios on their way to their file, swap-cache
 * folios on their way to their slot (the kernel's bios under folio writeback,
 * folio_start_writeback .. folio_end_writeback).
 *
 * <p>A write is submitted at the writer's current time and completes when the device model says
 * (the machine's device model: its latency, then its one data channel at its bandwidth). Its bytes reach the
 * backing store at submission (the caller copies them), so nothing can be lost between; what the
 * time between submission and completion models is the folio's state: it stays under writeback
 * (WRITEBACK set, counted in nr_writeback, its cache index marked) and cannot be freed, dropped or
 * truncated away until the write completes. The I/O holds one reference on the folio meanwhile,
 * which makes that structural: every path that frees a folio checks its reference count.
 *
 * <p>Outside a step (a machine driven through the Java API, without simulated time) no time
 * passes on its own: writes complete when something waits for them, or at the next allocation or
 * reclaim, which run every timer left (reclaim's {@code preempt}), as if the device had finished
 * meanwhile.
 *
 * <p>Completion runs as a timer of the simulator ({@link IoClock#at}): writeback ends
 * (nr_written), and when reclaim marked the folio for immediate reclaim (PG_reclaim) it goes to
 * the tail of its inactive list (folio_rotate_reclaimable, pgrotated) through the
 * {@link EndHook} reclaim installs. A task that must have the write done (fsync, truncation,
 * memory-failure) waits for it ({@link #waitFor}): its clock moves to the completion time as I/O
 * wait, and the writeback ends at once.
 *
 * <p>The plug ({@link #plug}, {@link #unplug}): reclaim holds the writes of each pass over an
 * LRU (shrink_lruvec's blk_start_plug .. blk_finish_plug) and they are submitted together when it
 * ends, so none of them can complete, and no folio they write can rotate and be freed, within the
 * pass that wrote it. Writes merge into the plug's last request while it stays within the
 * devices' largest request ({@link #setMaxRequestPages}); a write that must open a new request
 * flushes the plug first when it already holds {@value #BLK_MAX_REQUEST_COUNT} requests or its last
 * request has reached 128 KiB (blk_add_rq_to_plug). A task that waits for a write it holds flushes
 * its plug first. With user-mode Linux's 31-page requests a plug holds up to 992 pages: its
 * reclaim writes in bursts of that size and frees them over the faults that follow, which is how
 * the guest of {@code pagelab validate} ends a phase with hundreds of written pages in the swap
 * cache.
 *
 * <p>The block driver's requests ({@link #setRequestCache}): some drivers allocate a descriptor for
 * each request they are handed, with GFP_ATOMIC since they cannot sleep there (user-mode Linux's
 * ubd: ubd_alloc_req, 1,584 bytes from kmalloc-2k for a request of 64 segments, its MAX_SG). With a
 * request cache set, writes are taken as merged into requests of {@value #REQUEST_PAGES} pages, and
 * one object of the cache is held per request in flight, allocated when the writes in flight need
 * one more and freed when they need one fewer. That is how such a driver reaches the page allocator
 * with high-order atomic allocations (kmalloc-2k's slabs are order 2) under memory pressure, which
 * reserve a high-atomic pageblock ({@link org.pagelab.phys.MigrateType#HIGHATOMIC}). A request whose
 * descriptor cannot be had is written all the same (the driver would requeue it).
 *
 * <p>Invariants ({@link #check}): a folio is under writeback exactly when a write of it is in
 * flight here; each such folio holds one reference for it;
 * {@code pagesInFlight == sum of the pages of the folios in flight};
 * {@code requests held <= ceil(pagesInFlight / REQUEST_PAGES)}.
 */
public final class WritebackIo {
    /** What reclaim does when a write it may care about completes. */
    public interface EndHook {
        /**
         * Writeback of {@code f} ended; {@code reclaim} says reclaim had marked it for immediate
         * reclaim (PG_reclaim, now cleared).
         */
        void written(Folio f, boolean reclaim);

        EndHook NONE = (f, reclaim) -> { };
    }

    private final PageAllocator phys;
    private final IoClock clock;
    private EndHook hook = EndHook.NONE;
    private final Map<Folio, Long> inFlight = new IdentityHashMap<>();
    /** Pages a request of the block driver covers: writes in flight are taken as merged into such requests. */
    public static final int REQUEST_PAGES = 64;
    /** The cache the driver's request descriptors come from; null when it allocates none. */
    private org.pagelab.slab.KmemCache requestCache;
    private final java.util.ArrayDeque<org.pagelab.slab.SlabObject> requests = new java.util.ArrayDeque<>();
    private long pagesInFlight;

    public WritebackIo(PageAllocator phys, IoClock clock) {
        this.phys = phys;
        this.clock = clock;
    }

    /**
     * Makes the block driver allocate a request descriptor from {@code cache}, GFP_ATOMIC, for every
     * {@value #REQUEST_PAGES} pages of writes in flight; null: no descriptors. Requires: no write in flight.
     */
    public void setRequestCache(org.pagelab.slab.KmemCache cache) {
        if (!inFlight.isEmpty()) {
            throw new IllegalStateException("the request cache changes only with no write in flight");
        }
        this.requestCache = cache;
    }

    /** Request descriptors the block driver holds now. */
    public int requestsHeld() {
        return requests.size();
    }

    /** Allocates or frees descriptors until one is held per request of the writes in flight (as far as memory allows). */
    private void balanceRequests() {
        if (requestCache == null) {
            return;
        }
        long need = (pagesInFlight + REQUEST_PAGES - 1) / REQUEST_PAGES;
        while (requests.size() > need) {
            requestCache.free(requests.pop());
        }
        while (requests.size() < need) {
            org.pagelab.slab.SlabObject o = requestCache.allocAtomic();
            if (o == null) {
                return;
            }
            requests.push(o);
        }
    }

    /** Installs what runs when a write completes (reclaim's rotation of marked folios). */
    public void setEndHook(EndHook hook) {
        this.hook = hook == null ? EndHook.NONE : hook;
    }

    /**
     * Starts writeback of {@code f}, a folio of {@code mapping} whose bytes the caller has just
     * handed to the backing store: a write of its pages is submitted to {@code device} now and
     * completes later. Returns the completion time.
     */
    public long start(AddressSpace<?> mapping, Folio f, IoClock.Device device) {
        mapping.startWriteback(f);
        f.refAdd(1);
        pagesInFlight += f.nrPages();
        balanceRequests();
        if (plugDepth > 0) {
            hold(f, device);
            return PLUGGED;
        }
        return submit(f, device);
    }

    private long submit(Folio f, IoClock.Device device) {
        long done = clock.submitIo(device, (long) f.nrPages() * org.pagelab.phys.MemSize.PAGE_SIZE, true);
        inFlight.put(f, done);
        clock.at(done, () -> {
            Long t = inFlight.get(f);
            if (t != null && t == done) {
                end(f);
            }
        });
        return done;
    }

    /** The completion time a write held in a plug reports: not yet submitted, so later than any. */
    public static final long PLUGGED = Long.MAX_VALUE;
    /** BLK_MAX_REQUEST_COUNT: a plug holding this many requests is flushed before it takes another. */
    static final int BLK_MAX_REQUEST_COUNT = 32;
    /** BLK_PLUG_FLUSH_SIZE in pages (128 KiB): a plug whose last request has grown this large is flushed before the next. */
    static final int BLK_PLUG_FLUSH_PAGES = 32;
    /** The kernel's default max_sectors_kb (BLK_DEF_MAX_SECTORS, 2,560 sectors), in pages. */
    public static final int DEFAULT_MAX_REQUEST_PAGES = 320;

    private record Pending(Folio f, IoClock.Device device) {
    }

    private final java.util.List<Pending> plugged = new java.util.ArrayList<>();
    private int plugDepth;
    /** The plug's requests: how many, and the device and pages of the last (writes merge into it). */
    private int plugRequests;
    private IoClock.Device lastRequestDevice;
    private long lastRequestPages;
    private int maxRequestPages = DEFAULT_MAX_REQUEST_PAGES;

    /**
     * The largest request the block devices take, in pages (their queue's max_sectors_kb / 4): a
     * write merges into the plug's last request while that stays within it. user-mode Linux's ubd
     * sets no limit of its own and gets the block layer's safe default of 255 sectors (127 KiB: 31
     * pages), below the 128 KiB at which a plug flushes early, so its plugs fill to
     * {@value #BLK_MAX_REQUEST_COUNT} requests.
     */
    public void setMaxRequestPages(int pages) {
        if (pages < 1) {
            throw new IllegalArgumentException("max request pages must be at least 1, got " + pages);
        }
        this.maxRequestPages = pages;
    }

    /** The largest request in pages ({@link #setMaxRequestPages}). */
    public int maxRequestPages() {
        return maxRequestPages;
    }

    /**
     * A write started under a plug (blk_add_rq_to_plug): it merges into the last request when that
     * is on the same device and has room; otherwise it opens a request, the plug being flushed first
     * when it already holds {@value #BLK_MAX_REQUEST_COUNT} requests or its last one has reached
     * 128 KiB. Writes of a pass over the LRU go to neighbouring swap slots or file blocks, so they
     * are taken as mergeable.
     */
    private void hold(Folio f, IoClock.Device device) {
        int n = f.nrPages();
        if (plugRequests > 0 && device == lastRequestDevice && lastRequestPages + n <= maxRequestPages) {
            lastRequestPages += n;
        } else {
            if (plugRequests >= BLK_MAX_REQUEST_COUNT || plugRequests > 0 && lastRequestPages >= BLK_PLUG_FLUSH_PAGES) {
                flushPlug();
            }
            plugRequests++;
            lastRequestDevice = device;
            lastRequestPages = n;
        }
        inFlight.put(f, PLUGGED);
        plugged.add(new Pending(f, device));
    }

    /**
     * blk_start_plug: writes started from now on are held and reach the device together when the
     * plug ends (or fills, or the task waits for one of them). Plugs nest; the outermost one counts.
     */
    public void plug() {
        plugDepth++;
    }

    /** blk_finish_plug: ends a {@link #plug}; the outermost submits what it held, at the current time. */
    public void unplug() {
        if (plugDepth == 0) {
            throw new IllegalStateException("unplug without a plug");
        }
        if (--plugDepth == 0) {
            flushPlug();
        }
    }

    /** blk_flush_plug: submits the writes held, in the order they were started. */
    private void flushPlug() {
        plugRequests = 0;
        lastRequestDevice = null;
        lastRequestPages = 0;
        if (plugged.isEmpty()) {
            return;
        }
        var held = new java.util.ArrayList<>(plugged);
        plugged.clear();
        for (Pending p : held) {
            if (isPlugged(p.f())) {
                submit(p.f(), p.device());
            }
        }
    }

    private boolean isPlugged(Folio f) {
        Long t = inFlight.get(f);
        return t != null && t == PLUGGED;
    }

    /** Ends the writeback of {@code f} now (folio_end_writeback). Requires: a write of it is in flight. */
    private void end(Folio f) {
        if (inFlight.remove(f) == null || !(f.mapping() instanceof AddressSpace<?> mapping)) {
            throw new IllegalStateException("writeback ended on a folio with no write in flight: " + f);
        }
        mapping.endWriteback(f);
        pagesInFlight -= f.nrPages();
        balanceRequests();
        boolean reclaim = f.testAndClear(Flag.RECLAIM);
        hook.written(f, reclaim);
        phys.folioPut(f);
    }

    /**
     * The current task waits until the write of {@code f} completes (folio_wait_writeback) and its
     * writeback ends; nothing when none is in flight.
     */
    public void waitFor(Folio f) {
        Long done = inFlight.get(f);
        if (done == null) {
            return;
        }
        if (done == PLUGGED) {
            flushPlug(); // a task that sleeps flushes its plug first (sched_submit_work)
            done = inFlight.get(f);
        }
        clock.waitUntil(done);
        end(f);
    }

    /** When the write of {@code f} completes, or -1 when none is in flight. */
    public long completion(Folio f) {
        Long done = inFlight.get(f);
        return done == null ? -1 : done;
    }

    /** Writes started under the current plug and not yet handed to the device. */
    public int heldInPlug() {
        return plugged.size();
    }

    /** Writes in flight. */
    public int inFlight() {
        return inFlight.size();
    }

    /**
     * The time by which {@code n} more of the writes in flight will have completed (the earliest
     * {@code n}-th completion), or the last completion when fewer are in flight; -1 with none.
     */
    public long completedBy(int n) {
        if (inFlight.isEmpty()) {
            return -1;
        }
        long[] times = inFlight.values().stream().mapToLong(Long::longValue).sorted().toArray();
        return times[Math.min(n, times.length) - 1];
    }

    /** Checks that a write is in flight exactly for the folios under writeback; throws on a break. */
    public void check() {
        long pages = 0;
        for (Folio f : inFlight.keySet()) {
            pages += f.nrPages();
        }
        if (pages != pagesInFlight) {
            throw new IllegalStateException("pages in flight " + pagesInFlight + " but the writes in flight hold " + pages);
        }
        long held = 0;
        for (Pending p : plugged) {
            held += p.f().nrPages();
            if (!isPlugged(p.f())) {
                throw new IllegalStateException("a write held in the plug is not in flight as plugged: " + p.f());
            }
        }
        if (held > 0 && plugDepth == 0 || plugRequests > BLK_MAX_REQUEST_COUNT
                || held > (long) plugRequests * Math.max(maxRequestPages, 1 << org.pagelab.desc.MemDesc.MAX_ORDER)) {
            throw new IllegalStateException("plug holds " + held + " pages in " + plugRequests + " requests, depth " + plugDepth);
        }
        if (requests.size() > (pagesInFlight + REQUEST_PAGES - 1) / REQUEST_PAGES) {
            throw new IllegalStateException(requests.size() + " request descriptors held for " + pagesInFlight + " pages in flight");
        }
        for (Map.Entry<Folio, Long> e : inFlight.entrySet()) {
            Folio f = e.getKey();
            if (f.isDead() || !f.test(Flag.WRITEBACK) || f.mapping() == null) {
                throw new IllegalStateException("a write in flight for a folio not under writeback in a cache: " + f);
            }
        }
    }

    /** Whether a write of {@code f} is in flight (for the machine's reference count check). */
    public boolean writing(Folio f) {
        return inFlight.containsKey(f);
    }
}
