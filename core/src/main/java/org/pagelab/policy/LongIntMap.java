package org.pagelab.policy;

/**
 * An open-addressing hash map from long keys to non-negative int values, without boxing.
 *
 * <p>Linear probing over a power-of-two table indexed by Fibonacci hashing
 * ({@code key * 2^64/phi >>> (64 - bits)}); deletion shifts the following entries of the probe
 * run back (Knuth's algorithm R), so there are no tombstones and lookups stay short. Key and value
 * share one {@code long[]} ({@code table[2i]} the key, {@code table[2i + 1]} the value), so a probe
 * reads one cache line (Agrona's {@code Int2IntHashMap} layout). The table doubles when it would
 * be more than {@code 1/spread} full: half full by default; a map on a hot path can ask for a
 * sparser table, whose shorter probe runs make most lookups end at their home slot, so the
 * branches of the probe loop are predicted. One key value, {@link #EMPTY_KEY}, marks free
 * slots; it is stored beside the table instead, so every long is a valid key.
 *
 * <p>Invariant: {@code size == occupied slots + (emptyKeyPresent ? 1 : 0)}, and every stored key
 * is reachable from its home slot without crossing a free slot.
 */
public final class LongIntMap {

    /** The value {@link #get} returns for an absent key; stored values are never negative. */
    public static final int MISSING = -1;

    static final long EMPTY_KEY = Long.MIN_VALUE;
    private static final long PHI = 0x9E3779B97F4A7C15L;

    /** Keys at even indices, values at odd ones. */
    private long[] table;
    private final int spread;
    private int shift;
    private int mask;
    private int occupied;
    private boolean emptyKeyPresent;
    private int emptyKeyValue;

    /** A map that holds {@code expected} entries without growing, at most half full. Requires: {@code expected >= 0}. */
    public LongIntMap(int expected) {
        this(expected, 2);
    }

    /**
     * A map that holds {@code expected} entries without growing, at most {@code 1/spread} full.
     * Requires: {@code 0 <= expected <= 2^28}, {@code spread} 2, 4 or 8.
     */
    public LongIntMap(int expected, int spread) {
        if (expected < 0 || expected > 1 << 28) {
            throw new IllegalArgumentException("expected size out of [0, 2^28]: " + expected);
        }
        if (spread != 2 && spread != 4 && spread != 8) {
            throw new IllegalArgumentException("spread must be 2, 4 or 8: " + spread);
        }
        this.spread = spread;
        allocate(Integer.highestOneBit(Math.max(4, expected) * spread - 1) << 1);
    }

    private void allocate(int slots) {
        table = new long[2 * slots];
        for (int i = 0; i < table.length; i += 2) {
            table[i] = EMPTY_KEY;
        }
        mask = 2 * slots - 1;
        shift = 64 - Integer.numberOfTrailingZeros(slots);
    }

    /** The index in {@code table} of the home slot of {@code key}: always even. */
    private int home(long key) {
        return (int) ((key * PHI) >>> shift) << 1;
    }

    /** The value of {@code key}, or {@link #MISSING}. */
    public int get(long key) {
        if (key == EMPTY_KEY) {
            return emptyKeyPresent ? emptyKeyValue : MISSING;
        }
        int i = slot(key);
        return i < 0 ? MISSING : (int) table[i + 1];
    }

    /** The table index of {@code key} (not {@link #EMPTY_KEY}), or -1 when it is absent: the one probe loop of lookups. */
    private int slot(long key) {
        final long[] t = table;
        final int m = mask;
        int i = home(key);
        while (true) {
            long found = t[i];
            if (found == key) {
                return i;
            }
            if (found == EMPTY_KEY) {
                return -1;
            }
            i = (i + 2) & m;
        }
    }

    /** Maps {@code key} to {@code value}, replacing any earlier value. Requires: {@code value >= 0}. */
    public void put(long key, int value) {
        if (value < 0) {
            throw new IllegalArgumentException("negative value " + value + " for key " + key);
        }
        if (key == EMPTY_KEY) {
            emptyKeyPresent = true;
            emptyKeyValue = value;
            return;
        }
        final long[] t = table;
        final int m = mask;
        int i = home(key);
        while (true) {
            long found = t[i];
            if (found == key) {
                t[i + 1] = value;
                return;
            }
            if (found == EMPTY_KEY) {
                t[i] = key;
                t[i + 1] = value;
                if (++occupied * 2L * spread > t.length) {
                    grow();
                }
                return;
            }
            i = (i + 2) & m;
        }
    }

    /**
     * Replaces the value of {@code key} by {@code value} if the key is present, in one probe sequence;
     * returns the old value, or {@link #MISSING} (and inserts nothing) if it was absent.
     * Requires: {@code value >= 0}.
     */
    public int replace(long key, int value) {
        if (key == EMPTY_KEY) {
            if (!emptyKeyPresent) {
                return MISSING;
            }
            int old = emptyKeyValue;
            emptyKeyValue = value;
            return old;
        }
        int i = slot(key);
        if (i < 0) {
            return MISSING;
        }
        int old = (int) table[i + 1];
        table[i + 1] = value;
        return old;
    }

    /** Removes {@code key} if it maps to {@code expected}, in one probe sequence; returns whether it did. */
    public boolean removeIf(long key, int expected) {
        if (key == EMPTY_KEY) {
            if (!emptyKeyPresent || emptyKeyValue != expected) {
                return false;
            }
            emptyKeyPresent = false;
            return true;
        }
        int i = slot(key);
        if (i < 0 || table[i + 1] != expected) {
            return false;
        }
        removeAt(i);
        return true;
    }

    /** Removes {@code key} and returns its value, or {@link #MISSING} if it was absent. */
    public int remove(long key) {
        if (key == EMPTY_KEY) {
            if (!emptyKeyPresent) {
                return MISSING;
            }
            emptyKeyPresent = false;
            return emptyKeyValue;
        }
        int i = slot(key);
        if (i < 0) {
            return MISSING;
        }
        int removed = (int) table[i + 1];
        removeAt(i);
        return removed;
    }

    /** Empties table index {@code i} (a key's even index) and closes the gap behind it. */
    private void removeAt(int i) {
        final long[] t = table;
        final int m = mask;
        // Shift back every later entry of the run whose home is not cyclically in (hole, j].
        int hole = i;
        int j = (i + 2) & m;
        long k;
        while ((k = t[j]) != EMPTY_KEY) {
            int h = home(k);
            boolean movable = hole <= j ? (h <= hole || h > j) : (h <= hole && h > j);
            if (movable) {
                t[hole] = k;
                t[hole + 1] = t[j + 1];
                hole = j;
            }
            j = (j + 2) & m;
        }
        t[hole] = EMPTY_KEY;
        occupied--;
    }

    /** The number of keys mapped. */
    public int size() {
        return occupied + (emptyKeyPresent ? 1 : 0);
    }

    private void grow() {
        long[] old = table;
        allocate(old.length);
        for (int i = 0; i < old.length; i += 2) {
            long key = old[i];
            if (key != EMPTY_KEY) {
                int j = home(key);
                while (table[j] != EMPTY_KEY) {
                    j = (j + 2) & mask;
                }
                table[j] = key;
                table[j + 1] = old[i + 1];
            }
        }
    }

    /** Recomputes the invariants; throws {@link IllegalStateException} naming the broken one. */
    public void check() {
        int count = 0;
        for (int i = 0; i < table.length; i += 2) {
            long key = table[i];
            if (key == EMPTY_KEY) {
                continue;
            }
            count++;
            for (int j = home(key); j != i; j = (j + 2) & mask) {
                if (table[j] == EMPTY_KEY) {
                    throw new IllegalStateException("key " + key + " at slot " + i / 2
                            + " is cut off from its home slot " + home(key) / 2 + " by free slot " + j / 2);
                }
            }
            if (table[i + 1] < 0 || table[i + 1] > Integer.MAX_VALUE) {
                throw new IllegalStateException("value " + table[i + 1] + " of key " + key + " is not an int >= 0");
            }
        }
        if (count != occupied) {
            throw new IllegalStateException("occupied == " + occupied + " but " + count + " slots are used");
        }
        if ((long) occupied * spread > table.length / 2) {
            throw new IllegalStateException(occupied + " keys in " + table.length / 2 + " slots: more than 1/" + spread
                    + " full");
        }
    }
}
