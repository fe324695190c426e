package org.pagelab.filemap;

import org.pagelab.slab.SlabObject;

/**
 * A file: its name, size, page cache and backing store, the kernel's inode with its
 * address_space. The inode and its dentry are slab objects while the inode is in memory
 * ({@link #inCore}); drop_caches can free them from a file no one holds, and the next open
 * allocates them again.
 *
 * <p>Invariant: no folio in the page cache lies wholly beyond {@code size} (truncation removes
 * them), and the bytes of the last partial page beyond {@code size} read as zero.
 */
public final class Inode {
    private final long ino;
    private final String name;
    private final FileCache<?> mapping;
    private final BackingStore store;
    private SlabObject inodeObject;
    private SlabObject dentryObject;
    private long size;
    private int openCount;
    private boolean unlinked;
    /** Writeback errors recorded (the counter of the kernel's errseq_t mapping->wb_err). */
    private long wbErrors;
    /** Whether an fsync has reported the latest error (errseq's SEEN flag). */
    private boolean wbErrSeen;

    Inode(long ino, String name, FileCache<?> mapping, BackingStore store, long size,
          SlabObject inodeObject, SlabObject dentryObject) {
        this.ino = ino;
        this.name = name;
        this.mapping = mapping;
        this.store = store;
        this.size = size;
        this.inodeObject = inodeObject;
        this.dentryObject = dentryObject;
        mapping.setHost(this);
    }

    /** Inode number, unique per machine. */
    public long ino() {
        return ino;
    }

    /** The file's name, relative to the file system's root. */
    public String name() {
        return name;
    }

    /** The file's cache: a {@link PageCache}, or a {@link ShmemCache} for a shmem or tmpfs file. */
    public FileCache<?> mapping() {
        return mapping;
    }

    /**
     * The page cache, for the paths only a file with a store takes (readahead, writeback, write_begin
     * past its shmem branch); reaching one with a shmem file is a bug.
     */
    PageCache pageCache() {
        return switch (mapping) {
            case PageCache pc -> pc;
            case ShmemCache shm -> throw new IllegalStateException("page-cache path taken for shmem file " + name);
        };
    }

    public BackingStore store() {
        return store;
    }

    /** File size in bytes (i_size). */
    public long size() {
        return size;
    }

    void setSize(long size) {
        this.size = size;
    }

    public int openCount() {
        return openCount;
    }

    void opened() {
        openCount++;
    }

    void closed() {
        openCount--;
    }

    public boolean unlinked() {
        return unlinked;
    }

    void markUnlinked() {
        unlinked = true;
    }

    SlabObject inodeObject() {
        return inodeObject;
    }

    SlabObject dentryObject() {
        return dentryObject;
    }

    /**
     * Whether the inode and its dentry are in memory (slab objects held). A named file whose
     * objects the slab shrinkers freed (drop_caches 2) stays on its store and is read back in by
     * the next open.
     */
    public boolean inCore() {
        return inodeObject != null;
    }

    /** Takes the inode out of memory: its slab objects go to the caller to free. */
    SlabObject[] dropObjects() {
        SlabObject[] out = {inodeObject, dentryObject};
        inodeObject = null;
        dentryObject = null;
        return out;
    }

    /** Brings the inode back into memory with new slab objects (iget after the inode was evicted). */
    void setObjects(SlabObject inodeObject, SlabObject dentryObject) {
        if (this.inodeObject != null) {
            throw new IllegalStateException("inode already in memory: " + this);
        }
        this.inodeObject = inodeObject;
        this.dentryObject = dentryObject;
    }

    /** Whether a writeback error was recorded that no fsync has reported yet. */
    public boolean writebackError() {
        return wbErrors > 0 && !wbErrSeen;
    }

    /**
     * Records a writeback error (mapping_set_error): the file's errseq moves on, so fsync reports
     * it once to each opener that has not seen it (and to the next opener, as nobody has yet).
     */
    public void setWritebackError() {
        wbErrors++;
        wbErrSeen = false;
    }

    /**
     * errseq_sample at open: the point an opener's fsync reports errors after. An error nobody has
     * seen yet is before it, so the new opener reports it too.
     */
    long sampleWritebackError() {
        return wbErrSeen ? wbErrors : 0;
    }

    /**
     * file_check_and_advance_wb_err for {@code f}: whether an error was recorded since its sample,
     * which then moves to now; a reported error is seen.
     */
    boolean checkAndAdvanceWritebackError(OpenFile f) {
        if (f.wbErrSample == wbErrors) {
            return false;
        }
        f.wbErrSample = wbErrors;
        wbErrSeen = true;
        return true;
    }

    /** Reports an error no fsync has reported, and marks it seen (syncfs at unmount). */
    boolean takeWritebackError() {
        boolean e = writebackError();
        wbErrSeen = true;
        return e;
    }

    @Override
    public String toString() {
        return "inode " + ino + " '" + name + "' size=" + size + " nrpages=" + mapping.nrpages();
    }
}
