package org.pagelab.memcg;

import org.pagelab.desc.Folio;

/**
 * Charging (try_charge_memcg, mem_cgroup_charge, mem_cgroup_uncharge): a charge at every level of
 * the hierarchy, what memory.max does when a level is full (cgroup reclaim, then the cgroup's OOM
 * killer), and the charge and uncharge of folios. Kernel memory is charged through here by
 * {@link ObjCgroups}.
 */
final class MemcgCharge {
    /** PAGE_ALLOC_COSTLY_ORDER: charges up to 2^3 pages retry while reclaim makes progress. */
    static final int COSTLY_PAGES = 8;

    private final MemcgHierarchy hierarchy;
    private final ActiveMemcg active;
    private final MemcgTasks tasks;
    private final MemcgReclaim reclaim;
    private final MemcgHigh high;
    private final MemcgOom oom;
    private final MemcgEvents events;
    private boolean chargeFailed;

    MemcgCharge(MemcgHierarchy hierarchy, ActiveMemcg active, MemcgTasks tasks, MemcgReclaim reclaim, MemcgHigh high,
            MemcgOom oom, MemcgEvents events) {
        this.hierarchy = hierarchy;
        this.active = active;
        this.tasks = tasks;
        this.reclaim = reclaim;
        this.high = high;
        this.oom = oom;
        this.events = events;
    }

    /**
     * Charges {@code nr} pages of a new allocation to the cgroup whose turn it is; returns that
     * cgroup, or null (remembered for {@link #chargeFailed}) when the charge cannot be made.
     */
    MemCgroup chargeNew(int nr, boolean mayReclaim) {
        MemCgroup c = active.target();
        chargeFailed = false;
        if (!tryCharge(c, nr, mayReclaim)) {
            chargeFailed = true;
            return null;
        }
        return c;
    }

    /** mem_cgroup_charge: charges folio {@code f}, just allocated; returns false when refused. */
    boolean chargeFolio(Folio f, boolean mayReclaim) {
        MemCgroup c = chargeNew(f.nrPages(), mayReclaim);
        if (c == null) {
            return false;
        }
        f.setMemcgId(c.id);
        return true;
    }

    /** mem_cgroup_uncharge: folio {@code f} is being freed. */
    void unchargeFolio(Folio f) {
        if (f.memcgId() != 0) {
            MemCgroup c = hierarchy.requireId(f.memcgId(), f);
            f.setMemcgId(0);
            c.memory.uncharge(f.nrPages());
            hierarchy.releaseIfEmpty(c);
        }
    }

    /** Whether the last charge failed (consumed by the fault's OOM path). */
    boolean chargeFailed() {
        boolean f = chargeFailed;
        chargeFailed = false;
        return f;
    }

    /**
     * try_charge_memcg: charges {@code nr} pages to {@code c} and its ancestors. When a level is
     * at its memory.max, reclaims from that level's subtree, retrying while reclaim makes
     * progress and then up to {@value MemoryCgroups#MAX_RECLAIM_RETRIES} times more, then runs
     * that level's OOM killer and tries again for as long as it kills. Charges made while
     * reclaiming are forced (PF_MEMALLOC). Above memory.high the charge succeeds and the current
     * process is marked to reclaim and be throttled on its way back to user space.
     */
    boolean tryCharge(MemCgroup c, long nr, boolean mayReclaim) {
        int retries = MemoryCgroups.MAX_RECLAIM_RETRIES;
        boolean raisedMax = false;
        boolean passedOom = false;
        for (;;) {
            PageCounter failed = c.memory.tryCharge(nr);
            if (failed == null) {
                high.noteHigh(c, nr, mayReclaim);
                return true;
            }
            MemCgroup over = ownerOf(c, failed);
            if (reclaim.inReclaim() || high.inHighReclaim()) {
                if (!raisedMax) {
                    events.event(over, MemcgEvent.MAX);
                }
                c.memory.charge(nr);
                return true;
            }
            if (!mayReclaim) {
                return false;
            }
            if (!raisedMax) {
                events.event(over, MemcgEvent.MAX);
                raisedMax = true;
            }
            long reclaimed = reclaim.reclaim(over, nr);
            if (over.memory.margin() >= nr) {
                continue;
            }
            if (reclaimed > 0 && nr <= COSTLY_PAGES) {
                continue;
            }
            if (retries-- > 0) {
                continue;
            }
            if (nr > COSTLY_PAGES) {
                return false; // mem_cgroup_oom: the OOM killer will not help a costly charge (a THP): it fails, unrecorded
            }
            MemcgTask cur = tasks.current();
            if (passedOom && cur != null && (cur.oomKillPending() || !cur.alive())) {
                return false;
            }
            events.event(over, MemcgEvent.OOM);
            if (oom.outOfMemory(over)) {
                passedOom = true;
                retries = MemoryCgroups.MAX_RECLAIM_RETRIES;
                MemcgTask now = tasks.current();
                if (now != null && now.oomKillPending()) {
                    return false; // the allocating process itself was chosen: it unwinds and dies
                }
                continue;
            }
            return false;
        }
    }

    private static MemCgroup ownerOf(MemCgroup c, PageCounter counter) {
        for (MemCgroup m = c; m != null; m = m.parent) {
            if (m.memory == counter) {
                return m;
            }
        }
        throw new IllegalStateException("page counter not on the path of " + c);
    }
}
