package org.pagelab.swap;

import org.pagelab.phys.FrameContents;

/**
 * A swap area that holds no bytes, for metadata mode: slots are counted and transfers are counted,
 * nothing is stored. Pairing it with frames that hold data would lose the data, so its transfers
 * refuse such frames.
 *
 * @param pages size of the area in pages, header page included
 */
public record SyntheticSwap(long pages) implements SwapBackend {

    /** Requires: {@code pages >= 0}. */
    public SyntheticSwap {
        if (pages < 0) {
            throw new IllegalArgumentException("negative swap size: " + pages);
        }
    }

    @Override
    public boolean writePage(long offset, FrameContents contents, int pfn) {
        requireMetadataMode(contents);
        return true;
    }

    @Override
    public boolean readPage(long offset, FrameContents contents, int pfn) {
        requireMetadataMode(contents);
        return true;
    }

    @Override
    public void release() {
        // nothing backs the area
    }

    private static void requireMetadataMode(FrameContents contents) {
        if (contents.holdsData()) {
            throw new IllegalArgumentException("synthetic swap cannot hold frame data; use a SwapFile in data mode");
        }
    }
}
