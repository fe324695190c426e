package org.pagelab.sim;

/**
 * How a machine's time runs: the CPU count, the CPU cost of each event, and the timing of its file
 * system's device and of each swap device.
 *
 * @param cpus        simulated CPUs, 1..4096
 * @param costs       CPU costs of the memory manager's events
 * @param fsDevice    timing of the device under the file system
 * @param swapDevice  timing of the device under each swap area
 * @param record      keep every interval, for {@link Sim#check()} and PSI (costs memory on long runs)
 */
public record SimConfig(int cpus, CostModel costs, DeviceModel fsDevice, DeviceModel swapDevice, boolean record) {
    /** Two CPUs, the default costs, NVMe SSDs under the file system and swap, nothing recorded. */
    public static final SimConfig DEFAULT = new SimConfig(2, CostModel.DEFAULT, DeviceModel.NVME_SSD, DeviceModel.NVME_SSD, false);

    public SimConfig {
        if (cpus < 1 || cpus > 4096) {
            throw new IllegalArgumentException("CPU count " + cpus + " not in 1..4096");
        }
    }

    /** This configuration with {@code n} CPUs. */
    public SimConfig withCpus(int n) {
        return new SimConfig(n, costs, fsDevice, swapDevice, record);
    }

    /** This configuration with the file system's device timed by {@code d}. */
    public SimConfig withFsDevice(DeviceModel d) {
        return new SimConfig(cpus, costs, d, swapDevice, record);
    }

    /** This configuration with each swap device timed by {@code d}. */
    public SimConfig withSwapDevice(DeviceModel d) {
        return new SimConfig(cpus, costs, fsDevice, d, record);
    }

    /** This configuration with the CPU costs {@code c}. */
    public SimConfig withCosts(CostModel c) {
        return new SimConfig(cpus, c, fsDevice, swapDevice, record);
    }

    /** This configuration recording every interval. */
    public SimConfig recording() {
        return new SimConfig(cpus, costs, fsDevice, swapDevice, true);
    }
}
