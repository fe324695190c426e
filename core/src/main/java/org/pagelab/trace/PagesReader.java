package org.pagelab.trace;

import org.pagelab.phys.MemSize;

/**
 * Reads page-number traces: one access per line, {@code OP PAGE [PID]}, with {@code OP} one of
 * {@code R} (read), {@code W} (write) or {@code X} (instruction fetch) and {@code PAGE} a virtual
 * page number in hexadecimal, with or without {@code 0x}; the access touches byte address
 * {@code PAGE << 12}. X lines are skipped unless the option {@code instructions=true} replays them
 * as reads. {@code #} starts a comment; blank lines are skipped.
 */
final class PagesReader extends LineTraceReader {
    private static final int PAGE_SHIFT = MemSize.PAGE_SHIFT;

    private final boolean instructions;

    PagesReader(TraceInput input, String file, boolean instructions) {
        super(input, file, Access.Kind.MEMORY);
        this.instructions = instructions;
    }

    @Override
    protected void parseLine(String line) {
        int hash = line.indexOf('#');
        int n = split(hash < 0 ? line : line.substring(0, hash), (char) 0);
        if (n == 0) {
            return;
        }
        if (n < 2 || n > 3) {
            throw badRecord(line, "R|W|X PAGE-HEX [PID]");
        }
        boolean write;
        if (fieldIs(0, "R") || fieldIs(0, "r")) {
            write = false;
        } else if (fieldIs(0, "W") || fieldIs(0, "w")) {
            write = true;
        } else if (fieldIs(0, "X") || fieldIs(0, "x")) {
            if (!instructions) {
                return;
            }
            write = false;
        } else {
            throw bad("operation", field(0), "R, W or X");
        }
        long page = hexField(1, "page");
        if (page >>> (64 - PAGE_SHIFT) != 0) {
            throw bad("page", field(1), "a page number of at most " + (64 - PAGE_SHIFT) + " bits");
        }
        if (n == 3) {
            pid = pidField(2);
        } else {
            pid = 0;
        }
        emit(page << PAGE_SHIFT, write);
    }
}
