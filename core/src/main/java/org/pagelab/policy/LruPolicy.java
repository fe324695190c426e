package org.pagelab.policy;

/**
 * Least recently used: a miss of a full cache evicts the resident key whose latest access is the
 * oldest.
 *
 * <h2>Implementation: an access-ordered ring with lazy deletion</h2>
 * A linked list moves a node on every hit, touching the node and both of its neighbours, three
 * cache lines in random places. Here a hit touches only the key's own map slot:
 * <ul>
 *   <li>{@code ring} is a power-of-two circular array of keys in access order; every access appends
 *       its key at {@code back}. Entries between {@code front} and {@code back} are in order of
 *       access, oldest at {@code front}.</li>
 *   <li>The {@link LongIntMap} maps each resident key to the ring index of its <em>latest</em>
 *       entry; an entry is live iff {@code map.get(ring[i]) == i}, and earlier entries of the same
 *       key are stale.</li>
 *   <li>{@code live} has one bit per ring slot, set exactly for the live entries. A hit rewrites
 *       the key's map value to the new index ({@link LongIntMap#replace}, one probe sequence, which
 *       returns the old index) and moves the key's bit from the old slot to the new one. A miss of a
 *       full cache skips entries from {@code front} whose bit is clear (stale ones, found in the
 *       bitmap without touching the map) up to the first live one: that key is the least recently
 *       used, and it is evicted. Each entry is passed once, so a miss is O(1) amortized.</li>
 *   <li>When the ring is full ({@code back - front == ring.length}), it is compacted in place:
 *       live entries are slid towards {@code front} in order and their map values updated. At most
 *       {@code c} entries are live and the ring holds at least {@code 4c}, so a compaction of
 *       {@code ring.length} entries frees at least three quarters of it: O(1) amortized.</li>
 * </ul>
 * The map is kept at most a quarter full ({@link LongIntMap#LongIntMap(int, int)} with spread 4):
 * most records of a replay are misses, whose lookups end at the first free slot, and in a sparse
 * table that is nearly always the home slot. docs/performance.md has the measurements behind both
 * choices. The order kept is exact, so this is exactly LRU: the tests compare it access by access
 * with a list-based LRU and with the one-pass stack-distance curve of {@link MissRatioCurve#lru}.
 *
 * <p>Invariants: {@code map.size() == size <= capacity}; the live entries in
 * {@code [front, back)} number {@code size}, one per resident key; a ring slot's bit is set iff its
 * entry is live; {@code back - front <= ring.length}.
 */
public final class LruPolicy extends AbstractPolicy {

    private final LongIntMap map;
    private final long[] ring;
    /** Bit {@code i} set iff {@code ring[i]} is a live entry. */
    private final long[] live;
    private final int ringMask;
    /** Logical positions; the physical index is {@code position & ringMask}. */
    private long front;
    private long back;
    private int size;

    /** Requires: {@code 1 <= capacity <= Policies.MAX_CAPACITY} (2^26). */
    public LruPolicy(int capacity) {
        super("lru", capacity);
        if (capacity > Policies.MAX_CAPACITY) {
            throw new IllegalArgumentException("lru: capacity above 2^26 pages: " + capacity);
        }
        map = new LongIntMap(capacity, 4);
        ring = new long[Math.max(64, Integer.highestOneBit(4 * capacity - 1) << 1)];
        live = new long[ring.length >>> 6];
        ringMask = ring.length - 1;
    }

    @Override
    public boolean access(long key) {
        if (back - front == ring.length) {
            compact();
        }
        final long[] bits = live;
        int slot = (int) back & ringMask;
        ring[slot] = key;
        back++;
        bits[slot >>> 6] |= 1L << slot;
        int old = map.replace(key, slot);
        if (old != LongIntMap.MISSING) {
            bits[old >>> 6] &= ~(1L << old);
            hits++;
            return true;
        }
        misses++;
        if (size == capacity) {
            long f = front;
            int victim = (int) f & ringMask;
            while ((bits[victim >>> 6] & (1L << victim)) == 0) {
                victim = (int) ++f & ringMask;
            }
            bits[victim >>> 6] &= ~(1L << victim);
            map.remove(ring[victim]);
            front = f + 1;
        } else {
            size++;
        }
        map.put(key, slot);
        return false;
    }

    /** Slides the live entries of {@code [front, back)} together towards {@code front}. */
    private void compact() {
        final long[] bits = live;
        long write = front;
        for (long read = front; read < back; read++) {
            int from = (int) read & ringMask;
            if ((bits[from >>> 6] & (1L << from)) != 0) {
                bits[from >>> 6] &= ~(1L << from);
                int to = (int) write & ringMask;
                long key = ring[from];
                ring[to] = key;
                map.replace(key, to);
                bits[to >>> 6] |= 1L << to;
                write++;
            }
        }
        back = write;
    }

    @Override
    public long replay(long[] trace, int from, int to) {
        long h = 0;
        for (int i = from; i < to; i++) {
            if (access(trace[i])) {
                h++;
            }
        }
        return h;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public void check() {
        map.check();
        int live = 0;
        for (long p = back - ring.length; p < back; p++) {
            int i = (int) p & ringMask;
            boolean inWindow = p >= front;
            boolean isLive = inWindow && map.get(ring[i]) == i;
            if (!(isLive == ((this.live[i >>> 6] & (1L << i)) != 0))) {
                require(false, "bit of ring slot " + i + " set iff live");
            }
            if (isLive) {
                live++;
            }
        }
        checkCommon(map.size(), live);
        require(size == map.size(), "size == map.size()");
        require(back - front <= ring.length, "back - front <= ring length");
        require(front <= back, "front <= back");
    }
}
