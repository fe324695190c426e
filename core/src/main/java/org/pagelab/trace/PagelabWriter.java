package org.pagelab.trace;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * Writes accesses in pagelab's compact binary trace format (see the package documentation).
 * {@link #close()} writes the end record, without which a reader reports the trace cut short.
 */
public final class PagelabWriter implements AutoCloseable {

    private final OutputStream out;
    private final byte[] buf = new byte[1 << 16];
    private int pos;
    private final long[] prevKey = new long[2];
    private int prevPid;
    private long count;
    private boolean closed;

    /** Starts a trace on {@code out} by writing the header; {@link #close()} closes {@code out}. */
    public PagelabWriter(OutputStream out) {
        this.out = out;
        System.arraycopy(PagelabFormat.MAGIC, 0, buf, 0, PagelabFormat.MAGIC.length);
        buf[PagelabFormat.MAGIC.length] = (byte) PagelabFormat.VERSION;
        buf[PagelabFormat.MAGIC.length + 1] = 0;
        pos = PagelabFormat.HEADER;
    }

    /** Appends one access. Requires: {@code pid >= 0}, not closed. */
    public void write(Access.Kind kind, long key, boolean write, int pid) {
        if (closed) {
            throw new IllegalStateException("pagelab trace writer is closed");
        }
        if (pid < 0) {
            throw new IllegalArgumentException("negative pid " + pid);
        }
        if (buf.length - pos < PagelabFormat.MAX_RECORD) {
            flushBuffer();
        }
        int k = kind == Access.Kind.BLOCK ? 1 : 0;
        int tag = (write ? PagelabFormat.TAG_WRITE : 0) | (k == 1 ? PagelabFormat.TAG_BLOCK : 0);
        if (pid != prevPid) {
            tag |= PagelabFormat.TAG_PID;
        }
        buf[pos++] = (byte) tag;
        if (pid != prevPid) {
            putVarint(pid);
            prevPid = pid;
        }
        putVarint(PagelabFormat.zigzag(key - prevKey[k]));
        prevKey[k] = key;
        count++;
    }

    /** Appends {@code a}. */
    public void write(Access a) {
        write(a.kind(), a.key(), a.write(), a.pid());
    }

    /** How many accesses have been written. */
    public long count() {
        return count;
    }

    private void putVarint(long v) {
        while ((v & ~0x7fL) != 0) {
            buf[pos++] = (byte) (v | 0x80);
            v >>>= 7;
        }
        buf[pos++] = (byte) v;
    }

    private void flushBuffer() {
        try {
            out.write(buf, 0, pos);
            pos = 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the end record with the count, flushes and closes the stream; idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (buf.length - pos < 1 + PagelabFormat.MAX_VARINT) {
            flushBuffer();
        }
        buf[pos++] = (byte) PagelabFormat.TAG_END;
        putVarint(count);
        flushBuffer();
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
