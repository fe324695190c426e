package org.pagelab.reclaim;

import java.util.ArrayList;
import java.util.List;
import org.pagelab.desc.Folio;
import org.pagelab.desc.FolioFlags.Flag;
import org.pagelab.lruvec.LruList;
import org.pagelab.lruvec.LruVec;
import org.pagelab.phys.MemSize;

/**
 * The kernel's active/inactive LRU (mm/swap.c and the classic half of mm/vmscan.c): each of anon
 * and file has an inactive list where folios are tried and an active list where the working set
 * is protected, with second chances given by REFERENCED and the PTE accessed bits. See the
 * {@linkplain org.pagelab.reclaim package description} for the design.
 *
 * <h2>Implementation notes</h2>
 * <h3>1. No per-CPU batches</h3>
 * The kernel queues LRU additions and moves in per-CPU folio batches and applies them later; the
 * model applies them at once. A folio therefore is on the LRU from the moment {@link #onAdd}
 * returns, and a folio that is not on the LRU is isolated.
 *
 * <h3>2. Accesses to isolated folios</h3>
 * {@link #onAccess} on an isolated, inactive, referenced folio clears REFERENCED and ages the
 * non-resident clock but does not activate it, as in the kernel, where the folio is in no batch
 * for __lru_cache_activate_folio to find.
 *
 * <h3>3. Evictability</h3>
 * A folio is evictable unless it is MLOCKED. The kernel also treats every folio of an unevictable
 * mapping (SHM_LOCK, ramfs) as unevictable; the model has no such mappings yet.
 *
 * <h3>4. Rmap contention</h3>
 * The kernel's folio_referenced can report lock contention, which keeps the folio; the model is
 * single-threaded and has none.
 */
public final class TwoListPolicy implements ReclaimPolicy {
    /** The registry name. */
    public static final String NAME = "twolist";

    private final LruEventSink events;

    /** Creates the policy reporting to {@code events}. */
    public TwoListPolicy(LruEventSink events) {
        this.events = events;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Whether {@code folio} may sit on an evictable list (folio_evictable): it is not mlocked. */
    public static boolean evictable(Folio folio) {
        return !folio.test(Flag.MLOCKED);
    }

    // ---- entry, access, exit ----

    @Override
    public void onAdd(LruVec lruvec, Folio folio) {
        prepareForLru(folio);
        lruvec.add(folio);
    }

    @Override
    public void onAccess(LruVec lruvec, Folio folio) {
        if (!folio.test(Flag.REFERENCED)) {
            folio.set(Flag.REFERENCED);
            return;
        }
        if (folio.test(Flag.UNEVICTABLE) || folio.test(Flag.ACTIVE)) {
            return;
        }
        if (folio.test(Flag.LRU)) {
            lruvec.del(folio);
            folio.set(Flag.ACTIVE);
            lruvec.add(folio);
            events.count(LruEvent.PGACTIVATE, folio.nrPages());
        }
        folio.clear(Flag.REFERENCED);
        lruvec.ageNonresident(folio.nrPages());
    }

    @Override
    public void remove(LruVec lruvec, Folio folio) {
        if (!folio.test(Flag.LRU)) {
            return;
        }
        lruvec.del(folio);
        folio.clear(Flag.ACTIVE);
        folio.clear(Flag.UNEVICTABLE);
    }

    @Override
    public void deactivate(LruVec lruvec, Folio folio) {
        if (!folio.test(Flag.LRU) || folio.test(Flag.UNEVICTABLE) || !folio.test(Flag.ACTIVE)) {
            return;
        }
        lruvec.del(folio);
        folio.clear(Flag.ACTIVE);
        folio.clear(Flag.REFERENCED);
        lruvec.add(folio);
        events.count(LruEvent.PGDEACTIVATE, folio.nrPages());
    }

    @Override
    public void rotateReclaimable(LruVec lruvec, Folio folio) {
        if (!folio.test(Flag.LRU) || folio.test(Flag.UNEVICTABLE)
                || folio.test(Flag.LOCKED) || folio.test(Flag.DIRTY)) {
            return;
        }
        lruvec.del(folio);
        folio.clear(Flag.ACTIVE);
        lruvec.addTail(folio);
        events.count(LruEvent.PGROTATED, folio.nrPages());
    }

    // ---- list balance ----

    /**
     * The target ratio of active to inactive pages for an LRU of {@code totalPages} evictable pages
     * of one kind: {@code floor(sqrt(10 * gb))} where {@code gb} is the size in whole GiB, and 1
     * below one GiB. Requires: {@code totalPages >= 0}.
     */
    public static long inactiveRatio(long totalPages) {
        if (totalPages < 0) {
            throw new IllegalArgumentException("negative LRU size: " + totalPages);
        }
        long gb = totalPages >>> (30 - MemSize.PAGE_SHIFT);
        return gb == 0 ? 1 : intSqrt(10 * gb);
    }

    /** The largest {@code r} with {@code r * r <= x}. Requires: {@code x >= 0}. */
    static long intSqrt(long x) {
        if (x < 0) {
            throw new IllegalArgumentException("square root of negative " + x);
        }
        long r = (long) Math.sqrt((double) x);
        while (r > 0 && r > x / r) {
            r--;
        }
        while (r + 1 <= x / (r + 1)) {
            r++;
        }
        return r;
    }

    @Override
    public boolean inactiveIsLow(LruVec lruvec, boolean file) {
        long inactive = lruvec.nrPages(LruList.inactive(file));
        long active = lruvec.nrPages(LruList.active(file));
        return inactive * inactiveRatio(inactive + active) < active;
    }

    // ---- scanning ----

    @Override
    public IsolateResult isolateForReclaim(LruVec lruvec, IsolateRequest request) {
        return isolate(lruvec, LruList.inactive(request.file()), request);
    }

    @Override
    public ShrinkActiveResult shrinkActive(LruVec lruvec, IsolateRequest request, ReferenceHarvester harvester) {
        IsolateResult taken = isolate(lruvec, LruList.active(request.file()), request);
        events.count(LruEvent.PGREFILL, taken.nrScanned());
        List<Folio> released = new ArrayList<>();
        List<Folio> keepActive = new ArrayList<>();
        List<Folio> toInactive = new ArrayList<>();
        for (Folio f : taken.folios()) {
            if (!evictable(f)) {
                putbackOne(lruvec, f, released);
                continue;
            }
            RmapReferences refs = harvester.harvest(f);
            if (refs.referenced() && refs.inExecVma() && LruVec.isFileLru(f)) {
                keepActive.add(f);
                continue;
            }
            f.clear(Flag.ACTIVE);
            f.set(Flag.WORKINGSET);
            toInactive.add(f);
        }
        long nrActivate = putbackAll(lruvec, keepActive, released);
        long nrDeactivate = putbackAll(lruvec, toInactive, released);
        events.count(LruEvent.PGDEACTIVATE, nrDeactivate);
        return new ShrinkActiveResult(taken.nrScanned(), taken.nrTaken(), nrActivate, nrDeactivate, released);
    }

    @Override
    public FolioReferences checkReferences(Folio folio, RmapReferences references) {
        boolean referencedFolio = folio.testAndClear(Flag.REFERENCED);
        if (references.inLockedVma()) {
            return FolioReferences.ACTIVATE;
        }
        if (references.referenced()) {
            folio.set(Flag.REFERENCED);
            if (referencedFolio || references.referencedPtes() > 1) {
                return FolioReferences.ACTIVATE;
            }
            if (references.inExecVma() && LruVec.isFileLru(folio)) {
                return FolioReferences.ACTIVATE;
            }
            return FolioReferences.KEEP;
        }
        if (referencedFolio && LruVec.isFileLru(folio)) {
            return FolioReferences.RECLAIM_CLEAN;
        }
        return FolioReferences.RECLAIM;
    }

    @Override
    public void activateIsolated(Folio folio) {
        requireIsolated(folio);
        if (!folio.test(Flag.MLOCKED)) {
            folio.set(Flag.ACTIVE);
            events.count(LruEvent.PGACTIVATE, folio.nrPages());
        }
    }

    @Override
    public List<Folio> putback(LruVec lruvec, List<Folio> folios) {
        List<Folio> released = new ArrayList<>();
        putbackAll(lruvec, folios, released);
        return released;
    }

    // ---- helpers ----

    /**
     * Scans {@code lru} from the tail. Ineligible folios are set aside without counting and
     * returned to the head afterwards in their original order; mapped folios that may not be
     * unmapped count as scanned and rotate to the head.
     */
    private IsolateResult isolate(LruVec lruvec, LruList lru, IsolateRequest request) {
        List<Folio> taken = new ArrayList<>();
        List<Folio> skipped = new ArrayList<>();
        long scanned = 0;
        long nrTaken = 0;
        Folio f;
        while (scanned < request.nrToScan() && (f = lruvec.peekTail(lru)) != null) {
            if (!request.eligible().test(f)) {
                lruvec.del(f);
                skipped.add(f);
                continue;
            }
            scanned += f.nrPages();
            if (!request.mayUnmap() && f.mapped()) {
                lruvec.moveToHead(f);
                continue;
            }
            lruvec.isolate(f);
            taken.add(f);
            nrTaken += f.nrPages();
        }
        for (Folio s : skipped) {
            lruvec.add(s);
        }
        return new IsolateResult(taken, scanned, nrTaken);
    }

    /** Puts each folio back; returns the pages that went back onto an evictable list. */
    private long putbackAll(LruVec lruvec, List<Folio> folios, List<Folio> released) {
        long moved = 0;
        for (Folio f : folios) {
            moved += putbackOne(lruvec, f, released);
        }
        return moved;
    }

    private long putbackOne(LruVec lruvec, Folio folio, List<Folio> released) {
        requireIsolated(folio);
        prepareForLru(folio);
        if (lruvec.putback(folio) == LruVec.Putback.RELEASED) {
            released.add(folio);
            return 0;
        }
        if (folio.test(Flag.UNEVICTABLE)) {
            return 0;
        }
        if (folio.test(Flag.ACTIVE)) {
            lruvec.ageNonresident(folio.nrPages());
        }
        return folio.nrPages();
    }

    /**
     * Decides evictability on entry to the LRU (lru_add_fn): unevictable folios lose ACTIVE. Public
     * for the multi-generational policy, which decides it the same way.
     */
    public void prepareForLru(Folio folio) {
        boolean wasUnevictable = folio.testAndClear(Flag.UNEVICTABLE);
        if (evictable(folio)) {
            if (wasUnevictable) {
                events.count(LruEvent.UNEVICTABLE_PGS_RESCUED, folio.nrPages());
            }
        } else {
            folio.clear(Flag.ACTIVE);
            folio.set(Flag.UNEVICTABLE);
            if (!wasUnevictable) {
                events.count(LruEvent.UNEVICTABLE_PGS_CULLED, folio.nrPages());
            }
        }
    }

    /** Throws unless {@code folio} is isolated: LRU clear and on no list. */
    public static void requireIsolated(Folio folio) {
        if (folio.test(Flag.LRU) || folio.list() != null) {
            throw new IllegalStateException("folio is not isolated: " + folio);
        }
    }
}
