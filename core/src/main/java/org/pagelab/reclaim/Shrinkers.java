package org.pagelab.reclaim;

import java.util.ArrayList;
import java.util.List;

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
 * Shrinkers here are not memcg-aware: they run on global reclaim and drop_caches, not on a
 * cgroup's own reclaim.
 */
public final class Shrinkers {
    /** DEFAULT_SEEKS. */
    public static final int DEFAULT_SEEKS = 2;
    /** SHRINK_BATCH: objects asked of a shrinker at a time. */
    public static final long SHRINK_BATCH = 128;

    private final List<Shrinker> shrinkers = new ArrayList<>();
    private final List<long[]> deferred = new ArrayList<>();

    /** register_shrinker. */
    public void register(Shrinker s) {
        shrinkers.add(s);
        deferred.add(new long[1]);
    }

    /** shrink_slab at {@code priority} (DEF_PRIORITY down to 0); returns the objects freed. */
    public long shrinkSlab(int priority) {
        long freed = 0;
        for (int i = 0; i < shrinkers.size(); i++) {
            freed += doShrinkSlab(shrinkers.get(i), deferred.get(i), priority);
        }
        return freed;
    }

    /** drop_slab: shrink_slab at priority 0 until a pass frees ten objects or fewer. */
    public long dropSlab() {
        long total = 0;
        long freed;
        do {
            freed = shrinkSlab(0);
            total += freed;
        } while (freed > 10);
        return total;
    }

    private static long doShrinkSlab(Shrinker s, long[] nrDeferred, int priority) {
        long freeable = s.countObjects();
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
            long ret = s.scanObjects(nrToScan);
            freed += ret;
            totalScan -= nrToScan;
            scanned += nrToScan;
            if (ret == 0 && s.countObjects() == 0) {
                break; // SHRINK_STOP: nothing left to scan
            }
        }
        nrDeferred[0] = Math.min(Math.max(nr + delta - scanned, 0), 2 * freeable);
        return freed;
    }
}
