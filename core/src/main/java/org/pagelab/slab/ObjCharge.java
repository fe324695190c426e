package org.pagelab.slab;

/**
 * Accounting of kernel objects by memory cgroups (SLAB_ACCOUNT caches, obj_cgroup): each object
 * allocated from an accounted cache is charged, by its size in bytes, to the object cgroup of
 * the allocating task, and uncharged from the same object cgroup when freed. Installed by the
 * machine; the slab allocator knows nothing of cgroups.
 */
public interface ObjCharge {
    /**
     * Charges {@code bytes} of cache {@code cache} to the current task's object cgroup; returns
     * that cgroup's id, or -1 when the charge is refused (the allocation then fails).
     */
    int charge(KmemCache cache, int bytes);

    /** Takes back {@code bytes} of {@code cache} charged to object cgroup {@code objcg}. */
    void uncharge(int objcg, KmemCache cache, int bytes);

    ObjCharge NONE = new ObjCharge() {
        @Override
        public int charge(KmemCache cache, int bytes) {
            return 0;
        }

        @Override
        public void uncharge(int objcg, KmemCache cache, int bytes) {
        }
    };
}
