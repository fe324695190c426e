package org.pagelab.memory;

import java.util.function.Supplier;
import org.pagelab.memcg.MemoryCgroups;
import org.pagelab.phys.PageAllocator;
import org.pagelab.stat.VmItem;
import org.pagelab.stat.VmStat;
import org.pagelab.swap.SwapSpace;

/**
 * The OOM killer (mm/oom_kill.c): which process dies when memory cannot be had after reclaim,
 * and how the kill is logged. The machine-wide killer runs when a fault's allocation fails; a
 * memory cgroup's killer ({@link org.pagelab.memcg.MemoryCgroups}) uses the same kill and log.
 */
public final class OomKiller {
    private final ProcessTable table;
    private final PageAllocator phys;
    private final VmStat vmstat;
    private final SwapSpace swap;
    private final Supplier<MemoryCgroups> memcg;

    OomKiller(ProcessTable table, PageAllocator phys, VmStat vmstat, SwapSpace swap, Supplier<MemoryCgroups> memcg) {
        this.table = table;
        this.phys = phys;
        this.vmstat = vmstat;
        this.swap = swap;
        this.memcg = memcg;
    }

    /**
     * out_of_memory for a fault of {@code p} whose allocation failed: kills the process with the
     * highest badness ({@code p} itself when none other may die). Returns true when it killed
     * another process, so the fault should run again with the memory the victim left.
     */
    boolean outOfMemory(Process p) {
        if (!p.alive() || reapIfKilled(p)) {
            return false; // its memory cgroup's OOM killer chose it
        }
        if (memcg.get().chargeFailed()) {
            // the charge failed although the cgroup's OOM killer found no victim: the kernel would
            // retry the fault for ever; pagelab ends the process instead, and says why
            table.logEvent("pid " + p.pid() + " (" + p.name() + ") killed: its memory cgroup is at memory.max and"
                    + " has no process the OOM killer may kill (the kernel would retry the fault for ever)");
            table.kill(p, "SIGKILL (memcg oom, no victim)");
            return false;
        }
        Process victim = victim();
        if (victim == null) {
            victim = p;
        }
        kill(victim);
        return victim != p;
    }

    /**
     * out_of_memory called by reclaim rather than by a failed allocation (kswapd, for the
     * multi-generational LRU's min_ttl): does nothing while an earlier victim is still to die (the
     * kernel's oom_evaluate_task aborts on a victim that has not exited), else kills the process
     * with the highest badness. {@code running}, the process whose step reclaim interrupted (or
     * null), is only marked when chosen, and dies when that step returns to user space. Returns
     * whether it chose a victim.
     */
    public boolean outOfMemoryInReclaim(Process running) {
        for (Process q : table.processes().values()) {
            if (q.alive() && q.oomKillPending()) {
                return false;
            }
        }
        Process victim = victim();
        if (victim == null) {
            return false;
        }
        kill(victim, "Out of memory", victim != running);
        return true;
    }

    /**
     * select_bad_process: the live process with the highest {@link #badness}, ties broken by
     * the lower pid; processes with oom_score_adj -1000 are never chosen. Null when none is left.
     */
    public Process victim() {
        Process best = null;
        long bestPoints = Long.MIN_VALUE;
        for (Process q : table.processes().values()) {
            if (!q.alive() || q.oomScoreAdj() == -1000) {
                continue;
            }
            long points = badness(q);
            if (points > bestPoints) {
                best = q;
                bestPoints = points;
            }
        }
        return best;
    }

    /**
     * oom_badness: the pages a kill would free (resident pages, swap entries, page-table pages),
     * plus oom_score_adj thousandths of all memory and swap.
     */
    public long badness(Process q) {
        return badness(q, phys.managedPages() + swap.devices().totalPages());
    }

    /** oom_badness against {@code totalPages} (a memory cgroup's OOM: its max plus its swap). */
    public static long badness(Process q, long totalPages) {
        long points = q.rssAnon() + q.rssFile() + q.rssShmem() + q.swapEnts() + q.pageTable().tablePages();
        return points + (long) q.oomScoreAdj() * (totalPages / 1000);
    }

    /** Kills {@code victim} as the OOM killer does, freeing its memory, and reports it as the kernel logs it. */
    public void kill(Process victim) {
        kill(victim, "Out of memory", true);
    }

    /**
     * Kills {@code victim} for an OOM of the kind {@code header} names ("Out of memory", "Memory
     * cgroup out of memory"), logging it as the kernel does. With {@code now} false the victim is
     * the allocating process itself, in the middle of its allocation: it is marked and dies when
     * the allocation has unwound ({@link #reapIfKilled}).
     */
    public void kill(Process victim, String header, boolean now) {
        String line = header + ": Killed process " + victim.pid() + " (" + victim.name() + ") total-vm:"
                + (victim.mm().totalVm() * 4) + "kB, anon-rss:" + (victim.rssAnon() * 4) + "kB, file-rss:"
                + (victim.rssFile() * 4) + "kB, shmem-rss:" + (victim.rssShmem() * 4) + "kB";
        vmstat.inc(VmItem.OOM_KILL);
        table.logEvent(line);
        if (now) {
            table.kill(victim, "SIGKILL (oom-kill)");
        } else {
            victim.setOomKillPending(true);
        }
    }

    /** Ends {@code p} if an OOM killer chose it during an allocation; returns whether it did. */
    public boolean reapIfKilled(Process p) {
        if (!p.oomKillPending() || !p.alive()) {
            return false;
        }
        p.setOomKillPending(false);
        table.kill(p, "SIGKILL (oom-kill)");
        return true;
    }
}
