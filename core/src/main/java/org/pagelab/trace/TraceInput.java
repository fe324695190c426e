package org.pagelab.trace;

import com.github.luben.zstd.ZstdInputStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Opens a trace file as a decompressed byte stream, choosing the decompressor by the file's
 * first bytes, never by its name.
 */
final class TraceInput {

    /** How a file is compressed. */
    enum Compression {
        NONE, GZIP, ZSTD, XZ;

        /** The name used in error messages. */
        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private static final int BUFFER = 1 << 16;
    private static final byte[] XZ_MAGIC = {(byte) 0xfd, '7', 'z', 'X', 'Z', 0};

    /** The decompressed stream; reads of it may throw IOException for corrupt or cut input. */
    final InputStream in;
    final Compression compression;

    private Counting counter;
    private long fileSize = -1;

    private TraceInput(InputStream in, Compression compression) {
        this.in = in;
        this.compression = compression;
    }

    /** Counts the bytes taken from the file, compressed or not, for progress reports. */
    private static final class Counting extends java.io.FilterInputStream {
        long count;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long k = super.skip(n);
            count += Math.max(0, k);
            return k;
        }
    }

    /** The share of the file read so far, 0..1, or -1 when the size is unknown. */
    double fractionRead() {
        if (counter == null || fileSize <= 0) {
            return -1;
        }
        return Math.min(1.0, counter.count / (double) fileSize);
    }

    /**
     * Opens {@code path}, looking at its magic bytes: {@code 1f 8b} is gzip, {@code 28 b5 2f fd}
     * is zstd, {@code fd 37 7a 58 5a 00} is xz, anything else is read as it is.
     *
     * @param name the spec that named the file, for messages
     */
    static TraceInput open(Path path, String name) {
        InputStream raw;
        Counting counting;
        long size;
        if (Files.isDirectory(path)) {
            throw TraceException.of(name, "cannot open: it is a directory");
        }
        try {
            counting = new Counting(Files.newInputStream(path));
            size = Files.size(path);
            raw = new BufferedInputStream(counting, BUFFER);
        } catch (NoSuchFileException e) {
            throw TraceException.of(name, "no such file");
        } catch (IOException e) {
            throw TraceException.of(name, "cannot open: " + org.pagelab.input.IoReason.of(e), e);
        }
        try {
            raw.mark(XZ_MAGIC.length);
            byte[] magic = raw.readNBytes(XZ_MAGIC.length);
            raw.reset();
            TraceInput t;
            if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
                t = new TraceInput(new GZIPInputStream(raw, BUFFER), Compression.GZIP);
            } else if (magic.length >= 4 && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5
                    && (magic[2] & 0xff) == 0x2f && (magic[3] & 0xff) == 0xfd) {
                t = new TraceInput(new BufferedInputStream(new ZstdInputStream(raw), BUFFER), Compression.ZSTD);
            } else if (java.util.Arrays.equals(magic, XZ_MAGIC)) {
                t = new TraceInput(new BufferedInputStream(new org.tukaani.xz.XZInputStream(raw), BUFFER), Compression.XZ);
            } else {
                t = new TraceInput(raw, Compression.NONE);
            }
            t.counter = counting;
            t.fileSize = size;
            return t;
        } catch (IOException e) {
            closeQuietly(raw);
            throw TraceException.of(name, "cannot read the header: " + org.pagelab.input.IoReason.of(e), e);
        }
    }

    /** The problem to report when a read of {@link #in} threw {@code e}. */
    String readProblem(IOException e) {
        return compression == Compression.NONE
                ? "read error: " + org.pagelab.input.IoReason.of(e)
                : "truncated or corrupt " + compression.label() + " stream: " + org.pagelab.input.IoReason.of(e);
    }

    void close() {
        closeQuietly(in);
    }

    private static void closeQuietly(InputStream s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // a read-only trace has nothing to lose on close
        }
    }
}
