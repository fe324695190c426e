package org.pagelab.phys;

import java.lang.foreign.MemorySegment;

/**
 * What the frames hold: real bytes in data mode ({@link DataFrames}), nothing in metadata mode
 * ({@link NoFrames}). Every path that moves data calls these operations unconditionally; in
 * metadata mode they cost nothing, so both modes run the same code.
 *
 * <p>Addresses are physical byte addresses: {@code pfn * 4096 + offset}.
 */
public sealed interface FrameContents extends AutoCloseable permits DataFrames, NoFrames {

    /** Whether frames hold bytes (data mode). */
    boolean holdsData();

    /** Fills frames {@code [pfn, pfn + nr)} with zeros. */
    void zero(int pfn, int nr);

    /** Copies frames {@code [src, src + nr)} onto {@code [dst, dst + nr)}. */
    void copy(int srcPfn, int dstPfn, int nr);

    /** Copies {@code len} bytes at physical address {@code phys} into {@code dst[off..]}. */
    void read(long phys, byte[] dst, int off, int len);

    /** Copies {@code src[off..off+len)} to physical address {@code phys}. */
    void write(long phys, byte[] src, int off, int len);

    /**
     * The bytes of frames {@code [pfn, pfn + nr)} as a segment, for device I/O in data mode.
     * Requires: {@link #holdsData()}; the frames lie in one naturally aligned block of at most
     * 2^10 frames.
     */
    MemorySegment frames(int pfn, int nr);

    /** Releases the off-heap memory. */
    @Override
    void close();
}
