package org.pagelab.policy;

/**
 * Segmented LRU (Karedla, Love and Wherry, "Caching strategies to improve disk system
 * performance", IEEE Computer 27(3), 1994): a probationary and a protected LRU segment, the
 * protected one at most {@value #PROTECTED_PERCENT}% of the capacity ({@code c * 4 / 5}).
 *
 * <p>A miss inserts at the head of the probationary segment, evicting first, when the cache is
 * full, the probationary tail (the protected tail when probation is empty). A hit in probation
 * moves the page to the head of the protected segment; if that makes the protected segment too
 * long, its tail goes back to the head of probation. A hit in the protected segment moves the page
 * to its head.
 *
 * <p>Data: a {@link LongIntMap} from key to node, {@link NodeLists} with two lists. O(1).
 *
 * <p>Invariants: {@code |probation| + |protected| == map.size() <= c};
 * {@code |protected| <= c * 4 / 5}.
 */
public final class SlruPolicy extends AbstractPolicy {

    static final int PROTECTED_PERCENT = 80;
    private static final int PROBATION = 0;
    private static final int PROTECTED = 1;

    private final int protectedCapacity;
    private final LongIntMap map;
    private final NodeLists lists;
    private final long[] keys;
    private final NodePool pool;

    /** Requires: {@code capacity >= 1}. */
    public SlruPolicy(int capacity) {
        super("slru", capacity);
        protectedCapacity = (int) ((long) capacity * PROTECTED_PERCENT / 100);
        map = new LongIntMap(capacity);
        lists = new NodeLists(capacity, 2);
        keys = new long[capacity];
        pool = new NodePool(capacity);
    }

    @Override
    public boolean access(long key) {
        final NodeLists l = lists;
        int node = map.get(key);
        if (node != LongIntMap.MISSING) {
            hits++;
            if (l.listOf(node) == PROTECTED) {
                l.moveToHead(PROTECTED, node);
            } else {
                l.remove(node);
                l.addHead(PROTECTED, node);
                if (l.size(PROTECTED) > protectedCapacity) {
                    int demoted = l.tail(PROTECTED);
                    l.remove(demoted);
                    l.addHead(PROBATION, demoted);
                }
            }
            return true;
        }
        misses++;
        if (l.size(PROBATION) + l.size(PROTECTED) == capacity) {
            int victim = l.size(PROBATION) > 0 ? l.tail(PROBATION) : l.tail(PROTECTED);
            l.remove(victim);
            map.remove(keys[victim]);
            pool.give(victim);
        }
        node = pool.take();
        keys[node] = key;
        map.put(key, node);
        l.addHead(PROBATION, node);
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
        return lists.size(PROBATION) + lists.size(PROTECTED);
    }

    @Override
    public void check() {
        lists.check();
        map.check();
        checkCommon(map.size(), size());
        require(pool.available() == capacity - size(), "free nodes == capacity - listed nodes");
        if (!(lists.size(PROTECTED) <= protectedCapacity)) {
            require(false, "|protected| <= " + protectedCapacity);
        }
        requireMapped(map, lists, keys, PROBATION, PROTECTED);
    }
}
