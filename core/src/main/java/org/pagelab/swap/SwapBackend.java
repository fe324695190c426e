package org.pagelab.swap;

import org.pagelab.phys.FrameContents;

/**
 * Where a swap device's pages live: a real host file in data mode ({@link SwapFile}) or nothing
 * in metadata mode ({@link SyntheticSwap}). Slot {@code offset} is the page at byte
 * {@code offset * PAGE_SIZE} of the area; slot 0 is the header page.
 */
public sealed interface SwapBackend permits SwapFile, SyntheticSwap {

    /** Size of the area in pages, header page included (the kernel's si->max). */
    long pages();

    /**
     * Writes frame {@code pfn} to slot {@code offset}. Returns false when the host failed (an
     * I/O error, the kernel's -EIO). Requires: {@code 0 < offset < pages()}.
     */
    boolean writePage(long offset, FrameContents contents, int pfn);

    /**
     * Reads slot {@code offset} into frame {@code pfn}. Returns false when the host failed.
     * Requires: {@code 0 < offset < pages()}.
     */
    boolean readPage(long offset, FrameContents contents, int pfn);

    /** Releases what backs the area; called once, at swapoff. */
    void release();
}
