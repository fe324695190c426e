package org.pagelab.phys;

import java.lang.foreign.MemorySegment;

/** Metadata mode: frames hold no bytes; data operations are no-ops and byte access is refused. */
public final class NoFrames implements FrameContents {
    @Override
    public boolean holdsData() {
        return false;
    }

    @Override
    public void zero(int pfn, int nr) {
    }

    @Override
    public void copy(int srcPfn, int dstPfn, int nr) {
    }

    @Override
    public void read(long phys, byte[] dst, int off, int len) {
        throw new IllegalStateException("metadata mode: frames hold no bytes to read");
    }

    @Override
    public void write(long phys, byte[] src, int off, int len) {
        throw new IllegalStateException("metadata mode: frames hold no bytes to write");
    }

    @Override
    public MemorySegment frames(int pfn, int nr) {
        throw new IllegalStateException("metadata mode: frames hold no bytes");
    }

    @Override
    public void close() {
    }
}
