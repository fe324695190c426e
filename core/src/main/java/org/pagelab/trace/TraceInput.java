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
        NONE, GZIP, ZSTD;

        /** The name used in error messages. */
        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private static final int BUFFER = 1 << 16;

    /** The decompressed stream; reads of it may throw IOException for corrupt or cut input. */
    final InputStream in;
    final Compression compression;

    private TraceInput(InputStream in, Compression compression) {
        this.in = in;
        this.compression = compression;
    }

    /**
     * Opens {@code path}, looking at its magic bytes: {@code 1f 8b} is gzip, {@code 28 b5 2f fd}
     * is zstd, anything else is read as it is.
     *
     * @param name the spec that named the file, for messages
     */
    static TraceInput open(Path path, String name) {
        InputStream raw;
        try {
            raw = new BufferedInputStream(Files.newInputStream(path), BUFFER);
        } catch (NoSuchFileException e) {
            throw TraceException.of(name, "no such file");
        } catch (IOException e) {
            throw TraceException.of(name, "cannot open: " + e.getMessage(), e);
        }
        try {
            raw.mark(4);
            byte[] magic = raw.readNBytes(4);
            raw.reset();
            if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
                return new TraceInput(new GZIPInputStream(raw, BUFFER), Compression.GZIP);
            }
            if (magic.length == 4 && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5
                    && (magic[2] & 0xff) == 0x2f && (magic[3] & 0xff) == 0xfd) {
                return new TraceInput(new BufferedInputStream(new ZstdInputStream(raw), BUFFER),
                        Compression.ZSTD);
            }
            return new TraceInput(raw, Compression.NONE);
        } catch (IOException e) {
            closeQuietly(raw);
            throw TraceException.of(name, "cannot read the header: " + e.getMessage(), e);
        }
    }

    /** The problem to report when a read of {@link #in} threw {@code e}. */
    String readProblem(IOException e) {
        return compression == Compression.NONE
                ? "read error: " + e.getMessage()
                : "truncated or corrupt " + compression.label() + " stream: " + e.getMessage();
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
