package org.pagelab.policy;

/**
 * First in, first out: a hit changes nothing; a miss of a full cache evicts the key inserted
 * longest ago. The classic example of Belady's anomaly (more frames, more misses).
 *
 * <p>Data: a {@link LongIntMap} from key to slot and a ring of {@code capacity} slots whose
 * {@code hand} is the oldest slot once the ring is full. O(1) per access: one probe sequence, and a
 * second one to remove the victim on a miss of a full cache.
 *
 * <p>Invariants: {@code map.size() == size <= capacity}; {@code map.get(keys[s]) == s} for every
 * filled slot {@code s}.
 */
public final class FifoPolicy extends AbstractPolicy {

    private final LongIntMap map;
    private final long[] keys;
    private int size;
    private int hand;

    /** Requires: {@code capacity >= 1}. */
    public FifoPolicy(int capacity) {
        super("fifo", capacity);
        map = new LongIntMap(capacity);
        keys = new long[capacity];
    }

    @Override
    public boolean access(long key) {
        if (map.get(key) != LongIntMap.MISSING) {
            hits++;
            return true;
        }
        misses++;
        int slot;
        if (size == capacity) {
            slot = hand;
            map.remove(keys[slot]);
            hand = hand + 1 == capacity ? 0 : hand + 1;
        } else {
            slot = size++;
        }
        keys[slot] = key;
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
        require(size == capacity || hand == 0, "hand == 0 until the ring is full");
        for (int s = 0; s < size; s++) {
            if (!(map.get(keys[s]) == s)) {
                require(false, "map.get(keys[" + s + "]) == " + s);
            }
        }
    }
}
