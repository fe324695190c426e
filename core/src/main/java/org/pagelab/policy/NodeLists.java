package org.pagelab.policy;

import java.util.Arrays;

/**
 * Intrusive doubly linked lists over int node indices {@code [0, nodes)}, held in arrays: the
 * kernel's {@code list_head} without objects. Each node is on at most one of {@code lists} lists;
 * {@code head} is the most recently inserted (MRU) end and {@code tail} the eviction end. A node's
 * two links share one array ({@code links[2n]} previous, {@code links[2n + 1]} next), so touching a
 * node reads one cache line.
 *
 * <p>Invariant, per list {@code l}: walking {@code next} from {@code head(l)} and {@code prev}
 * from {@code tail(l)} visit the same {@code size(l)} nodes in opposite orders, each with
 * {@code listOf(node) == l}; a node on no list has {@code listOf(node) == NONE}.
 */
final class NodeLists {

    /** The link value that ends a list; also "no node". */
    static final int NIL = -1;
    /** The {@link #listOf} of a node that is on no list. */
    static final byte NONE = -1;

    private int[] links;
    private byte[] listOf;
    private final int[] heads;
    private final int[] tails;
    private final int[] sizes;

    /** Requires: {@code 0 <= nodes <= 2^30}, {@code 1 <= lists <= 127}. */
    NodeLists(int nodes, int lists) {
        if (nodes < 0 || nodes > 1 << 30 || lists < 1 || lists > Byte.MAX_VALUE) {
            throw new IllegalArgumentException("nodes=" + nodes + " lists=" + lists);
        }
        links = new int[2 * nodes];
        listOf = new byte[nodes];
        Arrays.fill(listOf, NONE);
        heads = new int[lists];
        tails = new int[lists];
        sizes = new int[lists];
        Arrays.fill(heads, NIL);
        Arrays.fill(tails, NIL);
    }

    /** Makes room for nodes {@code [0, nodes)}; the new ones are on no list. Requires: {@code nodes} not fewer than now. */
    void grow(int nodes) {
        int old = listOf.length;
        links = Arrays.copyOf(links, 2 * nodes);
        listOf = Arrays.copyOf(listOf, nodes);
        Arrays.fill(listOf, old, nodes, NONE);
    }

    int head(int list) {
        return heads[list];
    }

    int tail(int list) {
        return tails[list];
    }

    int size(int list) {
        return sizes[list];
    }

    /** The node after {@code node} towards the tail, or {@link #NIL}. */
    int next(int node) {
        return links[2 * node + 1];
    }

    /** The node before {@code node} towards the head, or {@link #NIL}. */
    int prev(int node) {
        return links[2 * node];
    }

    /** The list {@code node} is on, or {@link #NONE}. */
    int listOf(int node) {
        return listOf[node];
    }

    /** Inserts {@code node}, which is on no list, at the head of {@code list}. */
    void addHead(int list, int node) {
        int h = heads[list];
        links[2 * node] = NIL;
        links[2 * node + 1] = h;
        if (h == NIL) {
            tails[list] = node;
        } else {
            links[2 * h] = node;
        }
        heads[list] = node;
        listOf[node] = (byte) list;
        sizes[list]++;
    }

    /** Takes {@code node} off its list. Requires: the node is on a list. */
    void remove(int node) {
        int list = listOf[node];
        unlink(list, node);
        listOf[node] = NONE;
        sizes[list]--;
    }

    private void unlink(int list, int node) {
        int p = links[2 * node];
        int n = links[2 * node + 1];
        if (p == NIL) {
            heads[list] = n;
        } else {
            links[2 * p + 1] = n;
        }
        if (n == NIL) {
            tails[list] = p;
        } else {
            links[2 * n] = p;
        }
    }

    /** Moves {@code node}, which is on {@code list}, to that list's head. */
    void moveToHead(int list, int node) {
        int h = heads[list];
        if (h == node) {
            return;
        }
        unlink(list, node);
        links[2 * node] = NIL;
        links[2 * node + 1] = h;
        links[2 * h] = node;
        heads[list] = node;
    }

    /** Moves {@code node}, which is on some list, to the head of {@code list}. */
    void move(int list, int node) {
        if (listOf[node] == list) {
            moveToHead(list, node);
        } else {
            remove(node);
            addHead(list, node);
        }
    }

    /** Walks every list both ways; throws {@link IllegalStateException} naming a broken link. */
    void check() {
        int onLists = 0;
        for (int l = 0; l < heads.length; l++) {
            int count = 0;
            int last = NIL;
            for (int n = heads[l]; n != NIL; n = links[2 * n + 1]) {
                if (listOf[n] != l || links[2 * n] != last || ++count > listOf.length) {
                    throw new IllegalStateException("list " + l + " broken at node " + n + " (listOf "
                            + listOf[n] + ", prev " + links[2 * n] + ", expected " + last + ")");
                }
                last = n;
            }
            if (last != tails[l] || count != sizes[l]) {
                throw new IllegalStateException("list " + l + ": tail " + tails[l] + " size " + sizes[l]
                        + " but forward walk ends at " + last + " after " + count + " nodes");
            }
            int back = 0;
            for (int n = tails[l]; n != NIL; n = links[2 * n]) {
                back++;
            }
            if (back != count) {
                throw new IllegalStateException("list " + l + ": " + count + " nodes forward, " + back + " back");
            }
            onLists += count;
        }
        int marked = 0;
        for (byte b : listOf) {
            if (b != NONE) {
                marked++;
            }
        }
        if (marked != onLists) {
            throw new IllegalStateException(marked + " nodes marked on a list, " + onLists + " linked");
        }
    }
}
