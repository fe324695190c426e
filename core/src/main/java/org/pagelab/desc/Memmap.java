package org.pagelab.desc;

/**
 * The per-frame map: for each frame, a reference to the descriptor that owns it. This is the only
 * per-frame structure of the machine (4 bytes a frame with compressed references).
 *
 * <p>Every frame of an allocated descriptor (folio, slab, page table, reserved) points at it.
 * Free frames are the exception: only the first frame of a {@link FreeBlock} points at the block,
 * the rest hold null, and {@link #owner(int)} finds the covering block among the aligned heads
 * above the frame, as the kernel's buddy code finds a free page's head. That keeps a buddy split or
 * merge at O(order) writes.
 *
 * <p>Invariants (recomputed by the physical-memory checker): every frame is covered by exactly one
 * live descriptor; for allocated descriptors {@code owners[p] == d} for all {@code p} in
 * {@code [d.pfn, d.endPfn)}; for a free block {@code owners[d.pfn] == d} and null elsewhere in it.
 */
public final class Memmap {
    private final MemDesc[] owners;

    /** A map of {@code nrFrames} frames, none owned yet. */
    public Memmap(int nrFrames) {
        if (nrFrames <= 0) {
            throw new IllegalArgumentException("frame count must be positive: " + nrFrames);
        }
        owners = new MemDesc[nrFrames];
    }

    public int nrFrames() {
        return owners.length;
    }

    /** The descriptor that owns frame {@code pfn}; null only for a frame never given an owner. */
    public MemDesc owner(int pfn) {
        MemDesc d = owners[pfn];
        if (d != null) {
            return d;
        }
        for (int o = 1; o <= MemDesc.MAX_ORDER; o++) {
            int head = pfn & -(1 << o);
            MemDesc h = owners[head];
            if (h instanceof FreeBlock fb && fb.order() >= o) {
                return fb;
            }
        }
        return null;
    }

    /** The reference stored at {@code pfn}, without resolving free-block tails. */
    public MemDesc raw(int pfn) {
        return owners[pfn];
    }

    /** Points every frame of allocated descriptor {@code d} at it. */
    public void install(MemDesc d) {
        if (d instanceof FreeBlock) {
            throw new IllegalArgumentException("free blocks are installed with installFree: " + d);
        }
        java.util.Arrays.fill(owners, d.pfn(), d.endPfn(), d);
    }

    /** Records free block {@code fb}: its head points at it; the rest of its frames hold nothing. */
    public void installFree(FreeBlock fb) {
        owners[fb.pfn()] = fb;
    }

    /**
     * Clears the frames of {@code d} so that a free block can take them over: all of them for an
     * allocated descriptor, only the head for a free block.
     */
    public void clear(MemDesc d) {
        if (d instanceof FreeBlock) {
            owners[d.pfn()] = null;
        } else {
            java.util.Arrays.fill(owners, d.pfn(), d.endPfn(), null);
        }
    }
}
