package org.pagelab.policy;

/**
 * S3-FIFO (Yang, Zhang, Qiu, Yue and Vinayak, "FIFO queues are all you need for cache eviction",
 * SOSP 2023): three FIFO queues and a 2-bit frequency per resident page, in two variants.
 *
 * <ul>
 *   <li>{@code S}, the small queue, nominally 10% of the capacity, takes new pages not remembered
 *       by G.</li>
 *   <li>{@code M}, the main queue, takes the rest of the capacity; pages enter it when promoted
 *       from S or on a miss that finds their key in G.</li>
 *   <li>{@code G}, the ghost queue, remembers the keys of pages evicted from S; its oldest key is
 *       forgotten first.</li>
 * </ul>
 * A hit increments the page's frequency, saturating at 3; nothing moves. A miss of a full cache
 * evicts one page from S or M. Evicting from S looks at S's tail: with frequency 2 or more it moves
 * to M's head and the search continues; otherwise its key goes to G and the page is gone. If S
 * empties before it gave up a page, M evicts. Evicting from M looks at M's tail: with frequency
 * above 0 it is reinserted at M's head with the frequency decremented; otherwise it is evicted.
 * Algorithm 1 of the paper also lets a promotion evict from M "if M is full"; here a promotion
 * never evicts, so one miss evicts exactly one page and M may run above its nominal size until S
 * refills (libCacheSim does the same).
 *
 * <p>The variants differ in four rules:
 * <pre>
 *                          s3fifo (libCacheSim's S3FIFO)          s3fifo-sosp (pagelab's first)
 * |S| nominal              floor(c / 10)                          max(1, c / 10)
 * |G| at most              floor(9c / 10)                         max(1, c - |S| nominal)
 * which queue evicts       M if |M| &gt; c - |S| nominal or S is     S if |S| &gt;= |S| nominal or M is
 *                          empty, else S                          empty, else M
 * promotion S -&gt; M         frequency reset to 0                   frequency kept
 * new page, no ghost       M while S is full and nothing has      S
 *                          been evicted yet, else S
 * </pre>
 * libCacheSim also refuses to put into S an object at least as large as S, so below 20 pages
 * (|S| at most one page) it caches nothing new there; {@code s3fifo} does not copy that, and
 * agrees with libCacheSim from 20 pages up.
 *
 * <p>Data: one {@link LongIntMap} for resident and ghost keys, {@link NodeLists} with three lists
 * over {@code c + ghostCapacity} nodes, a frequency byte per node, a free-node stack. A hit is O(1);
 * a miss is O(1) amortized (each reinsertion spends one unit of frequency that some hit bought).
 *
 * <p>Invariants: {@code |S| + |M| <= c}; {@code |G| <= ghostCapacity};
 * {@code map.size() == |S| + |M| + |G|}; {@code 0 <= freq <= 3}, and 0 for ghosts.
 */
public final class S3FifoPolicy extends AbstractPolicy {

    private static final int S = 0;
    private static final int M = 1;
    private static final int G = 2;
    private static final int MAX_FREQ = 3;

    private final boolean sosp;
    private final int smallCapacity;
    private final int ghostCapacity;
    private final LongIntMap map;
    private final NodeLists lists;
    private final long[] keys;
    private final byte[] freq;
    private final int[] free;
    private int freeTop;
    private boolean evicted;

    /** Requires: {@code capacity >= 1}. {@code sosp}: the {@code s3fifo-sosp} variant, else libCacheSim's. */
    public S3FifoPolicy(int capacity, boolean sosp) {
        super(sosp ? "s3fifo-sosp" : "s3fifo", capacity);
        this.sosp = sosp;
        smallCapacity = sosp ? Math.max(1, capacity / 10) : capacity / 10;
        ghostCapacity = sosp ? Math.max(1, capacity - smallCapacity) : (int) (capacity * 9L / 10);
        int nodes = capacity + Math.max(1, ghostCapacity);
        map = new LongIntMap(nodes);
        lists = new NodeLists(nodes, 3);
        keys = new long[nodes];
        freq = new byte[nodes];
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
        if (node != LongIntMap.MISSING && l.listOf(node) != G) {
            hits++;
            if (freq[node] < MAX_FREQ) {
                freq[node]++;
            }
            return true;
        }
        misses++;
        if (node != LongIntMap.MISSING) {
            // Off G first, so that eviction cannot forget the very key being brought back.
            l.remove(node);
        }
        if (l.size(S) + l.size(M) == capacity) {
            evict();
        }
        if (node != LongIntMap.MISSING) {
            l.addHead(M, node);
        } else {
            node = free[--freeTop];
            keys[node] = key;
            map.put(key, node);
            l.addHead(!sosp && !evicted && l.size(S) >= smallCapacity ? M : S, node);
        }
        freq[node] = 0;
        return false;
    }

    private void evict() {
        evicted = true;
        boolean small = sosp ? lists.size(S) >= smallCapacity || lists.size(M) == 0
                : lists.size(M) <= capacity - smallCapacity && lists.size(S) > 0;
        if (!small || !evictSmall()) {
            evictMain();
        }
    }

    /** Returns true if a page left S for G; false if S emptied into M first. */
    private boolean evictSmall() {
        final NodeLists l = lists;
        while (l.size(S) > 0) {
            int t = l.tail(S);
            l.remove(t);
            if (freq[t] > 1) {
                if (!sosp) {
                    freq[t] = 0;
                }
                l.addHead(M, t);
            } else if (ghostCapacity == 0) {
                map.remove(keys[t]);
                free[freeTop++] = t;
                return true;
            } else {
                if (l.size(G) == ghostCapacity) {
                    int old = l.tail(G);
                    l.remove(old);
                    map.remove(keys[old]);
                    free[freeTop++] = old;
                }
                freq[t] = 0;
                l.addHead(G, t);
                return true;
            }
        }
        return false;
    }

    private void evictMain() {
        final NodeLists l = lists;
        while (true) {
            int t = l.tail(M);
            l.remove(t);
            if (freq[t] > 0) {
                freq[t]--;
                l.addHead(M, t);
            } else {
                map.remove(keys[t]);
                free[freeTop++] = t;
                return;
            }
        }
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
        return lists.size(S) + lists.size(M);
    }

    @Override
    public void check() {
        lists.check();
        map.check();
        int s = lists.size(S);
        int m = lists.size(M);
        int g = lists.size(G);
        if (!(map.size() == s + m + g)) {
            require(false, "map.size() == |S| + |M| + |G|");
        }
        require(freeTop == capacity + Math.max(1, ghostCapacity) - (s + m + g), "free nodes == all nodes - listed nodes");
        if (!(s + m <= capacity)) {
            require(false, "|S| + |M| <= c");
        }
        if (!(g <= ghostCapacity)) {
            require(false, "|G| <= ghost capacity " + ghostCapacity);
        }
        for (int list = S; list <= G; list++) {
            for (int n = lists.head(list); n != NodeLists.NIL; n = lists.next(n)) {
                if (!(map.get(keys[n]) == n)) {
                    require(false, "map.get(keys[" + n + "]) == " + n);
                }
                if (!(freq[n] >= 0 && freq[n] <= MAX_FREQ)) {
                    require(false, "0 <= freq <= 3 at node " + n);
                }
                if (!(list != G || freq[n] == 0)) {
                    require(false, "ghost freq == 0 at node " + n);
                }
            }
        }
    }
}
