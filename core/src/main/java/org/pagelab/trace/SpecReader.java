package org.pagelab.trace;

/**
 * Reads the UCSD address traces of SPEC programs (gcc, gzip, mcf, swim, twolf, from the CSE 240A
 * cache project): lines {@code l 0x1fffff50 1} or {@code s 0x1fffff50 1}, a load or store, a
 * hexadecimal byte address, then the count of instructions since the previous access. Fields
 * after the address are not read. Blank lines are skipped.
 */
final class SpecReader extends LineTraceReader {

    SpecReader(TraceInput input, String file) {
        super(input, file, Access.Kind.MEMORY);
    }

    @Override
    protected void parseLine(String line) {
        int n = split(line, (char) 0);
        if (n == 0) {
            return;
        }
        if (n < 2) {
            throw badRecord(line, "l|s ADDRESS ...");
        }
        boolean write;
        if (fieldIs(0, "l") || fieldIs(0, "L")) {
            write = false;
        } else if (fieldIs(0, "s") || fieldIs(0, "S")) {
            write = true;
        } else {
            throw bad("operation", field(0), "l or s");
        }
        emit(hexField(1, "address"), write);
    }
}
