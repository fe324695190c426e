package org.pagelab.trace;

/**
 * Reads the output of {@code valgrind --tool=lackey --trace-mem=yes}: {@code I}, {@code L},
 * {@code S} and {@code M} records of a hexadecimal byte address and a decimal size.
 *
 * <p>An access whose bytes cross a page boundary touches each page it covers: the first access
 * keeps the record's address, the later ones start at their page. {@code M} (modify) is a load of
 * every covered page, then a store of each. {@code I} (instruction fetch) records are skipped
 * unless asked for. Valgrind's own lines ({@code ==PID== ...}, and {@code --PID-- ...} with
 * {@code -v}) are not records; the number in them becomes the pid of the accesses after them.
 * Blank lines are skipped; anything else is an error.
 */
final class LackeyReader extends LineTraceReader {

    /** The largest access size read, in bytes: valgrind's accesses are at most a few hundred. */
    private static final long MAX_SIZE = 1 << 20;
    /** The shape of a record line, as errors name it. */
    private static final String RECORD = "OP ADDRESS,SIZE, OP one of I, L, S, M";

    private final boolean instructions;

    LackeyReader(TraceInput input, String file, boolean instructions) {
        super(input, file, Access.Kind.MEMORY);
        this.instructions = instructions;
    }

    @Override
    protected void parseLine(String line) {
        if (line.startsWith("==")) {
            takeBannerPid(line, "==");
            return;
        }
        if (line.startsWith("--")) {
            takeBannerPid(line, "--");
            return;
        }
        int n = split(line, (char) 0);
        if (n == 0) {
            return;
        }
        if (n != 2) {
            throw badRecord(line, RECORD);
        }
        String op = field(0);
        String operand = field(1);
        int comma = operand.indexOf(',');
        if (comma < 0) {
            throw badRecord(line, RECORD);
        }
        long address = parseHex(operand.substring(0, comma), "address");
        long size = parseSize(operand.substring(comma + 1));
        switch (op) {
            case "I" -> {
                if (instructions) {
                    pages(address, size, false);
                }
            }
            case "L" -> pages(address, size, false);
            case "S" -> pages(address, size, true);
            case "M" -> {
                pages(address, size, false);
                pages(address, size, true);
            }
            default -> throw bad("operation", op, "I, L, S or M");
        }
    }

    private void pages(long address, long size, boolean write) {
        emit(address, write);
        long last = (address + size - 1) >>> Access.PAGE_SHIFT;
        for (long page = (address >>> Access.PAGE_SHIFT) + 1;
                Long.compareUnsigned(page, last) <= 0 && page != 0; page++) {
            emit(page << Access.PAGE_SHIFT, write);
        }
    }

    private long parseHex(String text, String what) {
        if (text.isEmpty() || text.length() > 16) {
            throw bad(what, text, "1 to 16 hexadecimal digits");
        }
        try {
            return Long.parseUnsignedLong(text, 16);
        } catch (NumberFormatException e) {
            throw bad(what, text, "1 to 16 hexadecimal digits");
        }
    }

    private long parseSize(String text) {
        long size;
        try {
            size = text.isEmpty() || text.charAt(0) == '+' ? 0 : Long.parseLong(text);
        } catch (NumberFormatException e) {
            size = 0;
        }
        if (size <= 0 || size > MAX_SIZE) {
            throw bad("size", text, "a decimal byte count from 1 to " + MAX_SIZE);
        }
        return size;
    }

    private void takeBannerPid(String line, String mark) {
        int end = line.indexOf(mark, 2);
        if (end <= 2) {
            return;
        }
        int p = 0;
        for (int i = 2; i < end; i++) {
            char c = line.charAt(i);
            if (c < '0' || c > '9' || p > (Integer.MAX_VALUE - 9) / 10) {
                return;
            }
            p = p * 10 + (c - '0');
        }
        pid = p;
    }
}
