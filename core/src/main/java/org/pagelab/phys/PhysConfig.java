package org.pagelab.phys;

/**
 * The shape of a machine's physical memory.
 *
 * @param memoryBytes          total memory; a positive multiple of 4 KiB, at least 16 MiB
 * @param dma32Bytes           size of the DMA32 zone at the bottom of memory, or 0 for the default
 *                             (1/16 of memory, at least 4 MiB, at most 4 GiB, in 4 MiB steps);
 *                             ignored with {@link ZoneLayout#NORMAL}
 * @param dataMode             whether frames hold real bytes
 * @param minFreeKbytes        vm.min_free_kbytes, or 0 to compute it as the kernel does at boot
 * @param watermarkScaleFactor vm.watermark_scale_factor (default 10, i.e. 0.1% of memory)
 * @param kernelBytes          memory reserved at boot for the kernel (its image and early
 *                             allocations), a multiple of 4 KiB, below the memmap at the top of
 *                             memory: what makes MemTotal that of a real boot ({@link #withMemTotal})
 * @param zoneLayout           the zones memory is split into
 * @param pageblockOrder       log2 of the frames of a pageblock, the unit of anti-fragmentation
 *                             (x86-64's 9, 2 MiB; user-mode Linux, without huge pages, has 10)
 * @param watermarkBoostFactor vm.watermark_boost_factor: how far a fragmenting fallback may boost
 *                             the watermarks, in 1/10000 of the high watermark (default 15000); 0
 *                             disables boosting
 */
public record PhysConfig(long memoryBytes, long dma32Bytes, boolean dataMode, int minFreeKbytes,
                         int watermarkScaleFactor, long kernelBytes, ZoneLayout zoneLayout, int pageblockOrder,
                         int watermarkBoostFactor) {

    /** x86-64's pageblock order: a PMD-sized huge page, 2 MiB. */
    public static final int DEFAULT_PAGEBLOCK_ORDER = 9;
    /** The kernel's default vm.watermark_boost_factor. */
    public static final int DEFAULT_WATERMARK_BOOST_FACTOR = 15000;

    /** A machine with the default pageblock order and watermark boost factor. */
    public PhysConfig(long memoryBytes, long dma32Bytes, boolean dataMode, int minFreeKbytes, int watermarkScaleFactor,
            long kernelBytes, ZoneLayout zoneLayout) {
        this(memoryBytes, dma32Bytes, dataMode, minFreeKbytes, watermarkScaleFactor, kernelBytes, zoneLayout,
                DEFAULT_PAGEBLOCK_ORDER, DEFAULT_WATERMARK_BOOST_FACTOR);
    }

    /** This shape with pageblocks of 2^{@code order} frames and vm.watermark_boost_factor {@code factor}. */
    public PhysConfig withAntiFragmentation(int order, int factor) {
        return new PhysConfig(memoryBytes, dma32Bytes, dataMode, minFreeKbytes, watermarkScaleFactor, kernelBytes,
                zoneLayout, order, factor);
    }

    /** The zones of a machine. */
    public enum ZoneLayout {
        /** A DMA32 zone at the bottom, Normal above it: an x86-64 machine with memory above 4 GiB. */
        DMA32_NORMAL,
        /**
         * One Normal zone holding all memory (the DMA32 zone is empty), as user-mode Linux and
         * architectures without a DMA zone have.
         */
        NORMAL
    }

    /** A machine with the kernel's defaults for the kernel's reservation and zones. */
    public PhysConfig(long memoryBytes, long dma32Bytes, boolean dataMode, int minFreeKbytes, int watermarkScaleFactor) {
        this(memoryBytes, dma32Bytes, dataMode, minFreeKbytes, watermarkScaleFactor, 0, ZoneLayout.DMA32_NORMAL);
    }

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
        if (pageblockOrder < 1 || pageblockOrder > org.pagelab.desc.MemDesc.MAX_ORDER) {
            throw new IllegalArgumentException("pageblock order must be in 1.." + org.pagelab.desc.MemDesc.MAX_ORDER
                    + ": " + pageblockOrder);
        }
        if (watermarkBoostFactor < 0 || watermarkBoostFactor > 1_000_000) {
            throw new IllegalArgumentException("watermark_boost_factor must be in 0..1000000: " + watermarkBoostFactor);
        }
        if (zoneLayout == null) {
            throw new IllegalArgumentException("no zone layout");
        }
        if (kernelBytes < 0 || kernelBytes % MemSize.PAGE_SIZE != 0) {
            throw new IllegalArgumentException("kernel reservation " + kernelBytes + " bytes is not a multiple of 4K");
        }
        long frames = memoryBytes / MemSize.PAGE_SIZE;
        long low = zoneLayout == ZoneLayout.NORMAL ? 0 : dma32FramesOf(memoryBytes, dma32Bytes);
        if (kernelBytes / MemSize.PAGE_SIZE + memmapFramesOf(frames) > frames - Math.max(low, FIRST_FREE_FRAME)) {
            throw new IllegalArgumentException("kernel reservation " + MemSize.format(kernelBytes)
                    + " does not fit in the Normal zone of a " + MemSize.format(memoryBytes) + " machine");
        }
    }

    /** Frames x86 reserves at the bottom of memory (the first 1 MiB) plus the zero page after them. */
    private static final int FIRST_FREE_FRAME = PageAllocator.FIRMWARE_FRAMES + 1;

    private static long memmapFramesOf(long frames) {
        return (frames * PageAllocator.STRUCT_PAGE_BYTES + MemSize.PAGE_SIZE - 1) / MemSize.PAGE_SIZE;
    }

    /** Frames of the memmap: 64 bytes (a struct page) per frame, reserved at the top of memory. */
    public int memmapFrames() {
        return (int) memmapFramesOf(nrFrames());
    }

    /** MemTotal of this shape: the frames the buddy allocator manages, in bytes. */
    public long managedBytes() {
        return (nrFrames() - FIRST_FREE_FRAME - memmapFrames() - kernelBytes / MemSize.PAGE_SIZE) * MemSize.PAGE_SIZE;
    }

    /**
     * This shape with the kernel reservation that makes MemTotal exactly {@code memTotalBytes},
     * as a real boot reported it. Throws {@link IllegalArgumentException} when memory is too small
     * for that MemTotal.
     */
    public PhysConfig withMemTotal(long memTotalBytes) {
        if (memTotalBytes <= 0 || memTotalBytes % MemSize.PAGE_SIZE != 0) {
            throw new IllegalArgumentException("MemTotal " + memTotalBytes + " bytes is not a positive multiple of 4K");
        }
        PhysConfig none = new PhysConfig(memoryBytes, dma32Bytes, dataMode, minFreeKbytes, watermarkScaleFactor, 0,
                zoneLayout, pageblockOrder, watermarkBoostFactor);
        long kernel = none.managedBytes() - memTotalBytes;
        if (kernel < 0) {
            throw new IllegalArgumentException("MemTotal " + MemSize.format(memTotalBytes) + " is more than a "
                    + MemSize.format(memoryBytes) + " machine can manage (" + MemSize.format(none.managedBytes()) + ")");
        }
        return new PhysConfig(memoryBytes, dma32Bytes, dataMode, minFreeKbytes, watermarkScaleFactor, kernel, zoneLayout,
                pageblockOrder, watermarkBoostFactor);
    }

    /** The smallest memory, in 4 MiB steps, whose shape can have MemTotal {@code memTotalBytes}. */
    public static long memoryForMemTotal(long memTotalBytes, ZoneLayout zoneLayout) {
        long step = 4L << 20;
        long memory = Math.max(MIN_MEMORY, (memTotalBytes + step - 1) / step * step);
        while (memory <= MAX_MEMORY) {
            PhysConfig c = new PhysConfig(memory, 0, false, 0, 10, 0, zoneLayout);
            if (c.managedBytes() >= memTotalBytes) {
                return memory;
            }
            memory += step;
        }
        throw new IllegalArgumentException("MemTotal " + MemSize.format(memTotalBytes) + " is beyond the largest machine");
    }

    /** A machine of {@code memoryBytes} with the kernel's defaults. */
    public static PhysConfig of(long memoryBytes, boolean dataMode) {
        return new PhysConfig(memoryBytes, 0, dataMode, 0, 10);
    }

    /** Number of frames. */
    public int nrFrames() {
        return (int) (memoryBytes / MemSize.PAGE_SIZE);
    }

    /** The DMA32 zone's size in frames, defaults applied; 0 with {@link ZoneLayout#NORMAL}. */
    public int dma32Frames() {
        return zoneLayout == ZoneLayout.NORMAL ? 0 : (int) dma32FramesOf(memoryBytes, dma32Bytes);
    }

    private static long dma32FramesOf(long memoryBytes, long dma32Bytes) {
        if (dma32Bytes > 0) {
            return dma32Bytes / MemSize.PAGE_SIZE;
        }
        long chunk = 1024;
        long frames = memoryBytes / MemSize.PAGE_SIZE / 16 / chunk * chunk;
        return Math.max(chunk, Math.min(frames, (4L << 30) / MemSize.PAGE_SIZE));
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
