package org.pagelab.trace;

/**
 * Reads the MSR Cambridge block traces (Narayanan et al., FAST 2008, distributed by SNIA's
 * IOTTA repository): lines {@code Timestamp,Hostname,DiskNumber,Type,Offset,Size,ResponseTime},
 * the type {@code Read} or {@code Write}, offset and size in bytes. A request is split into the
 * 4 KiB pages it covers, each an access standing for the request's bytes in it
 * ({@link TraceReader#size()}); a request of size 0 touches nothing. The key of a page is
 * {@code disk << 40 | page}, so a trace of several disks keeps them apart (disk numbers below
 * 2^22, offsets below 2^52). A line whose first field is {@code Timestamp} is a header.
 */
final class MsrReader extends LineTraceReader {

    /** The bits of page number below a volume's number in a key. */
    static final int VOLUME_SHIFT = 40;
    private static final long MAX_VOLUME = (1L << (62 - VOLUME_SHIFT)) - 1;

    MsrReader(TraceInput input, String file) {
        super(input, file, Access.Kind.BLOCK);
    }

    @Override
    protected void parseLine(String line) {
        int n = split(line, ',');
        if (line.isBlank()) {
            return;
        }
        if (n != 7) {
            if (n >= 1 && fieldIs(0, "Timestamp")) {
                return;
            }
            throw badRecord(line, "Timestamp,Hostname,DiskNumber,Type,Offset,Size,ResponseTime");
        }
        if (fieldIs(0, "Timestamp")) {
            return;
        }
        decimalField(0, "timestamp");
        if (field(1).isEmpty()) {
            throw bad("hostname", field(1), "a host name");
        }
        long disk = decimalField(2, "disk number");
        boolean write = readOrWrite(3);
        long offset = decimalField(4, "offset");
        long size = decimalField(5, "size");
        decimalField(6, "response time");
        emitVolumeBytes(this, disk, offset, size, write, "disk number", 2);
    }

    private boolean readOrWrite(int i) {
        if (field(i).equalsIgnoreCase("read")) {
            return false;
        }
        if (field(i).equalsIgnoreCase("write")) {
            return true;
        }
        throw bad("type", field(i), "Read or Write");
    }

    /**
     * Queues the pages of {@code [offset, offset + size)} of volume {@code volume} on {@code r}'s
     * current line, or nothing for size 0; a volume, offset or size out of range is an error naming
     * the field.
     */
    static void emitVolumeBytes(LineTraceReader r, long volume, long offset, long size, boolean write, String volumeName,
            int volumeField) {
        if (volume < 0 || volume > MAX_VOLUME) {
            throw r.bad(volumeName, r.field(volumeField), "at most " + MAX_VOLUME);
        }
        if (offset < 0 || size < 0 || offset > (1L << (VOLUME_SHIFT + Access.PAGE_SHIFT)) - size) {
            throw r.problem("bad offset and size '" + offset + "', '" + size + "' (expected a request that ends below byte 2^"
                    + (VOLUME_SHIFT + Access.PAGE_SHIFT) + ")");
        }
        if (size > 0) {
            r.emitBytes(volume << VOLUME_SHIFT, offset, size, write);
        }
    }
}
