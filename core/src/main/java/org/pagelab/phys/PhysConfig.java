package org.pagelab.phys;

/**
 * The shape of a machine's physical memory.
 *
 * @param memoryBytes          total memory; a positive multiple of 4 KiB, at least 16 MiB
 * @param dma32Bytes           size of the DMA32 zone at the bottom of memory, or 0 for the default
 *                             (1/16 of memory, at least 4 MiB, at most 4 GiB, in 4 MiB steps)
 * @param dataMode             whether frames hold real bytes
 * @param minFreeKbytes        vm.min_free_kbytes, or 0 to compute it as the kernel does at boot
 * @param watermarkScaleFactor vm.watermark_scale_factor (default 10, i.e. 0.1% of memory)
 */
public record PhysConfig(long memoryBytes, long dma32Bytes, boolean dataMode, int minFreeKbytes,
                         int watermarkScaleFactor) {

    /** Smallest machine: 16 MiB. */
    public static final long MIN_MEMORY = 16L << 20;
    /** Largest machine: 2^31 frames (8 TiB), the reach of an int pfn. */
    public static final long MAX_MEMORY = (1L << 31) * MemSize.PAGE_SIZE;

    public PhysConfig {
        checkMemory(memoryBytes);
        if (dma32Bytes < 0 || dma32Bytes % (4L << 20) != 0 || dma32Bytes >= memoryBytes) {
            throw new IllegalArgumentException("DMA32 size " + MemSize.format(dma32Bytes)
                    + " must be a multiple of 4M and smaller than memory " + MemSize.format(memoryBytes));
        }
        if (minFreeKbytes < 0) {
            throw new IllegalArgumentException("min_free_kbytes must not be negative: " + minFreeKbytes);
        }
        if (watermarkScaleFactor < 1 || watermarkScaleFactor > 3000) {
            throw new IllegalArgumentException("watermark_scale_factor must be in 1..3000: " + watermarkScaleFactor);
        }
    }

    /** A machine of {@code memoryBytes} with the kernel's defaults. */
    public static PhysConfig of(long memoryBytes, boolean dataMode) {
        return new PhysConfig(memoryBytes, 0, dataMode, 0, 10);
    }

    /** Number of frames. */
    public int nrFrames() {
        return (int) (memoryBytes / MemSize.PAGE_SIZE);
    }

    /** The DMA32 zone's size in frames, defaults applied. */
    public int dma32Frames() {
        if (dma32Bytes > 0) {
            return (int) (dma32Bytes / MemSize.PAGE_SIZE);
        }
        long chunk = 1024;
        long frames = nrFrames() / 16 / chunk * chunk;
        frames = Math.max(chunk, Math.min(frames, (4L << 30) / MemSize.PAGE_SIZE));
        return (int) frames;
    }

    /**
     * Checks that a machine can have {@code memoryBytes} of memory: a whole number of pages from
     * {@link #MIN_MEMORY} to {@link #MAX_MEMORY}. Throws {@link IllegalArgumentException} saying
     * which bound it misses.
     */
    public static void checkMemory(long memoryBytes) {
        if (memoryBytes % MemSize.PAGE_SIZE != 0) {
            throw new IllegalArgumentException("memory size " + memoryBytes + " bytes is not a multiple of 4K");
        }
        if (memoryBytes < MIN_MEMORY) {
            throw new IllegalArgumentException("memory size " + MemSize.format(memoryBytes) + " is too small, at least "
                    + MemSize.format(MIN_MEMORY));
        }
        if (memoryBytes > MAX_MEMORY) {
            throw new IllegalArgumentException("memory size " + MemSize.format(memoryBytes) + " is too large, at most "
                    + MemSize.format(MAX_MEMORY));
        }
    }
}
