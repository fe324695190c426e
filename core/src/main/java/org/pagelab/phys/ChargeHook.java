package org.pagelab.phys;

import org.pagelab.desc.MemDesc;

/**
 * What the allocator calls so that memory cgroups can account its allocations: the kernel's
 * mem_cgroup_charge after a user page is allocated (and __GFP_ACCOUNT for kernel memory such as
 * page tables), and the uncharge when the frames are freed. The allocator itself knows nothing of
 * cgroups; the machine installs the memory-cgroup controller here.
 */
public interface ChargeHook {
    /**
     * Charges {@code d}, just allocated for {@code req}, to the cgroup the controller chooses.
     * May reclaim and run the cgroup's OOM killer; returns false when the charge cannot be made,
     * and the allocation then fails.
     */
    boolean charge(MemDesc d, AllocRequest req);

    /** Takes back the charge of {@code d}, which is being freed (no-op for uncharged descriptors). */
    void uncharge(MemDesc d);

    /** No accounting. */
    ChargeHook NONE = new ChargeHook() {
        @Override
        public boolean charge(MemDesc d, AllocRequest req) {
            return true;
        }

        @Override
        public void uncharge(MemDesc d) {
        }
    };
}
