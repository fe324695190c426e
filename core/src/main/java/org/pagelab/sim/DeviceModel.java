package org.pagelab.sim;

import java.util.Map;

/**
 * The timing of a block device: per-request latency and transfer bandwidth, separately for reads
 * and writes. A request of {@code b} bytes is in flight for {@code latency} and then moves its
 * bytes at the bandwidth; {@link SimDevice} overlaps the latencies of concurrent requests and
 * shares the bandwidth among them. Immutable.
 *
 * @param readLatencyNs  time from submission until a read's data starts to move
 * @param writeLatencyNs the same for a write (to the device's write cache)
 * @param readBytesPerSec  sustained read bandwidth
 * @param writeBytesPerSec sustained write bandwidth
 */
public record DeviceModel(long readLatencyNs, long writeLatencyNs, long readBytesPerSec, long writeBytesPerSec) {

    /**
     * An NVMe SSD on PCIe 3.0 x4, the common case for 2018–2024 laptops and servers. Estimates from
     * vendors' spec sheets and public reviews:
     * <ul>
     *   <li>read latency 80 µs: a 4 KiB random read at queue depth 1 on a NAND SSD takes 50–100 µs
     *       end to end (consumer drives quote 15–20 K IOPS at QD1, datacenter drives 70–90 µs
     *       typical read latency); the flash read (tR) alone is 40–80 µs;</li>
     *   <li>write latency 20 µs: writes complete into the drive's DRAM or SLC cache, quoted at
     *       10–30 µs;</li>
     *   <li>read bandwidth 3 GB/s and write bandwidth 2 GB/s: PCIe 3.0 x4 carries about 3.9 GB/s;
     *       drives on it sustain about 3–3.5 GB/s sequential read and 2–3 GB/s write.</li>
     * </ul>
     */
    public static final DeviceModel NVME_SSD = new DeviceModel(80_000, 20_000, 3_000_000_000L, 2_000_000_000L);

    /** A device with no latency and bandwidth so high that a request costs a nanosecond or so: for runs that want CPU costs only. */
    public static final DeviceModel INSTANT = new DeviceModel(0, 0, Long.MAX_VALUE, Long.MAX_VALUE);

    public DeviceModel {
        if (readLatencyNs < 0 || writeLatencyNs < 0) {
            throw new IllegalArgumentException("device model: negative latency " + readLatencyNs + "/" + writeLatencyNs);
        }
        if (readBytesPerSec <= 0 || writeBytesPerSec <= 0) {
            throw new IllegalArgumentException("device model: bandwidth must be positive, got "
                    + readBytesPerSec + "/" + writeBytesPerSec);
        }
    }

    /** Nanoseconds to move {@code bytes} at this device's read or write bandwidth, rounded up. */
    public long transferNs(long bytes, boolean write) {
        if (bytes < 0) {
            throw new IllegalArgumentException("negative transfer of " + bytes + " bytes");
        }
        long bw = write ? writeBytesPerSec : readBytesPerSec;
        long q = bytes / bw;
        long r = bytes % bw;
        // r < bw; r * 1e9 / bw in double is exact enough and deterministic (strict IEEE in Java)
        return Math.addExact(Math.multiplyExact(q, 1_000_000_000L), (long) Math.ceil(r * 1e9 / bw));
    }

    /** The latency of a read or a write. */
    public long latencyNs(boolean write) {
        return write ? writeLatencyNs : readLatencyNs;
    }

    /**
     * This model with the overrides of {@code spec}: comma-separated pairs of
     * {@code latency} (both directions), {@code read_latency}, {@code write_latency} (durations:
     * {@code 100us}, {@code 1.5ms}), {@code bw} (both directions), {@code read_bw}, {@code write_bw}
     * (bytes per second: {@code 500M}, {@code 3G}, {@code 2GiB/s}); later pairs win. Bad input
     * throws IllegalArgumentException naming the key and value.
     */
    public DeviceModel parse(String spec) {
        long rl = readLatencyNs;
        long wl = writeLatencyNs;
        long rb = readBytesPerSec;
        long wb = writeBytesPerSec;
        String what = "device model";
        for (Map.Entry<String, String> p : Units.pairs(what, spec).entrySet()) {
            String k = p.getKey();
            String v = p.getValue();
            switch (k) {
                case "latency" -> rl = wl = Units.durationNs(what, k, v);
                case "read_latency" -> rl = Units.durationNs(what, k, v);
                case "write_latency" -> wl = Units.durationNs(what, k, v);
                case "bw" -> rb = wb = Units.bytesPerSecond(what, k, v);
                case "read_bw" -> rb = Units.bytesPerSecond(what, k, v);
                case "write_bw" -> wb = Units.bytesPerSecond(what, k, v);
                default -> throw new IllegalArgumentException(what + ": unknown key \"" + k
                        + "\" (known: latency, read_latency, write_latency, bw, read_bw, write_bw)");
            }
        }
        return new DeviceModel(rl, wl, rb, wb);
    }

    /** {@link #NVME_SSD} with the overrides of {@code spec}; see {@link #parse}. */
    public static DeviceModel nvme(String spec) {
        return NVME_SSD.parse(spec);
    }
}
