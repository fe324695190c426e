package org.pagelab.gup;

import org.pagelab.memory.MemoryManager;
import org.pagelab.phys.PageAllocator;
import org.pagelab.stat.VmStat;
import org.pagelab.swap.SwapSpace;

/**
 * What get_user_pages needs from the machine it runs in: the processes' memory, the frames, the
 * counters and the swap caches. Gup is made before the memory manager, so it asks for them only
 * when called. The machine implements it, so this package does not depend on the machine's.
 */
public interface GupHost {
    /** Processes and their memory. Requires: the machine is built. */
    MemoryManager memory();

    /** The page allocator and its memmap. */
    PageAllocator phys();

    /** The node's counters (nr_foll_pin_acquired, nr_foll_pin_released). */
    VmStat vmstat();

    /** The swap caches, which drop a folio whose last holder was a get or a pin. */
    SwapSpace swap();
}
