package org.pagelab.memory;

import org.pagelab.filemap.Vfs;
import org.pagelab.filemap.WritebackIo;
import org.pagelab.memcg.MemoryCgroups;
import org.pagelab.phys.PageAllocator;
import org.pagelab.reclaim.Vmscan;
import org.pagelab.sim.Sim;
import org.pagelab.slab.KmemCache;
import org.pagelab.stat.VmStat;
import org.pagelab.swap.SwapSpace;
import org.pagelab.vma.Mm;

/**
 * What the memory manager needs from the machine it runs in: the subsystems below it, the two
 * made after it (reclaim and memory cgroups, asked for only once the machine is built), new
 * address spaces, and the end of a process's simulated task. The machine implements it, so this
 * package does not depend on the machine's.
 */
public interface MemoryHost {
    /** The page allocator. */
    PageAllocator phys();

    /** The node's counters. */
    VmStat vmstat();

    /** The simulator that times CPU work and I/O. */
    Sim sim();

    /** The swap devices and their swap caches. */
    SwapSpace swap();

    /** The file system. */
    Vfs vfs();

    /** Writeback I/O, whose completion a swap-in of a page under writeback waits for. */
    WritebackIo writebackIo();

    /** Reclaim and the LRU lists. Requires: the machine is built. */
    Vmscan vmscan();

    /** The memory cgroups. Requires: the machine is built. */
    MemoryCgroups memcg();

    /** A new, empty address space whose objects come from the machine's slab caches. */
    Mm newMm();

    /** Ends the simulated task of {@code p}, which is exiting. */
    void exitTask(Process p);

    /** The slab cache of anon_vma objects (the checker counts them). */
    KmemCache anonVmaCache();

    /** The slab cache of anon_vma_chain objects (the checker counts them). */
    KmemCache anonVmaChainCache();
}
