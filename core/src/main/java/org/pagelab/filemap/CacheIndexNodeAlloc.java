package org.pagelab.filemap;

import static org.pagelab.filemap.CacheIndex.MASK;
import static org.pagelab.filemap.CacheIndex.SHIFT;
import static org.pagelab.filemap.CacheIndexNode.maxIndex;
import static org.pagelab.filemap.CacheIndexNode.nodeNo;
import static org.pagelab.filemap.CacheIndexNode.shiftFor;

import org.pagelab.slab.KmemCache;
import org.pagelab.slab.SlabObject;

/**
 * The memory of one {@link CacheIndex}'s nodes: each node is an object of the radix_tree_node
 * slab cache. A store that may need nodes first counts them and takes exactly that many objects
 * into a reserve, all or none (the model's xas_nomem), so that the store itself cannot fail
 * halfway; erasing gives objects back and never allocates.
 *
 * <p>Every node allocation and free advances {@link #layoutSeq()}, which a walk compares to learn
 * that its visitor changed the tree's shape under it.
 *
 * <p>Invariant: {@code nodes() == number of nodes reachable from the index's root}; after a
 * store, every reserved object was used ({@link #requireReserveUsed}).
 */
final class CacheIndexNodeAlloc {
    /** The most levels a path can have (shifts 0, 6, ..., 60). */
    private static final int MAX_HEIGHT = CacheIndex.MAX_SHIFT / SHIFT + 1;

    private final KmemCache nodeCache;
    /** What the failure messages describe: the index these nodes belong to. */
    private final Object owner;
    private SlabObject[] reserve = new SlabObject[MAX_HEIGHT * 2];
    private int reserveNext;
    private int reserveEnd;
    private long nodes;
    private int layoutSeq;

    CacheIndexNodeAlloc(KmemCache nodeCache, Object owner) {
        this.nodeCache = nodeCache;
        this.owner = owner;
    }

    /** The radix_tree_node cache the nodes come from. */
    KmemCache cache() {
        return nodeCache;
    }

    /** Nodes allocated and not yet freed. */
    long nodes() {
        return nodes;
    }

    /** Changes at every node allocation and free. */
    int layoutSeq() {
        return layoutSeq;
    }

    /**
     * Reserves the nodes a store over {@code [first, last]} needs in the tree under {@code root}
     * (null: no tree, with an entry at index 0 when {@code hasHead}); returns false, having
     * reserved nothing, when the cache has no memory.
     */
    boolean reserveFor(CacheIndexNode root, boolean hasHead, long first, long last) {
        return reserveNodes(nodesNeeded(root, hasHead, first, last));
    }

    /** The number of nodes a store over {@code [first, last]} must allocate. */
    private static int nodesNeeded(CacheIndexNode root, boolean hasHead, long first, long last) {
        final int top = shiftFor(last);
        long need;
        if (root == null) {
            need = missingBelow(top, first, last);
            if (hasHead) {
                for (int s = top; s >= 0; s -= SHIFT) {
                    if (nodeNo(first, s) != 0) {
                        need++;
                    }
                }
            }
        } else {
            final int rs = root.shift;
            need = 0;
            for (int s = top; s > rs; s -= SHIFT) {
                final long lo = nodeNo(first, s);
                need += nodeNo(last, s) - lo + 1 + (lo != 0 ? 1 : 0);
            }
            final long reach = maxIndex(rs);
            if (first <= reach) {
                need += missingUnder(root, 0, first, Math.min(last, reach));
            }
            if (last > reach) {
                need += missingBelow(rs, Math.max(first, reach + 1), last);
            }
        }
        if (need > Integer.MAX_VALUE - 1) {
            throw new IllegalArgumentException("store of [" + first + ", " + last + "] needs " + need + " nodes");
        }
        return (int) need;
    }

    /** Nodes at {@code shift} and below covering {@code [a, b]} when none of them exists. */
    private static long missingBelow(int shift, long a, long b) {
        long need = 0;
        for (int s = shift; s >= 0; s -= SHIFT) {
            need += nodeNo(b, s) - nodeNo(a, s) + 1;
        }
        return need;
    }

    /** Nodes missing below existing node {@code n} (first index {@code base}) to cover {@code [a, b]}. */
    private static long missingUnder(CacheIndexNode n, long base, long a, long b) {
        final int s = n.shift;
        if (s == 0) {
            return 0;
        }
        long need = 0;
        final int lo = (int) ((a - base) >>> s);
        final int hi = (int) ((b - base) >>> s);
        for (int i = lo; i <= hi; i++) {
            final long childBase = base + ((long) i << s);
            final long ca = Math.max(a, childBase);
            final long cb = Math.min(b, childBase + (1L << s) - 1);
            final CacheIndexNode c = n.children[i];
            need += c == null ? missingBelow(s - SHIFT, ca, cb) : missingUnder(c, childBase, ca, cb);
        }
        return need;
    }

    /** Allocates {@code need} node objects into the reserve, or none and returns false. */
    private boolean reserveNodes(int need) {
        if (need > reserve.length) {
            reserve = new SlabObject[need];
        }
        for (int i = 0; i < need; i++) {
            final SlabObject o = nodeCache.alloc();
            if (o == null) {
                for (int j = i - 1; j >= 0; j--) {
                    nodeCache.free(reserve[j]);
                    reserve[j] = null;
                }
                return false;
            }
            reserve[i] = o;
        }
        reserveNext = 0;
        reserveEnd = need;
        return true;
    }

    /** A new node made from the next reserved object. */
    CacheIndexNode newNode(int shift, CacheIndexNode parent, int offset) {
        if (reserveNext == reserveEnd) {
            throw new IllegalStateException("node needed beyond the " + reserveEnd + " reserved: " + owner);
        }
        final SlabObject o = reserve[reserveNext];
        reserve[reserveNext++] = null;
        nodes++;
        layoutSeq++;
        return new CacheIndexNode(o, shift, parent, offset);
    }

    /** Throws unless the store of {@code [first, last]} used every node it reserved. */
    void requireReserveUsed(long first, long last) {
        if (reserveNext != reserveEnd) {
            throw new IllegalStateException("store of [" + first + ", " + last + "] reserved " + reserveEnd
                    + " nodes but used " + reserveNext + ": " + owner);
        }
    }

    /** Gives the node's object back; the node is cut from the tree so a stale walk cannot climb out of it. */
    void free(CacheIndexNode n) {
        n.parent = null;
        nodeCache.free(n.slab);
        nodes--;
        layoutSeq++;
    }

    /** Frees {@code n} and every node below it. */
    void freeSubtree(CacheIndexNode n) {
        if (n.shift != 0) {
            for (final CacheIndexNode c : n.children) {
                if (c != null) {
                    freeSubtree(c);
                }
            }
        }
        free(n);
    }
}
