package org.pagelab.policy;

/**
 * W-TinyLFU (Einziger, Friedman and Manes, "TinyLFU: a highly efficient cache admission policy",
 * ACM Transactions on Storage 13(4), 2017), the policy of the Caffeine cache: a small LRU window in
 * front of a segmented-LRU main region, and a frequency sketch that decides which of two pages the
 * main region keeps.
 *
 * <p>The window holds {@code max(1, c / 100)} pages (the paper's 1%); the main region the rest,
 * split as {@link SlruPolicy} into probation and protected (80% of the main region). Every access
 * counts its key in a {@link FrequencySketch}. A hit moves the page to the head of its list (a
 * probation hit moves it to protected, demoting protected's tail to probation's head when
 * protected overflows). A miss inserts at the window's head; when the window then holds more than
 * its share, its tail, the candidate, moves to probation's head, and if the cache now holds more
 * than c pages, the candidate and probation's tail, the victim, are compared: the candidate stays
 * (and the victim is evicted) only if the sketch has seen it strictly more often; otherwise the
 * candidate is evicted. Caffeine also admits a warm candidate at random now and then against hash
 * flooding; this replay does not, so it is deterministic.
 *
 * <p>Data: a {@link LongIntMap} from key to node, {@link NodeLists} with three lists over c + 1
 * nodes (one page more than c is resident between insertion and the admission decision), and the
 * sketch. O(1) per access.
 *
 * <p>Invariants: {@code |window| <= windowCapacity}; {@code |window| + |probation| + |protected|
 * == map.size() <= c}; {@code |protected| <= protectedCapacity}.
 */
public final class WTinyLfuPolicy extends AbstractPolicy {

    private static final int WINDOW = 0;
    private static final int PROBATION = 1;
    private static final int PROTECTED = 2;

    private final int windowCapacity;
    private final int protectedCapacity;
    private final LongIntMap map;
    private final NodeLists lists;
    private final long[] keys;
    private final NodePool pool;
    private final FrequencySketch sketch;

    /** Requires: {@code capacity >= 1}. */
    public WTinyLfuPolicy(int capacity) {
        super("wtinylfu", capacity);
        windowCapacity = Math.max(1, capacity / 100);
        protectedCapacity = (int) ((long) (capacity - windowCapacity) * SlruPolicy.PROTECTED_PERCENT / 100);
        map = new LongIntMap(capacity + 1);
        lists = new NodeLists(capacity + 1, 3);
        keys = new long[capacity + 1];
        pool = new NodePool(capacity + 1);
        sketch = new FrequencySketch(capacity);
    }

    @Override
    public boolean access(long key) {
        final NodeLists l = lists;
        sketch.increment(key);
        int node = map.get(key);
        if (node != LongIntMap.MISSING) {
            hits++;
            int list = l.listOf(node);
            if (list == PROBATION) {
                l.remove(node);
                l.addHead(PROTECTED, node);
                if (l.size(PROTECTED) > protectedCapacity) {
                    int demoted = l.tail(PROTECTED);
                    l.remove(demoted);
                    l.addHead(PROBATION, demoted);
                }
            } else {
                l.moveToHead(list, node);
            }
            return true;
        }
        misses++;
        node = pool.take();
        keys[node] = key;
        map.put(key, node);
        l.addHead(WINDOW, node);
        if (l.size(WINDOW) > windowCapacity) {
            int candidate = l.tail(WINDOW);
            l.remove(candidate);
            l.addHead(PROBATION, candidate);
            if (size() > capacity) {
                int victim = l.tail(PROBATION);
                evict(sketch.frequency(keys[candidate]) > sketch.frequency(keys[victim]) ? victim : candidate);
            }
        }
        return false;
    }

    private void evict(int node) {
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
        return lists.size(WINDOW) + lists.size(PROBATION) + lists.size(PROTECTED);
    }

    @Override
    public void check() {
        lists.check();
        map.check();
        sketch.check();
        checkCommon(map.size(), size());
        require(pool.available() == pool.nodes() - size(), "free nodes == all nodes - listed nodes");
        if (!(lists.size(WINDOW) <= windowCapacity)) {
            require(false, "|window| <= " + windowCapacity);
        }
        if (!(lists.size(PROTECTED) <= protectedCapacity)) {
            require(false, "|protected| <= " + protectedCapacity);
        }
        requireMapped(map, lists, keys, WINDOW, PROTECTED);
    }
}
