package org.pagelab.reclaim;

import org.pagelab.lruvec.LruList;
import org.pagelab.lruvec.LruVec;

/**
 * How one reclaim (a direct reclaim, a cgroup reclaim, a kswapd run) balances the four evictable
 * lists of each lruvec it shrinks: the part of the kernel's scan_control that prepare_scan_count
 * fills in at every pass over the node and that get_scan_count and shrink_list read.
 *
 * <h2>Whether active lists may be aged</h2>
 * An active list is only aged into its inactive list (shrink_active_list) when its type may be
 * deactivated: the target's inactive list of that type is low against its active list, or folios
 * of that type were activated on refault (workingset_activate_*) since the last reclaim of the
 * target ended ({@link #snapshotRefaults}): a new working set is forming, and the stale active
 * folios should make room for it. Otherwise the active list's share of the scan is skipped, and a
 * reclaim that then gets nothing at all starts over with every active list aged
 * (force_deactivate).
 *
 * <h2>How the scan is split between anon and file</h2>
 * get_scan_count picks one of four balances, in this order:
 * <ol>
 *   <li>file only, when anon cannot be reclaimed (no free swap, or none within the cgroups' swap.max;
 *       boosted kswapd reclaim, which does not swap), or for cgroup reclaim of a cgroup with
 *       swappiness 0;</li>
 *   <li>equal (each list by its size) at priority 0 with a non-zero swappiness: near OOM, no
 *       cleverness;</li>
 *   <li>anon only when file is tiny: global reclaim whose file pages plus free pages are at most
 *       the zones' high watermarks, while anon is not being deactivated and its inactive list is
 *       not too small for the priority;</li>
 *   <li>file only in cache-trim mode: the target's inactive file list is large enough for the
 *       priority and file is not being deactivated. Streaming page cache is then trimmed without
 *       touching anon;</li>
 *   <li>otherwise by fraction: swappiness against 200 - swappiness, each divided by the recent
 *       cost of its type (lru_note_cost), rounded down (up for an offline cgroup, whose last pages
 *       must go).</li>
 * </ol>
 * Each list's share is its size (less the cgroup's protection, proportionally) shifted right by
 * the priority; an offline cgroup's list is scanned by at least a batch.
 */
final class ScanControl {
    /** The evictable lists in the order shrink_lruvec visits them (for_each_evictable_lru). */
    static final LruList[] EVICTABLE = {LruList.INACTIVE_ANON, LruList.ACTIVE_ANON, LruList.INACTIVE_FILE,
        LruList.ACTIVE_FILE};
    private static final int NR_LRU_LISTS = LruList.values().length;

    /** Anon and file indexes of the arrays below, as the kernel's LRU_BASE and LRU_FILE. */
    static final int ANON = 0;
    static final int FILE = 1;

    /** Age every active list regardless (force_deactivate): the retry after a reclaim that got nothing. */
    boolean forceDeactivate;
    /** An active list's share was skipped because its type could not be deactivated (skipped_deactivate). */
    boolean skippedDeactivate;
    /** may_deactivate: whether each type's active list may be aged into its inactive list. */
    final boolean[] mayDeactivate = new boolean[2];
    /** cache_trim_mode: plenty of inactive file pages not thrashing: scan file only. */
    boolean cacheTrimMode;
    /** file_is_tiny: global reclaim with almost no file pages left: scan anon only. */
    boolean fileIsTiny;

    /** The target's pages on {@code lru}, its subtree included (lruvec_page_state on the target). */
    private static long pages(LruVec target, LruList lru) {
        return target.subtreePages(lru);
    }

    /** inactive_is_low on the target: its inactive list of the type is small against its active one. */
    static boolean inactiveIsLow(LruVec target, boolean file) {
        long inactive = pages(target, LruList.inactive(file));
        long active = pages(target, LruList.active(file));
        return inactive * TwoListPolicy.inactiveRatio(inactive + active) < active;
    }

    /**
     * prepare_scan_count for a pass over the node at {@code priority}, aimed at {@code target}
     * (the root's lruvec for global reclaim) whose workingset activations so far are
     * {@code activations} (anon, file). For global reclaim {@code free} and {@code highWmarks} are
     * the node's free pages and the sum of its zones' high watermarks.
     */
    void prepare(LruVec target, long[] activations, int priority, boolean cgroupReclaim, long free, long highWmarks) {
        if (forceDeactivate) {
            mayDeactivate[ANON] = true;
            mayDeactivate[FILE] = true;
        } else {
            for (int t = ANON; t <= FILE; t++) {
                boolean file = t == FILE;
                mayDeactivate[t] = activations[t] != target.refaultSnapshot(file) || inactiveIsLow(target, file);
            }
        }
        cacheTrimMode = (pages(target, LruList.INACTIVE_FILE) >> priority) > 0 && !mayDeactivate[FILE];
        if (!cgroupReclaim) {
            long file = pages(target, LruList.ACTIVE_FILE) + pages(target, LruList.INACTIVE_FILE);
            fileIsTiny = file + free <= highWmarks && !mayDeactivate[ANON]
                    && (pages(target, LruList.INACTIVE_ANON) >> priority) > 0;
        } else {
            fileIsTiny = false;
        }
    }

    /**
     * get_scan_count: the pages of each evictable list of {@code lruvec} to scan at {@code priority}
     * (indexed by {@link LruList#ordinal()}), in a reclaim whose target's costs are those of
     * {@code targetLruvec}. {@code canReclaimAnon} says anon may go to swap in this reclaim;
     * {@code swappiness} is the cgroup's; {@code online} whether the cgroup is. With effective
     * protection {@code prot} (min, low) of a cgroup of {@code cgroupSize} pages, each list is first
     * reduced by the protected share, to no less than a batch.
     */
    long[] scanCount(LruVec lruvec, LruVec targetLruvec, boolean canReclaimAnon, boolean cgroupReclaim, int swappiness,
            boolean online, long cgroupSize, long[] prot, boolean lowReclaim, boolean[] lowSkipped, int priority) {
        enum Balance { EQUAL, FRACT, FILE, ANON }
        Balance balance;
        long[] fraction = {0, 0};
        long denominator = 1;
        if (!canReclaimAnon || cgroupReclaim && swappiness == 0) {
            balance = Balance.FILE;
        } else if (priority == 0 && swappiness > 0) {
            balance = Balance.EQUAL;
        } else if (fileIsTiny) {
            balance = Balance.ANON;
        } else if (cacheTrimMode) {
            balance = Balance.FILE;
        } else {
            balance = Balance.FRACT;
            long total = targetLruvec.anonCost() + targetLruvec.fileCost();
            long anonCost = total + targetLruvec.anonCost();
            long fileCost = total + targetLruvec.fileCost();
            total = anonCost + fileCost;
            fraction[ANON] = swappiness * (total + 1) / (anonCost + 1);
            fraction[FILE] = (200 - swappiness) * (total + 1) / (fileCost + 1);
            denominator = Math.max(1, fraction[ANON] + fraction[FILE]);
        }
        long[] nr = new long[NR_LRU_LISTS];
        for (LruList lru : EVICTABLE) {
            int type = lru.isFile() ? FILE : ANON;
            long size = lruvec.nrPages(lru);
            long min = prot[0];
            long low = prot[1];
            long scan;
            if (min > 0 || low > 0) {
                long protection;
                if (!lowReclaim && low > min) {
                    protection = low;
                    lowSkipped[0] = true;
                } else {
                    protection = min;
                }
                long csize = Math.max(cgroupSize, protection);
                scan = Math.max(size - size * protection / (csize + 1), Vmscan.SWAP_CLUSTER_MAX);
            } else {
                scan = size;
            }
            scan >>= priority;
            if (scan == 0 && !online) {
                scan = Math.min(size, Vmscan.SWAP_CLUSTER_MAX); // a deleted cgroup's last pages are scraped out
            }
            scan = switch (balance) {
                case EQUAL -> scan;
                case FRACT -> online ? scan * fraction[type] / denominator
                        : (scan * fraction[type] + denominator - 1) / denominator;
                case FILE -> type == FILE ? scan : 0;
                case ANON -> type == ANON ? scan : 0;
            };
            nr[lru.ordinal()] = scan;
        }
        return nr;
    }

    /**
     * shrink_lruvec's nudge once a reclaim has what it asked for: the kind with less left of its
     * target ({@code nr}, indexed by {@link LruList#ordinal()}, against the original
     * {@code targets}) stops, and the other's remaining target shrinks to the share the stopped
     * kind had left, so both end scanned in the proportions get_scan_count asked for. Returns false
     * when one kind has nothing left, and the scan should stop at once.
     */
    static boolean nudge(long[] nr, long[] targets) {
        final int ia = LruList.INACTIVE_ANON.ordinal();
        final int aa = LruList.ACTIVE_ANON.ordinal();
        final int inf = LruList.INACTIVE_FILE.ordinal();
        final int af = LruList.ACTIVE_FILE.ordinal();
        long nrFile = nr[inf] + nr[af];
        long nrAnon = nr[ia] + nr[aa];
        if (nrFile == 0 || nrAnon == 0) {
            return false;
        }
        boolean stopAnon = nrFile > nrAnon;
        long percentage = stopAnon ? nrAnon * 100 / (targets[ia] + targets[aa] + 1)
                : nrFile * 100 / (targets[inf] + targets[af] + 1);
        int[] stop = stopAnon ? new int[] {ia, aa} : new int[] {inf, af};
        int[] other = stopAnon ? new int[] {inf, af} : new int[] {ia, aa};
        nr[stop[0]] = 0;
        nr[stop[1]] = 0;
        for (int lru : other) {
            long scanned = targets[lru] - nr[lru];
            nr[lru] = targets[lru] * (100 - percentage) / 100;
            nr[lru] -= Math.min(nr[lru], scanned);
        }
        return true;
    }

    /** The workingset activations (anon, file) counted for {@code c}'s subtree: all of them for the root. */
    static long[] activations(org.pagelab.memcg.MemoryCgroups memcg, org.pagelab.stat.VmStat vmstat,
            org.pagelab.memcg.MemCgroup c) {
        org.pagelab.stat.VmItem anon = org.pagelab.stat.VmItem.WORKINGSET_ACTIVATE_ANON;
        org.pagelab.stat.VmItem file = org.pagelab.stat.VmItem.WORKINGSET_ACTIVATE_FILE;
        if (c == memcg.root()) {
            return new long[] {vmstat.get(anon), vmstat.get(file)};
        }
        return new long[] {memcg.vmEvents(c, anon), memcg.vmEvents(c, file)};
    }

    /** snapshot_refaults: a reclaim of {@code target} ended with these workingset activations (anon, file). */
    static void snapshotRefaults(LruVec target, long[] activations) {
        target.snapshotRefaults(activations[ANON], activations[FILE]);
    }
}
