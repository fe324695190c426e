package org.pagelab.filemap;

import static org.pagelab.filemap.CacheIndexNode.maxIndex;
import static org.pagelab.filemap.CacheIndexNode.shiftFor;

import org.pagelab.desc.CacheEntry;
import org.pagelab.desc.Folio;
import org.pagelab.desc.Shadow;
import org.pagelab.desc.SwapEntry;
import org.pagelab.slab.KmemCache;
import org.pagelab.slab.SlabAllocator;

/**
 * The shared cache index: a map from a page offset to a slot that is empty, holds a {@link Folio},
 * or holds a value entry: a {@link Shadow}, or a shmem page's {@link SwapEntry} (the two count
 * alike, as the kernel's value entries do); the kernel's XArray as the page cache uses it. The page cache of every
 * file, each swap device's swap cache and shmem all use this class unchanged.
 *
 * <p>Slots can carry three {@linkplain Mark marks} (dirty, writeback, towrite) that are propagated
 * up the tree, so {@link #forEachMarked} costs what it finds rather than the size of the file. A
 * large folio occupies one slot per page ({@link #tryStoreRange}); walks visit it once per slot.
 *
 * <p>Nodes are kernel objects allocated from the radix_tree_node slab cache passed to the
 * constructor; a store that needs a node and cannot get one returns false and changes nothing.
 * Erasing never needs memory.
 */
public final class CacheIndex {
    /*
     * Implementation notes
     *
     * The tree
     *
     * A radix tree of 64-slot nodes, the kernel's XArray [1]. A node at shift s covers 64 << s
     * consecutive indices starting at a multiple of that span; each of its slots covers 1 << s of
     * them, so index x lives in slot (x >>> s) & 63 of the node at shift s on its path. Leaves have
     * shift 0 and hold entries; interior nodes hold nodes. The root at shift S covers
     * [0, 64 << S); an index of 63 bits needs at most 11 levels (shifts 0, 6, ..., 60).
     *
     * As in the kernel, a lone entry at index 0 needs no node: it sits in headEntry, the model's
     * xa_head holding an entry. So the index is in one of three shapes: empty (root and headEntry
     * null), index 0 only (headEntry set, root null), or a tree (root set, headEntry null).
     *
     * Growth and shrink
     *
     * Storing beyond the root's reach puts new roots above the old one, which becomes slot 0 of
     * the new (xas_expand); storing into a missing subtree creates the nodes down to the leaf
     * (xas_create). A store that needs nodes first counts them, then allocates exactly that many
     * objects from the slab cache into a reserve (CacheIndexNodeAlloc, the model's xas_nomem).
     * If the cache runs dry the objects taken so far go back and the store returns false with
     * the index untouched; once the reserve is full the store cannot fail, and it checks that it
     * used the whole reserve.
     *
     * Erasing the last entry of a node frees the node and empties its slot in the parent, up to
     * the root (xas_delete_node). Then the root is shrunk while its only non-empty slot is slot 0
     * (xas_shrink): an interior root gives way to its child, a leaf root holding only index 0 gives
     * its entry back to headEntry. Erasing never allocates.
     *
     * A walk (forEach, forEachMarked) moves through the tree by parent pointers and a cursor
     * index, allocating nothing. layoutSeq counts node allocations and frees; when a visitor
     * changed it, the walk descends again from the root at the cursor instead of trusting a node
     * that may have been freed. So visitors may store, erase and mark.
     *
     * Marks
     *
     * Each node keeps one 64-bit word per mark. In a leaf bit i says slot i is marked; in an
     * interior node bit i says some slot below child i is marked. Setting a bit climbs while the
     * word it changed was zero, clearing climbs while the word becomes zero: O(height) at worst,
     * usually O(1). rootMarks is the kernel's mark bits in xa_flags: bit m is set iff some index
     * carries mark m, which makes anyMarked O(1). forEachMarked follows set bits only, so it
     * enters marked subtrees and no others. Only a Folio may be marked. Erasing a slot or storing
     * a value entry in it clears its marks (page_cache_delete [3]); storing a Folio over a Folio keeps
     * them, as xas_store does.
     *
     * Memory accounting
     *
     * Every node holds the SlabObject it was allocated as and frees it when the node goes, so the
     * radix_tree_node cache (576-byte objects, the size of struct xa_node on 64-bit, reclaimable)
     * counts real pages in SReclaimable. One such cache serves every index of a machine.
     * shadowOnlyNodes is the kernel's workingset_nodes [2]: leaves whose every entry is a shadow,
     * the nodes the shadow shrinker may free. It changes only in the leaf a store or erase
     * touches, so it is kept by comparing that leaf's state before and after.
     *
     * Invariants as equations (check() recomputes each)
     *
     *   node.count    == number of non-empty slots of node, and >= 1
     *   node.nrValues == number of slots of node holding a value entry         (0 in interior nodes)
     *   child.parent == node,  node.children[child.offset] == child,  child.shift == node.shift - 6
     *   bit i of node.marks[m] == (leaf ? slot i carries m : child i's marks[m] != 0)
     *   slot carries any mark  =>  slot holds a Folio
     *   bit m of rootMarks == (root != null ? root.marks[m] != 0 : headEntry carries m)
     *   size            == sum over leaves of count    + (headEntry != null ? 1 : 0)
     *   nrShadows       == sum over leaves of nrValues + (headEntry is a value entry ? 1 : 0)
     *   nodes           == number of nodes reachable from root
     *   shadowOnlyNodes == number of leaves with count == nrValues
     *   root == null || headEntry == null
     *   root == null || !(root.count == 1 && root slot 0 non-empty)        (the tree is as low as it can be)
     *
     * References
     *
     * [1] lib/xarray.c and Documentation/core-api/xarray.rst (Matthew Wilcox).
     * [2] mm/workingset.c: workingset_update_node and the shadow node shrinker.
     * [3] mm/filemap.c: page_cache_delete stores the shadow and clears the marks.
     */

    /** Name of the slab cache that index nodes come from, as /proc/slabinfo prints it. */
    public static final String NODE_CACHE_NAME = "radix_tree_node";
    /** Bytes per node object: the size of the kernel's struct xa_node on 64-bit machines. */
    public static final int NODE_OBJECT_SIZE = 576;

    /** log2 of the slots per node. */
    static final int SHIFT = 6;
    /** Slots per node. */
    static final int SLOTS = 1 << SHIFT;
    /** Mask of a slot number. */
    static final int MASK = SLOTS - 1;
    /** Shift of a root that reaches every non-negative long. */
    static final int MAX_SHIFT = 60;
    /** Number of marks. */
    static final int NR_MARKS = 3;

    static {
        if (Mark.values().length != NR_MARKS) {
            throw new ExceptionInInitializerError("NR_MARKS " + NR_MARKS + " but " + Mark.values().length + " marks");
        }
    }

    /** A mark a slot holding a Folio can carry, the page cache's XArray marks. */
    public enum Mark {
        /** The folio has data not yet written back (PAGECACHE_TAG_DIRTY). */
        DIRTY,
        /** The folio is being written back (PAGECACHE_TAG_WRITEBACK). */
        WRITEBACK,
        /** The folio was dirty when a data-integrity sync began (PAGECACHE_TAG_TOWRITE). */
        TOWRITE
    }

    /** What a walk calls for each slot it visits, in increasing index order. */
    @FunctionalInterface
    public interface EntryVisitor {
        /** Visits the non-empty slot {@code index}; returns false to stop the walk. */
        boolean visit(long index, CacheEntry entry);
    }

    private final CacheIndexNodeAlloc alloc;
    private CacheIndexNode root;
    private CacheEntry headEntry;
    private int rootMarks;
    private long size;
    private long nrShadows;
    private long shadowOnlyNodes;

    /**
     * An empty index whose nodes come from {@code nodeCache}.
     * Requires: {@code nodeCache} is the machine's radix_tree_node cache (see {@link #createNodeCache}).
     */
    public CacheIndex(KmemCache nodeCache) {
        if (nodeCache == null) {
            throw new IllegalArgumentException("null node cache");
        }
        this.alloc = new CacheIndexNodeAlloc(nodeCache, this);
    }

    /** Creates the radix_tree_node cache in {@code slab}, once per machine (radix_tree_init). */
    public static KmemCache createNodeCache(SlabAllocator slab) {
        return slab.createCache(NODE_CACHE_NAME, NODE_OBJECT_SIZE, true);
    }

    // ---- lookup and store ----

    /** The entry at {@code index}, or null when the slot is empty. Requires: {@code index >= 0}. */
    public CacheEntry load(long index) {
        requireIndex(index);
        if (root == null) {
            return index == 0 ? headEntry : null;
        }
        final CacheIndexNode leaf = leafOf(index);
        return leaf == null ? null : leaf.entries[(int) index & MASK];
    }

    /**
     * Stores {@code entry} at {@code index}, replacing what was there; returns false, having changed
     * nothing, when a node was needed and the slab cache had no memory.
     * Requires: {@code index >= 0}, {@code entry != null} (use {@link #erase} to empty a slot).
     */
    public boolean tryStore(long index, CacheEntry entry) {
        requireIndex(index);
        requireEntry(index, entry);
        final CacheIndexNode leaf = leafOf(index);
        if (leaf != null) {
            storeInLeaf(leaf, (int) index & MASK, entry);
            return true;
        }
        if (root == null && index == 0) {
            storeHead(entry);
            return true;
        }
        return storeMissing(index, index, entry);
    }

    /**
     * Stores {@code entry} in the {@code nr} slots from {@code first}, the way a large folio
     * occupies one slot per page ({@code first == folio.index()}, {@code nr == folio.nrPages()},
     * {@code first} aligned to {@code nr}). All or nothing: returns false, having changed nothing,
     * when the nodes needed could not be allocated.
     * Requires: {@code first >= 0}, {@code nr >= 1}, {@code first + nr - 1 <= Long.MAX_VALUE},
     * {@code entry != null}.
     */
    public boolean tryStoreRange(long first, int nr, CacheEntry entry) {
        final long last = requireRange(first, nr);
        requireEntry(first, entry);
        if (nr == 1) {
            return tryStore(first, entry);
        }
        return storeMissing(first, last, entry);
    }

    /** Empties slot {@code index} and returns what it held (null if empty). Requires: {@code index >= 0}. */
    public CacheEntry erase(long index) {
        requireIndex(index);
        if (root == null) {
            return index == 0 && headEntry != null ? eraseHead() : null;
        }
        final CacheIndexNode leaf = leafOf(index);
        if (leaf == null) {
            return null;
        }
        final CacheEntry old = eraseInLeaf(leaf, (int) index & MASK);
        if (old != null) {
            if (leaf.count == 0) {
                deleteEmpty(leaf);
            }
            shrink();
        }
        return old;
    }

    /**
     * Empties the {@code nr} slots from {@code first}.
     * Requires: {@code first >= 0}, {@code nr >= 1}, {@code first + nr - 1 <= Long.MAX_VALUE}.
     */
    public void eraseRange(long first, int nr) {
        final long last = requireRange(first, nr);
        if (root == null) {
            if (first == 0 && headEntry != null) {
                eraseHead();
            }
            return;
        }
        long idx = first;
        while (root != null && idx <= maxIndex(root.shift)) {
            final CacheIndexNode leaf = leafOf(idx);
            final long leafLast = idx | MASK;
            if (leaf != null) {
                final int end = (int) Math.min(last, leafLast) & MASK;
                for (int o = (int) idx & MASK; o <= end; o++) {
                    eraseInLeaf(leaf, o);
                }
                if (leaf.count == 0) {
                    deleteEmpty(leaf);
                }
            }
            if (leafLast >= last) {
                break;
            }
            idx = leafLast + 1;
        }
        shrink();
    }

    /** Erases every entry and frees every node (inode eviction, swapoff, unmount). */
    public void clear() {
        if (root != null) {
            alloc.freeSubtree(root);
        }
        root = null;
        headEntry = null;
        rootMarks = 0;
        size = 0;
        nrShadows = 0;
        shadowOnlyNodes = 0;
    }

    // ---- marks ----

    /**
     * Sets mark {@code m} on slot {@code index}.
     * Requires: {@code index >= 0}; the slot holds a Folio.
     */
    public void setMark(long index, Mark m) {
        requireIndex(index);
        final int mi = m.ordinal();
        if (root == null) {
            if (index == 0 && headEntry instanceof Folio) {
                rootMarks |= 1 << mi;
                return;
            }
            throw notFolio(index, m, index == 0 ? headEntry : null);
        }
        final CacheIndexNode leaf = leafOf(index);
        final int off = (int) index & MASK;
        final CacheEntry e = leaf == null ? null : leaf.entries[off];
        if (!(e instanceof Folio)) {
            throw notFolio(index, m, e);
        }
        setMarkBit(leaf, off, mi);
    }

    /** Clears mark {@code m} from slot {@code index}, if set. Requires: {@code index >= 0}. */
    public void clearMark(long index, Mark m) {
        requireIndex(index);
        final int mi = m.ordinal();
        if (root == null) {
            if (index == 0) {
                rootMarks &= ~(1 << mi);
            }
            return;
        }
        final CacheIndexNode leaf = leafOf(index);
        if (leaf != null) {
            clearMarkBit(leaf, (int) index & MASK, mi);
        }
    }

    /** Whether slot {@code index} carries mark {@code m}. Requires: {@code index >= 0}. */
    public boolean getMark(long index, Mark m) {
        requireIndex(index);
        final int mi = m.ordinal();
        if (root == null) {
            return index == 0 && (rootMarks >>> mi & 1) != 0;
        }
        final CacheIndexNode leaf = leafOf(index);
        return leaf != null && (leaf.marks[mi] >>> ((int) index & MASK) & 1) != 0;
    }

    /** Whether any slot carries mark {@code m} (mapping_tagged). O(1). */
    public boolean anyMarked(Mark m) {
        return (rootMarks >>> m.ordinal() & 1) != 0;
    }

    // ---- walks ----

    /**
     * Visits every non-empty slot with {@code first <= index <= last} in increasing index order,
     * until the visitor returns false. A large folio stored over a range is visited once per slot;
     * callers that want it once skip ahead by {@code folio.nrPages()} (or ignore indices other than
     * {@code folio.index()}). The visitor may store, erase and mark; the walk then continues after
     * the index just visited with the index as it is now.
     * Requires: {@code first >= 0}.
     */
    public void forEach(long first, long last, EntryVisitor v) {
        walk(first, last, -1, v);
    }

    /**
     * Visits every slot carrying mark {@code m} with {@code first <= index <= last}, in increasing
     * index order, until the visitor returns false; unmarked subtrees are skipped without being
     * entered. Large folios and visitor changes behave as in {@link #forEach}.
     * Requires: {@code first >= 0}.
     */
    public void forEachMarked(long first, long last, Mark m, EntryVisitor v) {
        walk(first, last, m.ordinal(), v);
    }

    // ---- counts ----

    /** Non-empty slots (a large folio counts once per slot). */
    public long size() {
        return size;
    }

    /** Slots holding a value entry: a shadow, or a shmem page's swap entry. */
    public long nrShadows() {
        return nrShadows;
    }

    /** Nodes allocated, each one object of the radix_tree_node cache. */
    public long nodes() {
        return alloc.nodes();
    }

    /** Leaves whose every non-empty slot holds a value entry: the kernel's workingset_nodes. */
    public long shadowOnlyNodes() {
        return shadowOnlyNodes;
    }

    @Override
    public String toString() {
        return "CacheIndex[size=" + size + " shadows=" + nrShadows + " nodes=" + alloc.nodes()
                + " shadowOnlyNodes=" + shadowOnlyNodes
                + " height=" + (root == null ? 0 : root.shift / SHIFT + 1) + " marks=" + rootMarks + "]";
    }

    // ---- descent ----

    /** The leaf holding {@code index}'s slot, or null when it does not exist. */
    private CacheIndexNode leafOf(long index) {
        CacheIndexNode n = root;
        if (n == null || (index >>> n.shift) > MASK) {
            return null;
        }
        while (n.shift != 0) {
            n = n.children[(int) (index >>> n.shift) & MASK];
            if (n == null) {
                return null;
            }
        }
        return n;
    }

    // ---- storing ----

    /** Stores into an existing leaf slot, keeping the counts and marks. */
    private void storeInLeaf(CacheIndexNode leaf, int off, CacheEntry entry) {
        final CacheEntry old = leaf.entries[off];
        final boolean wasShadowOnly = leaf.shadowOnly();
        if (old == null) {
            leaf.count++;
            size++;
        } else if (isValue(old)) {
            leaf.nrValues--;
            nrShadows--;
        }
        if (isValue(entry)) {
            leaf.nrValues++;
            nrShadows++;
            clearSlotMarks(leaf, off);
        }
        leaf.entries[off] = entry;
        final boolean isShadowOnly = leaf.shadowOnly();
        if (isShadowOnly != wasShadowOnly) {
            shadowOnlyNodes += isShadowOnly ? 1 : -1;
        }
    }

    /** Stores at index 0 of an index that has no node. */
    private void storeHead(CacheEntry entry) {
        final CacheEntry old = headEntry;
        if (old == null) {
            size++;
        } else if (isValue(old)) {
            nrShadows--;
        }
        if (isValue(entry)) {
            nrShadows++;
            rootMarks = 0;
        }
        headEntry = entry;
    }

    /**
     * Stores {@code entry} over {@code [first, last]} when some node on the way may be missing:
     * reserves the nodes needed, grows the tree, then fills the slots leaf by leaf.
     */
    private boolean storeMissing(long first, long last, CacheEntry entry) {
        if (!alloc.reserveFor(root, headEntry != null, first, last)) {
            return false;
        }
        final int top = Math.max(shiftFor(last), root == null ? 0 : root.shift);
        if (root == null) {
            root = alloc.newNode(top, null, 0);
            final CacheEntry moved = headEntry;
            if (moved != null) {
                final int movedMarks = rootMarks;
                eraseHead();
                final CacheIndexNode leaf = leafCreate(0);
                storeInLeaf(leaf, 0, moved);
                for (int mi = 0; mi < NR_MARKS; mi++) {
                    if ((movedMarks >>> mi & 1) != 0) {
                        setMarkBit(leaf, 0, mi);
                    }
                }
            }
        } else {
            while (root.shift < top) {
                final CacheIndexNode old = root;
                final CacheIndexNode r = alloc.newNode(old.shift + SHIFT, null, 0);
                r.children[0] = old;
                r.count = 1;
                for (int mi = 0; mi < NR_MARKS; mi++) {
                    if (old.marks[mi] != 0) {
                        r.marks[mi] = 1L;
                    }
                }
                old.parent = r;
                root = r;
            }
        }
        long idx = first;
        while (true) {
            final CacheIndexNode leaf = leafCreate(idx);
            final long leafLast = idx | MASK;
            final int end = (int) Math.min(last, leafLast) & MASK;
            for (int o = (int) idx & MASK; o <= end; o++) {
                storeInLeaf(leaf, o, entry);
            }
            if (leafLast >= last) {
                break;
            }
            idx = leafLast + 1;
        }
        alloc.requireReserveUsed(first, last);
        return true;
    }

    /** The leaf for {@code index}, creating missing nodes from the reserve. Requires: root reaches it. */
    private CacheIndexNode leafCreate(long index) {
        CacheIndexNode n = root;
        while (n.shift != 0) {
            final int off = (int) (index >>> n.shift) & MASK;
            CacheIndexNode c = n.children[off];
            if (c == null) {
                c = alloc.newNode(n.shift - SHIFT, n, off);
                n.children[off] = c;
                n.count++;
            }
            n = c;
        }
        return n;
    }

    // ---- erasing ----

    /** Empties a leaf slot, keeping counts and marks; leaves the leaf in place even if empty. */
    private CacheEntry eraseInLeaf(CacheIndexNode leaf, int off) {
        final CacheEntry old = leaf.entries[off];
        if (old == null) {
            return null;
        }
        clearSlotMarks(leaf, off);
        final boolean wasShadowOnly = leaf.shadowOnly();
        leaf.entries[off] = null;
        leaf.count--;
        size--;
        if (isValue(old)) {
            leaf.nrValues--;
            nrShadows--;
        }
        final boolean isShadowOnly = leaf.shadowOnly();
        if (isShadowOnly != wasShadowOnly) {
            shadowOnlyNodes += isShadowOnly ? 1 : -1;
        }
        return old;
    }

    /** Empties the head entry. Requires: it is set. */
    private CacheEntry eraseHead() {
        final CacheEntry old = headEntry;
        headEntry = null;
        rootMarks = 0;
        size--;
        if (isValue(old)) {
            nrShadows--;
        }
        return old;
    }

    /** Frees empty node {@code n} and every ancestor that its removal empties. */
    private void deleteEmpty(CacheIndexNode n) {
        while (true) {
            final CacheIndexNode p = n.parent;
            final int off = n.offset;
            alloc.free(n);
            if (p == null) {
                root = null;
                return;
            }
            p.children[off] = null;
            if (--p.count != 0) {
                return;
            }
            n = p;
        }
    }

    /** Lowers the tree while the root's only non-empty slot is slot 0. */
    private void shrink() {
        CacheIndexNode r = root;
        while (r != null && r.count == 1) {
            if (r.shift == 0) {
                final CacheEntry e = r.entries[0];
                if (e == null) {
                    return;
                }
                if (r.shadowOnly()) {
                    shadowOnlyNodes--;
                }
                headEntry = e;
                root = null;
                alloc.free(r);
                return;
            }
            final CacheIndexNode c = r.children[0];
            if (c == null) {
                return;
            }
            c.parent = null;
            root = c;
            alloc.free(r);
            r = c;
        }
    }

    // ---- mark bits ----

    /** Sets bit {@code off} of mark {@code mi} in {@code n} and up the tree; the root's word sets rootMarks. */
    private void setMarkBit(CacheIndexNode n, int off, int mi) {
        if (n.setMarkUp(off, mi)) {
            rootMarks |= 1 << mi;
        }
    }

    /** Clears bit {@code off} of mark {@code mi} in {@code n} and up the tree; the root's word clears rootMarks. */
    private void clearMarkBit(CacheIndexNode n, int off, int mi) {
        if (n.clearMarkUp(off, mi)) {
            rootMarks &= ~(1 << mi);
        }
    }

    private void clearSlotMarks(CacheIndexNode leaf, int off) {
        for (int mi = 0; mi < NR_MARKS; mi++) {
            if ((leaf.marks[mi] >>> off & 1) != 0) {
                clearMarkBit(leaf, off, mi);
            }
        }
    }

    // ---- walking ----

    /** Visits slots in {@code [first, last]}; {@code mi < 0} visits every non-empty slot, else those carrying mark {@code mi}. */
    private void walk(long first, long last, int mi, EntryVisitor v) {
        requireIndex(first);
        if (last < first) {
            return;
        }
        if (root == null) {
            if (first == 0 && headEntry != null && (mi < 0 || (rootMarks >>> mi & 1) != 0)) {
                v.visit(0, headEntry);
            }
            return;
        }
        CacheIndexNode n = root;
        long base = 0;
        long idx = first;
        int seq = alloc.layoutSeq();
        while (true) {
            final int s = n.shift;
            final long rel = (idx - base) >>> s;
            final int found = rel > MASK ? -1 : n.nextSlot((int) rel, mi);
            if (found < 0) {
                final CacheIndexNode p = n.parent;
                if (p == null) {
                    return;
                }
                final long next = base + (1L << (s + SHIFT));
                if (next < 0 || next > last) {
                    return;
                }
                idx = next;
                base -= (long) n.offset << (s + SHIFT);
                n = p;
                continue;
            }
            final long start = base + ((long) found << s);
            if (start > last) {
                return;
            }
            if (s != 0) {
                if (start > idx) {
                    idx = start;
                }
                base = start;
                n = n.children[found];
                continue;
            }
            if (!v.visit(start, n.entries[found]) || start >= last) {
                return;
            }
            idx = start + 1;
            if (alloc.layoutSeq() != seq) {
                seq = alloc.layoutSeq();
                n = root;
                base = 0;
                if (n == null) {
                    return;
                }
            }
        }
    }

    // ---- argument checks ----

    private static void requireIndex(long index) {
        if (index < 0) {
            throw new IllegalArgumentException("negative cache index: " + index);
        }
    }

    private static void requireEntry(long index, CacheEntry entry) {
        if (entry == null) {
            throw new IllegalArgumentException("null entry stored at index " + index + "; erase empties a slot");
        }
    }

    /** Checks a range argument and returns its last index. */
    private static long requireRange(long first, int nr) {
        requireIndex(first);
        if (nr < 1) {
            throw new IllegalArgumentException("range of " + nr + " slots at index " + first);
        }
        final long last = first + nr - 1;
        if (last < 0) {
            throw new IllegalArgumentException("range of " + nr + " slots at index " + first + " passes the largest index");
        }
        return last;
    }

    private static IllegalArgumentException notFolio(long index, Mark m, CacheEntry e) {
        return new IllegalArgumentException("mark " + m + " set on index " + index + " holding "
                + (e == null ? "nothing" : e) + "; only a folio can be marked");
    }

    // ---- invariant checker ----

    /**
     * Recomputes every node's counts, links and marks and every total from the slots, and throws
     * IllegalStateException naming the index or node of the first disagreement.
     */
    public void check() {
        final CacheIndexNode.Recount r = new CacheIndexNode.Recount();
        if (root == null) {
            if (headEntry != null) {
                r.size = 1;
                r.shadows = isValue(headEntry) ? 1 : 0;
            }
            if ((headEntry == null || isValue(headEntry)) && rootMarks != 0) {
                throw broken("marks " + rootMarks + " on index 0 holding " + headEntry);
            }
        } else {
            if (headEntry != null) {
                throw broken("head entry " + headEntry + " beside root " + root.describe(0));
            }
            if (root.parent != null || root.offset != 0) {
                throw broken("root has a parent or offset: " + root.describe(0));
            }
            if (root.shift < 0 || root.shift > MAX_SHIFT || root.shift % SHIFT != 0) {
                throw broken("root shift " + root.shift + ": " + root.describe(0));
            }
            if (root.count == 1 && (root.shift == 0 ? root.entries[0] != null : root.children[0] != null)) {
                throw broken("tree not shrunk: root holds only slot 0: " + root.describe(0));
            }
            try {
                root.check(alloc.cache(), 0, r);
            } catch (IllegalStateException e) {
                throw (IllegalStateException) broken(e.getMessage()).initCause(e);
            }
            for (int mi = 0; mi < NR_MARKS; mi++) {
                if ((root.marks[mi] != 0) != ((rootMarks >>> mi & 1) != 0)) {
                    throw broken("root mark bit " + Mark.values()[mi] + " is " + ((rootMarks >>> mi & 1) != 0)
                            + " but root marks word is " + Long.toHexString(root.marks[mi]));
                }
            }
        }
        if (rootMarks >>> NR_MARKS != 0) {
            throw broken("root mark bits " + Integer.toBinaryString(rootMarks) + " beyond the " + NR_MARKS + " marks");
        }
        if (r.size != size || r.shadows != nrShadows || r.nodes != alloc.nodes() || r.shadowOnly != shadowOnlyNodes) {
            throw broken("totals size=" + size + " nrShadows=" + nrShadows + " nodes=" + alloc.nodes()
                    + " shadowOnlyNodes=" + shadowOnlyNodes + " but the tree holds size=" + r.size
                    + " nrShadows=" + r.shadows + " nodes=" + r.nodes + " shadowOnlyNodes=" + r.shadowOnly);
        }
    }

    private IllegalStateException broken(String what) {
        return new IllegalStateException("cache index broken: " + what + " (" + this + ")");
    }

    /** Whether {@code e} is a value entry (xa_is_value): a shadow, or a shmem page's swap entry. */
    static boolean isValue(CacheEntry e) {
        return e instanceof Shadow || e instanceof SwapEntry;
    }
}
