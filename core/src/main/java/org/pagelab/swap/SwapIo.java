package org.pagelab.swap;

import org.pagelab.filemap.IoClock;

/**
 * Where swap I/O is timed and where it fails: the clock of the machine (shared with the page
 * cache's writeback), one device per swap area, and the I/O errors injected into swap areas. The
 * machine implements it over its simulator, its swap device model and its injected errors.
 */
public interface SwapIo {
    /** The clock reads and writes of swap are charged to. */
    IoClock clock();

    /** The device of swap area {@code type}, which swapon names {@code name}. */
    IoClock.Device device(int type, String name);

    /** Whether the read or write of slot {@code offset} of swap area {@code type} fails now (an injected error). */
    boolean fails(int type, boolean write, long offset);
}
