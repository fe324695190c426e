package org.pagelab.filemap;

import org.pagelab.phys.FrameContents;

/** A file that exists only as a size: metadata mode, where frames hold no bytes either. */
public final class SyntheticStore implements BackingStore {
    private final long initialLength;

    public SyntheticStore(long initialLength) {
        if (initialLength < 0) {
            throw new IllegalArgumentException("negative file size: " + initialLength);
        }
        this.initialLength = initialLength;
    }

    @Override
    public boolean readPages(long index, int nr, FrameContents contents, int pfn) {
        contents.zero(pfn, nr);
        return true;
    }

    @Override
    public boolean writePages(long index, int nr, FrameContents contents, int pfn, long fileSize) {
        return true;
    }

    @Override
    public boolean setLength(long size) {
        return true;
    }

    @Override
    public boolean force() {
        return true;
    }

    @Override
    public long initialLength() {
        return initialLength;
    }

    @Override
    public boolean delete() {
        return true;
    }

    @Override
    public void close() {
    }
}
