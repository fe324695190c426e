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
        long done = clock.submitIo(device, (long) f.nrPages() * org.pagelab.phys.MemSize.PAGE_SIZE, true);
        inFlight.put(f, done);
        pagesInFlight += f.nrPages();
        balanceRequests();
        clock.at(done, () -> {
            Long t = inFlight.get(f);
            if (t != null && t == done) {
                end(f);
            }
        });
        return done;
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
        clock.waitUntil(done);
        end(f);
    }

    /** When the write of {@code f} completes, or -1 when none is in flight. */
    public long completion(Folio f) {
        Long done = inFlight.get(f);
        return done == null ? -1 : done;
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
