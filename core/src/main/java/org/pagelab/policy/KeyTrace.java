package org.pagelab.policy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The keys of a trace, in order, for policy-only replays: either a {@code long[]} the caller
 * already holds, or, when read from a trace by a {@link Builder}, packed in 4 bytes an access.
 *
 * <h2>Packing</h2>
 * A trace's keys are 64-bit (a page number tagged with its pid, a block number, an object id), but
 * a trace has far fewer distinct keys than accesses. The builder gives each distinct key a dense id
 * in the order of first access ({@code table[id]} is the key, a {@link LongIntMap} finds the id of
 * a key while reading) and keeps the ids in chunks of 2^20 ints, never copied into one array: 4
 * bytes an access plus 8 per distinct key, where a {@code long[]} read in chunks and copied took 8
 * an access to hold and 16 at the peak. The map is dropped when the builder is done.
 *
 * <h2>Replaying</h2>
 * Policies take {@code long} keys ({@link CachePolicy#replay}), and a policy may hash its keys
 * (W-TinyLFU's sketch does), so a replay gives each policy the original keys, not the ids:
 * {@link #replay} expands one chunk at a time into a buffer of 2^20 longs (8 MiB per replay running)
 * and hands the buffer to the policy's own loop. One-pass algorithms that only need to tell keys
 * apart can use {@link #id} and {@link #distinct} and index arrays by id instead of hashing.
 *
 * <p>Invariant (packed): {@code 0 <= id(i) < distinct()} for every access i, and
 * {@code table[id(i)] == key(i)}; every id appears, the first time in increasing order.
 */
public final class KeyTrace {

    private static final int CHUNK_SHIFT = 20;
    private static final int CHUNK = 1 << CHUNK_SHIFT;
    private static final int MASK = CHUNK - 1;
    /** The most accesses one trace can hold (ids are counted in an int). */
    public static final int MAX_ACCESSES = Integer.MAX_VALUE - 8;

    /** The keys as the caller gave them, or null when packed. */
    private final long[] flat;
    /** Packed: the ids, {@link #CHUNK} to a chunk; the last one may be partly used. */
    private final int[][] chunks;
    /** Packed: the key of each id. */
    private final long[] table;
    private final int length;

    private KeyTrace(long[] flat, int[][] chunks, long[] table, int length) {
        this.flat = flat;
        this.chunks = chunks;
        this.table = table;
        this.length = length;
    }

    /** The keys {@code keys}, not copied (the caller must not change them). */
    public static KeyTrace of(long[] keys) {
        return new KeyTrace(keys, null, null, keys.length);
    }

    /** The number of accesses. */
    public int length() {
        return length;
    }

    /** The key of access {@code i}. Requires: {@code 0 <= i < length()}. */
    public long key(int i) {
        return flat != null ? flat[i] : table[chunks[i >>> CHUNK_SHIFT][i & MASK]];
    }

    /** Whether the keys are packed, so that {@link #id} and the id of {@link #distinct} apply. */
    public boolean packed() {
        return flat == null;
    }

    /** The dense id of access {@code i}'s key, in {@code [0, distinct())}. Requires: {@link #packed()}. */
    public int id(int i) {
        return chunks[i >>> CHUNK_SHIFT][i & MASK];
    }

    /** The number of distinct keys (the footprint in pages). */
    public int distinct() {
        if (table != null) {
            return table.length;
        }
        LongIntMap seen = new LongIntMap(1024);
        for (long k : flat) {
            seen.put(k, 0);
        }
        return seen.size();
    }

    /** Every key in order, in a new array (or the caller's own, when it gave one): 8 bytes an access. */
    public long[] toArray() {
        if (flat != null) {
            return flat;
        }
        long[] out = new long[length];
        for (int i = 0; i < length; i++) {
            out[i] = key(i);
        }
        return out;
    }

    /** Replays every key in order on {@code policy} (through its own {@link CachePolicy#replay} loop); returns the hits. */
    public long replay(CachePolicy policy) {
        if (flat != null) {
            return policy.replay(flat, 0, length);
        }
        long hits = 0;
        long[] buffer = new long[Math.min(CHUNK, length)];
        for (int c = 0, from = 0; from < length; c++, from += CHUNK) {
            int n = Math.min(CHUNK, length - from);
            int[] ids = chunks[c];
            for (int j = 0; j < n; j++) {
                buffer[j] = table[ids[j]];
            }
            hits += policy.replay(buffer, 0, n);
        }
        return hits;
    }

    /** Checks the packed invariant; throws {@link IllegalStateException} naming the first access that breaks it. */
    public void check() {
        if (flat != null) {
            return;
        }
        int next = 0;
        for (int i = 0; i < length; i++) {
            int id = id(i);
            if (id < 0 || id > next || id >= table.length) {
                throw new IllegalStateException("key trace: access " + i + " has id " + id + " with " + next
                        + " ids seen and " + table.length + " distinct keys");
            }
            if (id == next) {
                next++;
            }
        }
        if (next != table.length) {
            throw new IllegalStateException("key trace: " + next + " ids used of " + table.length);
        }
    }

    /** Packs keys as they are read: {@link #add} each, then {@link #build} once. */
    public static final class Builder {
        private LongIntMap ids = new LongIntMap(1024);
        private long[] table = new long[1024];
        private final List<int[]> chunks = new ArrayList<>();
        private int[] current = new int[CHUNK];
        private int inCurrent;
        private int length;

        /** Appends {@code key}. Throws {@link IllegalStateException} past {@link #MAX_ACCESSES}. */
        public void add(long key) {
            if (length == MAX_ACCESSES) {
                throw new IllegalStateException("more than " + MAX_ACCESSES + " accesses");
            }
            int id = ids.get(key);
            if (id == LongIntMap.MISSING) {
                id = ids.size();
                if (id == table.length) {
                    table = Arrays.copyOf(table, table.length * 2);
                }
                table[id] = key;
                ids.put(key, id);
            }
            if (inCurrent == CHUNK) {
                chunks.add(current);
                current = new int[CHUNK];
                inCurrent = 0;
            }
            current[inCurrent++] = id;
            length++;
        }

        /** The accesses added so far. */
        public int length() {
            return length;
        }

        /** The packed trace; the builder must not be used after. */
        public KeyTrace build() {
            int distinct = ids.size();
            ids = null;
            if (inCurrent > 0 || chunks.isEmpty()) {
                chunks.add(inCurrent == CHUNK ? current : Arrays.copyOf(current, inCurrent));
            }
            current = null;
            return new KeyTrace(null, chunks.toArray(new int[0][]), Arrays.copyOf(table, distinct), length);
        }
    }
}
