package org.pagelab.trace;

/**
 * A trace that cannot be read as its format says: malformed text, a binary record cut short, a
 * truncated or corrupt compressed stream, an unknown format or a missing file.
 *
 * <p>The message has the project's input-error shape, {@code FILE:LINE: what, naming the value
 * and the form expected} for text ({@code trace.txt:17: bad block number 'x' (expected a decimal
 * integer from 0 to 18446744073709551615)}), {@code FILE:byte N: what} for binary
 * formats (N counts bytes of the decompressed stream), and {@code SPEC: what} when there is no
 * position. A command that reads a trace reports it on one line and exits with status 2. The
 * message never holds a control character: values are quoted through
 * {@link org.pagelab.input.Escape}.
 */
public final class TraceException extends RuntimeException {

    /** Where in the file the problem is. */
    public enum Unit {
        /** {@link #position()} is a 1-based line number. */
        LINE,
        /** {@link #position()} is a 0-based offset in the (decompressed) byte stream. */
        BYTE,
        /** The problem has no position (bad spec, missing file). */
        NONE
    }

    private final String file;
    private final Unit unit;
    private final long position;
    private final String problem;

    private TraceException(String file, Unit unit, long position, String problem, Throwable cause) {
        super(org.pagelab.input.Escape.line(format(file, unit, position, problem)), cause);
        this.file = file;
        this.unit = unit;
        this.position = position;
        this.problem = problem;
    }

    /** A problem on 1-based line {@code line} of text file {@code file}. */
    public static TraceException atLine(String file, long line, String problem) {
        return new TraceException(file, Unit.LINE, line, problem, null);
    }

    /** A problem on line {@code line}, caused by {@code cause} (a failing decompressor). */
    public static TraceException atLine(String file, long line, String problem, Throwable cause) {
        return new TraceException(file, Unit.LINE, line, problem, cause);
    }

    /** A problem at byte {@code offset} of binary file {@code file}. */
    public static TraceException atByte(String file, long offset, String problem) {
        return new TraceException(file, Unit.BYTE, offset, problem, null);
    }

    /** A problem at byte {@code offset}, caused by {@code cause} (a failing decompressor). */
    public static TraceException atByte(String file, long offset, String problem, Throwable cause) {
        return new TraceException(file, Unit.BYTE, offset, problem, cause);
    }

    /** A problem with a trace spec or a whole file. */
    public static TraceException of(String spec, String problem) {
        return new TraceException(spec, Unit.NONE, 0, problem, null);
    }

    /** A problem with a whole file, caused by {@code cause}. */
    public static TraceException of(String spec, String problem, Throwable cause) {
        return new TraceException(spec, Unit.NONE, 0, problem, cause);
    }

    private static String format(String file, Unit unit, long position, String problem) {
        return switch (unit) {
            case LINE -> file + ":" + position + ": " + problem;
            case BYTE -> file + ":byte " + position + ": " + problem;
            case NONE -> file + ": " + problem;
        };
    }

    /** The file (or spec) as the user named it. */
    public String file() {
        return file;
    }

    /** What {@link #position()} counts. */
    public Unit unit() {
        return unit;
    }

    /** The line number or byte offset; 0 when {@link #unit()} is NONE. */
    public long position() {
        return position;
    }

    /** The problem without the position prefix, naming the bad value. */
    public String problem() {
        return problem;
    }
}
