package org.pagelab.policy;

/**
 * Belady's MIN (OPT): on a miss of a full cache, evict the resident page whose next use lies
 * furthest in the future, or that is never used again. It needs the whole trace in advance, so it is
 * a bound, not a policy a kernel could run: no demand-paging policy (one that inserts every missed
 * page, as all policies here do) misses less often on the same trace and capacity.
 *
 * <p>Data: {@code nextUse[i]}, the index of the next access to {@code trace[i]} after {@code i}
 * ({@link #NEVER} if none), computed backwards in one pass with a {@link LongIntMap}; a
 * {@link LongIntMap} from resident key to node; and an indexed binary max-heap of nodes ordered by
 * their next use. A hit raises the node's next use from the current index to {@code nextUse[i]} and
 * sifts it up; a miss of a full cache replaces the root (the victim) by the new page and sifts it
 * down. Cost: O(n) time and the trace (8n bytes, or 4n packed in a {@link KeyTrace}) + 4n bytes
 * ({@code nextUse}) to prepare, then
 * O(log c) per access, O(n log c) for the trace.
 *
 * <p>{@link #access} must be called with the trace's keys in order; a different key, or one past
 * the end, is an {@link IllegalStateException}.
 *
 * <p>Invariants: {@code map.size() == heap size == size <= c}; the heap is ordered; for every
 * resident node, {@code heapPos[heap[k]] == k} and its next use is after the last access made.
 */
public final class OptPolicy extends AbstractPolicy {

    /** The next use of a key that is never accessed again. */
    public static final int NEVER = Integer.MAX_VALUE;

    private final KeyTrace trace;
    private final int[] nextUse;
    private final LongIntMap map;
    private final long[] keys;
    private final int[] due;
    private final int[] heap;
    private final int[] heapPos;
    private int size;
    private int position;

    /** An OPT cache of {@code capacity} pages for {@code trace}. Requires: {@code capacity >= 1}. */
    public OptPolicy(int capacity, long[] trace) {
        this(capacity, trace, nextUses(trace));
    }

    /**
     * An OPT cache of {@code capacity} pages for {@code trace}, given {@code nextUse}, which must be
     * {@link #nextUses nextUses(trace)}: replays of one trace at several sizes can share it (4 bytes
     * an access) instead of each computing its own. Requires: {@code capacity >= 1},
     * {@code nextUse.length == trace.length}.
     */
    public OptPolicy(int capacity, long[] trace, int[] nextUse) {
        this(capacity, KeyTrace.of(trace), nextUse);
    }

    /** As {@link #OptPolicy(int, long[], int[])}, for a trace held as a {@link KeyTrace}. */
    public OptPolicy(int capacity, KeyTrace trace, int[] nextUse) {
        super("opt", capacity);
        if (nextUse.length != trace.length()) {
            throw new IllegalArgumentException("next uses of " + nextUse.length + " accesses for a trace of "
                    + trace.length());
        }
        this.trace = trace;
        this.nextUse = nextUse;
        map = new LongIntMap(capacity);
        keys = new long[capacity];
        due = new int[capacity];
        heap = new int[capacity];
        heapPos = new int[capacity];
    }

    /** For each index {@code i} of {@code trace}, the next index accessing the same key, or {@link #NEVER}. */
    public static int[] nextUses(long[] trace) {
        int[] next = new int[trace.length];
        LongIntMap seen = new LongIntMap(1024);
        for (int i = trace.length - 1; i >= 0; i--) {
            int later = seen.get(trace[i]);
            next[i] = later == LongIntMap.MISSING ? NEVER : later;
            seen.put(trace[i], i);
        }
        return next;
    }

    /**
     * {@link #nextUses(long[])} of a {@link KeyTrace}; a packed one needs no hashing: the last index
     * seen is kept per id.
     */
    public static int[] nextUses(KeyTrace trace) {
        if (!trace.packed()) {
            return nextUses(trace.toArray());
        }
        int[] next = new int[trace.length()];
        int[] later = new int[trace.distinct()];
        java.util.Arrays.fill(later, NEVER);
        for (int i = trace.length() - 1; i >= 0; i--) {
            int id = trace.id(i);
            next[i] = later[id];
            later[id] = i;
        }
        return next;
    }

    @Override
    public boolean access(long key) {
        int i = position;
        if (i >= trace.length() || trace.key(i) != key) {
            throw new IllegalStateException("opt: access " + i + " is key " + key + " but the trace has "
                    + (i >= trace.length() ? "only " + trace.length() + " accesses" : "key " + trace.key(i)));
        }
        position = i + 1;
        int node = map.get(key);
        if (node != LongIntMap.MISSING) {
            hits++;
            due[node] = nextUse[i];
            siftUp(heapPos[node]);
            return true;
        }
        misses++;
        if (size == capacity) {
            node = heap[0];
            map.remove(keys[node]);
            keys[node] = key;
            due[node] = nextUse[i];
            map.put(key, node);
            siftDown(0);
        } else {
            node = size++;
            keys[node] = key;
            due[node] = nextUse[i];
            map.put(key, node);
            heap[node] = node;
            heapPos[node] = node;
            siftUp(node);
        }
        return false;
    }

    private void siftUp(int k) {
        int node = heap[k];
        int d = due[node];
        while (k > 0) {
            int parent = (k - 1) >>> 1;
            int pn = heap[parent];
            if (due[pn] >= d) {
                break;
            }
            heap[k] = pn;
            heapPos[pn] = k;
            k = parent;
        }
        heap[k] = node;
        heapPos[node] = k;
    }

    private void siftDown(int k) {
        int node = heap[k];
        int d = due[node];
        int n = size;
        while (true) {
            int child = 2 * k + 1;
            if (child >= n) {
                break;
            }
            if (child + 1 < n && due[heap[child + 1]] > due[heap[child]]) {
                child++;
            }
            int cn = heap[child];
            if (due[cn] <= d) {
                break;
            }
            heap[k] = cn;
            heapPos[cn] = k;
            k = child;
        }
        heap[k] = node;
        heapPos[node] = k;
    }

    @Override
    public long replay(long[] keysToReplay, int from, int to) {
        long h = 0;
        for (int i = from; i < to; i++) {
            if (access(keysToReplay[i])) {
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
        checkCommon(map.size(), size);
        map.check();
        for (int k = 0; k < size; k++) {
            int node = heap[k];
            if (!(heapPos[node] == k)) {
                require(false, "heapPos[heap[" + k + "]] == " + k);
            }
            if (!(k == 0 || due[heap[(k - 1) >>> 1]] >= due[node])) {
                require(false, "heap order at " + k);
            }
            if (!(map.get(keys[node]) == node)) {
                require(false, "map.get(keys[" + node + "]) == " + node);
            }
            if (due[node] < position) {
                require(false, "next use " + due[node] + " of key " + keys[node]
                        + " is after the last access " + (position - 1));
            }
        }
    }
}
