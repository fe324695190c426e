package org.pagelab.trace;

/**
 * Reads libCacheSim's oracleGeneral binary traces: back-to-back 24-byte little-endian records
 * <pre>
 *   uint32 timestamp | uint64 obj_id | uint32 obj_size | int64 next_access_vtime
 * </pre>
 * each a read of block {@code obj_id}. As in libCacheSim, a record with {@code obj_size == 0} is
 * skipped. A file whose length is not a multiple of 24 ends in a record cut short: an error at
 * that record's offset.
 */
final class OracleReader implements TraceReader {

    /** Bytes per record. */
    static final int RECORD = 24;

    private final BinaryInput in;
    private final String file;
    private long block;

    OracleReader(TraceInput input, String file) {
        this.in = new BinaryInput(input, file);
        this.file = file;
    }

    @Override
    public boolean next() {
        for (;;) {
            if (!in.ensure(RECORD)) {
                if (in.remaining() == 0) {
                    return false;
                }
                throw TraceException.atByte(file, in.offset(), "record cut short: "
                        + in.remaining() + " of " + RECORD + " bytes");
            }
            in.u32le();
            long id = in.u64le();
            long size = in.u32le();
            in.u64le();
            if (size != 0) {
                block = id;
                return true;
            }
        }
    }

    @Override
    public TraceException errorAtRecord(String problem) {
        return TraceException.atByte(file, in.offset() - RECORD, problem);
    }

    @Override
    public Access.Kind kind() {
        return Access.Kind.BLOCK;
    }

    @Override
    public long key() {
        return block;
    }

    @Override
    public boolean write() {
        return false;
    }

    @Override
    public int pid() {
        return 0;
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
