package org.pagelab.failure;

import org.pagelab.filemap.WritebackIo;
import org.pagelab.memory.MemoryManager;
import org.pagelab.phys.PageAllocator;
import org.pagelab.reclaim.Vmscan;
import org.pagelab.rmap.Rmap;
import org.pagelab.swap.SwapSpace;

/**
 * What memory_failure needs from the machine it runs in: the subsystems that hold the frame's
 * owner (allocator, processes, swap caches, LRU), the reverse map that unmaps it, and writeback,
 * which it waits for. MemoryFailure is made before most of them, so it asks for them only when
 * called. The machine implements it, so this package does not depend on the machine's.
 */
public interface FailureHost {
    /** The page allocator and its memmap. */
    PageAllocator phys();

    /** Processes and their memory, which also keeps the kernel log. Requires: the machine is built. */
    MemoryManager memory();

    /** The reverse-mapping actions (try_to_unmap). Requires: the machine is built. */
    Rmap rmap();

    /** The swap caches. */
    SwapSpace swap();

    /** Reclaim and the LRU lists. Requires: the machine is built. */
    Vmscan vmscan();

    /** Writeback I/O, which a poisoned page under writeback waits for. */
    WritebackIo writebackIo();
}
