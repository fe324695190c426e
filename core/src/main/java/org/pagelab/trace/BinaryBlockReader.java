package org.pagelab.trace;

/**
 * The shared half of the binary readers of block and object traces (oracleGeneral, lcs, vscsi):
 * the byte cursor, the file, fixed-size records, and the current request's block, size and
 * direction; a subclass reads one record per {@link #next()} into {@link #block}, {@link #size} and
 * {@link #write}, and reports a record cut short through {@link #cutShort}.
 */
abstract class BinaryBlockReader implements TraceReader {

    protected final BinaryInput in;
    protected final String file;
    /** The bytes of one record; set by the subclass before the first {@code next()}. */
    protected int record;
    protected long block;
    protected long size;
    protected boolean write;

    BinaryBlockReader(TraceInput input, String file) {
        this.in = new BinaryInput(input, file);
        this.file = file;
    }

    /**
     * Ensures a whole record is unread: false at a clean end of the input, a {@link TraceException}
     * at the offset of a record cut short ({@code what} names the layout in the message).
     */
    protected final boolean nextRecord(String what) {
        if (in.ensure(record)) {
            return true;
        }
        if (in.remaining() == 0) {
            return false;
        }
        throw TraceException.atByte(file, in.offset(), "record cut short: " + in.remaining() + " of " + record
                + " bytes" + what);
    }

    @Override
    public final TraceException errorAtRecord(String problem) {
        return TraceException.atByte(file, in.offset() - record, problem);
    }

    @Override
    public final Access.Kind kind() {
        return Access.Kind.BLOCK;
    }

    @Override
    public final long key() {
        return block;
    }

    @Override
    public final boolean write() {
        return write;
    }

    @Override
    public final long size() {
        return size;
    }

    @Override
    public final int pid() {
        return 0;
    }

    @Override
    public final String file() {
        return file;
    }

    @Override
    public final void close() {
        in.close();
    }

    @Override
    public final double fractionRead() {
        return in.fractionRead();
    }
}
