package org.pagelab.memcg;

import static org.pagelab.phys.MemSize.PAGE_SIZE;

import java.util.HashMap;
import java.util.Map;
import org.pagelab.desc.PageTablePage;
import org.pagelab.slab.KmemCache;
import org.pagelab.slab.ObjCharge;

/**
 * Kernel-memory charging (obj_cgroup, __GFP_ACCOUNT): page tables charged by the page, slab
 * objects of accounted caches charged by the byte from a stock of whole pages, and the object
 * cgroups through which both are charged, which move to the parent when their cgroup goes
 * offline (memcg_reparent_objcgs).
 */
final class ObjCgroups implements ObjCharge {
    private final MemcgHierarchy hierarchy;
    private final ActiveMemcg active;
    private final MemcgCharge charge;
    /** Kernel-memory charges name an object cgroup that moves to the parent when its cgroup goes offline. */
    private final Map<Integer, MemCgroup> objcgOwner = new HashMap<>();

    ObjCgroups(MemcgHierarchy hierarchy, ActiveMemcg active, MemcgCharge charge) {
        this.hierarchy = hierarchy;
        this.active = active;
        this.charge = charge;
        online(hierarchy.root());
    }

    /** A new cgroup gets its object cgroup, named by the cgroup's id. */
    void online(MemCgroup c) {
        objcgOwner.put(c.id, c);
    }

    /** The cgroup that object cgroup {@code objcg} charges now, or null when unknown. */
    MemCgroup owner(int objcg) {
        return objcgOwner.get(objcg);
    }

    /** Charges page-table page {@code t}, just allocated; returns false when refused. */
    boolean chargePageTable(PageTablePage t, boolean mayReclaim) {
        int nr = t.nrPages();
        MemCgroup c = charge.chargeNew(nr, mayReclaim);
        if (c == null) {
            return false;
        }
        t.setMemcgId(c.id);
        c.pagetablePages += nr;
        return true;
    }

    /** Page-table page {@code t} is being freed: its object cgroup's owner lets go of it. */
    void unchargePageTable(PageTablePage t) {
        if (t.memcgId() != 0) {
            MemCgroup c = objcgOwner.get(t.memcgId());
            if (c == null) {
                throw new IllegalStateException("page table charged to unknown object cgroup " + t.memcgId() + ": " + t);
            }
            t.setMemcgId(0);
            c.pagetablePages -= 1;
            c.memory.uncharge(1);
            hierarchy.releaseIfEmpty(c);
        }
    }

    /**
     * obj_cgroup_charge: charges {@code bytes} to the current cgroup, from its stock of bytes
     * already charged in whole pages when it has enough, else charging the pages it lacks (which
     * may reclaim and fail). Returns the object cgroup's id, or -1 when refused.
     */
    @Override
    public int charge(KmemCache cache, int bytes) {
        MemCgroup c = active.target();
        if (c.slabStock < bytes) {
            long need = (bytes - c.slabStock + PAGE_SIZE - 1) / PAGE_SIZE;
            if (!charge.tryCharge(c, need, true)) {
                return -1;
            }
            c.slabPages += need;
            c.slabStock += need * PAGE_SIZE;
        }
        c.slabStock -= bytes;
        if (cache.reclaimable()) {
            c.slabReclaimableBytes += bytes;
        } else {
            c.slabUnreclaimableBytes += bytes;
        }
        return c.id;
    }

    /** obj_cgroup_uncharge: the bytes go back to the stock; whole pages of stock are uncharged. */
    @Override
    public void uncharge(int objcg, KmemCache cache, int bytes) {
        if (objcg == 0) {
            return; // allocated before the controller existed (boot): never charged
        }
        MemCgroup c = objcgOwner.get(objcg);
        if (c == null) {
            throw new IllegalStateException("slab object of " + cache.name() + " charged to unknown object cgroup " + objcg);
        }
        if (cache.reclaimable()) {
            c.slabReclaimableBytes -= bytes;
        } else {
            c.slabUnreclaimableBytes -= bytes;
        }
        c.slabStock += bytes;
        long pages = c.slabStock / PAGE_SIZE;
        if (pages > 0) {
            c.slabStock -= pages * PAGE_SIZE;
            c.slabPages -= pages;
            c.memory.uncharge(pages);
            hierarchy.releaseIfEmpty(c);
        }
    }

    /**
     * memcg_reparent_objcgs: cgroup {@code c} went offline; its kernel-memory pages stay charged
     * at the parent and above, and its object cgroups now charge the parent.
     */
    void reparent(MemCgroup c) {
        long kmem = c.pagetablePages + c.slabPages;
        if (kmem > 0) {
            // the pages stay charged at the parent and above; only this level lets go of them
            c.memory.usage -= kmem;
            c.memory.propagateProtected();
            c.parent.pagetablePages += c.pagetablePages;
            c.parent.slabPages += c.slabPages;
            c.parent.slabReclaimableBytes += c.slabReclaimableBytes;
            c.parent.slabStock += c.slabStock;
            c.slabStock = 0;
            if (c.parent.slabStock >= PAGE_SIZE) {
                // two partial stocks made a whole page: it is no longer needed
                c.parent.slabStock -= PAGE_SIZE;
                c.parent.slabPages--;
                c.parent.memory.uncharge(1);
            }
            c.parent.slabUnreclaimableBytes += c.slabUnreclaimableBytes;
            c.pagetablePages = 0;
            c.slabPages = 0;
            c.slabReclaimableBytes = 0;
            c.slabUnreclaimableBytes = 0;
        }
        for (Map.Entry<Integer, MemCgroup> e : objcgOwner.entrySet()) {
            if (e.getValue() == c) {
                e.setValue(c.parent);
            }
        }
    }
}
