package org.pagelab.filemap;

/**
 * Per-open-file readahead state, the kernel's file_ra_state: the current window
 * {@code [start, start + size)} whose last {@code asyncSize} pages, once reached, trigger the next
 * window, the maximum window {@code raPages}, and the position of the previous read.
 */
public final class ReadaheadState {
    /** Default maximum window: 128 KiB (VM_READAHEAD_PAGES). */
    public static final int DEFAULT_RA_PAGES = 32;

    long start;
    long size;
    long asyncSize;
    long prevPos = -1;
    final int raPages;

    ReadaheadState(int raPages) {
        this.raPages = raPages;
    }

    public long start() {
        return start;
    }

    public long size() {
        return size;
    }

    public long asyncSize() {
        return asyncSize;
    }

    public int raPages() {
        return raPages;
    }

    @Override
    public String toString() {
        return "ra[start=" + start + " size=" + size + " async=" + asyncSize + " prev=" + prevPos + "]";
    }
}
