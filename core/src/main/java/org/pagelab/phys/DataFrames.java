package org.pagelab.phys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Data mode: frame bytes live off-heap in chunks of 2^14 frames (64 MiB), each allocated the
 * first time one of its frames is written, so a large machine costs host memory only for what it
 * touches. A chunk never read or written reads as zeros. Chunks are aligned to the largest buddy
 * block, so a block never straddles two.
 */
public final class DataFrames implements FrameContents {
    static final int CHUNK_SHIFT = 14;
    private static final int CHUNK_FRAMES = 1 << CHUNK_SHIFT;
    private static final long CHUNK_BYTES = (long) CHUNK_FRAMES << MemSize.PAGE_SHIFT;

    static {
        if (CHUNK_SHIFT < org.pagelab.desc.MemDesc.MAX_ORDER) {
            throw new ExceptionInInitializerError("data chunks smaller than the largest buddy block");
        }
    }

    private final Arena arena = Arena.ofShared();
    private final MemorySegment[] chunks;
    private final int nrFrames;

    /** Contents for {@code nrFrames} frames. */
    public DataFrames(int nrFrames) {
        this.nrFrames = nrFrames;
        this.chunks = new MemorySegment[(nrFrames + CHUNK_FRAMES - 1) >>> CHUNK_SHIFT];
    }

    @Override
    public boolean holdsData() {
        return true;
    }

    private MemorySegment chunkForWrite(int pfn) {
        int c = pfn >>> CHUNK_SHIFT;
        MemorySegment s = chunks[c];
        if (s == null) {
            long frames = Math.min(CHUNK_FRAMES, nrFrames - ((long) c << CHUNK_SHIFT));
            try {
                s = arena.allocate(frames << MemSize.PAGE_SHIFT, MemSize.PAGE_SIZE);
            } catch (OutOfMemoryError e) {
                throw new IllegalStateException("data mode: the host has no memory for another "
                        + (CHUNK_BYTES >> 20) + " MiB of frame contents; use metadata mode for a machine this large", e);
            }
            chunks[c] = s;
        }
        return s;
    }

    private static long offsetInChunk(long phys) {
        return phys & (CHUNK_BYTES - 1);
    }

    @Override
    public void zero(int pfn, int nr) {
        MemorySegment s = chunks[pfn >>> CHUNK_SHIFT];
        if (s == null) {
            return;
        }
        s.asSlice(offsetInChunk((long) pfn << MemSize.PAGE_SHIFT), (long) nr << MemSize.PAGE_SHIFT).fill((byte) 0);
    }

    @Override
    public void copy(int srcPfn, int dstPfn, int nr) {
        MemorySegment src = chunks[srcPfn >>> CHUNK_SHIFT];
        long bytes = (long) nr << MemSize.PAGE_SHIFT;
        if (src == null) {
            zero(dstPfn, nr);
            return;
        }
        MemorySegment dst = chunkForWrite(dstPfn);
        MemorySegment.copy(src, offsetInChunk((long) srcPfn << MemSize.PAGE_SHIFT),
                dst, offsetInChunk((long) dstPfn << MemSize.PAGE_SHIFT), bytes);
    }

    @Override
    public void read(long phys, byte[] dst, int off, int len) {
        MemorySegment s = chunks[(int) (phys >>> (MemSize.PAGE_SHIFT + CHUNK_SHIFT))];
        if (s == null) {
            java.util.Arrays.fill(dst, off, off + len, (byte) 0);
            return;
        }
        MemorySegment.copy(s, ValueLayout.JAVA_BYTE, offsetInChunk(phys), dst, off, len);
    }

    @Override
    public void write(long phys, byte[] src, int off, int len) {
        MemorySegment s = chunkForWrite((int) (phys >>> MemSize.PAGE_SHIFT));
        MemorySegment.copy(src, off, s, ValueLayout.JAVA_BYTE, offsetInChunk(phys), len);
    }

    @Override
    public MemorySegment frames(int pfn, int nr) {
        MemorySegment s = chunkForWrite(pfn);
        return s.asSlice(offsetInChunk((long) pfn << MemSize.PAGE_SHIFT), (long) nr << MemSize.PAGE_SHIFT);
    }

    /** Host bytes allocated for frame contents so far. */
    public long hostBytes() {
        long n = 0;
        for (MemorySegment s : chunks) {
            if (s != null) {
                n += s.byteSize();
            }
        }
        return n;
    }

    @Override
    public void close() {
        arena.close();
    }
}
