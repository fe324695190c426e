package org.pagelab.trace;

/**
 * Reads libCacheSim's lcs binary traces: an 8192-byte header (a start magic
 * {@code 0x123456789abcdef0}, the format version 1 to 8, the trace's statistics, an end magic equal
 * to the start magic in its last 8 bytes), then back-to-back little-endian records of the version's
 * size:
 * <pre>
 *   v1 (24 bytes): uint32 time | uint64 obj_id | uint32 obj_size | int64 next_access_vtime
 *   v2 (28 bytes): uint32 time | uint64 obj_id | uint32 obj_size | uint32 op:8,tenant:24 | int64 next
 *   v3 (36 bytes): uint32 time | uint64 obj_id | int64 obj_size | uint32 op:8,tenant:24 | uint32 ttl | int64 next
 *   v4..v8: v3 and 1, 2, 4, 8 or 16 uint32 features
 * </pre>
 * Each record is an access to block {@code obj_id} of the request's size ({@link TraceReader#size()});
 * the operation codes are libCacheSim's ({@link RequestOp#code}): a delete is no access, an
 * unknown code an error. As in the oracleGeneral reader, a record of size 0 is skipped. A header or
 * record cut short, a bad magic, version, size or operation is an error at its byte offset.
 */
final class LcsReader extends BinaryBlockReader {

    static final long MAGIC = 0x123456789abcdef0L;
    static final int HEADER = 8192;
    /** The features of versions 0..8. */
    private static final int[] FEATURES = {0, 0, 0, 0, 1, 2, 4, 8, 16};

    private final int version;

    LcsReader(TraceInput input, String file) {
        super(input, file);
        if (!in.ensure(HEADER)) {
            throw TraceException.atByte(file, 0, "lcs header cut short: " + in.remaining() + " of " + HEADER + " bytes");
        }
        long start = in.u64le();
        if (start != MAGIC) {
            throw TraceException.atByte(file, 0, "not an lcs trace: start magic 0x" + Long.toHexString(start)
                    + " (expected 0x" + Long.toHexString(MAGIC) + ")");
        }
        long v = in.u64le();
        if (v < 1 || v > 8) {
            throw TraceException.atByte(file, 8, "unknown lcs version " + Long.toUnsignedString(v) + " (expected 1 to 8)");
        }
        version = (int) v;
        in.skip(HEADER - 24);
        long end = in.u64le();
        if (end != MAGIC) {
            throw TraceException.atByte(file, HEADER - 8, "bad lcs end magic 0x" + Long.toHexString(end) + " (expected 0x"
                    + Long.toHexString(MAGIC) + ")");
        }
        record = version == 1 ? 24 : version == 2 ? 28 : 36 + 4 * FEATURES[version];
    }

    @Override
    public boolean next() {
        for (;;) {
            if (!nextRecord(" (lcs v" + version + ")")) {
                return false;
            }
            long at = in.offset();
            in.u32le();
            long id = in.u64le();
            long bytes = version <= 2 ? in.u32le() : in.u64le();
            RequestOp op = RequestOp.READ;
            if (version >= 2) {
                int code = (int) (in.u32le() & 0xff);
                op = RequestOp.code(code);
                if (op == null) {
                    throw TraceException.atByte(file, at, "bad operation code " + code + " (expected libCacheSim's 0 to 14)");
                }
            }
            in.skip(record - (int) (in.offset() - at));
            if (bytes < 0) {
                throw TraceException.atByte(file, at, "bad object size " + Long.toUnsignedString(bytes) + " (expected at most 2^63 - 1 bytes)");
            }
            if (bytes != 0 && op != RequestOp.DELETE) {
                block = id;
                size = bytes;
                write = op == RequestOp.WRITE;
                return true;
            }
        }
    }
}
