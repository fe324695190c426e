package org.pagelab.phys;

/** The zones of pagelab's one node, lowest first, with the names the kernel prints. */
public enum ZoneType {
    /** Low memory usable by devices limited to 32-bit addresses; kept small here. */
    DMA32("DMA32", 256),
    /** All other memory. */
    NORMAL("Normal", 32);

    private final String kernelName;
    private final int lowmemReserveRatio;

    ZoneType(String kernelName, int lowmemReserveRatio) {
        this.kernelName = kernelName;
        this.lowmemReserveRatio = lowmemReserveRatio;
    }

    /** Name as in /proc/zoneinfo and /proc/buddyinfo. */
    public String kernelName() {
        return kernelName;
    }

    /** sysctl vm.lowmem_reserve_ratio entry of this zone. */
    public int lowmemReserveRatio() {
        return lowmemReserveRatio;
    }
}
