package org.pagelab.trace;

/**
 * Reads libCacheSim's csv traces: one request per line, with the time, object id, object size
 * and (optionally) operation in configurable 1-based columns, as libCacheSim's
 * {@code -t "time-col=1,obj-id-col=2,obj-size-col=3,has-header=true"} names them.
 *
 * <p>Each request is an access to block {@code obj_id} of the trace's file: a read unless the
 * operation column says write ({@code write}, {@code w}, {@code set}, {@code add},
 * {@code replace}, {@code cas}, {@code append}, {@code prepend}, {@code update}); {@code read},
 * {@code r}, {@code get}, {@code gets} are reads and any other operation is an error. The time
 * and size must be unsigned decimal numbers and are otherwise not used. Ids that are not numbers
 * ({@code obj-id-is-num=false}) are hashed to 64 bits with FNV-1a. Blank lines are skipped.
 */
final class CacheSimCsvReader extends LineTraceReader {

    /** Whether the first line names the columns. */
    enum Header {
        /** The first line is a header when its object id field is not a number. */
        AUTO,
        YES,
        NO
    }

    /**
     * Where the fields of a request are; columns count from 1, and 0 means absent (time, size
     * and operation may be absent, the object id may not).
     */
    record Columns(int timeCol, int objIdCol, int objSizeCol, int opCol, char delimiter,
            Header header, boolean objIdIsNum) {

        /** libCacheSim's common layout: {@code time,obj_id,obj_size}, commas, header detected. */
        static Columns defaults() {
            return new Columns(1, 2, 3, 0, ',', Header.AUTO, true);
        }

        /** The largest column any field needs. */
        int width() {
            return Math.max(Math.max(timeCol, objIdCol), Math.max(objSizeCol, opCol));
        }
    }

    /** The operation names {@link RequestOp#named} knows, as errors name them. */
    static final String OPERATIONS = "read, r, get, gets, nop, write, w, set, add, replace, cas, append, prepend, update,"
            + " incr, decr, delete or del (any case)";

    private final Columns columns;
    private boolean first = true;

    CacheSimCsvReader(TraceInput input, String file, Columns columns) {
        super(input, file, Access.Kind.BLOCK);
        this.columns = columns;
    }

    @Override
    protected void parseLine(String line) {
        boolean firstLine = first;
        first = false;
        if (line.isBlank()) {
            return;
        }
        int n = split(line, columns.delimiter() == ' ' ? (char) 0 : columns.delimiter());
        if (firstLine && columns.header() == Header.YES) {
            return;
        }
        if (n < columns.width()) {
            throw badRecord(line, "at least " + columns.width() + " columns separated by '" + columns.delimiter() + "', found " + n);
        }
        int id = columns.objIdCol() - 1;
        if (firstLine && columns.header() == Header.AUTO && columns.objIdIsNum() && !isNumber(id)) {
            return;
        }
        long block = columns.objIdIsNum() ? decimalField(id, "object id") : fnv1a(field(id));
        if (columns.timeCol() > 0) {
            decimalField(columns.timeCol() - 1, "time");
        }
        long size = Access.PAGE_BYTES;
        if (columns.objSizeCol() > 0) {
            size = decimalField(columns.objSizeCol() - 1, "object size");
        }
        RequestOp op = columns.opCol() > 0 ? op(columns.opCol() - 1) : RequestOp.READ;
        if (op != RequestOp.DELETE) {
            emit(block, op == RequestOp.WRITE, size);
        }
    }

    private boolean isNumber(int i) {
        String f = field(i);
        if (f.isEmpty()) {
            return false;
        }
        for (int k = 0; k < f.length(); k++) {
            if (f.charAt(k) < '0' || f.charAt(k) > '9') {
                return false;
            }
        }
        return true;
    }

    private RequestOp op(int i) {
        RequestOp op = RequestOp.named(field(i));
        if (op == null) {
            throw bad("operation", field(i), OPERATIONS);
        }
        return op;
    }

    static long fnv1a(String s) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i) & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }
}
