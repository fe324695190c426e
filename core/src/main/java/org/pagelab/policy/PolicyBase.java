package org.pagelab.policy;

/**
 * The base of a policy of one's own: it holds the name and capacity, counts hits and misses, and
 * runs the replay loop, so that a subclass says only what is resident ({@link #hit}), what a miss
 * brings in and evicts ({@link #miss}), how many keys it holds, and its invariants. The examples
 * are docs/java-api.md's second-chance FIFO, studied in-process, and
 * examples/policy/MruPolicy.java, loaded by the command line from a jar.
 *
 * <p>The built-in policies implement {@link CachePolicy} directly, each with its own replay loop
 * so that the call to access stays monomorphic; a policy on this base gives up that speed when
 * several of them run in one JVM, which a study of one's own policy rarely needs.
 */
public abstract class PolicyBase extends CountedPolicy {
    /** A policy named {@code name} of {@code capacity} pages. Requires: {@code capacity >= 1}. */
    protected PolicyBase(String name, int capacity) {
        super(name, capacity);
    }

    /** Whether {@code key} is resident; a policy that tracks use notes the access here. */
    protected abstract boolean hit(long key);

    /** Brings missing {@code key} in, evicting one resident key first when {@code size() == capacity()}. */
    protected abstract void miss(long key);

    @Override
    public final boolean access(long key) {
        if (hit(key)) {
            hits++;
            return true;
        }
        misses++;
        miss(key);
        return false;
    }

    @Override
    public final long replay(long[] keys, int from, int to) {
        long h = 0;
        for (int i = from; i < to; i++) {
            if (access(keys[i])) {
                h++;
            }
        }
        return h;
    }
}
