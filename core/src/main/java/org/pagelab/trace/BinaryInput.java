package org.pagelab.trace;

import java.io.IOException;

/**
 * A buffered byte cursor over a decompressed trace stream that knows its offset, for the binary
 * readers. End of input is a value ({@link #atEnd()}); a decompressor failure is a
 * {@link TraceException} at the offset where it happened.
 */
final class BinaryInput {

    private final TraceInput input;
    private final String file;
    final byte[] buf = new byte[1 << 16];
    int pos;
    int limit;
    private long base;

    BinaryInput(TraceInput input, String file) {
        this.input = input;
        this.file = file;
    }

    /** The offset of the next unread byte. */
    long offset() {
        return base + pos;
    }

    /** Whether every byte has been read; refills the buffer when it is empty. */
    boolean atEnd() {
        return pos == limit && !fill();
    }

    /** Ensures at least {@code n <= buf.length} unread bytes; false if the input ends first. */
    boolean ensure(int n) {
        while (limit - pos < n) {
            if (!fill()) {
                return false;
            }
        }
        return true;
    }

    /** Reads more input behind what is unread; false at the end of the input. */
    private boolean fill() {
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            base += pos;
            limit -= pos;
            pos = 0;
        }
        try {
            int n = input.in.read(buf, limit, buf.length - limit);
            if (n <= 0) {
                return false;
            }
            limit += n;
            return true;
        } catch (IOException e) {
            throw TraceException.atByte(file, base + limit, input.readProblem(e), e);
        }
    }

    /** The next byte, 0..255. Requires: {@code ensure(1)} or {@code !atEnd()}. */
    int u8() {
        return buf[pos++] & 0xff;
    }

    /** A little-endian 16-bit word as an unsigned value. Requires: 2 bytes ensured. */
    int u16le() {
        int v = (buf[pos] & 0xff) | (buf[pos + 1] & 0xff) << 8;
        pos += 2;
        return v;
    }

    /** The little-endian 16-bit word {@code at} bytes past the next unread one, not consumed. Requires: ensured. */
    int peekU16le(int at) {
        return (buf[pos + at] & 0xff) | (buf[pos + at + 1] & 0xff) << 8;
    }

    /** Skips {@code n} bytes. Requires: {@code n} bytes ensured. */
    void skip(int n) {
        pos += n;
    }

    /** A little-endian 32-bit word as an unsigned value. Requires: 4 bytes ensured. */
    long u32le() {
        long v = (buf[pos] & 0xffL) | (buf[pos + 1] & 0xffL) << 8 | (buf[pos + 2] & 0xffL) << 16
                | (buf[pos + 3] & 0xffL) << 24;
        pos += 4;
        return v;
    }

    /** A little-endian 64-bit word. Requires: 8 bytes ensured. */
    long u64le() {
        long lo = u32le();
        long hi = u32le();
        return lo | hi << 32;
    }

    /** The bytes unread before the end when {@link #ensure} failed. */
    int remaining() {
        return limit - pos;
    }

    void close() {
        input.close();
    }

    /** The share of the file read so far; see {@link TraceReader#fractionRead()}. */
    double fractionRead() {
        return input.fractionRead();
    }
}
