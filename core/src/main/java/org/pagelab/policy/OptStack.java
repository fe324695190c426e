package org.pagelab.policy;

/**
 * The OPT (Belady MIN) stack distance of every access of a trace, in one pass: the histogram that
 * gives OPT's exact misses at every cache size at once, as {@link StackDistances#of} gives LRU's.
 *
 * <h2>The priority stack (Mattson et al. 1970)</h2>
 * OPT is a stack policy: at every moment the pages an OPT cache of c pages holds are the top c
 * entries of one ordered stack, for every c. The stack is kept as an array of slots, slot 0 the top.
 * An access to key x found at slot d hits every cache of more than d pages (distance d + 1); a key
 * not in the stack is a miss at every size (a cold miss) and takes a new slot d at the bottom. Then
 * the stack is updated size by size: the cache of one page now holds x; for each size i + 1 from 2 to
 * d, the cache of i pages had to drop one page to take x in, and OPT drops the one whose next use
 * lies furthest ahead. Call the page a cache of i pages drops the <em>carried</em> page {@code y_i}:
 * {@code y_1} is the old top and {@code y_i} is whichever of {@code y_(i-1)} and the old slot i has
 * the later next use; the other stays at slot i. Slot d, where x was, receives {@code y_(d-1)}.
 *
 * <h2>Only the records move</h2>
 * The carried page is always the page of latest next use among the old slots 0 .. i, so it changes
 * only at the slots whose next use exceeds every slot above them (the prefix maxima, or
 * <em>records</em>, of the next uses over slots 0 .. d - 1). Every other slot keeps its page. So the
 * update is a rotation of the pages at the record slots {@code r_0 = 0 < r_1 < ... < r_m} and slot
 * d: slot {@code r_(j+1)} takes the page of {@code r_j}, slot d the page of {@code r_m}, slot 0
 * takes x, whose next use becomes the index of its next access. No slot is inserted or removed
 * except the new bottom slot of a cold miss, so the stack is two plain arrays (page and next use by
 * slot), scanned from the top with a running maximum. Keys never used again tie at
 * {@link OptPolicy#NEVER}; which of them a cache keeps changes no later access, so the tie is
 * broken by position (only a strictly later next use is a record).
 *
 * <h2>Cost, and when to replay instead</h2>
 * An access found at slot d costs O(d): the scan is the whole price. Only sizes up to the largest
 * one asked for matter, so the stack is cut at that depth K (the top K slots are exactly the OPT
 * cache of K pages; a page pushed below K is dropped, and an access not in the top K is a miss at
 * every size up to K). On traces with many distinct pages between reuses, d is large for most
 * accesses (the records alone are a fixed share of d: the stack is a sequence of runs of increasing
 * next use), and O(n d) exceeds replaying {@link OptPolicy} once per size, O(sizes n log K). So a
 * caller gives a budget of slots to scan; {@link #distances(long[], int[], int, long)} gives up
 * (returns null) when the scan would exceed it, and the caller replays per size.
 *
 * <p>Invariants, checked at the end of every pass: {@code slots <= K};
 * {@code slotOf.size() == slots}; {@code slotOf.get(slotKey[s]) == s} for every slot s.
 *
 * <p>Memory: the trace (the caller's), the next uses (4n bytes), and per slot a
 * {@link LongIntMap} entry, a key and a next use.
 */
public final class OptStack {

    private final long[] slotKey;
    private final int[] slotNext;
    private final LongIntMap slotOf;
    private final int depth;
    private int slots;

    private OptStack(int depth) {
        this.depth = depth;
        slotKey = new long[depth];
        slotNext = new int[depth];
        slotOf = new LongIntMap(depth);
    }

    /** The exact OPT stack-distance histogram of {@code trace}, at every depth. */
    public static StackDistances distances(long[] trace) {
        return distances(trace, OptPolicy.nextUses(trace), Integer.MAX_VALUE, Long.MAX_VALUE);
    }

    /**
     * The OPT stack-distance histogram of {@code trace} up to {@code maxDepth}: exact
     * {@link StackDistances#misses} at every size up to {@code maxDepth} (an access deeper than that
     * counts as cold), or null when the pass would scan more than {@code budget} stack slots.
     * {@code nextUse} must be {@link OptPolicy#nextUses nextUses(trace)}. Requires:
     * {@code nextUse.length == trace.length}, {@code maxDepth >= 1}.
     */
    public static StackDistances distances(long[] trace, int[] nextUse, int maxDepth, long budget) {
        return distances(KeyTrace.of(trace), nextUse, maxDepth, budget);
    }

    /**
     * {@link #distances(long[], int[], int, long)} of a {@link KeyTrace}; a packed one is walked by
     * its dense ids, which tell keys apart as well as the keys do.
     */
    public static StackDistances distances(KeyTrace trace, int[] nextUse, int maxDepth, long budget) {
        int length = trace.length();
        if (nextUse.length != length) {
            throw new IllegalArgumentException("next uses of " + nextUse.length + " accesses for a trace of "
                    + length);
        }
        if (maxDepth < 1) {
            throw new IllegalArgumentException("depth must be at least 1, got " + maxDepth);
        }
        int footprint = 0;
        for (int i = 0; i < length; i++) {
            if (nextUse[i] == OptPolicy.NEVER) {
                footprint++; // the last access of each key
            }
        }
        OptStack stack = new OptStack(Math.max(1, Math.min(footprint, maxDepth)));
        long[] counts = new long[16];
        long cold = 0;
        int max = 0;
        long scanned = 0;
        boolean packed = trace.packed();
        for (int i = 0; i < length; i++) {
            int slot = stack.access(packed ? trace.id(i) : trace.key(i), nextUse[i]);
            if (slot < 0) {
                cold++;
                scanned += stack.slots;
            } else {
                scanned += slot;
                int distance = slot + 1;
                if (distance >= counts.length) {
                    counts = java.util.Arrays.copyOf(counts, Math.max(distance + 1, counts.length * 2));
                }
                counts[distance]++;
                max = Math.max(max, distance);
            }
            if (scanned > budget) {
                return null;
            }
        }
        stack.check();
        return new StackDistances(length, cold, java.util.Arrays.copyOf(counts, max + 1), 1.0);
    }

    /**
     * Checks {@code slots <= depth}, {@code slotOf.size() == slots} and
     * {@code slotOf.get(slotKey[s]) == s} for every slot; throws {@link IllegalStateException}.
     */
    private void check() {
        slotOf.check();
        if (slots > depth || slotOf.size() != slots) {
            throw new IllegalStateException("opt stack: " + slots + " slots of " + depth + ", " + slotOf.size()
                    + " keys mapped");
        }
        for (int s = 0; s < slots; s++) {
            if (slotOf.get(slotKey[s]) != s) {
                throw new IllegalStateException("opt stack: key " + slotKey[s] + " at slot " + s + " is mapped to slot "
                        + slotOf.get(slotKey[s]));
            }
        }
    }

    /**
     * Accesses {@code key}, whose next access is at {@code next}: returns the slot it was found at,
     * or -1 when it was not in the stack, and moves it to the top.
     */
    private int access(long key, int next) {
        int found = slotOf.get(key);
        int d = found;
        if (d == LongIntMap.MISSING) {
            if (slots < depth) {
                d = slots++;
            } else {
                d = depth; // below the cut: the page carried out of the last slot is dropped
            }
        }
        if (d > 0) {
            final long[] keys = slotKey;
            final int[] nexts = slotNext;
            long carried = keys[0];
            int carriedNext = nexts[0];
            for (int r = 1; r < d; r++) {
                int n = nexts[r];
                if (n > carriedNext) {
                    long displaced = keys[r];
                    keys[r] = carried;
                    nexts[r] = carriedNext;
                    slotOf.put(carried, r);
                    carried = displaced;
                    carriedNext = n;
                }
            }
            if (d < depth) {
                keys[d] = carried;
                nexts[d] = carriedNext;
                slotOf.put(carried, d);
            } else {
                slotOf.remove(carried);
            }
        }
        slotKey[0] = key;
        slotNext[0] = next;
        slotOf.put(key, 0);
        return found;
    }
}
