package org.pagelab.policy;

/**
 * Adaptive Replacement Cache (Megiddo and Modha, FAST 2003), as the paper's Figure 4, in two
 * variants that differ only in the arithmetic of the target {@code p}:
 * <ul>
 *   <li>{@code arc}: p and the ratios {@code |B2| / |B1|} are real numbers, as in the paper's
 *       pseudocode and in libCacheSim's ARC;</li>
 *   <li>{@code arc-intp}: p is an integer and the ratios use integer division (pagelab's first
 *       ARC, kept under its own name so earlier results can be reproduced).</li>
 * </ul>
 *
 * <p>Four LRU lists: {@code T1} holds resident pages seen once recently, {@code T2} resident
 * pages seen at least twice; {@code B1} and {@code B2} are their ghosts (keys only) of pages
 * recently evicted from them. The target {@code p} for {@code |T1|} adapts: a hit in {@code B1}
 * means T1 was too small ({@code p += max(1, |B2| / |B1|)}, at most {@code c}); a hit in
 * {@code B2} means T2 was too small ({@code p -= max(1, |B1| / |B2|)}, at least 0). {@code REPLACE} evicts the LRU of T1 into B1 when {@code |T1| > p}, or
 * {@code |T1| == p} and the request is in B2; otherwise the LRU of T2 into B2. A complete miss
 * trims L1 = T1 + B1 to c - 1 (dropping B1's LRU, or T1's LRU without a ghost when B1 is empty)
 * or, when L1 is shorter, trims L1 + L2 to 2c - 1 (dropping B2's LRU), and inserts at T1's MRU.
 * Ghost hits count as misses. The paper's REPLACE assumes T2 holds a page whenever T1 is not
 * chosen; when T2 is empty, T1's LRU is demoted instead.
 *
 * <p>Data: one {@link LongIntMap} from key to node for all four lists, {@link NodeLists} with four
 * lists over {@code 2c} nodes, and a stack of free nodes. O(1) per access.
 *
 * <p>Invariants (the paper's): {@code |T1| + |T2| <= c}; {@code |T1| + |B1| <= c};
 * {@code |T1| + |T2| + |B1| + |B2| <= 2c}; {@code 0 <= p <= c}; while {@code |T1| + |T2| < c} both
 * ghost lists are empty; {@code map.size() == |T1| + |T2| + |B1| + |B2|}.
 */
public final class ArcPolicy extends AbstractPolicy {

    private static final int T1 = 0;
    private static final int T2 = 1;
    private static final int B1 = 2;
    private static final int B2 = 3;

    private final boolean integerTarget;
    private final LongIntMap map;
    private final NodeLists lists;
    private final long[] keys;
    private final int[] free;
    private int freeTop;
    private double p;

    /** Requires: {@code capacity >= 1}. {@code integerTarget}: the {@code arc-intp} variant. */
    public ArcPolicy(int capacity, boolean integerTarget) {
        super(integerTarget ? "arc-intp" : "arc", capacity);
        this.integerTarget = integerTarget;
        int nodes = 2 * capacity;
        map = new LongIntMap(nodes);
        lists = new NodeLists(nodes, 4);
        keys = new long[nodes];
        free = new int[nodes];
        for (int i = 0; i < nodes; i++) {
            free[i] = nodes - 1 - i;
        }
        freeTop = nodes;
    }

    @Override
    public boolean access(long key) {
        final NodeLists l = lists;
        int node = map.get(key);
        if (node != LongIntMap.MISSING) {
            int list = l.listOf(node);
            if (list == T1 || list == T2) {
                hits++;
                l.move(T2, node);
                return true;
            }
            misses++;
            int b1 = l.size(B1);
            int b2 = l.size(B2);
            if (list == B1) {
                p = Math.min(capacity, p + delta(b2, b1));
                replace(false);
            } else {
                p = Math.max(0, p - delta(b1, b2));
                replace(true);
            }
            l.move(T2, node);
            return false;
        }
        misses++;
        int l1 = l.size(T1) + l.size(B1);
        if (l1 == capacity) {
            if (l.size(T1) < capacity) {
                drop(l.tail(B1));
                replace(false);
            } else {
                drop(l.tail(T1));
            }
        } else {
            int total = l1 + l.size(T2) + l.size(B2);
            if (total >= capacity) {
                if (total == 2 * capacity) {
                    drop(l.tail(B2));
                }
                replace(false);
            }
        }
        node = free[--freeTop];
        keys[node] = key;
        map.put(key, node);
        l.addHead(T1, node);
        return false;
    }

    /** The step of p on a hit in the ghost list of size {@code hit}: {@code max(1, other / hit)}. */
    private double delta(int other, int hit) {
        if (integerTarget) {
            return other <= hit ? 1 : other / hit;
        }
        return Math.max(1.0, (double) other / hit);
    }

    /** The paper's REPLACE(x, p): demote one resident page to its ghost list. */
    private void replace(boolean requestInB2) {
        final NodeLists l = lists;
        int t1 = l.size(T1);
        if (t1 >= 1 && ((requestInB2 && t1 == p) || t1 > p || l.size(T2) == 0)) {
            l.move(B1, l.tail(T1));
        } else {
            l.move(B2, l.tail(T2));
        }
    }

    /** Forgets {@code node} entirely: off its list, out of the map, back to the free stack. */
    private void drop(int node) {
        lists.remove(node);
        map.remove(keys[node]);
        free[freeTop++] = node;
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

    /** The current target size of T1 (a whole number in {@code arc-intp}). */
    public double target() {
        return p;
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
        require(freeTop == 2 * capacity - all, "free nodes == 2c - listed nodes");
        if (!(t1 + t2 <= capacity)) {
            require(false, "|T1| + |T2| <= c");
        }
        if (!(t1 + b1 <= capacity)) {
            require(false, "|T1| + |B1| <= c");
        }
        require(all <= 2 * capacity, "|T1|+|T2|+|B1|+|B2| <= 2c");
        if (!(p >= 0 && p <= capacity)) {
            require(false, "0 <= p <= c (p = " + p + ")");
        }
        if (!(!integerTarget || p == Math.rint(p))) {
            require(false, "p is whole in arc-intp (p = " + p + ")");
        }
        require(t1 + t2 == capacity || b1 + b2 == 0, "ghosts empty while the cache is not full");
        requireMapped(map, lists, keys, T1, B2);
    }
}
