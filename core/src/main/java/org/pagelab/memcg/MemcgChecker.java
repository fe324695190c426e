package org.pagelab.memcg;

import static org.pagelab.phys.MemSize.PAGE_SIZE;

import java.util.HashMap;
import java.util.Map;
import org.pagelab.desc.Folio;
import org.pagelab.desc.FolioFlags;
import org.pagelab.desc.MemDesc;
import org.pagelab.desc.Memmap;
import org.pagelab.desc.PageTablePage;

/**
 * The controller's invariants, recomputed from the descriptors that hold the charges:
 * {@code memory.usage == pages of live folios and page tables charged here + slab pages +
 * children's usage}, {@code swap.usage == slots charged here + children's swap usage},
 * {@code slabPages * PAGE_SIZE == slab object bytes + stock}, and the bookkeeping around them.
 */
final class MemcgChecker {
    /** What the checker asks of swap: whether a slot is still in use (mapped or in the swap cache). */
    interface SwapSlots {
        boolean inUse(org.pagelab.desc.SwapEntry entry);
    }

    private final MemcgHierarchy hierarchy;
    private final ObjCgroups kmem;
    private final SwapCgroup swap;
    private final Memmap memmap;
    private final SwapSlots slots;

    MemcgChecker(MemcgHierarchy hierarchy, ObjCgroups kmem, SwapCgroup swap, Memmap memmap, SwapSlots slots) {
        this.hierarchy = hierarchy;
        this.kmem = kmem;
        this.swap = swap;
        this.memmap = memmap;
        this.slots = slots;
    }

    /** See {@link MemoryCgroups#check}. */
    void check() {
        Map<Integer, Long> local = new HashMap<>();
        Map<Integer, Long> tables = new HashMap<>();
        for (int pfn = 0; pfn < memmap.nrFrames(); ) {
            MemDesc d = memmap.raw(pfn);
            if (d == null) {
                pfn++;
                continue;
            }
            switch (d) {
                case Folio f -> {
                    if (f.memcgId() == 0) {
                        throw new IllegalStateException("live folio charged to no memory cgroup: " + f);
                    }
                    MemCgroup c = hierarchy.lookup(f.memcgId());
                    if (c == null) {
                        throw new IllegalStateException("folio charged to a released memory cgroup: " + f);
                    }
                    local.merge(c.id, (long) f.nrPages(), Long::sum);
                    if (f.test(FolioFlags.Flag.LRU) && !c.lruvec.contains(f)) {
                        throw new IllegalStateException("folio with LRU is not on its cgroup's lruvec (" + c.path() + "): " + f);
                    }
                }
                case PageTablePage t -> {
                    MemCgroup c = kmem.owner(t.memcgId());
                    if (t.memcgId() == 0 || c == null || hierarchy.lookup(c.id) == null) {
                        throw new IllegalStateException("page table charged to no live memory cgroup: " + t);
                    }
                    local.merge(c.id, 1L, Long::sum);
                    tables.merge(c.id, 1L, Long::sum);
                }
                default -> {
                }
            }
            pfn += d.nrPages();
        }
        Map<Integer, Long> swapLocal = new HashMap<>();
        for (Map.Entry<org.pagelab.desc.SwapEntry, Integer> e : swap.owners().entrySet()) {
            if (hierarchy.lookup(e.getValue()) == null) {
                throw new IllegalStateException("swap entry " + e.getKey() + " charged to released memcg " + e.getValue());
            }
            if (!slots.inUse(e.getKey())) {
                throw new IllegalStateException("swap charge of free slot " + e.getKey());
            }
            swapLocal.merge(e.getValue(), 1L, Long::sum);
        }
        for (MemCgroup c : hierarchy.all()) {
            checkCgroup(c, local.getOrDefault(c.id, 0L), swapLocal.getOrDefault(c.id, 0L), tables.getOrDefault(c.id, 0L));
        }
        if (hierarchy.liveIds() != hierarchy.all().size()) {
            throw new IllegalStateException("memory cgroups by id " + hierarchy.liveIds() + " but " + hierarchy.all().size() + " in the hierarchy");
        }
    }

    private void checkCgroup(MemCgroup c, long localPages, long localSwap, long tablePages) {
        long mem = localPages + c.slabPages;
        long sw = localSwap;
        for (MemCgroup k : c.children) {
            mem += k.memory.usage;
            sw += k.swap.usage;
        }
        if (c.memory.usage != mem) {
            throw new IllegalStateException(c + ": memory.current " + c.memory.usage + " pages but charges add up to " + mem);
        }
        if (c.swap.usage != sw) {
            throw new IllegalStateException(c + ": memory.swap.current " + c.swap.usage + " pages but swap charges add up to " + sw);
        }
        if (c.slabPages * PAGE_SIZE != c.slabReclaimableBytes + c.slabUnreclaimableBytes + c.slabStock
                || c.slabStock < 0 || c.slabStock >= PAGE_SIZE) {
            throw new IllegalStateException(c + ": " + c.slabPages + " slab pages charged but objects hold "
                    + (c.slabReclaimableBytes + c.slabUnreclaimableBytes) + " bytes with a stock of " + c.slabStock);
        }
        if (c.pagetablePages != tablePages) {
            throw new IllegalStateException(c + ": pagetables " + c.pagetablePages + " but " + tablePages + " table pages charged");
        }
        if (!c.online && c.memory.usage == 0 && c.swap.usage == 0 && c.children.isEmpty()) {
            throw new IllegalStateException(c + ": offline with nothing charged, yet not released");
        }
        if (hierarchy.lookup(c.id) != c) {
            throw new IllegalStateException(c + ": in the hierarchy but not by id");
        }
        long childMin = 0;
        long childLow = 0;
        for (MemCgroup k : c.children) {
            childMin += Math.min(k.memory.usage, k.memory.min);
            childLow += Math.min(k.memory.usage, k.memory.low);
        }
        if (childMin != c.memory.childrenMinUsage || childLow != c.memory.childrenLowUsage) {
            throw new IllegalStateException(c + ": children's protected usage " + c.memory.childrenMinUsage + "/"
                    + c.memory.childrenLowUsage + " but recomputed " + childMin + "/" + childLow);
        }
        c.lruvec.check();
    }
}
