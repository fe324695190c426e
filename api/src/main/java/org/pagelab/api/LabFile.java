package org.pagelab.api;

import org.pagelab.filemap.OpenFile;

/**
 * A file of a {@link Lab}'s file system, created by {@link Lab#createFile} and open until the lab
 * closes. Processes read, write, map and fsync it ({@link Proc#pread}, {@link Proc#pwrite},
 * {@link Proc#mmapFile}, {@link Proc#fsync}); in data mode its bytes are a real file in the lab's
 * working directory.
 */
public final class LabFile {
    private final Lab lab;
    private final String name;
    private final OpenFile handle;

    LabFile(Lab lab, String name, OpenFile handle) {
        this.lab = lab;
        this.name = name;
        this.handle = handle;
    }

    /**
     * The file's name, relative to the root of the machine's file system.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * The file's size in bytes, as stat(2) reports it now.
     *
     * @return the size in bytes
     */
    public long size() {
        return handle.inode().size();
    }

    OpenFile handle() {
        if (handle.isClosed()) {
            throw new IllegalStateException("file '" + name + "' is closed");
        }
        return handle;
    }

    void closeQuietly() {
        if (!handle.isClosed()) {
            lab.machine().vfs().close(handle);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
