package org.pagelab.policy;

import java.util.Arrays;

/**
 * An indexed binary min-heap of node indices {@code [0, nodes)} ordered by two {@code long}s per
 * node, a priority and a tie-breaker (a time, for the policies that evict by a computed rank: LFU,
 * LFU-DA, LRU-K): O(log n) to add, remove or re-rank a node, O(1) to find the minimum. Equal pairs
 * are ordered by the smaller node index, so the order is total and a replay is deterministic.
 *
 * <p>Invariant: {@code heap[pos[n]] == n} for every node in the heap, {@code pos[n] == -1} for the
 * others, and no node ranks before its parent.
 */
final class NodeHeap {

    private final int[] heap;
    private final int[] pos;
    private final long[] priority;
    private final long[] tie;
    private int size;

    /** Requires: {@code nodes >= 0}. */
    NodeHeap(int nodes) {
        heap = new int[nodes];
        pos = new int[nodes];
        priority = new long[nodes];
        tie = new long[nodes];
        Arrays.fill(pos, -1);
    }

    int size() {
        return size;
    }

    /** The node of least priority. Requires: {@code size() > 0}. */
    int min() {
        return heap[0];
    }

    boolean contains(int node) {
        return pos[node] >= 0;
    }

    long priority(int node) {
        return priority[node];
    }

    /** Adds {@code node}, not in the heap, ranked by {@code p} and then {@code t}. */
    void add(int node, long p, long t) {
        priority[node] = p;
        tie[node] = t;
        heap[size] = node;
        pos[node] = size;
        up(size++);
    }

    /** Re-ranks {@code node}, which is in the heap, by {@code p} and then {@code t}. */
    void update(int node, long p, long t) {
        boolean earlier = p < priority[node] || (p == priority[node] && t < tie[node]);
        priority[node] = p;
        tie[node] = t;
        if (earlier) {
            up(pos[node]);
        } else {
            down(pos[node]);
        }
    }

    /** Takes {@code node}, which is in the heap, out of it. */
    void remove(int node) {
        int i = pos[node];
        int last = heap[--size];
        pos[node] = -1;
        if (i != size) {
            heap[i] = last;
            pos[last] = i;
            up(i);
            down(pos[last]);
        }
    }

    private boolean before(int a, int b) {
        long pa = priority[a];
        long pb = priority[b];
        if (pa != pb) {
            return pa < pb;
        }
        long ta = tie[a];
        long tb = tie[b];
        return ta < tb || (ta == tb && a < b);
    }

    private void up(int i) {
        int node = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            int p = heap[parent];
            if (!before(node, p)) {
                break;
            }
            heap[i] = p;
            pos[p] = i;
            i = parent;
        }
        heap[i] = node;
        pos[node] = i;
    }

    private void down(int i) {
        int node = heap[i];
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && before(heap[child + 1], heap[child])) {
                child++;
            }
            int c = heap[child];
            if (!before(c, node)) {
                break;
            }
            heap[i] = c;
            pos[c] = i;
            i = child;
        }
        heap[i] = node;
        pos[node] = i;
    }

    /** Recomputes the invariants; throws {@link IllegalStateException} naming the broken one. */
    void check() {
        int inHeap = 0;
        for (int n = 0; n < pos.length; n++) {
            if (pos[n] >= 0) {
                inHeap++;
                if (pos[n] >= size || heap[pos[n]] != n) {
                    throw new IllegalStateException("heap: node " + n + " at position " + pos[n] + " but heap there holds "
                            + (pos[n] < size ? heap[pos[n]] : "nothing"));
                }
            }
        }
        if (inHeap != size) {
            throw new IllegalStateException("heap: " + inHeap + " nodes have positions, size is " + size);
        }
        for (int i = 1; i < size; i++) {
            if (before(heap[i], heap[(i - 1) >>> 1])) {
                throw new IllegalStateException("heap: node " + heap[i] + " ranks before its parent " + heap[(i - 1) >>> 1]);
            }
        }
    }
}
