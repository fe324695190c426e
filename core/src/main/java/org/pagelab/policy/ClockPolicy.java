package org.pagelab.policy;

/**
 * CLOCK (second chance) with one reference bit per page: a hit sets the page's bit; a miss of a
 * full cache advances the hand, clearing set bits, and evicts the first page whose bit is clear.
 * New pages enter with the bit clear in the victim's slot, and the hand moves past them. Until the
 * cache is full, pages fill the slots in order and the hand stays at slot 0.
 *
 * <p>Data: a {@link LongIntMap} from key to slot, a ring of keys and a {@code boolean} reference
 * bit per slot. A hit is O(1); a miss is O(1) amortized (each sweep step clears a bit that some
 * hit set), O(capacity) at worst.
 *
 * <p>Invariants: {@code map.size() == size <= capacity}; {@code map.get(keys[s]) == s} for every
 * filled slot; {@code 0 <= hand < capacity}.
 */
public final class ClockPolicy extends AbstractPolicy {

    private final LongIntMap map;
    private final long[] keys;
    private final boolean[] referenced;
    private int size;
    private int hand;

    /** Requires: {@code capacity >= 1}. */
    public ClockPolicy(int capacity) {
        super("clock", capacity);
        map = new LongIntMap(capacity);
        keys = new long[capacity];
        referenced = new boolean[capacity];
    }

    @Override
    public boolean access(long key) {
        int slot = map.get(key);
        if (slot != LongIntMap.MISSING) {
            hits++;
            referenced[slot] = true;
            return true;
        }
        misses++;
        if (size == capacity) {
            int h = hand;
            while (referenced[h]) {
                referenced[h] = false;
                h = h + 1 == capacity ? 0 : h + 1;
            }
            slot = h;
            map.remove(keys[slot]);
            hand = h + 1 == capacity ? 0 : h + 1;
        } else {
            slot = size++;
        }
        keys[slot] = key;
        referenced[slot] = false;
        map.put(key, slot);
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
        return size;
    }

    @Override
    public void check() {
        checkCommon(map.size(), size);
        map.check();
        require(hand >= 0 && hand < capacity, "0 <= hand < capacity");
        for (int s = 0; s < size; s++) {
            if (!(map.get(keys[s]) == s)) {
                require(false, "map.get(keys[" + s + "]) == " + s);
            }
        }
    }
}
