package org.pagelab.policy;

/**
 * Least frequently used, and LFU with dynamic aging (LFU-DA, Arlitt, Cherkasova, Dilley, Friedrich
 * and Jin, "Evaluating content management techniques for Web proxy caches", 2000).
 *
 * <p>{@code lfu}: a resident page's count is the number of its accesses since it last entered the
 * cache (in-cache LFU: an evicted page's count is forgotten); a miss of a full cache evicts the page
 * of least count, and of those the least recently used.
 *
 * <p>{@code lfuda}: each page has a key {@code K = count + L}, set when it enters the cache and on
 * every hit, where {@code L}, the cache's age, is the key of the page evicted last (0 at first). A
 * miss evicts the page of least K (the least recently used of equal keys) and sets L to its key.
 * Old popular pages thus lose out to pages that are popular now (with unit sizes and costs this is
 * GreedyDual-Size with frequency). Counts and keys are {@code long}: no saturation.
 *
 * <p>Data: a {@link LongIntMap} from key to node and a {@link NodeHeap} ranked by (count or K,
 * time of the latest access). O(log c) per access.
 *
 * <p>Invariants: {@code map.size() == heap size <= capacity}; {@code count >= 1}; lfu: rank ==
 * count; lfuda: {@code K = count + L'} for the age L' when the page was last ranked, and since the
 * victim is always the least key, L never decreases and every resident key is at least L:
 * {@code 0 <= K - count <= L <= K}.
 */
public final class LfuPolicy extends AbstractPolicy {

    private final boolean aging;
    private final LongIntMap map;
    private final NodeHeap heap;
    private final long[] keys;
    private final long[] count;
    private final NodePool pool;
    private long age;
    private long clock;

    /** Requires: {@code capacity >= 1}. {@code aging}: LFU-DA, else plain LFU. */
    public LfuPolicy(int capacity, boolean aging) {
        super(aging ? "lfuda" : "lfu", capacity);
        this.aging = aging;
        map = new LongIntMap(capacity);
        heap = new NodeHeap(capacity);
        keys = new long[capacity];
        count = new long[capacity];
        pool = new NodePool(capacity);
    }

    @Override
    public boolean access(long key) {
        long now = clock++;
        int node = map.get(key);
        if (node != LongIntMap.MISSING) {
            hits++;
            long c = ++count[node];
            heap.update(node, aging ? c + age : c, now);
            return true;
        }
        misses++;
        if (heap.size() == capacity) {
            int victim = heap.min();
            if (aging) {
                age = heap.priority(victim);
            }
            heap.remove(victim);
            map.remove(keys[victim]);
            pool.give(victim);
        }
        node = pool.take();
        keys[node] = key;
        count[node] = 1;
        map.put(key, node);
        heap.add(node, aging ? 1 + age : 1, now);
        return false;
    }

    /** The cache's age L (LFU-DA), 0 for plain LFU. */
    public long age() {
        return age;
    }

    @Override
    public long replay(long[] trace, int from, int to) {
        long h = 0;
        for (int i = from; i < to; i++) {
            if (access(trace[i])) {
                h++;
            }
        }
        return h;
    }

    @Override
    public int size() {
        return heap.size();
    }

    @Override
    public void check() {
        heap.check();
        map.check();
        checkCommon(map.size(), heap.size());
        require(pool.available() == capacity - heap.size(), "free nodes == capacity - resident nodes");
        for (int n = 0; n < capacity; n++) {
            if (heap.contains(n)) {
                if (!(map.get(keys[n]) == n)) {
                    require(false, "map.get(keys[" + n + "]) == " + n);
                }
                if (!(count[n] >= 1)) {
                    require(false, "count >= 1 at node " + n);
                }
                long rank = heap.priority(n);
                require(aging ? rank >= count[n] && rank - count[n] <= age && age <= rank : rank == count[n],
                        (aging ? "0 <= K - count <= L <= K" : "rank == count") + " at node " + n);
            }
        }
    }
}
