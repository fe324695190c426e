package org.pagelab.memcg;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import org.pagelab.desc.Folio;
import org.pagelab.desc.SwapEntry;

/**
 * Swap accounting (mm/swap_cgroup.c and the swap half of memcontrol.c): the cgroup each
 * allocated swap slot is charged to, by swap entry, charged against memory.swap.max for as long
 * as the slot is allocated.
 */
final class SwapCgroup {
    private final MemcgHierarchy hierarchy;
    private final MemcgEvents events;
    /** swap_cgroup: the cgroup each allocated swap slot is charged to, by swap entry. */
    private final Map<SwapEntry, Integer> swapOwner = new HashMap<>();

    SwapCgroup(MemcgHierarchy hierarchy, MemcgEvents events) {
        this.hierarchy = hierarchy;
        this.events = events;
    }

    /** See {@link MemoryCgroups#chargeSwap}. */
    boolean chargeSwap(Folio f, SwapEntry entry, int nr) {
        MemCgroup c = hierarchy.lookup(f.memcgId());
        if (c == null) {
            c = hierarchy.root();
        }
        PageCounter failed = c.swap.tryCharge(nr);
        if (failed != null) {
            for (MemCgroup m = c; m != null; m = m.parent) {
                if (m.swap == failed) {
                    events.event(m, MemcgEvent.SWAP_MAX);
                    break;
                }
            }
            events.event(c, MemcgEvent.SWAP_FAIL);
            return false;
        }
        for (int k = 0; k < nr; k++) {
            swapOwner.put(entry.plus(k), c.id); // a large folio's slots are charged, and freed, one by one
        }
        return true;
    }

    /** The slot of {@code entry} became free: its swap charge goes (mem_cgroup_uncharge_swap). */
    void unchargeSwap(SwapEntry entry) {
        Integer id = swapOwner.remove(entry);
        if (id == null) {
            return;
        }
        MemCgroup c = hierarchy.requireId(id, "swap entry " + entry);
        c.swap.uncharge(1);
        hierarchy.releaseIfEmpty(c);
    }

    /** The cgroup swap entry {@code entry} is charged to if it is still online, else null. */
    MemCgroup onlineOwner(SwapEntry entry) {
        Integer id = swapOwner.get(entry);
        MemCgroup c = id == null ? null : hierarchy.lookup(id);
        return c != null && c.online ? c : null;
    }

    /** Every charged slot's entry and the id of its cgroup, for the checker. */
    Map<SwapEntry, Integer> owners() {
        return Collections.unmodifiableMap(swapOwner);
    }
}
