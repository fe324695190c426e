package org.pagelab.policy;

/**
 * What every built-in policy shares besides its {@link CountedPolicy} name, capacity and
 * counters: the checks that do not depend on the policy ({@code size <= capacity}, {@code accesses == hits + misses}).
 */
abstract sealed class AbstractPolicy extends CountedPolicy
        permits LruPolicy, FifoPolicy, ClockPolicy, ArcPolicy, S3FifoPolicy, TwoListCachePolicy, OptPolicy, RandomPolicy,
        SievePolicy, LfuPolicy, SlruPolicy, TwoQueuePolicy, CarPolicy, LruKPolicy, LirsPolicy, WTinyLfuPolicy, LeCaRPolicy, ClockProPolicy,
        MglruCachePolicy {

    /** Requires: {@code capacity >= 1}. */
    AbstractPolicy(String name, int capacity) {
        super(name, capacity);
    }

    /**
     * Throws {@link IllegalStateException} with the policy's name unless {@code ok}. Checkers that
     * name a node in the message test the condition first and call this only when it fails: a
     * message built for every node made a checker over a million nodes spend its time in string
     * concatenation.
     */
    final void require(boolean ok, String invariant) {
        if (!ok) {
            throw new IllegalStateException(name() + " (capacity " + capacity + ", size " + size()
                    + "): invariant broken: " + invariant);
        }
    }

    /** Checks {@code map.get(keys[n]) == n} for every node on lists {@code first..last} of {@code lists}. */
    final void requireMapped(LongIntMap map, NodeLists lists, long[] keys, int first, int last) {
        for (int list = first; list <= last; list++) {
            for (int n = lists.head(list); n != NodeLists.NIL; n = lists.next(n)) {
                if (!(map.get(keys[n]) == n)) {
                    require(false, "map.get(keys[" + n + "]) == " + n + " on list " + list);
                }
            }
        }
    }

    /** The checks shared by all policies; subclasses call it first. */
    void checkCommon(int mapped, int linked) {
        require(size() <= capacity, "size <= capacity");
        require(size() >= 0, "size >= 0");
        if (!(mapped == linked)) {
            require(false, "mapped keys (" + mapped + ") == linked nodes (" + linked + ")");
        }
    }
}
