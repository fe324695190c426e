package org.pagelab.trace;

/**
 * Reads libCacheSim's oracleGeneral binary traces: back-to-back 24-byte little-endian records
 * <pre>
 *   uint32 timestamp | uint64 obj_id | uint32 obj_size | int64 next_access_vtime
 * </pre>
 * each a read of block {@code obj_id}. As in libCacheSim, a record with {@code obj_size == 0} is
 * skipped; the size is the request's bytes ({@link TraceReader#size()}). A file whose length is not a multiple of 24 ends in a record cut short: an error at
 * that record's offset.
 */
final class OracleReader extends BinaryBlockReader {

    /** Bytes per record. */
    static final int RECORD = 24;

    OracleReader(TraceInput input, String file) {
        super(input, file);
        record = RECORD;
    }

    @Override
    public boolean next() {
        for (;;) {
            if (!nextRecord("")) {
                return false;
            }
            in.u32le();
            long id = in.u64le();
            long bytes = in.u32le();
            in.u64le();
            if (bytes != 0) {
                block = id;
                size = bytes;
                return true;
            }
        }
    }
}
