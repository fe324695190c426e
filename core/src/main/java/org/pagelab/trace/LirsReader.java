package org.pagelab.trace;

/**
 * Reads the LIRS traces (multi1, 2_pools, glimpse, cpp, cs, postgres, sprite, ...): one decimal
 * block number per line, each a read of that block. Blank lines and lines holding only {@code *}
 * are skipped.
 */
final class LirsReader extends LineTraceReader {

    LirsReader(TraceInput input, String file) {
        super(input, file, Access.Kind.BLOCK);
    }

    @Override
    protected void parseLine(String line) {
        int n = split(line, (char) 0);
        if (n == 0 || (n == 1 && fieldIs(0, "*"))) {
            return;
        }
        if (n != 1) {
            throw badRecord(line, "one block number");
        }
        emit(decimalField(0, "block number"), false);
    }
}
