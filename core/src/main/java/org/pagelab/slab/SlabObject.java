package org.pagelab.slab;

import org.pagelab.desc.SlabPage;

/**
 * Handle of one allocated kernel object: the slab page it was carved from and its slot. The model's
 * kernel objects (inodes, cache index nodes, VMAs) hold one while they exist and give it back when
 * they go, so Slab in meminfo counts real pages. {@code objcg} is the object cgroup an object of
 * an accounted cache is charged to (0: none).
 */
public record SlabObject(SlabPage slab, int slot, int objcg) {
    /** An object of an unaccounted cache. */
    public SlabObject(SlabPage slab, int slot) {
        this(slab, slot, 0);
    }
}
