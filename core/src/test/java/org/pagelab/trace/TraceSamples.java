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

    /** An lcs header of {@code version}: magic, version, a zeroed statistics block, end magic. */
    static ByteBuffer lcsHeader(ByteBuffer b, int version) {
        b.order(ByteOrder.LITTLE_ENDIAN).putLong(LcsReader.MAGIC).putLong(version);
        b.position(b.position() + LcsReader.HEADER - 24);
        return b.putLong(LcsReader.MAGIC);
    }

    /** One lcs v2 record: time, obj_id, obj_size, op (libCacheSim's code) and tenant, next access. */
    static ByteBuffer lcsV2(ByteBuffer b, int time, long id, int size, int op, long next) {
        return b.order(ByteOrder.LITTLE_ENDIAN).putInt(time).putLong(id).putInt(size).putInt(op | 5 << 8).putLong(next);
    }

    /** One vscsi v2 record: cmd, version 2, sn, len, nSG, lbn, ts, rt. */
    static ByteBuffer vscsiV2(ByteBuffer b, int cmd, int len, long lbn) {
        return b.order(ByteOrder.LITTLE_ENDIAN).putShort((short) cmd).putShort((short) 0x200).putInt(1).putInt(len)
                .putInt(1).putLong(lbn).putLong(1_000_000).putLong(50);
    }

    /** One vscsi v1 record: sn, len, nSG, cmd, version 1, lbn, ts. */
    static ByteBuffer vscsiV1(ByteBuffer b, int cmd, int len, long lbn) {
        return b.order(ByteOrder.LITTLE_ENDIAN).putInt(1).putInt(len).putInt(1).putShort((short) cmd)
                .putShort((short) 0x100).putLong(lbn).putLong(1_000_000);
    }

    /** Every access of {@code spec} as {@code KEY:SIZE} with {@code W} before writes, for the size-carrying formats. */
    static List<String> sized(String spec) {
        List<String> out = new ArrayList<>();
        try (TraceReader r = TraceSource.open(spec)) {
            while (r.next()) {
                out.add((r.write() ? "W" : "") + Long.toUnsignedString(r.key()) + ":" + r.size());
            }
        }
        return out;
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
