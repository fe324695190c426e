package org.pagelab.trace;

/**
 * Reads the SNIA SYSTOR '17 block traces (Lee et al., SYSTOR 2017, in SNIA's IOTTA repository):
 * lines {@code Timestamp,Response,IOType,LUN,Offset,Size}, the time and response in seconds with a
 * fraction, the type {@code R} or {@code W}, offset and size in bytes; a first line starting with
 * {@code Timestamp} is the header. As in {@link MsrReader}, a request is split into its 4 KiB
 * pages, keyed {@code LUN << 40 | page}, and a request of size 0 touches nothing.
 */
final class SystorReader extends LineTraceReader {

    SystorReader(TraceInput input, String file) {
        super(input, file, Access.Kind.BLOCK);
    }

    @Override
    protected void parseLine(String line) {
        if (line.isBlank()) {
            return;
        }
        int n = split(line, ',');
        if (n >= 1 && fieldIs(0, "Timestamp")) {
            return;
        }
        if (n != 6) {
            throw badRecord(line, "Timestamp,Response,IOType,LUN,Offset,Size");
        }
        seconds(0, "timestamp");
        seconds(1, "response time");
        boolean write;
        if (fieldIs(2, "R") || fieldIs(2, "r")) {
            write = false;
        } else if (fieldIs(2, "W") || fieldIs(2, "w")) {
            write = true;
        } else {
            throw bad("IOType", field(2), "R or W");
        }
        long lun = decimalField(3, "LUN");
        long offset = decimalField(4, "offset");
        long size = decimalField(5, "size");
        MsrReader.emitVolumeBytes(this, lun, offset, size, write, "LUN", 3);
    }

    /** Field {@code i} as a decimal number of seconds with an optional fraction ({@code 1487149200.010427}). */
    private void seconds(int i, String what) {
        String f = field(i);
        int dot = f.indexOf('.');
        boolean ok = !f.isEmpty() && dot != 0 && dot != f.length() - 1 && f.indexOf('.', dot + 1) < 0 && f.length() <= 40;
        for (int k = 0; ok && k < f.length(); k++) {
            char c = f.charAt(k);
            ok = c == '.' || c >= '0' && c <= '9';
        }
        if (!ok) {
            throw bad(what, f, "decimal seconds with an optional fraction, such as 1487149200.010427");
        }
    }
}
