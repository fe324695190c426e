package org.pagelab.policy;

/**
 * SIEVE (Zhang, Yang, Yue, Vigfusson and Rashmi, "SIEVE is simpler than LRU", NSDI 2024): one
 * FIFO queue, a visited bit per page and a hand that moves from the old end towards the new one.
 *
 * <p>A hit sets the page's visited bit; nothing moves. A miss inserts the page at the new end
 * with the bit clear; when the cache is full it first evicts: the hand (at the oldest page when it
 * has no position) clears set bits and moves one page newer at a time, wrapping from the newest
 * page back to the oldest, until it finds a clear bit; that page is evicted and the hand stays at
 * the page just newer than it (none, when it was the newest). Unlike CLOCK, survivors are not moved
 * to the new end, so new pages are examined before the ones that survived a sweep.
 *
 * <p>Data: a {@link LongIntMap} from key to node, {@link NodeLists} with one list (head = newest),
 * a visited bit per node. A hit is O(1); a miss O(1) amortized (each step of the hand clears a bit
 * some hit set).
 *
 * <p>Invariants: {@code map.size() == |queue| <= capacity}; the hand is NIL or on the queue.
 */
public final class SievePolicy extends AbstractPolicy {

    private static final int QUEUE = 0;

    private final LongIntMap map;
    private final NodeLists lists;
    private final long[] keys;
    private final boolean[] visited;
    private final NodePool pool;
    private int hand = NodeLists.NIL;

    /** Requires: {@code capacity >= 1}. */
    public SievePolicy(int capacity) {
        super("sieve", capacity);
        map = new LongIntMap(capacity);
        lists = new NodeLists(capacity, 1);
        keys = new long[capacity];
        visited = new boolean[capacity];
        pool = new NodePool(capacity);
    }

    @Override
    public boolean access(long key) {
        int node = map.get(key);
        if (node != LongIntMap.MISSING) {
            hits++;
            visited[node] = true;
            return true;
        }
        misses++;
        final NodeLists l = lists;
        if (l.size(QUEUE) == capacity) {
            int o = hand == NodeLists.NIL ? l.tail(QUEUE) : hand;
            while (visited[o]) {
                visited[o] = false;
                o = l.prev(o);
                if (o == NodeLists.NIL) {
                    o = l.tail(QUEUE);
                }
            }
            hand = l.prev(o);
            l.remove(o);
            map.remove(keys[o]);
            pool.give(o);
        }
        node = pool.take();
        keys[node] = key;
        visited[node] = false;
        map.put(key, node);
        l.addHead(QUEUE, node);
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
        return lists.size(QUEUE);
    }

    @Override
    public void check() {
        lists.check();
        map.check();
        checkCommon(map.size(), lists.size(QUEUE));
        require(pool.available() == capacity - lists.size(QUEUE), "free nodes == capacity - queued nodes");
        require(hand == NodeLists.NIL || lists.listOf(hand) == QUEUE, "the hand is on the queue");
        requireMapped(map, lists, keys, QUEUE, QUEUE);
    }
}
