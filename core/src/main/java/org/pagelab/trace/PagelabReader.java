package org.pagelab.trace;

/**
 * Reads pagelab's compact binary trace format (see the package documentation). Every record
 * must be whole, and the trace must end in an end record whose count matches, so a file cut
 * anywhere is an error at the offset where it ends.
 */
final class PagelabReader implements TraceReader {

    private static final String VARINT_TOO_LONG = "bad varint: longer than 64 bits (expected at most 10 bytes, the last below 2)";

    private final BinaryInput in;
    private final String file;
    private final long[] prevKey = new long[2];
    private int pid;
    private long key;
    private int tag;
    private long count;
    /** Offset of the current record. */
    private long recordAt;
    private boolean ended;

    PagelabReader(TraceInput input, String file) {
        this.in = new BinaryInput(input, file);
        this.file = file;
        readHeader();
    }

    private void readHeader() {
        if (!in.ensure(PagelabFormat.HEADER)) {
            throw TraceException.atByte(file, 0, "not a pagelab trace: " + in.remaining()
                    + " bytes, shorter than the " + PagelabFormat.HEADER + "-byte header");
        }
        for (int i = 0; i < PagelabFormat.MAGIC.length; i++) {
            if (in.buf[in.pos + i] != PagelabFormat.MAGIC[i]) {
                StringBuilder hex = new StringBuilder();
                for (int j = 0; j < PagelabFormat.MAGIC.length; j++) {
                    hex.append(String.format("%02x", in.buf[in.pos + j] & 0xff));
                }
                throw TraceException.atByte(file, 0, "not a pagelab trace: magic '" + hex + "' (expected '"
                        + java.util.HexFormat.of().formatHex(PagelabFormat.MAGIC) + "', PGLTRC)");
            }
        }
        in.pos += PagelabFormat.MAGIC.length;
        int version = in.u8();
        if (version != PagelabFormat.VERSION) {
            throw TraceException.atByte(file, PagelabFormat.MAGIC.length,
                    "unsupported pagelab trace version '" + version + "' (expected " + PagelabFormat.VERSION + ")");
        }
        int reserved = in.u8();
        if (reserved != 0) {
            throw TraceException.atByte(file, PagelabFormat.MAGIC.length + 1,
                    "bad reserved header byte '" + reserved + "' (expected 0)");
        }
    }

    @Override
    public boolean next() {
        if (ended) {
            return false;
        }
        long at = in.offset();
        recordAt = at;
        if (!in.ensure(1)) {
            throw TraceException.atByte(file, at, "trace cut short: no end record after "
                    + count + " records");
        }
        int t = in.u8();
        if (t == PagelabFormat.TAG_END) {
            readEnd(at);
            return false;
        }
        if ((t & ~PagelabFormat.TAG_RECORD_BITS) != 0) {
            throw TraceException.atByte(file, at, String.format("bad record tag '0x%02x' (expected 0x00 to 0x%02x, or 0x%02x to end)", t,
                    PagelabFormat.TAG_RECORD_BITS, PagelabFormat.TAG_END));
        }
        if ((t & PagelabFormat.TAG_PID) != 0) {
            long p = varint(at);
            if (p > Integer.MAX_VALUE) {
                throw TraceException.atByte(file, at, "bad pid '" + Long.toUnsignedString(p) + "' (expected at most " + Integer.MAX_VALUE + ")");
            }
            pid = (int) p;
        }
        int k = (t & PagelabFormat.TAG_BLOCK) >>> 1;
        key = prevKey[k] + PagelabFormat.unzigzag(varint(at));
        prevKey[k] = key;
        tag = t;
        count++;
        return true;
    }

    @Override
    public TraceException errorAtRecord(String problem) {
        return TraceException.atByte(file, recordAt, problem);
    }

    private long varint(long recordAt) {
        if (in.limit - in.pos >= PagelabFormat.MAX_VARINT) {
            byte[] b = in.buf;
            int p = in.pos;
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                int x = b[p++];
                v |= (long) (x & 0x7f) << shift;
                if (x >= 0) {
                    if (shift == 63 && x > 1) {
                        break;
                    }
                    in.pos = p;
                    return v;
                }
            }
            throw TraceException.atByte(file, recordAt, VARINT_TOO_LONG);
        }
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (!in.ensure(1)) {
                throw TraceException.atByte(file, recordAt, "record cut short: "
                        + (in.offset() - recordAt) + " bytes before the end of the file");
            }
            int x = (byte) in.u8();
            v |= (long) (x & 0x7f) << shift;
            if (x >= 0) {
                if (shift == 63 && x > 1) {
                    break;
                }
                return v;
            }
        }
        throw TraceException.atByte(file, recordAt, VARINT_TOO_LONG);
    }

    private void readEnd(long at) {
        long written = varint(at);
        if (written != count) {
            throw TraceException.atByte(file, at, "end record counts '"
                    + Long.toUnsignedString(written) + "' records, the trace holds " + count);
        }
        if (!in.atEnd()) {
            throw TraceException.atByte(file, in.offset(), "bytes after the end record");
        }
        ended = true;
    }

    @Override
    public Access.Kind kind() {
        return (tag & PagelabFormat.TAG_BLOCK) != 0 ? Access.Kind.BLOCK : Access.Kind.MEMORY;
    }

    @Override
    public long key() {
        return key;
    }

    @Override
    public boolean write() {
        return (tag & PagelabFormat.TAG_WRITE) != 0;
    }

    @Override
    public int pid() {
        return pid;
    }

    @Override
    public String file() {
        return file;
    }

    @Override
    public void close() {
        in.close();
    }

    @Override
    public double fractionRead() {
        return in.fractionRead();
    }
}
