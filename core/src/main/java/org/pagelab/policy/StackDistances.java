package org.pagelab.policy;

import java.util.Arrays;

/**
 * The LRU stack-distance (reuse-distance) histogram of a trace: {@code count(d)} accesses found
 * their key at depth {@code d} of the LRU stack (d distinct keys accessed since the key's previous
 * access, counting the key), and {@link #cold()} accesses were first accesses. An LRU cache of
 * {@code c} pages misses exactly {@code cold() + #(distance > c)} times (Mattson et al. 1970), so
 * the histogram is the whole LRU miss-ratio curve.
 *
 * <p>The histogram is computed in one pass with a Fenwick tree over trace positions, as
 * {@link MissRatioCurve#lru} does; its length is the largest distance seen plus one (at most the
 * footprint).
 *
 * <p>A histogram may stand for a sampled trace ({@link Shards}): then {@link #scale()} is
 * {@code 1 / rate}, each sampled distance stands for {@code d * scale} distinct keys of the full
 * trace, and {@link #misses(long)} answers for a cache of the full trace's size.
 */
public final class StackDistances {

    private final long accesses;
    private final long cold;
    /** {@code counts[d]}: accesses at distance d, d >= 1; {@code counts[0]} unused. */
    private final long[] counts;
    private final double scale;

    StackDistances(long accesses, long cold, long[] counts, double scale) {
        this.accesses = accesses;
        this.cold = cold;
        this.counts = counts;
        this.scale = scale;
    }

    /** The exact histogram of every access of {@code trace}. */
    public static StackDistances of(long[] trace) {
        return of(trace, 1.0);
    }

    /**
     * The histogram of {@code trace}, whose distances stand for {@code scale} times as many
     * distinct keys (a SHARDS sample at rate {@code 1 / scale}). Requires: {@code scale >= 1}.
     */
    public static StackDistances of(long[] trace, double scale) {
        return of(KeyTrace.of(trace), scale);
    }

    /**
     * {@link #of(long[], double)} of a {@link KeyTrace}; a packed one keeps the last position per id
     * in an array instead of a hash map.
     */
    public static StackDistances of(KeyTrace trace, double scale) {
        if (!(scale >= 1)) {
            throw new IllegalArgumentException("scale must be at least 1, got " + scale);
        }
        int n = trace.length();
        long[] counts = new long[16];
        long cold = 0;
        int max = 0;
        int[] tree = new int[n + 1];
        boolean packed = trace.packed();
        int[] lastById = packed ? new int[trace.distinct()] : null;
        if (packed) {
            Arrays.fill(lastById, LongIntMap.MISSING);
        }
        LongIntMap last = packed ? null : new LongIntMap(1024);
        for (int i = 0; i < n; i++) {
            int id = packed ? trace.id(i) : 0;
            long key = packed ? 0 : trace.key(i);
            int j = packed ? lastById[id] : last.get(key);
            if (j == LongIntMap.MISSING) {
                cold++;
            } else {
                int distance = (int) (1 + prefix(tree, i - 1) - prefix(tree, j));
                if (distance >= counts.length) {
                    counts = Arrays.copyOf(counts, Math.max(distance + 1, counts.length * 2));
                }
                counts[distance]++;
                max = Math.max(max, distance);
                add(tree, j, -1);
            }
            add(tree, i, 1);
            if (packed) {
                lastById[id] = i;
            } else {
                last.put(key, i);
            }
        }
        return new StackDistances(n, cold, Arrays.copyOf(counts, max + 1), scale);
    }

    /** The accesses the histogram counts (of the sample, when sampled). */
    public long accesses() {
        return accesses;
    }

    /** First accesses: infinite distance. */
    public long cold() {
        return cold;
    }

    /** The largest finite distance (0 when no key was accessed twice), in the sample's units. */
    public int maxDistance() {
        return counts.length - 1;
    }

    /** Accesses at distance exactly {@code d} (sample units). */
    public long count(int d) {
        return d >= 1 && d < counts.length ? counts[d] : 0;
    }

    /** How many full-trace keys one unit of distance stands for: 1, or 1/rate for a sample. */
    public double scale() {
        return scale;
    }

    /**
     * The misses of an LRU cache of {@code pages} pages over the accesses counted here: cold
     * misses plus the accesses whose distance, times {@link #scale()}, exceeds {@code pages}.
     */
    public long misses(long pages) {
        long limit = (long) Math.floor(pages / scale);
        long far = cold;
        for (long d = Math.max(1, limit + 1); d < counts.length; d++) {
            far += counts[(int) d];
        }
        return far;
    }

    /**
     * The histogram in power-of-two buckets of distance (scaled to the full trace):
     * {@code result[b]} counts accesses with distance in {@code (2^(b-1), 2^b]} for b >= 1 and
     * distance 1 for b = 0.
     */
    public long[] log2Buckets() {
        long[] out = new long[1];
        for (int d = 1; d < counts.length; d++) {
            if (counts[d] == 0) {
                continue;
            }
            double scaled = d * scale;
            int b = scaled <= 1 ? 0 : 64 - Long.numberOfLeadingZeros((long) Math.ceil(scaled) - 1);
            if (b >= out.length) {
                out = Arrays.copyOf(out, b + 1);
            }
            out[b] += counts[d];
        }
        return out;
    }

    private static long prefix(int[] tree, int i) {
        long sum = 0;
        for (int x = i + 1; x > 0; x -= x & -x) {
            sum += tree[x];
        }
        return sum;
    }

    private static void add(int[] tree, int i, int delta) {
        for (int x = i + 1; x < tree.length; x += x & -x) {
            tree[x] += delta;
        }
    }
}
