package org.pagelab.policy;

import java.util.SplittableRandom;

/**
 * Random replacement: a miss of a full cache evicts a resident page drawn uniformly at random,
 * from a {@link SplittableRandom} of a fixed seed, so a replay is reproducible.
 *
 * <p>Data: a {@link LongIntMap} from key to slot and an array of the resident keys in
 * {@code [0, size)}; the new key takes the victim's slot. O(1) per access.
 *
 * <p>Invariants: {@code map.size() == size <= capacity}; {@code map.get(keys[s]) == s} for every
 * filled slot.
 */
public final class RandomPolicy extends AbstractPolicy {

    /** The seed of {@code random} when the registry creates it. */
    public static final long DEFAULT_SEED = 1;

    private final LongIntMap map;
    private final long[] keys;
    private final SplittableRandom random;
    private int size;

    /** Requires: {@code capacity >= 1}. */
    public RandomPolicy(int capacity, long seed) {
        super("random", capacity);
        map = new LongIntMap(capacity);
        keys = new long[capacity];
        random = new SplittableRandom(seed);
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
            slot = random.nextInt(size);
            map.remove(keys[slot]);
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
        map.check();
        checkCommon(map.size(), size);
        for (int s = 0; s < size; s++) {
            if (!(map.get(keys[s]) == s)) {
                require(false, "map.get(keys[" + s + "]) == " + s);
            }
        }
    }
}
