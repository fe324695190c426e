package org.pagelab.trace;

import org.pagelab.phys.MemSize;

/**
 * Reads pagelab's plain text trace: one access per line, {@code R ADDRESS} or {@code W ADDRESS},
 * optionally followed by a decimal pid; the address is hexadecimal with {@code 0x} or decimal
 * without. {@code #} starts a comment that runs to the end of the line; blank lines are skipped.
 *
 * <p>A decimal address must be a multiple of the page size: digits alone are what a trace of page
 * numbers looks like too ({@code R 4033}, {@code W 4034}), and read as byte addresses those would
 * all fall in page 0. Such a line is refused, naming the {@code pages} format for page numbers.
 */
final class PlainReader extends LineTraceReader {
    private static final long PAGE_SIZE = MemSize.PAGE_SIZE;

    PlainReader(TraceInput input, String file) {
        super(input, file, Access.Kind.MEMORY);
    }

    private boolean fieldStartsWith0x(int i) {
        String f = field(i);
        return f.length() > 2 && f.charAt(0) == '0' && (f.charAt(1) | 0x20) == 'x';
    }

    @Override
    protected void parseLine(String line) {
        int hash = line.indexOf('#');
        int n = split(hash < 0 ? line : line.substring(0, hash), (char) 0);
        if (n == 0) {
            return;
        }
        if (n < 2 || n > 3) {
            throw badRecord(line, "R|W ADDRESS [PID]");
        }
        boolean write;
        if (fieldIs(0, "R") || fieldIs(0, "r")) {
            write = false;
        } else if (fieldIs(0, "W") || fieldIs(0, "w")) {
            write = true;
        } else {
            throw bad("operation", field(0), "R or W");
        }
        long address = addressField(1, "address");
        if (!fieldStartsWith0x(1) && (address & (PAGE_SIZE - 1)) != 0) {
            throw problem("ambiguous address '" + field(1) + "': a decimal address must be a multiple of " + PAGE_SIZE
                    + " (write byte addresses in hex with 0x; for page numbers use the pages format, pages:FILE)");
        }
        if (n == 3) {
            pid = pidField(2);
        } else {
            pid = 0;
        }
        emit(address, write);
    }
}
