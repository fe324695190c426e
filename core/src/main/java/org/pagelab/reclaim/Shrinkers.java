package org.pagelab.reclaim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * The registered shrinkers and shrink_slab (mm/vmscan.c): each reclaim pass over a node asks
 * every shrinker to scan a share of its objects that grows as the scan priority drops, and carries
 * the work it could not do over to the next pass (nr_deferred), as do_shrink_slab does:
 * <pre>
 *   delta      = (freeable &gt;&gt; priority) * 4 / seeks
 *   total_scan = min((nr_deferred &gt;&gt; priority) + delta, 2 * freeable)
 *   scan in batches of SHRINK_BATCH while total_scan &gt;= SHRINK_BATCH or total_scan &gt;= freeable
 *   nr_deferred = min(max(nr_deferred + delta - scanned, 0), 2 * freeable)
 * </pre>
 * So a small cache is scanned only when reclaim struggles (low priority) or after its deferred
 * work has piled up; drop_caches' drop_slab calls it at priority 0, which scans everything.
 * shrink_node_memcgs calls it for each memory cgroup it visits, after that cgroup's lruvec, in
 * global and cgroup reclaim alike: a memcg-aware shrinker then shrinks that cgroup's objects, with
 * a deferred count of its own; the others run only for the root cgroup (shrink_slab_memcg).
 */
public final class Shrinkers {
    /** DEFAULT_SEEKS. */
    public static final int DEFAULT_SEEKS = 2;
    /** SHRINK_BATCH: objects asked of a shrinker at a time. */
    public static final long SHRINK_BATCH = 128;

    private final List<Shrinker> shrinkers = new ArrayList<>();
    /** nr_deferred of each shrinker, by memory cgroup id. */
    private final List<Map<Integer, long[]>> deferred = new ArrayList<>();

    /** register_shrinker. */
    public void register(Shrinker s) {
        shrinkers.add(s);
        deferred.add(new HashMap<>());
    }

    /**
     * shrink_slab at {@code priority} (DEF_PRIORITY down to 0) for memory cgroup {@code memcgId}
     * (the root when {@code root}), whose objects {@code inMemcg} picks by charged cgroup id;
     * returns the objects freed.
     */
    public long shrinkSlab(int priority, int memcgId, boolean root, IntPredicate inMemcg) {
        long freed = 0;
        for (int i = 0; i < shrinkers.size(); i++) {
            Shrinker s = shrinkers.get(i);
            if (!root && !s.memcgAware()) {
                continue;
            }
            long[] nrDeferred = deferred.get(i).computeIfAbsent(memcgId, k -> new long[1]);
            freed += doShrinkSlab(s, nrDeferred, priority, s.memcgAware() ? inMemcg : id -> true);
        }
        return freed;
    }

    /** shrink_slab at {@code priority} over every object, as with memory cgroups disabled. */
    public long shrinkSlab(int priority) {
        return shrinkSlab(priority, -1, true, id -> true);
    }

    /** drop_slab: shrink_slab of every object at priority 0 until a pass frees ten or fewer. */
    public long dropSlab() {
        long total = 0;
        long freed;
        do {
            freed = shrinkSlab(0);
            total += freed;
        } while (freed > 10);
        return total;
    }

    private static long doShrinkSlab(Shrinker s, long[] nrDeferred, int priority, IntPredicate inMemcg) {
        long freeable = s.countObjects(inMemcg);
        if (freeable == 0) {
            return 0;
        }
        long nr = nrDeferred[0];
        nrDeferred[0] = 0;
        long delta = (freeable >> priority) * 4 / s.seeks();
        long totalScan = Math.min((nr >> priority) + delta, 2 * freeable);
        long scanned = 0;
        long freed = 0;
        while (totalScan >= SHRINK_BATCH || totalScan >= freeable) {
            long nrToScan = Math.min(SHRINK_BATCH, totalScan);
            long ret = s.scanObjects(nrToScan, inMemcg);
            freed += ret;
            totalScan -= nrToScan;
            scanned += nrToScan;
            if (ret == 0 && s.countObjects(inMemcg) == 0) {
                break; // SHRINK_STOP: nothing left to scan
            }
        }
        nrDeferred[0] = Math.min(Math.max(nr + delta - scanned, 0), 2 * freeable);
        return freed;
    }
}
