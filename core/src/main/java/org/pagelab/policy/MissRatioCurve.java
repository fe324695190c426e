package org.pagelab.policy;

import java.util.Arrays;

/**
 * Misses of one trace at many cache sizes: {@code misses[k]} is the number of misses of a cache of
 * {@code sizes[k]} pages over all {@code accesses} of the trace.
 *
 * <h2>LRU in one pass (Mattson et al. 1970)</h2>
 * LRU is a stack policy: the cache of c pages always holds the c most recently used keys, so an
 * access hits at every size at least its <em>stack (reuse) distance</em>, the number of distinct
 * keys accessed since the previous access to the same key, counting that key. One pass computes
 * every distance ({@link StackDistances}): a Fenwick tree over trace positions holds a 1 at the
 * position of the latest access of every key seen so far; for an access at {@code i} whose key was
 * last accessed at {@code j}, the distance is {@code 1 + sum(j+1 .. i-1)}; then position {@code j}
 * is cleared and {@code i} set. First accesses (cold misses) have infinite distance. The histogram
 * of distances, summed from the top, gives {@code misses(c) = cold + #(distance > c)} for every c.
 * Cost: O(n log n) time, 4n bytes for the tree, plus a {@link LongIntMap} of the distinct keys.
 *
 * <h2>OPT in one pass</h2>
 * OPT is a stack policy as well: {@link #opt} takes the histogram of OPT stack distances that
 * {@link OptStack} computes with Mattson's priority stack (priority: the sooner next use), and
 * reads the misses at every size off it as for LRU. That pass costs O(n d) for stack depth d,
 * which on traces of long reuse distances is more than one {@link OptPolicy} replay per size,
 * O(sizes n log c); the pass has a budget and {@link #opt} replays per size beyond it.
 */
public record MissRatioCurve(String policy, long accesses, int[] sizes, long[] misses) {

    /** Requires: {@code sizes.length == misses.length}. */
    public MissRatioCurve {
        if (sizes.length != misses.length) {
            throw new IllegalArgumentException(sizes.length + " sizes but " + misses.length + " miss counts");
        }
        sizes = sizes.clone();
        misses = misses.clone();
    }

    @Override
    public int[] sizes() {
        return sizes.clone();
    }

    @Override
    public long[] misses() {
        return misses.clone();
    }

    /** The miss ratio at {@code sizes[k]}, 0 when the trace is empty. */
    public double missRatio(int k) {
        return accesses == 0 ? 0.0 : (double) misses[k] / accesses;
    }

    /** The LRU curve of {@code trace} at every size of {@code sizes}, in one pass. Requires: sizes >= 1. */
    public static MissRatioCurve lru(long[] trace, int[] sizes) {
        validate(sizes);
        return lru(StackDistances.of(trace), sizes);
    }

    /**
     * The LRU curve a stack-distance histogram gives at every size of {@code sizes} (of a SHARDS
     * sample: the approximate curve of the full trace, over the sampled accesses). Requires: sizes >= 1.
     */
    public static MissRatioCurve lru(StackDistances distances, int[] sizes) {
        return of("lru", distances, sizes);
    }

    /**
     * Stack slots the one-pass OPT curve may scan per access and per size asked for before
     * {@link #opt} replays per size instead: one {@link OptPolicy} access costs about as much as
     * scanning this many slots (docs/performance.md has the measurement).
     */
    static final long SLOTS_PER_REPLAYED_ACCESS = 64;

    /**
     * The OPT curve of {@code trace} at every size of {@code sizes}: in one pass ({@link OptStack})
     * unless that would cost more than one {@link OptPolicy} replay per size, then so. Both are
     * exact. Requires: sizes >= 1.
     */
    public static MissRatioCurve opt(long[] trace, int[] sizes) {
        validate(sizes);
        int[] nextUse = OptPolicy.nextUses(trace);
        MissRatioCurve curve = optInOnePass(trace, nextUse, sizes);
        if (curve != null) {
            return curve;
        }
        long[] misses = new long[sizes.length];
        for (int k = 0; k < sizes.length; k++) {
            OptPolicy policy = new OptPolicy(sizes[k], trace, nextUse);
            policy.replay(trace, 0, trace.length);
            misses[k] = policy.stats().misses();
        }
        return new MissRatioCurve("opt", trace.length, sizes, misses);
    }

    /**
     * The OPT curve of {@code trace} at every size of {@code sizes} in one pass ({@link OptStack},
     * cut at the largest size), or null when that pass would scan more stack slots than
     * {@link #SLOTS_PER_REPLAYED_ACCESS} per access and size: replay {@link OptPolicy} per size then.
     * {@code nextUse} must be {@link OptPolicy#nextUses nextUses(trace)}. Requires: sizes >= 1.
     */
    public static MissRatioCurve optInOnePass(long[] trace, int[] nextUse, int[] sizes) {
        return optInOnePass(KeyTrace.of(trace), nextUse, sizes);
    }

    /** {@link #optInOnePass(long[], int[], int[])} of a {@link KeyTrace}. */
    public static MissRatioCurve optInOnePass(KeyTrace trace, int[] nextUse, int[] sizes) {
        int max = validate(sizes);
        long budget = SLOTS_PER_REPLAYED_ACCESS * Math.max(1, trace.length()) * sizes.length;
        StackDistances distances = OptStack.distances(trace, nextUse, max, budget);
        return distances == null ? null : opt(distances, sizes);
    }

    /** The OPT curve an OPT stack-distance histogram ({@link OptStack}) gives at every size of {@code sizes}. */
    public static MissRatioCurve opt(StackDistances distances, int[] sizes) {
        return of("opt", distances, sizes);
    }

    /** The curve of {@code policy} a stack-distance histogram gives at every size of {@code sizes}. */
    private static MissRatioCurve of(String policy, StackDistances distances, int[] sizes) {
        validate(sizes);
        long[] misses = new long[sizes.length];
        for (int k = 0; k < sizes.length; k++) {
            misses[k] = distances.misses(sizes[k]);
        }
        return new MissRatioCurve(policy, distances.accesses(), sizes, misses);
    }

    private static int validate(int[] sizes) {
        int max = 0;
        for (int s : sizes) {
            if (s < 1) {
                throw new IllegalArgumentException("cache size must be at least 1 page: " + Arrays.toString(sizes));
            }
            max = Math.max(max, s);
        }
        return max;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MissRatioCurve other && policy.equals(other.policy) && accesses == other.accesses
                && Arrays.equals(sizes, other.sizes) && Arrays.equals(misses, other.misses);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * policy.hashCode() + Arrays.hashCode(sizes)) + Arrays.hashCode(misses);
    }

    @Override
    public String toString() {
        return "MissRatioCurve[" + policy + ", accesses=" + accesses + ", sizes=" + Arrays.toString(sizes)
                + ", misses=" + Arrays.toString(misses) + "]";
    }
}
