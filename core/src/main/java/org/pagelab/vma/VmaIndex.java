package org.pagelab.vma;

import java.util.Arrays;

/**
 * The lookup side of an address space's VMA set: the VMAs' start addresses in one sorted
 * {@code long[]} beside the VMAs in the same order, so that {@link #floor} is a binary search
 * over a contiguous primitive array instead of a walk down boxed tree nodes spread over the heap
 * (the fault path looks a VMA up on every fault, at random addresses when a trace is replayed).
 *
 * <p>Insertion and removal shift the tail of both arrays: O(n) word moves for n VMAs, a bound the
 * kernel also sets on n ({@code vm.max_map_count}, 65530 by default).
 *
 * <p>Invariant: {@code starts[0..size)} strictly increasing, {@code starts[i] == vmas[i].start()}.
 */
final class VmaIndex {
    private long[] starts = new long[8];
    private Vma[] vmas = new Vma[8];
    private int size;

    /** Adds {@code v}, whose start no VMA of the index has. */
    void insert(Vma v) {
        int i = Arrays.binarySearch(starts, 0, size, v.start());
        if (i >= 0) {
            throw new IllegalStateException("two VMAs start at 0x" + Long.toHexString(v.start()) + ": " + vmas[i] + ", " + v);
        }
        i = -i - 1;
        if (size == starts.length) {
            starts = Arrays.copyOf(starts, size * 2);
            vmas = Arrays.copyOf(vmas, size * 2);
        }
        System.arraycopy(starts, i, starts, i + 1, size - i);
        System.arraycopy(vmas, i, vmas, i + 1, size - i);
        starts[i] = v.start();
        vmas[i] = v;
        size++;
    }

    /** Removes {@code v}. Requires: it is in the index, under its current start. */
    void remove(Vma v) {
        int i = Arrays.binarySearch(starts, 0, size, v.start());
        if (i < 0 || vmas[i] != v) {
            throw new IllegalStateException("VMA not in the index: " + v);
        }
        System.arraycopy(starts, i + 1, starts, i, size - i - 1);
        System.arraycopy(vmas, i + 1, vmas, i, size - i - 1);
        size--;
        vmas[size] = null;
    }

    /** The VMA with the greatest start {@code <= addr}, or null. */
    Vma floor(long addr) {
        int i = Arrays.binarySearch(starts, 0, size, addr);
        if (i < 0) {
            i = -i - 2;
        }
        return i < 0 ? null : vmas[i];
    }

    int size() {
        return size;
    }

    /** Throws {@link IllegalStateException} unless the index holds exactly {@code inOrder}, in that order. */
    void check(java.util.Collection<Vma> inOrder) {
        if (inOrder.size() != size) {
            throw new IllegalStateException("VMA index holds " + size + " VMAs, the set " + inOrder.size());
        }
        int i = 0;
        for (Vma v : inOrder) {
            if (vmas[i] != v || starts[i] != v.start()) {
                throw new IllegalStateException("VMA index entry " + i + " is " + vmas[i] + " at 0x"
                        + Long.toHexString(starts[i]) + ", the set has " + v);
            }
            i++;
        }
    }
}
