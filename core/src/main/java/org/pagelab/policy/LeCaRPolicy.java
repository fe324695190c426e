package org.pagelab.policy;

import java.util.SplittableRandom;

/**
 * LeCaR, learning cache replacement (Vietri, Rodriguez, Martinez, Lyons, Liu, Rangaswami, Zhao
 * and Narasimhan, "Driving cache replacement with ML-based LeCaR", HotStorage 2018): two experts,
 * LRU and LFU, chosen at random for each eviction by weights that regret learns.
 *
 * <p>Each resident page has a recency (time of its latest access) and a frequency. A miss of a
 * full cache draws the LRU expert with probability {@code wLru} (else LFU, {@code wLfu = 1 -
 * wLru}) from a {@link SplittableRandom} of a fixed seed: LRU evicts the least recently used page,
 * LFU the least frequent one (the least recently used of equal frequency). The evicted key goes to
 * that expert's history, a FIFO of at most c keys that remembers the eviction time and the
 * frequency. A miss whose key is in a history is the other expert's reward: with {@code r =
 * d^(t - evicted)}, {@code d = 0.005^(1/c)}, and learning rate {@code lambda = 0.45} (the paper's
 * values), a key from the LRU history multiplies {@code wLfu} by {@code e^(lambda r)}, one from the
 * LFU history {@code wLru}; the weights are then normalized. The key leaves its history and its
 * page comes back with its remembered frequency plus one; any other new page starts at frequency 1.
 *
 * <p>Data: a {@link LongIntMap} from key to node for resident and remembered pages,
 * {@link NodeLists} with the resident pages in LRU order and the two histories, a {@link NodeHeap}
 * of the resident pages ranked by (frequency, latest access), over 3c nodes. O(log c) per access.
 *
 * <p>Invariants: {@code |resident| == heap size <= c}; each history at most c;
 * {@code map.size() == |resident| + |H_lru| + |H_lfu|}; {@code 0 <= wLru <= 1} and {@code wLfu = 1 -
 * wLru}. Nothing keeps a weight away from 0: after a long run of one expert's regrets the other can
 * underflow to 0 and is then never drawn again, as the paper's update implies.
 */
public final class LeCaRPolicy extends AbstractPolicy {

    /** The seed of the expert draws when the registry creates it. */
    public static final long DEFAULT_SEED = 1;
    private static final double LEARNING_RATE = 0.45;

    private static final int RESIDENT = 0;
    private static final int H_LRU = 1;
    private static final int H_LFU = 2;

    private final double discount;
    private final LongIntMap map;
    private final NodeLists lists;
    private final NodeHeap frequent;
    private final long[] keys;
    private final long[] frequency;
    private final long[] time;
    private final NodePool pool;
    private final SplittableRandom random;
    private double wLru = 0.5;
    private long clock;

    /** Requires: {@code capacity >= 1}. */
    public LeCaRPolicy(int capacity, long seed) {
        super("lecar", capacity);
        discount = Math.pow(0.005, 1.0 / capacity);
        int nodes = 3 * capacity;
        map = new LongIntMap(nodes);
        lists = new NodeLists(nodes, 3);
        frequent = new NodeHeap(nodes);
        keys = new long[nodes];
        frequency = new long[nodes];
        time = new long[nodes];
        pool = new NodePool(nodes);
        random = new SplittableRandom(seed);
    }

    @Override
    public boolean access(long key) {
        final NodeLists l = lists;
        long now = clock++;
        int node = map.get(key);
        if (node != LongIntMap.MISSING && l.listOf(node) == RESIDENT) {
            hits++;
            frequency[node]++;
            time[node] = now;
            l.moveToHead(RESIDENT, node);
            frequent.update(node, frequency[node], now);
            return true;
        }
        misses++;
        long freq = 1;
        if (node != LongIntMap.MISSING) {
            double reward = Math.pow(discount, now - time[node]);
            double wLfu = 1 - wLru;
            if (l.listOf(node) == H_LRU) {
                wLfu *= Math.exp(LEARNING_RATE * reward);
            } else {
                wLru *= Math.exp(LEARNING_RATE * reward);
            }
            wLru = wLru / (wLru + wLfu);
            freq = frequency[node] + 1;
            l.remove(node);
        }
        if (l.size(RESIDENT) == capacity) {
            boolean byLru = random.nextDouble() < wLru;
            int victim = byLru ? l.tail(RESIDENT) : frequent.min();
            int history = byLru ? H_LRU : H_LFU;
            frequent.remove(victim);
            l.remove(victim);
            if (l.size(history) == capacity) {
                int oldest = l.tail(history);
                l.remove(oldest);
                map.remove(keys[oldest]);
                pool.give(oldest);
            }
            time[victim] = now;
            l.addHead(history, victim);
        }
        if (node == LongIntMap.MISSING) {
            node = pool.take();
            keys[node] = key;
            map.put(key, node);
        }
        frequency[node] = freq;
        time[node] = now;
        l.addHead(RESIDENT, node);
        frequent.add(node, freq, now);
        return false;
    }

    /** The weight of the LRU expert, in [0, 1]. */
    public double lruWeight() {
        return wLru;
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
        return lists.size(RESIDENT);
    }

    @Override
    public void check() {
        lists.check();
        frequent.check();
        map.check();
        int all = size() + lists.size(H_LRU) + lists.size(H_LFU);
        checkCommon(frequent.size(), size());
        if (!(map.size() == all)) {
            require(false, "map.size() == resident + both histories");
        }
        require(pool.available() == pool.nodes() - all, "free nodes == all nodes - listed nodes");
        require(lists.size(H_LRU) <= capacity && lists.size(H_LFU) <= capacity, "each history <= c");
        if (!(wLru >= 0 && wLru <= 1)) {
            require(false, "0 <= wLru <= 1 (" + wLru + ")");
        }
        requireMapped(map, lists, keys, RESIDENT, H_LFU);
        for (int n = lists.head(RESIDENT); n != NodeLists.NIL; n = lists.next(n)) {
            if (!(frequent.contains(n) && frequent.priority(n) == frequency[n])) {
                require(false, "resident ranked by frequency, node " + n);
            }
        }
    }
}
