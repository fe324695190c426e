package org.pagelab.policy;

/**
 * A count-min sketch of 4-bit counters that estimates how often each key was seen recently, for
 * TinyLFU admission (Einziger, Friedman and Manes, "TinyLFU: a highly efficient cache admission
 * policy", ACM Transactions on Storage 13(4), 2017).
 *
 * <p>Four rows of {@code width} counters (a power of two, at least the cache's capacity); a key's
 * counter in row r is picked by bits of a 64-bit mix of the key with a per-row constant. An
 * increment adds one to each of the key's four counters below 15; the estimate is the least of
 * them. After {@code 10 * capacity} increments every counter is halved and the count of
 * increments too (the paper's reset), so old popularity fades.
 *
 * <p>Invariant: {@code 0 <= additions < sampleSize}; every counter in {@code [0, 15]} (true by
 * construction of the 4-bit fields).
 */
final class FrequencySketch {

    private static final long[] ROW_SEEDS = {0x97CB3127DBB5C9A3L, 0xB492B66FBE98F273L, 0x9AE16A3B2F90404FL,
        0xCBF29CE484222325L};
    private static final long HALF_MASK = 0x7777777777777777L;

    /** 16 counters per long; row r's counters are words {@code [r * wordsPerRow, (r + 1) * wordsPerRow)}. */
    private final long[] table;
    private final int wordsPerRow;
    private final int counterMask;
    private final int sampleSize;
    private int additions;

    /** Requires: {@code capacity >= 1}. */
    FrequencySketch(int capacity) {
        int width = Math.max(16, Integer.highestOneBit(Math.max(1, capacity) - 1) << 1);
        wordsPerRow = width / 16;
        counterMask = width - 1;
        table = new long[4 * wordsPerRow];
        sampleSize = (int) Math.min(Integer.MAX_VALUE, 10L * capacity);
    }

    private static long mix(long key, long seed) {
        long h = (key ^ seed) * 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        return h ^ (h >>> 33);
    }

    /** The estimated count of {@code key}, 0 to 15. */
    int frequency(long key) {
        int min = 15;
        for (int r = 0; r < 4; r++) {
            int c = (int) mix(key, ROW_SEEDS[r]) & counterMask;
            long word = table[r * wordsPerRow + (c >>> 4)];
            min = Math.min(min, (int) (word >>> ((c & 15) << 2)) & 15);
        }
        return min;
    }

    /** Counts one more access of {@code key}; halves every counter after each sample. */
    void increment(long key) {
        for (int r = 0; r < 4; r++) {
            int c = (int) mix(key, ROW_SEEDS[r]) & counterMask;
            int w = r * wordsPerRow + (c >>> 4);
            int shift = (c & 15) << 2;
            if (((table[w] >>> shift) & 15) < 15) {
                table[w] += 1L << shift;
            }
        }
        if (++additions == sampleSize) {
            for (int i = 0; i < table.length; i++) {
                table[i] = (table[i] >>> 1) & HALF_MASK;
            }
            additions /= 2;
        }
    }

    void check() {
        if (additions < 0 || additions >= sampleSize) {
            throw new IllegalStateException("sketch: additions " + additions + " outside [0, " + sampleSize + ")");
        }
    }
}
