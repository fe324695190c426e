package org.pagelab.trace;

import com.github.luben.zstd.ZstdOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** Builds small trace files for the tests: text, gzip, zstd, oracleGeneral records. */
final class TraceSamples {

    private TraceSamples() {
    }

    static byte[] text(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] gzip(byte[] raw) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (OutputStream o = new GZIPOutputStream(b)) {
            o.write(raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return b.toByteArray();
    }

    static byte[] zstd(byte[] raw) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (OutputStream o = new ZstdOutputStream(b)) {
            o.write(raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return b.toByteArray();
    }

    /** One oracleGeneral record: time, obj_id, obj_size, next_access_vtime, little-endian. */
    static ByteBuffer oracle(ByteBuffer b, int time, long id, int size, long next) {
        return b.order(ByteOrder.LITTLE_ENDIAN).putInt(time).putLong(id).putInt(size).putLong(next);
    }

    static Path write(Path dir, String name, byte[] bytes) {
        try {
            return Files.write(dir.resolve(name), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every access of the trace {@code spec} names, read through the cursor. */
    static List<Access> readAll(String spec) {
        List<Access> out = new ArrayList<>();
        try (TraceReader r = TraceSource.open(spec)) {
            while (r.next()) {
                out.add(r.access());
            }
        }
        return out;
    }
}
