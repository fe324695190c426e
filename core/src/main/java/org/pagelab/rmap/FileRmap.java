package org.pagelab.rmap;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.pagelab.filemap.Inode;
import org.pagelab.vma.Mm;
import org.pagelab.vma.Vma;

/**
 * The files' reverse maps: for each file, every VMA of every address space that maps it (the
 * kernel's {@code address_space->i_mmap}). It observes the address spaces, so VMAs enter when
 * mapped or split off and leave when unmapped or merged away, always with their current range.
 *
 * <p>The kernel keeps i_mmap as an interval tree over {@code [pgoff, pgoff + pages)}; here each
 * file has an ordered map from first page offset to the VMAs starting there, and a query for the
 * VMAs overlapping a page range walks the entries below the range's end. That is linear in the
 * number of mappings of one file rather than logarithmic, which is cheap for the handful of
 * mappings a file has in the workloads we model.
 *
 * <p>Invariant ({@link #check}): the VMAs held are exactly the file VMAs of the live address
 * spaces, each under its current first page offset.
 */
public final class FileRmap implements Mm.Observer {
    private final Map<Inode, TreeMap<Long, List<Vma>>> trees = new IdentityHashMap<>();
    private long count;

    @Override
    public void linked(Vma v) {
        if (v.file() != null) {
            trees.computeIfAbsent(v.file(), f -> new TreeMap<>()).computeIfAbsent(v.pgoff(), k -> new ArrayList<>(1)).add(v);
            count++;
        }
    }

    @Override
    public void unlinked(Vma v) {
        if (v.file() == null) {
            return;
        }
        TreeMap<Long, List<Vma>> t = trees.get(v.file());
        List<Vma> at = t == null ? null : t.get(v.pgoff());
        if (at == null || !removeIdentity(at, v)) {
            throw new IllegalStateException("VMA leaving i_mmap it is not in: " + v);
        }
        count--;
        if (at.isEmpty()) {
            t.remove(v.pgoff());
            if (t.isEmpty()) {
                trees.remove(v.file());
            }
        }
    }

    private static boolean removeIdentity(List<Vma> l, Vma v) {
        for (int i = 0; i < l.size(); i++) {
            if (l.get(i) == v) {
                l.remove(i);
                return true;
            }
        }
        return false;
    }

    /** Whether any VMA maps {@code inode} (mapping_mapped). */
    public boolean mapped(Inode inode) {
        return trees.containsKey(inode);
    }

    /** Number of VMAs held, over all files. */
    public long size() {
        return count;
    }

    /**
     * The VMAs of {@code inode} that map some page in {@code [first, last]}, in page-offset order
     * (vma_interval_tree_foreach). A copy: the caller may change the mappings while it iterates.
     */
    public List<Vma> overlapping(Inode inode, long first, long last) {
        TreeMap<Long, List<Vma>> t = trees.get(inode);
        List<Vma> out = new ArrayList<>();
        if (t == null) {
            return out;
        }
        for (List<Vma> at : t.headMap(last, true).values()) {
            for (Vma v : at) {
                if (v.pgoff() + v.pages() > first) {
                    out.add(v);
                }
            }
        }
        return out;
    }

    /**
     * Recomputes the invariant against the file VMAs of {@code mms}, the live address spaces;
     * throws {@link IllegalStateException} on a difference.
     */
    public void check(Iterable<Mm> mms) {
        Map<Vma, Boolean> expected = new IdentityHashMap<>();
        for (Mm mm : mms) {
            for (Vma v : mm.vmas()) {
                if (v.file() != null) {
                    expected.put(v, Boolean.TRUE);
                }
            }
        }
        long seen = 0;
        for (Map.Entry<Inode, TreeMap<Long, List<Vma>>> e : trees.entrySet()) {
            if (e.getValue().isEmpty()) {
                throw new IllegalStateException("empty i_mmap kept for " + e.getKey());
            }
            for (Map.Entry<Long, List<Vma>> at : e.getValue().entrySet()) {
                for (Vma v : at.getValue()) {
                    if (v.file() != e.getKey() || v.pgoff() != at.getKey() || expected.remove(v) == null) {
                        throw new IllegalStateException("i_mmap of " + e.getKey() + " holds " + v + " under pgoff "
                                + at.getKey() + ", which no live address space maps there");
                    }
                    seen++;
                }
            }
        }
        if (!expected.isEmpty() || seen != count) {
            throw new IllegalStateException("file VMAs missing from i_mmap: " + expected.keySet() + " (count " + count
                    + ", held " + seen + ")");
        }
    }
}
