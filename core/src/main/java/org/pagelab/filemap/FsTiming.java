package org.pagelab.filemap;

import org.pagelab.phys.MemSize;

/**
 * Where the file system's work is charged in simulated time: the CPU of the running task and the
 * device under the file system, with the I/O errors injected into that device. Shared by {@link Vfs}, {@link Readahead} and {@link Writeback}.
 * Until a machine installs its own clock ({@link Vfs#setClock}), nothing is counted.
 */
final class FsTiming {
    IoClock clock = IoClock.none();
    IoClock.Device device = new IoClock.Device() { };

    /** Whether the read or write of page {@code index} of {@code file} fails now (an injected I/O error). */
    boolean fails(String file, boolean write, long index) {
        return clock.ioFails(file, write, index);
    }

    void syscall() {
        clock.syscall();
    }

    void cacheLookup() {
        clock.cacheLookups(1);
    }

    /** The CPU cost of copying {@code bytes} between the page cache and the caller. */
    void copy(long bytes) {
        clock.copy(bytes);
    }

    /** A synchronous read of {@code pages} pages; a refault's read counts as a memory stall (PSI). */
    void read(long pages, boolean refault) {
        if (pages == 0) {
            return;
        }
        if (refault) {
            clock.beginRefault();
        }
        clock.io(device, pages * MemSize.PAGE_SIZE, false);
        if (refault) {
            clock.endRefault();
        }
    }

    /** A synchronous write of {@code pages} pages. */
    void write(long pages) {
        clock.io(device, pages * MemSize.PAGE_SIZE, true);
    }
}
