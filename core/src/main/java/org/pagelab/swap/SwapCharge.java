package org.pagelab.swap;

import org.pagelab.desc.Folio;
import org.pagelab.desc.SwapEntry;

/**
 * Swap accounting by memory cgroups (swap_cgroup): a slot allocated for a folio is charged to the
 * folio's cgroup, which may refuse it (memory.swap.max), and the charge ends when the slot is
 * free again. Installed by the machine; the swap code knows nothing of cgroups.
 */
public interface SwapCharge {
    /**
     * Charges the {@code nr} slots from {@code entry} (one per page of {@code f}), just allocated
     * for {@code f}; false refuses them all.
     */
    boolean charge(Folio f, SwapEntry entry, int nr);

    /** The slot of {@code entry} is free: its charge ends (no-op if it had none). */
    void uncharge(SwapEntry entry);

    SwapCharge NONE = new SwapCharge() {
        @Override
        public boolean charge(Folio f, SwapEntry entry, int nr) {
            return true;
        }

        @Override
        public void uncharge(SwapEntry entry) {
        }
    };
}
