package org.pagelab.filemap;

import org.pagelab.desc.CacheEntry;
import org.pagelab.desc.Folio;
import org.pagelab.filemap.CacheIndex.Mark;
import org.pagelab.slab.KmemCache;
import org.pagelab.slab.SlabObject;

/**
 * One node of a {@link CacheIndex}: 64 slots at one level of the tree, the kernel's struct xa_node.
 *
 * <p>A leaf ({@code shift == 0}) holds entries in {@link #entries}; an interior node holds child
 * nodes in {@link #children}; the other array is null. The index maintains every field; the
 * equations they satisfy are in the implementation notes of {@link CacheIndex}, and {@link #check}
 * recomputes them for a subtree.
 */
final class CacheIndexNode {
    /** The node's object in the radix_tree_node slab cache, freed with the node. */
    final SlabObject slab;
    /** log2 of the indices one slot covers: 0 for a leaf, a multiple of 6 above. */
    final int shift;
    /** Slot of this node in its parent (0 for the root). */
    final int offset;
    /** Child nodes, for an interior node; null in a leaf. */
    final CacheIndexNode[] children;
    /** Entries, for a leaf; null in an interior node. */
    final CacheEntry[] entries;
    /** One word per {@link CacheIndex.Mark}: bit i set iff slot i is marked (leaf) or has a marked slot below it. */
    final long[] marks = new long[CacheIndex.NR_MARKS];
    /** The node one level up, or null for the root. */
    CacheIndexNode parent;
    /** Non-empty slots. */
    int count;
    /** Slots holding a value entry, a shadow or a swap entry (always 0 in an interior node). */
    int nrValues;

    CacheIndexNode(SlabObject slab, int shift, CacheIndexNode parent, int offset) {
        this.slab = slab;
        this.shift = shift;
        this.parent = parent;
        this.offset = offset;
        if (shift == 0) {
            this.children = null;
            this.entries = new CacheEntry[CacheIndex.SLOTS];
        } else {
            this.children = new CacheIndexNode[CacheIndex.SLOTS];
            this.entries = null;
        }
    }

    /** Whether this is a leaf whose every non-empty slot holds a value entry (workingset_nodes counts these). */
    boolean shadowOnly() {
        return count != 0 && count == nrValues;
    }

    /** Last index a root at {@code shift} reaches. */
    static long maxIndex(int shift) {
        return shift + CacheIndex.SHIFT >= 63 ? Long.MAX_VALUE : (1L << (shift + CacheIndex.SHIFT)) - 1;
    }

    /** Shift of the lowest root that reaches {@code index}. */
    static int shiftFor(long index) {
        final int bits = 64 - Long.numberOfLeadingZeros(index);
        return bits <= CacheIndex.SHIFT ? 0 : (bits - 1) / CacheIndex.SHIFT * CacheIndex.SHIFT;
    }

    /** Number, counted from index 0, of the node at {@code shift} whose span contains {@code index}. */
    static long nodeNo(long index, int shift) {
        final int s = shift + CacheIndex.SHIFT;
        return s >= 64 ? 0 : index >>> s;
    }

    /** First slot at or after {@code from} that is non-empty ({@code mi < 0}) or carries mark {@code mi}; -1 if none. */
    int nextSlot(int from, int mi) {
        if (mi >= 0) {
            final long bits = marks[mi] & (-1L << from);
            return bits == 0 ? -1 : Long.numberOfTrailingZeros(bits);
        }
        if (shift == 0) {
            final CacheEntry[] e = entries;
            for (int i = from; i < CacheIndex.SLOTS; i++) {
                if (e[i] != null) {
                    return i;
                }
            }
        } else {
            final CacheIndexNode[] c = children;
            for (int i = from; i < CacheIndex.SLOTS; i++) {
                if (c[i] != null) {
                    return i;
                }
            }
        }
        return -1;
    }

    /**
     * Sets bit {@code off} of mark {@code mi} here and in each ancestor whose word was zero;
     * returns whether the root's word went from zero to non-zero (the index's mark bit is then set).
     */
    boolean setMarkUp(int off, int mi) {
        CacheIndexNode n = this;
        while (true) {
            final long w = n.marks[mi];
            final long bit = 1L << off;
            if ((w & bit) != 0) {
                return false;
            }
            n.marks[mi] = w | bit;
            if (w != 0) {
                return false;
            }
            final CacheIndexNode p = n.parent;
            if (p == null) {
                return true;
            }
            off = n.offset;
            n = p;
        }
    }

    /**
     * Clears bit {@code off} of mark {@code mi} here and in each ancestor whose word becomes zero;
     * returns whether the root's word became zero (the index's mark bit is then cleared).
     */
    boolean clearMarkUp(int off, int mi) {
        CacheIndexNode n = this;
        while (true) {
            final long w = n.marks[mi];
            final long bit = 1L << off;
            if ((w & bit) == 0) {
                return false;
            }
            final long nw = w & ~bit;
            n.marks[mi] = nw;
            if (nw != 0) {
                return false;
            }
            final CacheIndexNode p = n.parent;
            if (p == null) {
                return true;
            }
            off = n.offset;
            n = p;
        }
    }

    /** Dump of the node for invariant failures; {@code base} is the first index it covers. */
    String describe(long base) {
        long span = shift + CacheIndex.SHIFT >= 63 ? Long.MAX_VALUE : 1L << (shift + CacheIndex.SHIFT);
        long last = span == Long.MAX_VALUE ? Long.MAX_VALUE : base + span - 1;
        return "node[indices " + base + ".." + last + " shift=" + shift + " offset=" + offset
                + " count=" + count + " nrValues=" + nrValues
                + " marks=" + Long.toHexString(marks[0]) + "/" + Long.toHexString(marks[1])
                + "/" + Long.toHexString(marks[2]) + (parent == null ? " root" : "") + "]";
    }

    /** Totals of a subtree, recounted by {@link #check}. */
    static final class Recount {
        long size;
        long shadows;
        long nodes;
        long shadowOnly;
    }

    /**
     * Recomputes this subtree's counts from its slots, checks its links, shifts and mark
     * propagation, and adds its totals to {@code r}; {@code base} is the first index it covers.
     * Throws IllegalStateException naming the index or node of the first disagreement.
     */
    void check(KmemCache cache, long base, Recount r) {
        r.nodes++;
        if (slab == null || slab.slab().cache() != cache) {
            throw new IllegalStateException("node is not an object of " + cache.name() + ": " + describe(base));
        }
        int slotsUsed = 0;
        int values = 0;
        if (shift == 0) {
            if (entries == null || children != null) {
                throw new IllegalStateException("leaf without entry slots: " + describe(base));
            }
            for (int i = 0; i < CacheIndex.SLOTS; i++) {
                final CacheEntry e = entries[i];
                if (e != null) {
                    slotsUsed++;
                    if (CacheIndex.isValue(e)) {
                        values++;
                    }
                }
                for (int mi = 0; mi < CacheIndex.NR_MARKS; mi++) {
                    if ((marks[mi] >>> i & 1) != 0 && !(e instanceof Folio)) {
                        throw new IllegalStateException("index " + (base + i) + " marked " + Mark.values()[mi]
                                + " but holds " + (e == null ? "nothing" : e) + " in " + describe(base));
                    }
                }
            }
            r.size += slotsUsed;
            r.shadows += values;
            if (slotsUsed != 0 && slotsUsed == values) {
                r.shadowOnly++;
            }
        } else {
            if (children == null || entries != null) {
                throw new IllegalStateException("interior node without child slots: " + describe(base));
            }
            for (int i = 0; i < CacheIndex.SLOTS; i++) {
                final CacheIndexNode c = children[i];
                final long childBase = base + ((long) i << shift);
                for (int mi = 0; mi < CacheIndex.NR_MARKS; mi++) {
                    final boolean bit = (marks[mi] >>> i & 1) != 0;
                    final boolean below = c != null && c.marks[mi] != 0;
                    if (bit != below) {
                        throw new IllegalStateException("mark " + Mark.values()[mi] + " bit of slot " + i + " is " + bit
                                + " but the subtree at index " + childBase + (c == null ? " is empty" : " has "
                                + (below ? "" : "no ") + "marks") + ": " + describe(base));
                    }
                }
                if (c == null) {
                    continue;
                }
                slotsUsed++;
                if (childBase < 0) {
                    throw new IllegalStateException("child in slot " + i + " lies beyond the largest index: "
                            + describe(base));
                }
                if (c.parent != this || c.offset != i || c.shift != shift - CacheIndex.SHIFT) {
                    throw new IllegalStateException("child at index " + childBase + " has parent "
                            + (c.parent == this ? "this" : "another") + " offset " + c.offset + " shift " + c.shift
                            + " under " + describe(base));
                }
                c.check(cache, childBase, r);
            }
        }
        if (slotsUsed != count || values != nrValues) {
            throw new IllegalStateException("slots hold count=" + slotsUsed + " nrValues=" + values + " but "
                    + describe(base));
        }
        if (slotsUsed == 0) {
            throw new IllegalStateException("empty node left in the tree: " + describe(base));
        }
    }
}
