package org.pagelab.filemap;

/** An open file: the inode, the file position and the readahead state (the kernel's struct file). */
public final class OpenFile {
    private final Inode inode;
    private final ReadaheadState ra;
    private long pos;
    private boolean closed;
    /** The file's writeback-error sample (struct file's f_wb_err). */
    long wbErrSample;

    OpenFile(Inode inode, int raPages) {
        this.inode = inode;
        this.ra = new ReadaheadState(raPages);
        this.wbErrSample = inode.sampleWritebackError();
    }

    public Inode inode() {
        return inode;
    }

    public ReadaheadState ra() {
        return ra;
    }

    /** The file position used by read and write. */
    public long pos() {
        return pos;
    }

    void setPos(long pos) {
        this.pos = pos;
    }

    /** Moves the file position to {@code pos} (lseek SEEK_SET). Requires: {@code pos >= 0}. */
    public void seekTo(long pos) {
        if (pos < 0) {
            throw new IllegalArgumentException("negative file position: " + pos);
        }
        this.pos = pos;
    }

    public boolean isClosed() {
        return closed;
    }

    void markClosed() {
        closed = true;
    }
}
