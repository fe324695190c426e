package org.pagelab.policy;

/**
 * LRU-K with K = 2 (O'Neil, O'Neil and Weikum, "The LRU-K page replacement algorithm for database
 * disk buffering", SIGMOD 1993): a miss of a full cache evicts the page whose second most recent
 * access is the oldest (the largest backward 2-distance).
 *
 * <p>Pages accessed only once in the history kept have an infinite backward 2-distance and are
 * evicted first, the least recently used of them first (the paper's subsidiary policy). The
 * history outlives residence: the keys of the last {@code c} evicted pages keep their two latest
 * access times (the paper's retained information, bounded by count here rather than by a period),
 * so a page that comes back soon after eviction is ranked by its earlier access too. There is no
 * correlated-reference period: every access counts.
 *
 * <p>Data: a {@link LongIntMap} from key to node for resident and remembered pages, a
 * {@link NodeHeap} of the resident ones ranked by (second latest access time, or -1 when there is
 * none; latest access time), {@link NodeLists} with one FIFO list of remembered keys, two times per
 * node. O(log c) per access.
 *
 * <p>Invariants: {@code heap size <= c}; {@code |history| <= c};
 * {@code map.size() == heap size + |history|}; every resident node is ranked by its own times;
 * {@code previous < last} wherever a previous access is known.
 */
public final class LruKPolicy extends AbstractPolicy {

    private static final int HISTORY = 0;
    private static final long NONE = -1;

    private final LongIntMap map;
    private final NodeHeap heap;
    private final NodeLists history;
    private final long[] keys;
    private final long[] last;
    private final long[] previous;
    private final NodePool pool;
    private long clock;

    /** Requires: {@code capacity >= 1}. */
    public LruKPolicy(int capacity) {
        super("lru2", capacity);
        int nodes = 2 * capacity;
        map = new LongIntMap(nodes);
        heap = new NodeHeap(nodes);
        history = new NodeLists(nodes, 1);
        keys = new long[nodes];
        last = new long[nodes];
        previous = new long[nodes];
        pool = new NodePool(nodes);
    }

    @Override
    public boolean access(long key) {
        long now = clock++;
        int node = map.get(key);
        if (node != LongIntMap.MISSING && heap.contains(node)) {
            hits++;
            previous[node] = last[node];
            last[node] = now;
            heap.update(node, previous[node], now);
            return true;
        }
        misses++;
        if (node != LongIntMap.MISSING) {
            history.remove(node);
            previous[node] = last[node];
        }
        if (heap.size() == capacity) {
            int victim = heap.min();
            heap.remove(victim);
            if (history.size(HISTORY) == capacity) {
                int oldest = history.tail(HISTORY);
                history.remove(oldest);
                map.remove(keys[oldest]);
                pool.give(oldest);
            }
            history.addHead(HISTORY, victim);
        }
        if (node == LongIntMap.MISSING) {
            node = pool.take();
            keys[node] = key;
            previous[node] = NONE;
            map.put(key, node);
        }
        last[node] = now;
        heap.add(node, previous[node], now);
        return false;
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
        history.check();
        map.check();
        int remembered = history.size(HISTORY);
        if (!(map.size() == heap.size() + remembered)) {
            require(false, "map.size() == resident + remembered");
        }
        require(pool.available() == pool.nodes() - map.size(), "free nodes == all nodes - tracked nodes");
        require(heap.size() <= capacity, "resident <= c");
        require(remembered <= capacity, "remembered <= c");
        for (int n = 0; n < pool.nodes(); n++) {
            boolean resident = heap.contains(n);
            if (resident || history.listOf(n) == HISTORY) {
                if (!(map.get(keys[n]) == n)) {
                    require(false, "map.get(keys[" + n + "]) == " + n);
                }
                if (!(previous[n] == NONE || previous[n] < last[n])) {
                    require(false, "previous < last at node " + n);
                }
                if (!(!resident || heap.priority(n) == previous[n])) {
                    require(false, "ranked by its previous access at node " + n);
                }
                if (!(!(resident && history.listOf(n) == HISTORY))) {
                    require(false, "not both resident and remembered at node " + n);
                }
            }
        }
    }
}
