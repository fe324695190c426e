package org.pagelab.filemap;

import org.pagelab.phys.FrameContents;

/**
 * Where a file's bytes live below the page cache: a real host file in data mode
 * ({@link HostFileStore}), nothing but a size in metadata mode ({@link SyntheticStore}).
 * Transfers are whole pages between the store and frames; bytes past the end of the store read as
 * zero, and writes never extend the store beyond the file size given.
 */
public sealed interface BackingStore extends AutoCloseable permits HostFileStore, SyntheticStore {

    /**
     * Reads pages {@code [index, index + nr)} into frames {@code [pfn, pfn + nr)}; returns false on an
     * I/O error.
     */
    boolean readPages(long index, int nr, FrameContents contents, int pfn);

    /**
     * Writes frames {@code [pfn, pfn + nr)} to pages {@code [index, index + nr)}, stopping at byte
     * {@code fileSize}; returns false on an I/O error.
     */
    boolean writePages(long index, int nr, FrameContents contents, int pfn, long fileSize);

    /** Sets the store's length to {@code size} bytes; returns false on an I/O error. */
    boolean setLength(long size);

    /** Makes written pages durable (fsync of the host file); returns false on an I/O error. */
    boolean force();

    /** Length of the store in bytes when it was opened. */
    long initialLength();

    /** Removes the store (unlink of a host file); returns false on an I/O error. */
    boolean delete();

    @Override
    void close();
}
