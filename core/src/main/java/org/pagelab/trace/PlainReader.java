package org.pagelab.trace;

/**
 * Reads pagelab's plain text trace: one access per line, {@code R ADDRESS} or {@code W ADDRESS},
 * optionally followed by a decimal pid; the address is hexadecimal with {@code 0x} or decimal
 * without. {@code #} starts a comment that runs to the end of the line; blank lines are skipped.
 */
final class PlainReader extends LineTraceReader {

    PlainReader(TraceInput input, String file) {
        super(input, file, Access.Kind.MEMORY);
    }

    @Override
    protected void parseLine(String line) {
        int hash = line.indexOf('#');
        int n = split(hash < 0 ? line : line.substring(0, hash), (char) 0);
        if (n == 0) {
            return;
        }
        if (n < 2 || n > 3) {
            throw badRecord(line, " (expected R|W ADDRESS [PID])");
        }
        boolean write;
        if (fieldIs(0, "R") || fieldIs(0, "r")) {
            write = false;
        } else if (fieldIs(0, "W") || fieldIs(0, "w")) {
            write = true;
        } else {
            throw bad("operation", field(0));
        }
        long address = addressField(1, "address");
        if (n == 3) {
            long p = decimalField(2, "pid");
            if (p > Integer.MAX_VALUE) {
                throw bad("pid", field(2));
            }
            pid = (int) p;
        } else {
            pid = 0;
        }
        emit(address, write);
    }
}
