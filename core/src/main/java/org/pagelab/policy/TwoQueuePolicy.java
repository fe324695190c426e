package org.pagelab.policy;

/**
 * 2Q, the full version (Johnson and Shasha, "2Q: a low overhead high performance buffer management
 * replacement algorithm", VLDB 1994): a FIFO {@code A1in} of pages seen once, a ghost FIFO
 * {@code A1out} of keys recently pushed out of A1in, and an LRU {@code Am} of pages seen again,
 * with the paper's recommended sizes {@code Kin = c / 4} and {@code Kout = c / 2} (each at least 1).
 *
 * <p>A hit in Am moves the page to Am's head; a hit in A1in changes nothing (its second access may
 * be correlated with the first). A miss whose key is in A1out inserts the page at Am's head; any
 * other miss at A1in's head. When the cache is full a miss first reclaims: if {@code |A1in| > Kin}
 * (or Am is empty), A1in's oldest page leaves for A1out's head, and A1out forgets its oldest key
 * beyond Kout; otherwise Am's least recently used page is evicted, with no ghost.
 *
 * <p>Data: a {@link LongIntMap} from key to node for all three lists, {@link NodeLists} with three
 * lists over {@code c + Kout} nodes. O(1).
 *
 * <p>Invariants: {@code |A1in| + |Am| <= c}; {@code |A1out| <= Kout};
 * {@code map.size() == |A1in| + |Am| + |A1out|}.
 */
public final class TwoQueuePolicy extends AbstractPolicy {

    private static final int A1IN = 0;
    private static final int AM = 1;
    private static final int A1OUT = 2;

    private final int kin;
    private final int kout;
    private final LongIntMap map;
    private final NodeLists lists;
    private final long[] keys;
    private final NodePool pool;

    /** Requires: {@code capacity >= 1}. */
    public TwoQueuePolicy(int capacity) {
        super("2q", capacity);
        kin = Math.max(1, capacity / 4);
        kout = Math.max(1, capacity / 2);
        int nodes = capacity + kout;
        map = new LongIntMap(nodes);
        lists = new NodeLists(nodes, 3);
        keys = new long[nodes];
        pool = new NodePool(nodes);
    }

    @Override
    public boolean access(long key) {
        final NodeLists l = lists;
        int node = map.get(key);
        if (node != LongIntMap.MISSING) {
            int list = l.listOf(node);
            if (list == AM) {
                hits++;
                l.moveToHead(AM, node);
                return true;
            }
            if (list == A1IN) {
                hits++;
                return true;
            }
            misses++;
            l.remove(node);
            reclaim();
            l.addHead(AM, node);
            return false;
        }
        misses++;
        reclaim();
        node = pool.take();
        keys[node] = key;
        map.put(key, node);
        l.addHead(A1IN, node);
        return false;
    }

    /** Frees one page when the cache is full. */
    private void reclaim() {
        final NodeLists l = lists;
        if (l.size(A1IN) + l.size(AM) < capacity) {
            return;
        }
        if (l.size(A1IN) > kin || l.size(AM) == 0) {
            int out = l.tail(A1IN);
            l.remove(out);
            if (l.size(A1OUT) == kout) {
                forget(l.tail(A1OUT));
            }
            l.addHead(A1OUT, out);
        } else {
            forget(l.tail(AM));
        }
    }

    private void forget(int node) {
        lists.remove(node);
        map.remove(keys[node]);
        pool.give(node);
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
        return lists.size(A1IN) + lists.size(AM);
    }

    @Override
    public void check() {
        lists.check();
        map.check();
        int all = size() + lists.size(A1OUT);
        if (!(map.size() == all)) {
            require(false, "map.size() == |A1in| + |Am| + |A1out|");
        }
        require(pool.available() == pool.nodes() - all, "free nodes == all nodes - listed nodes");
        if (!(size() <= capacity)) {
            require(false, "|A1in| + |Am| <= c");
        }
        if (!(lists.size(A1OUT) <= kout)) {
            require(false, "|A1out| <= Kout " + kout);
        }
        requireMapped(map, lists, keys, A1IN, A1OUT);
    }
}
