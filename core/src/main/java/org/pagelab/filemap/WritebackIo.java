package org.pagelab.filemap;

import java.util.IdentityHashMap;
import java.util.Map;
import org.pagelab.desc.Folio;
import org.pagelab.desc.FolioFlags.Flag;
import org.pagelab.phys.PageAllocator;
import org.pagelab.sim.Sim;
import org.pagelab.sim.SimDevice;

/**
 * Writes of cache folios in flight: page-cache folios on their way to their file, swap-cache
 * folios on their way to their slot (the kernel's bios under folio writeback,
 * folio_start_writeback .. folio_end_writeback).
 *
 * <p>A write is submitted at the writer's current time and completes when the device model says
 * ({@link SimDevice}: its latency, then its one data channel at its bandwidth). Its bytes reach the
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
 * <p>Completion runs as a timer of the simulator ({@link Sim#at}): writeback ends
 * (nr_written), and when reclaim marked the folio for immediate reclaim (PG_reclaim) it goes to
 * the tail of its inactive list (folio_rotate_reclaimable, pgrotated) through the
 * {@link EndHook} reclaim installs. A task that must have the write done (fsync, truncation,
 * memory-failure) waits for it ({@link #waitFor}): its clock moves to the completion time as I/O
 * wait, and the writeback ends at once.
 *
 * <p>Invariant ({@link #check}): a folio is under writeback exactly when a write of it is in
 * flight here; each such folio holds one reference for it.
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
    private final Sim sim;
    private EndHook hook = EndHook.NONE;
    private final Map<Folio, Long> inFlight = new IdentityHashMap<>();

    public WritebackIo(PageAllocator phys, Sim sim) {
        this.phys = phys;
        this.sim = sim;
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
    public long start(AddressSpace mapping, Folio f, SimDevice device) {
        mapping.startWriteback(f);
        f.refAdd(1);
        long done = sim.submitIo(device, (long) f.nrPages() * 4096, true);
        inFlight.put(f, done);
        sim.at(done, () -> {
            Long t = inFlight.get(f);
            if (t != null && t == done) {
                end(f);
            }
        });
        return done;
    }

    /** Ends the writeback of {@code f} now (folio_end_writeback). Requires: a write of it is in flight. */
    private void end(Folio f) {
        if (inFlight.remove(f) == null || !(f.mapping() instanceof AddressSpace mapping)) {
            throw new IllegalStateException("writeback ended on a folio with no write in flight: " + f);
        }
        mapping.endWriteback(f);
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
        sim.waitUntil(done);
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
