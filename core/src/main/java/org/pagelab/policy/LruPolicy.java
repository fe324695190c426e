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
 *   <li>A hit rewrites the key's map value to the new index ({@link LongIntMap#replace}, one probe
 *       sequence). A miss of a full cache pops entries from {@code front}, dropping stale ones,
 *       until one is live ({@link LongIntMap#removeIf}): that key is the least recently used, and it
 *       is evicted. Each entry is popped once, so a miss is O(1) amortized; stale entries mostly
 *       belong to hot keys whose map slots are already in cache.</li>
 *   <li>When the ring is full ({@code back - front == ring.length}), it is compacted in place:
 *       live entries are slid towards {@code front} in order and their map values updated. At most
 *       {@code c} entries are live and the ring holds at least {@code 4c}, so a compaction of
 *       {@code ring.length} entries frees at least three quarters of it: O(1) amortized.</li>
 * </ul>
 * The order kept is exact, so this is exactly LRU: the tests compare it access by access with a
 * list-based LRU and with the one-pass stack-distance curve of {@link MissRatioCurve#lru}.
 *
 * <p>Invariants: {@code map.size() == size <= capacity}; the live entries in
 * {@code [front, back)} number {@code size}, one per resident key;
 * {@code back - front <= ring.length}.
 */
public final class LruPolicy extends AbstractPolicy {

    private final LongIntMap map;
    private final long[] ring;
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
        map = new LongIntMap(capacity);
        ring = new long[Integer.highestOneBit(4 * capacity - 1) << 1];
        ringMask = ring.length - 1;
    }

    @Override
    public boolean access(long key) {
        if (back - front == ring.length) {
            compact();
        }
        int slot = (int) back & ringMask;
        ring[slot] = key;
        back++;
        if (map.replace(key, slot) != LongIntMap.MISSING) {
            hits++;
            return true;
        }
        misses++;
        if (size == capacity) {
            long f = front;
            while (!map.removeIf(ring[(int) f & ringMask], (int) f & ringMask)) {
                f++;
            }
            front = f + 1;
        } else {
            size++;
        }
        map.put(key, slot);
        return false;
    }

    /** Slides the live entries of {@code [front, back)} together towards {@code front}. */
    private void compact() {
        long write = front;
        for (long read = front; read < back; read++) {
            int from = (int) read & ringMask;
            long key = ring[from];
            if (map.get(key) == from) {
                int to = (int) write & ringMask;
                ring[to] = key;
                map.replace(key, to);
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
        for (long p = front; p < back; p++) {
            int i = (int) p & ringMask;
            if (map.get(ring[i]) == i) {
                live++;
            }
        }
        checkCommon(map.size(), live);
        require(size == map.size(), "size == map.size()");
        require(back - front <= ring.length, "back - front <= ring length");
        require(front <= back, "front <= back");
    }
}
