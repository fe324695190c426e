package org.pagelab.desc;

/**
 * The owner of a folio's cache state: an address space (a file's page cache, a swap device's swap
 * cache, a shmem inode). A folio in a cache has {@code mapping != null} and sits in that mapping's
 * index at {@link Folio#index()}.
 */
public interface FolioMapping {
    /** A short description for dumps: "file /data/a", "swap 0". */
    String describeMapping();
}
