package org.pagelab.filemap;

import org.pagelab.desc.SwapEntry;

/**
 * How a shmem file reaches swap: while one of its pages is swapped out, the file's cache index
 * holds the page's {@link SwapEntry} in its slot. The swap
 * subsystem installs the implementation.
 */
public interface ShmemSwap {
    /** No swap: shmem pages never leave their file. */
    ShmemSwap NONE = new ShmemSwap() {
        @Override
        public FaultResult swapIn(ShmemCache shm, long index, SwapEntry entry) {
            throw new IllegalStateException("shmem slot " + index + " holds a swap entry but there is no swap");
        }

        @Override
        public void free(SwapEntry entry) {
            throw new IllegalStateException("shmem swap entry freed but there is no swap");
        }
    };

    /**
     * shmem_swapin_folio: brings the page of swap entry {@code entry} back into slot {@code index}
     * of {@code shm}: its folio, major when it had to be read from the device; ENOMEM when memory
     * cannot be had, EIO when the read failed.
     */
    FaultResult swapIn(ShmemCache shm, long index, SwapEntry entry);

    /** Drops the file's reference to swap entry {@code entry} (truncation or eviction of the file). */
    void free(SwapEntry entry);
}
