package org.pagelab.policy;

/**
 * LIRS, Low Inter-reference Recency Set (Jiang and Zhang, "LIRS: an efficient low inter-reference
 * recency set replacement policy to improve buffer cache performance", SIGMETRICS 2002).
 *
 * <p>Pages are LIR (low inter-reference recency: hot, never evicted while LIR) or HIR. The LIR set
 * holds at most {@code Llirs = c - Lhirs} pages, {@code Lhirs = max(2, c / 100)} (the paper's 1%, and
 * at least the 2 of the authors' simulator; 1 for caches of 1 or 2 pages).
 * A recency stack {@code S} holds every LIR page and the HIR pages, resident or not, accessed more
 * recently than the least recent LIR page; a FIFO {@code Q} holds the resident HIR pages. Rules:
 * <ul>
 *   <li>Hit on a LIR page: it moves to the top of S.</li>
 *   <li>Hit on a resident HIR page that is in S: it becomes LIR (its new reuse distance is below
 *       the oldest LIR page's recency), moves to the top of S and leaves Q; the LIR page at the
 *       bottom of S becomes HIR and goes to the end of Q. Not in S: it moves to the top of S and
 *       to the end of Q, staying HIR.</li>
 *   <li>Miss: a full cache evicts the resident HIR page at the front of Q; if it is in S it stays
 *       there as a non-resident HIR entry. While fewer than Llirs pages are LIR, the new page becomes
 *       LIR. Otherwise, a page that still has a non-resident entry in S becomes LIR (moving to the
 *       top and demoting the bottom LIR page as above); any other page becomes a resident HIR page
 *       at the top of S and the end of Q.</li>
 *   <li>Stack pruning: whenever the bottom of S is not LIR, HIR entries are removed from the
 *       bottom until a LIR page is there; a non-resident entry removed from S is forgotten.</li>
 * </ul>
 * An access to the key accessed just before is a hit that changes nothing, as in the authors'
 * simulator ({@code lirs.c}, shipped with their traces): a correlated re-reference does not make a
 * HIR page LIR. With one page there is no LIR set ({@code Llirs = 0}) and S stays empty: the cache
 * holds the latest page. S is unbounded, as in the paper: the node arrays grow with the non-resident
 * entries S holds, which are at most the trace's distinct keys. Bounding them changes the result
 * (Caffeine's simulator keeps at most 2c and misses more or less than the authors' on their own
 * traces); with S unbounded this class gives the authors' simulator's miss counts exactly
 * (docs/policies.md).
 *
 * <p>Data: a {@link LongIntMap} from key to node, S in one {@link NodeLists} and Q and the list of
 * non-resident entries (in order of becoming so) in another, a status byte per node. O(1)
 * amortized per access (pruning removes each entry once).
 *
 * <p>Invariants: {@code lir <= Llirs}; {@code lir + |Q| <= c}; every LIR page is in S and not in
 * Q; the bottom of S is LIR (or S is empty); non-resident entries are in S;
 * {@code map.size() == lir + |Q| + non-resident}; the non-resident list holds exactly the
 * non-resident entries, in the order they became so.
 */
public final class LirsPolicy extends AbstractPolicy {

    private static final byte LIR = 0;
    private static final byte HIR = 1;
    private static final byte NON_RESIDENT = 2;
    private static final int S = 0;
    private static final int Q = 0;
    private static final int NR = 1;

    private final int lirCapacity;
    private final LongIntMap map;
    private final NodeLists stack;
    private final NodeLists queues;
    private long[] keys;
    private byte[] status;
    private final NodePool pool;
    private int lir;
    private long lastKey;
    private boolean accessed;

    /** Requires: {@code capacity >= 1}. */
    public LirsPolicy(int capacity) {
        super("lirs", capacity);
        lirCapacity = capacity - (capacity <= 2 ? 1 : Math.max(2, capacity / 100));
        int nodes = 2 * capacity;
        map = new LongIntMap(nodes);
        stack = new NodeLists(nodes, 1);
        queues = new NodeLists(nodes, 2);
        keys = new long[nodes];
        status = new byte[nodes];
        pool = new NodePool(nodes);
    }

    @Override
    public boolean access(long key) {
        if (accessed && key == lastKey) {
            hits++;
            return true;
        }
        accessed = true;
        lastKey = key;
        int node = map.get(key);
        if (node != LongIntMap.MISSING && status[node] == LIR) {
            hits++;
            boolean bottom = stack.tail(S) == node;
            stack.moveToHead(S, node);
            if (bottom) {
                prune();
            }
            return true;
        }
        if (node != LongIntMap.MISSING && status[node] == HIR) {
            hits++;
            if (stack.listOf(node) == S) {
                queues.remove(node);
                promote(node);
            } else {
                if (lirCapacity > 0) {
                    stack.addHead(S, node);
                }
                queues.moveToHead(Q, node);
            }
            return true;
        }
        misses++;
        if (node != LongIntMap.MISSING) {
            queues.remove(node); // off the non-resident list first, so that bounding it cannot forget this key
        }
        if (lir + queues.size(Q) == capacity) {
            evict();
        }
        if (node == LongIntMap.MISSING) {
            if (pool.available() == 0) {
                grow();
            }
            node = pool.take();
            keys[node] = key;
            map.put(key, node);
            if (lir < lirCapacity) {
                status[node] = LIR;
                lir++;
                stack.addHead(S, node);
            } else {
                status[node] = HIR;
                if (lirCapacity > 0) {
                    stack.addHead(S, node);
                }
                queues.addHead(Q, node);
            }
        } else if (lir < lirCapacity) {
            status[node] = LIR;
            lir++;
            stack.moveToHead(S, node);
        } else {
            promote(node);
        }
        return false;
    }

    /** Makes {@code node}, in S and not in Q, LIR at the top of S; the bottom LIR page becomes HIR. */
    private void promote(int node) {
        status[node] = LIR;
        lir++;
        stack.moveToHead(S, node);
        int bottom = stack.tail(S);
        stack.remove(bottom);
        status[bottom] = HIR;
        lir--;
        queues.addHead(Q, bottom);
        prune();
    }

    /** Evicts the resident HIR page at the front of Q. */
    private void evict() {
        int victim = queues.tail(Q);
        queues.remove(victim);
        if (stack.listOf(victim) == S) {
            status[victim] = NON_RESIDENT;
            queues.addHead(NR, victim);
        } else {
            forget(victim);
        }
    }

    /** Removes HIR entries from the bottom of S until a LIR page is there. */
    private void prune() {
        while (stack.size(S) > 0 && status[stack.tail(S)] != LIR) {
            int t = stack.tail(S);
            stack.remove(t);
            if (status[t] == NON_RESIDENT) {
                queues.remove(t);
                forget(t);
            }
        }
    }

    /** Doubles the node arrays, for the non-resident entries S holds beyond c. */
    private void grow() {
        int nodes = 2 * keys.length;
        keys = java.util.Arrays.copyOf(keys, nodes);
        status = java.util.Arrays.copyOf(status, nodes);
        stack.grow(nodes);
        queues.grow(nodes);
        pool.grow(nodes);
    }

    private void forget(int node) {
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
        return lir + queues.size(Q);
    }

    @Override
    public void check() {
        stack.check();
        queues.check();
        map.check();
        int q = queues.size(Q);
        int nr = queues.size(NR);
        if (!(lir <= lirCapacity)) {
            require(false, "lir <= Llirs " + lirCapacity);
        }
        if (!(lir + q <= capacity)) {
            require(false, "lir + |Q| <= c");
        }
        if (!(map.size() == lir + q + nr)) {
            require(false, "map.size() == lir + |Q| + non-resident");
        }
        require(pool.available() == pool.nodes() - map.size(), "free nodes == all nodes - tracked nodes");
        require(stack.size(S) == 0 || status[stack.tail(S)] == LIR, "the bottom of S is LIR");
        int lirSeen = 0;
        for (int n = stack.head(S); n != NodeLists.NIL; n = stack.next(n)) {
            if (!(map.get(keys[n]) == n)) {
                require(false, "map.get(keys[" + n + "]) == " + n);
            }
            if (status[n] == LIR) {
                lirSeen++;
                if (!(queues.listOf(n) == NodeLists.NONE)) {
                    require(false, "a LIR page is not in Q, node " + n);
                }
            } else {
                if (!(queues.listOf(n) == (status[n] == HIR ? Q : NR))) {
                    require(false, "HIR in Q, non-resident listed, node " + n);
                }
            }
        }
        if (!(lirSeen == lir)) {
            require(false, "every LIR page is in S (" + lirSeen + " of " + lir + ")");
        }
        for (int n = queues.head(Q); n != NodeLists.NIL; n = queues.next(n)) {
            if (!(status[n] == HIR && map.get(keys[n]) == n)) {
                require(false, "Q holds resident HIR pages, node " + n);
            }
        }
        for (int n = queues.head(NR); n != NodeLists.NIL; n = queues.next(n)) {
            if (!(status[n] == NON_RESIDENT && stack.listOf(n) == S)) {
                require(false, "non-resident entries are in S, node " + n);
            }
        }
    }
}
