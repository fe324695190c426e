package org.pagelab.policy;

/**
 * Fixed-rate spatial sampling of a trace (SHARDS, Waldspurger et al., FAST 2015): an access is
 * kept when a hash of its key, taken modulo {@code 2^24}, is below {@code rate * 2^24}, so every
 * access of a sampled key is kept and none of an unsampled one. The sample's stack distances,
 * scaled by {@code 1 / rate}, estimate the full trace's ({@link StackDistances}), and a policy
 * replayed over the sample with {@code rate} times the pages estimates the full trace's miss
 * ratio at that size (the "miniature simulation" of Waldspurger et al., USENIX ATC 2017).
 *
 * <p>The rate actually used is {@code threshold / 2^24} ({@link #rate(long)}), the requested rate
 * rounded to the nearest 2^-24; a miss ratio of the sample is the sample's misses over the
 * sample's accesses (the plain SHARDS estimate, without the SHARDS_adj correction).
 */
public final class Shards {

    /** log2 of the hash modulus. */
    public static final int MODULUS_BITS = 24;
    private static final long MODULUS = 1L << MODULUS_BITS;

    private Shards() {
    }

    /** The threshold of {@code rate}: {@code round(rate * 2^24)}. Requires: {@code 0 < rate <= 1}, at least 2^-24. */
    public static long threshold(double rate) {
        if (!(rate > 0 && rate <= 1)) {
            throw new IllegalArgumentException("sampling rate must be in (0, 1], got " + rate);
        }
        long t = Math.round(rate * MODULUS);
        if (t < 1) {
            throw new IllegalArgumentException("sampling rate " + rate + " is below 2^-24, the finest this sampling has");
        }
        return t;
    }

    /** The rate a threshold stands for. */
    public static double rate(long threshold) {
        return (double) threshold / MODULUS;
    }

    /** Whether accesses to {@code key} are in the sample of {@code threshold}. */
    public static boolean sampled(long key, long threshold) {
        return (mix(key) & (MODULUS - 1)) < threshold;
    }

    /** The accesses of {@code trace} whose keys are sampled, in order. */
    public static long[] sample(long[] trace, long threshold) {
        int n = 0;
        for (long k : trace) {
            if (sampled(k, threshold)) {
                n++;
            }
        }
        long[] out = new long[n];
        int i = 0;
        for (long k : trace) {
            if (sampled(k, threshold)) {
                out[i++] = k;
            }
        }
        return out;
    }

    /** The pages a cache of {@code pages} pages has in a miniature simulation at {@code rate}: at least {@code minimum}. */
    public static int scaledCapacity(int pages, double rate, int minimum) {
        return (int) Math.max(minimum, Math.round(pages * rate));
    }

    /** The 64-bit hash sampling uses, for other uses that need keys spread over 64 bits. */
    public static long hash(long key) {
        return mix(key);
    }

    /**
     * A 64-bit hash (the SplitMix64 finalizer of the key plus an odd constant, so that key 0 is not
     * fixed at 0 and sampled at every rate): every key bit moves every low bit of the hash.
     */
    static long mix(long key) {
        long z = key + 0x9e3779b97f4a7c15L;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
