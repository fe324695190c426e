package org.pagelab.policy;

/**
 * The free node indices of a policy's node arrays, as a stack: a policy takes a node for each key
 * it starts to track (resident or ghost) and gives it back when it forgets the key, so nothing is
 * allocated after construction.
 *
 * <p>Invariant: {@code 0 <= available() <= nodes}, and no index is on the stack twice (the
 * policies' checks compare {@link #available()} with the nodes on their lists).
 */
final class NodePool {

    private int[] free;
    private int top;

    /** A pool of all of {@code [0, nodes)}, handing out 0 first. */
    NodePool(int nodes) {
        free = new int[nodes];
        for (int i = 0; i < nodes; i++) {
            free[i] = nodes - 1 - i;
        }
        top = nodes;
    }

    /** Adds nodes {@code [nodes(), nodes)} to the pool, the lowest to be handed out first. */
    void grow(int nodes) {
        int old = free.length;
        int[] bigger = new int[nodes];
        int added = nodes - old;
        for (int i = 0; i < top; i++) {
            bigger[i] = free[i];
        }
        for (int i = 0; i < added; i++) {
            bigger[top + i] = nodes - 1 - i;
        }
        free = bigger;
        top += added;
    }

    /** A free node. Requires: {@code available() > 0}. */
    int take() {
        if (top == 0) {
            throw new IllegalStateException("no free node of " + free.length);
        }
        return free[--top];
    }

    /** Returns {@code node}, which was taken, to the pool. */
    void give(int node) {
        free[top++] = node;
    }

    int available() {
        return top;
    }

    int nodes() {
        return free.length;
    }
}
