package org.pagelab.trace;

import org.pagelab.input.Limits;

/**
 * Reads the ARC traces (Megiddo and Modha: OLTP, P1..P14, DS1, S1..S3, ConCat, Merge): lines
 * {@code START COUNT IGNORED REQUEST} of decimal numbers, each a read of the {@code COUNT} blocks
 * {@code START .. START+COUNT-1}, at most {@link Limits#MAX_EVENTS} of them. Fields after the
 * count are not read; blank lines are skipped.
 */
final class ArcReader extends LineTraceReader {

    ArcReader(TraceInput input, String file) {
        super(input, file, Access.Kind.BLOCK);
    }

    @Override
    protected void parseLine(String line) {
        int n = split(line, (char) 0);
        if (n == 0) {
            return;
        }
        if (n < 2) {
            throw badRecord(line, "START COUNT ...");
        }
        long start = decimalField(0, "start block");
        long count = decimalField(1, "block count");
        if (count < 0 || count > 0 && Long.compareUnsigned(start + (count - 1), start) < 0) {
            throw bad("block count", field(1), "a count whose run of blocks ends below block 2^64");
        }
        if (count > Limits.MAX_EVENTS) {
            throw bad("block count", field(1), "at most " + Limits.MAX_EVENTS + " blocks per record");
        }
        emitRun(start, count, false);
    }
}
