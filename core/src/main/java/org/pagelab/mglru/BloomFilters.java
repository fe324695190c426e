package org.pagelab.mglru;

/**
 * The two Bloom filters of one lruvec's page-table walks (the kernel's double-buffered
 * {@code mm_state.filters}): the filter of sequence number {@code seq} names the PTE tables worth
 * walking when the aging creates generation {@code seq + 1}. While one walk reads the filter of its
 * {@code maxSeq}, it fills the filter of {@code maxSeq + 1} with the tables in which it found
 * enough young entries, and the next walk reads that one.
 *
 * <p>A filter of {@value #BITS} bits; an item (a PTE table's frame number) sets the two bits its
 * two {@value #SHIFT}-bit keys name, taken from one 30-bit multiplicative hash. A filter that was
 * never reset answers yes to everything, so the first walk visits every table. False positives
 * cost a table walked for nothing; there are no false negatives within a generation.
 */
final class BloomFilters {
    /** log2 of the bits per filter. */
    static final int SHIFT = 15;
    /** Bits per filter. */
    static final int BITS = 1 << SHIFT;
    private static final int NR_FILTERS = 2;
    private static final long GOLDEN = 0x9E37_79B9_7F4A_7C15L;

    private final long[][] filters = new long[NR_FILTERS][];

    /** Empties (allocating it the first time) the filter for sequence number {@code seq}. */
    void reset(long seq) {
        int i = index(seq);
        if (filters[i] == null) {
            filters[i] = new long[BITS / Long.SIZE];
        } else {
            java.util.Arrays.fill(filters[i], 0L);
        }
    }

    /** Adds {@code item} to the filter of {@code seq}; nothing when that filter was never reset. */
    void add(long seq, long item) {
        long[] f = filters[index(seq)];
        if (f == null) {
            return;
        }
        int h = hash(item);
        set(f, h & (BITS - 1));
        set(f, h >>> SHIFT);
    }

    /** Whether {@code item} may be in the filter of {@code seq}; true when that filter was never reset. */
    boolean test(long seq, long item) {
        long[] f = filters[index(seq)];
        if (f == null) {
            return true;
        }
        int h = hash(item);
        return get(f, h & (BITS - 1)) && get(f, h >>> SHIFT);
    }

    private static int index(long seq) {
        return (int) (seq % NR_FILTERS);
    }

    /** The top 2 * SHIFT bits of a Fibonacci hash of {@code item}. */
    static int hash(long item) {
        return (int) ((item * GOLDEN) >>> (Long.SIZE - 2 * SHIFT));
    }

    private static void set(long[] f, int bit) {
        f[bit >>> 6] |= 1L << bit;
    }

    private static boolean get(long[] f, int bit) {
        return (f[bit >>> 6] & (1L << bit)) != 0;
    }
}
