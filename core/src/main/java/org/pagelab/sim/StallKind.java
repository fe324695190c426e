package org.pagelab.sim;

/**
 * Why a task is stalled: the kinds of interval a task records besides running. Memory stalls are
 * what PSI's memory line counts (the kernel's psi_memstall_enter sites); {@link #IO_WAIT} is what
 * its io line counts. A refault's read is both a memory stall and an I/O wait, as in the kernel.
 */
public enum StallKind {
    /** The task reclaims memory itself because an allocation found free pages below min (try_to_free_pages). */
    DIRECT_RECLAIM(true),
    /** kswapd's own reclaim work (balance_pgdat runs inside psi_memstall_enter). */
    KSWAPD_RECLAIM(true),
    /** The task is throttled for exceeding its memory cgroup's high limit (mem_cgroup_handle_over_high). */
    MEMCG_THROTTLE(true),
    /** The task waits for the read of a page that was recently evicted (workingset refault). */
    REFAULT(true),
    /** The task waits for a device read or write to complete; recorded by {@link Sim#io} itself. */
    IO_WAIT(false);

    private final boolean memory;

    StallKind(boolean memory) {
        this.memory = memory;
    }

    /** Whether PSI counts this kind as a memory stall. */
    public boolean memory() {
        return memory;
    }
}
