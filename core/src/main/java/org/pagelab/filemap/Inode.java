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
    private final AddressSpace mapping;
    private final BackingStore store;
    private SlabObject inodeObject;
    private SlabObject dentryObject;
    private long size;
    private int openCount;
    private boolean unlinked;
    private boolean writebackError;

    Inode(long ino, String name, AddressSpace mapping, BackingStore store, long size,
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

    /** The page cache. */
    public AddressSpace mapping() {
        return mapping;
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

    /** Whether a writeback error is pending for the next fsync (the kernel's wb_err). */
    public boolean writebackError() {
        return writebackError;
    }

    /** Records a writeback error (mapping_set_error) to be reported by the next fsync. */
    public void setWritebackError() {
        writebackError = true;
    }

    /** Reports and clears the pending writeback error (file_check_and_advance_wb_err). */
    boolean takeWritebackError() {
        boolean e = writebackError;
        writebackError = false;
        return e;
    }

    @Override
    public String toString() {
        return "inode " + ino + " '" + name + "' size=" + size + " nrpages=" + mapping.nrpages();
    }
}
