package org.pagelab.reclaim;

import org.pagelab.filemap.Vfs;
import org.pagelab.filemap.WritebackIo;
import org.pagelab.memcg.MemoryCgroups;
import org.pagelab.phys.PageAllocator;
import org.pagelab.rmap.Rmap;
import org.pagelab.sim.Sim;
import org.pagelab.sim.SimTask;
import org.pagelab.stat.VmStat;
import org.pagelab.swap.SwapSpace;

/**
 * What reclaim needs from the machine it runs in: the subsystems it takes memory from and hands
 * it back to, the reverse map, the simulated CPUs with kswapd's task, and the preemption point of
 * a process's step. The machine implements it, so this package does not depend on the machine's.
 */
public interface ReclaimHost {
    /** The page allocator, whose hooks reclaim installs. */
    PageAllocator phys();

    /** The node's counters. */
    VmStat vmstat();

    /** The simulator that times reclaim's work and its waits. */
    Sim sim();

    /** kswapd0's task on the simulated CPUs. */
    SimTask kswapdTask();

    /**
     * A preemption point of the running process's step: kernel threads runnable by now run
     * first. Nothing happens outside a process's step.
     */
    void preempt();

    /** The swap areas and their swap caches. */
    SwapSpace swap();

    /** The file system, whose page caches reclaim shrinks. */
    Vfs vfs();

    /** Writeback I/O, whose completions reclaim waits for and rotates. */
    WritebackIo writebackIo();

    /** The reverse-mapping actions (folio_referenced, try_to_unmap). */
    Rmap rmap();

    /** The memory cgroups, made before reclaim. */
    MemoryCgroups memcg();

    /**
     * The address spaces whose page tables a multi-generational policy's aging walks (the kernel's
     * mm_struct list), in a fixed order; none by default, which leaves the aging to rmap alone.
     */
    default java.util.List<MmTables> mmList() {
        return java.util.List.of();
    }

    /**
     * kswapd's run ended with the node balanced (kswapd_try_to_sleep): background compaction may
     * take a high order kswapd was woken for (wakeup_kcompactd). Nothing by default.
     */
    default void kswapdRunEnded() {
    }

    /**
     * A kswapd run that reclaimed for a watermark boost ended (balance_pgdat): kcompactd is woken
     * for a whole pageblock, to undo the fragmentation the boosting fallbacks left. Nothing by default.
     */
    default void boostedRunEnded() {
    }

    /**
     * One address space on the {@link #mmList}: its VMAs, its page table, the lruvec of the memory
     * cgroup that owns it (whose walks alone visit it, as the kernel keeps an mm_struct on its
     * owner's mm_list), and its resident pages as the kernel's mm counters hold them: anon and
     * shmem ({@code MM_ANONPAGES + MM_SHMEMPAGES}) and file ({@code MM_FILEPAGES}).
     */
    record MmTables(org.pagelab.vma.Mm mm, org.pagelab.pgtable.PageTable pageTable, org.pagelab.lruvec.LruVec owner,
            long anonPages, long filePages) {
    }

    /**
     * out_of_memory as a reclaimer without a faulting task calls it (kswapd, when the
     * multi-generational LRU's min_ttl finds every generation too young to evict): kills the
     * process with the highest badness, unless an earlier victim has not died yet. Returns whether
     * it chose a victim; false by default (a host without processes).
     */
    default boolean outOfMemory() {
        return false;
    }
}
