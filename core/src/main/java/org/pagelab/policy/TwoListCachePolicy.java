package org.pagelab.policy;

import org.pagelab.reclaim.TwoListPolicy;

/**
 * The kernel's two-list (active/inactive) file LRU (mm/vmscan.c, mm/swap.c) in fixed-capacity form.
 *
 * <p>A new page enters the head of the inactive list. A hit on an inactive page activates it (moves
 * it to the head of the active list); a hit on an active page changes nothing, as
 * {@code folio_mark_accessed} only sets {@code PG_referenced} there and {@code shrink_active_list}
 * does not look at that bit for unmapped file pages. A miss of a full cache reclaims: first, while
 * the inactive list is low ({@code inactive * ratio < active}, {@code inactive_is_low}, with
 * {@code ratio == TwoListPolicy.inactiveRatio(inactive + active)}, that is
 * {@code floor(sqrt(10 * GiB))} and 1 below one GiB), the active tail is deactivated to the
 * inactive head; then the inactive tail is evicted. This model activates on the second access,
 * where the kernel's {@code folio_mark_accessed} needs a referenced bit first (for reads, both
 * happen on the first two accesses), and balances only at reclaim, as the kernel does.
 *
 * <p>Data: a {@link LongIntMap} from key to node and {@link NodeLists} with two lists over
 * {@code c} nodes. A hit is O(1); a miss is O(1) amortized (each deactivation undoes an activation).
 *
 * <p>Invariants: {@code map.size() == inactive + active <= c}; a reclaim evicts only once
 * {@code inactive * ratio >= active} (between reclaims, activations may tip the balance, as in
 * the kernel).
 */
public final class TwoListCachePolicy extends AbstractPolicy {

    private static final int INACTIVE = 0;
    private static final int ACTIVE = 1;

    private final LongIntMap map;
    private final NodeLists lists;
    private final long[] keys;
    private final long ratio;
    private int size;

    /** Requires: {@code capacity >= 1}. */
    public TwoListCachePolicy(int capacity) {
        super("twolist", capacity);
        ratio = TwoListPolicy.inactiveRatio(capacity);
        map = new LongIntMap(capacity);
        lists = new NodeLists(capacity, 2);
        keys = new long[capacity];
    }

    @Override
    public boolean access(long key) {
        final NodeLists l = lists;
        int node = map.get(key);
        if (node != LongIntMap.MISSING) {
            hits++;
            if (l.listOf(node) == INACTIVE) {
                l.remove(node);
                l.addHead(ACTIVE, node);
            }
            return true;
        }
        misses++;
        if (size == capacity) {
            while (inactiveIsLow()) {
                int t = l.tail(ACTIVE);
                l.remove(t);
                l.addHead(INACTIVE, t);
            }
            node = l.tail(INACTIVE);
            l.remove(node);
            map.remove(keys[node]);
        } else {
            node = size++;
        }
        keys[node] = key;
        map.put(key, node);
        l.addHead(INACTIVE, node);
        return false;
    }

    /** {@code inactive_is_low}; reclaim runs only when full, so {@code inactive + active == c}. */
    private boolean inactiveIsLow() {
        long inactive = lists.size(INACTIVE);
        long active = lists.size(ACTIVE);
        return inactive * ratio < active;
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
        return size;
    }

    /** The number of pages on the active list. */
    public int activePages() {
        return lists.size(ACTIVE);
    }

    @Override
    public void check() {
        lists.check();
        map.check();
        checkCommon(map.size(), lists.size(INACTIVE) + lists.size(ACTIVE));
        if (!(size == map.size())) {
            require(false, "size == inactive + active");
        }
        for (int list = INACTIVE; list <= ACTIVE; list++) {
            for (int n = lists.head(list); n != NodeLists.NIL; n = lists.next(n)) {
                if (!(map.get(keys[n]) == n)) {
                    require(false, "map.get(keys[" + n + "]) == " + n);
                }
            }
        }
    }
}
