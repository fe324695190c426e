package org.pagelab.policy;

/**
 * CAR, Clock with Adaptive Replacement (Bansal and Modha, "CAR: Clock with adaptive replacement",
 * FAST 2004), as the paper's Figure 2: ARC's adaptation with two clocks in place of its two LRU
 * lists, so a hit only sets a reference bit.
 *
 * <p>{@code T1} and {@code T2} are clocks of resident pages (seen once recently, and more than
 * once); {@code B1} and {@code B2} are LRU lists of the keys recently evicted from them. A hit sets
 * the page's reference bit. A miss of a full cache first runs REPLACE: while {@code |T1| >=
 * max(1, p)} the hand of T1 looks at its oldest page: with the bit clear the page is demoted to
 * B1's MRU end and REPLACE is done, with the bit set it is cleared and the page moves to the new
 * end of T2; otherwise T2's hand does the same, demoting to B2 or giving a second chance within
 * T2. Then, for a key in neither ghost list, B1 drops its LRU key if {@code |T1| + |B1| == c}, or
 * else B2 its LRU key if all four lists hold 2c keys. A key in neither ghost list enters T1; a key
 * in B1 raises the target {@code p} by {@code max(1, |B2| / |B1|)} (at most c) and enters T2; a key
 * in B2 lowers p by {@code max(1, |B1| / |B2|)} (at least 0) and enters T2, always with the bit
 * clear. p and the ratios are real numbers, as in the paper. Ghost hits are misses.
 *
 * <p>Data: a {@link LongIntMap} for all four lists, {@link NodeLists} with four lists over
 * {@code 2c} nodes (a clock's hand is the list's tail, its new end the head), a bit per node. A hit
 * is O(1), a miss O(1) amortized.
 *
 * <p>Invariants (the paper's): {@code |T1| + |T2| <= c}; {@code |T1| + |B1| <= c};
 * {@code |T2| + |B2| <= 2c}; all four at most 2c; {@code 0 <= p <= c}; ghost pages' bits clear.
 */
public final class CarPolicy extends AbstractPolicy {

    private static final int T1 = 0;
    private static final int T2 = 1;
    private static final int B1 = 2;
    private static final int B2 = 3;

    private final LongIntMap map;
    private final NodeLists lists;
    private final long[] keys;
    private final boolean[] referenced;
    private final NodePool pool;
    private double p;

    /** Requires: {@code capacity >= 1}. */
    public CarPolicy(int capacity) {
        super("car", capacity);
        int nodes = 2 * capacity;
        map = new LongIntMap(nodes);
        lists = new NodeLists(nodes, 4);
        keys = new long[nodes];
        referenced = new boolean[nodes];
        pool = new NodePool(nodes);
    }

    @Override
    public boolean access(long key) {
        final NodeLists l = lists;
        int node = map.get(key);
        int list = node == LongIntMap.MISSING ? NodeLists.NONE : l.listOf(node);
        if (list == T1 || list == T2) {
            hits++;
            referenced[node] = true;
            return true;
        }
        misses++;
        boolean ghost = list == B1 || list == B2;
        if (l.size(T1) + l.size(T2) == capacity) {
            replace();
            if (!ghost) {
                if (l.size(T1) + l.size(B1) == capacity) {
                    forget(l.tail(B1));
                } else if (l.size(T1) + l.size(T2) + l.size(B1) + l.size(B2) == 2 * capacity) {
                    forget(l.tail(B2));
                }
            }
        }
        if (!ghost) {
            node = pool.take();
            keys[node] = key;
            map.put(key, node);
            l.addHead(T1, node);
        } else {
            double b1 = l.size(B1);
            double b2 = l.size(B2);
            p = list == B1 ? Math.min(p + Math.max(1, b2 / b1), capacity) : Math.max(p - Math.max(1, b1 / b2), 0);
            l.remove(node);
            l.addHead(T2, node);
        }
        referenced[node] = false;
        return false;
    }

    /** The paper's REPLACE: turns the clocks until one page is demoted to a ghost list. */
    private void replace() {
        final NodeLists l = lists;
        while (true) {
            if (l.size(T1) >= Math.max(1, p)) {
                int h = l.tail(T1);
                l.remove(h);
                if (!referenced[h]) {
                    l.addHead(B1, h);
                    return;
                }
                referenced[h] = false;
                l.addHead(T2, h);
            } else {
                int h = l.tail(T2);
                l.remove(h);
                if (!referenced[h]) {
                    l.addHead(B2, h);
                    return;
                }
                referenced[h] = false;
                l.addHead(T2, h);
            }
        }
    }

    private void forget(int node) {
        lists.remove(node);
        map.remove(keys[node]);
        pool.give(node);
    }

    /** The current target size of T1. */
    public double target() {
        return p;
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
        return lists.size(T1) + lists.size(T2);
    }

    @Override
    public void check() {
        lists.check();
        map.check();
        int t1 = lists.size(T1);
        int t2 = lists.size(T2);
        int b1 = lists.size(B1);
        int b2 = lists.size(B2);
        int all = t1 + t2 + b1 + b2;
        require(map.size() == all, "map.size() == |T1|+|T2|+|B1|+|B2|");
        require(pool.available() == 2 * capacity - all, "free nodes == 2c - listed nodes");
        if (!(t1 + t2 <= capacity)) {
            require(false, "|T1| + |T2| <= c");
        }
        if (!(t1 + b1 <= capacity)) {
            require(false, "|T1| + |B1| <= c");
        }
        if (!(t2 + b2 <= 2 * capacity)) {
            require(false, "|T2| + |B2| <= 2c");
        }
        require(all <= 2 * capacity, "|T1|+|T2|+|B1|+|B2| <= 2c");
        if (!(p >= 0 && p <= capacity)) {
            require(false, "0 <= p <= c (p = " + p + ")");
        }
        for (int list = T1; list <= B2; list++) {
            for (int n = lists.head(list); n != NodeLists.NIL; n = lists.next(n)) {
                if (!(map.get(keys[n]) == n)) {
                    require(false, "map.get(keys[" + n + "]) == " + n);
                }
                if (!(list <= T2 || !referenced[n])) {
                    require(false, "ghost's bit clear at node " + n);
                }
            }
        }
    }
}
