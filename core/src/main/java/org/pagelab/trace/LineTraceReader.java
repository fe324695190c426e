package org.pagelab.trace;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.pagelab.input.Escape;
import org.pagelab.input.Limits;

/**
 * The shared half of the text readers: line reading with line numbers, splitting a line into
 * fields without copying, number parsing that names the bad value and the form it expected, and a queue for lines that
 * stand for several accesses (a lackey access across a page boundary, an ARC run of blocks).
 *
 * <p>A line ends at {@code \n}, {@code \r\n} or {@code \r} and holds at most
 * {@link Limits#MAX_TRACE_LINE_BYTES} bytes: a longer one (a binary file read as text, or
 * /dev/zero) is an error at its line and byte offset, never a line read into memory without end.
 * Bytes are characters of ISO-8859-1, and messages quote them through {@link Escape}.
 *
 * <p>A subclass implements {@link #parseLine}, which calls {@link #emit} once per access the
 * line stands for (or {@link #emitRun} for a run of consecutive blocks), or nothing for a line
 * that holds no access.
 */
abstract class LineTraceReader implements TraceReader {

    private static final int MAX_FIELDS = 16;

    private final String file;
    private final TraceInput input;
    private final InputStream in;
    private final byte[] buf = new byte[1 << 16];
    private int bufPos;
    private int bufEnd;
    /** Bytes of the stream before {@code buf[0]}. */
    private long bufBase;
    /** The line read so far when it spans buffers. */
    private byte[] lineBytes = new byte[256];
    /** Whether the last line ended in '\r', so that a '\n' next belongs to it. */
    private boolean afterCr;
    private long lineNo;

    private final Access.Kind kind;
    private long key;
    private boolean write;
    /** The pid of the accesses of the line being parsed and of the current access. */
    protected int pid;

    private long size = Access.PAGE_BYTES;
    private long[] queueKeys = new long[4];
    private long[] queueSizes = new long[4];
    private boolean[] queueWrites = new boolean[4];
    private int queueHead;
    private int queueTail;

    private long runNext;
    private long runLeft;
    private boolean runWrite;
    /** For a run of the pages of a byte range: its first byte and the byte after it; 0 and 0 for a run of whole blocks. */
    private long runStartByte;
    private long runEndByte;
    /** The key of page p of the run is {@code runBase | p}. */
    private long runBase;

    private String line;
    private final int[] starts = new int[MAX_FIELDS];
    private final int[] ends = new int[MAX_FIELDS];
    private int fields;

    LineTraceReader(TraceInput input, String file, Access.Kind kind) {
        this.file = file;
        this.input = input;
        this.kind = kind;
        this.in = input.in;
    }

    /** Parses one line (without its terminator), emitting the accesses it stands for. */
    protected abstract void parseLine(String line);

    @Override
    public final boolean next() {
        for (;;) {
            if (queueHead < queueTail) {
                key = queueKeys[queueHead];
                write = queueWrites[queueHead];
                size = queueSizes[queueHead];
                queueHead++;
                return true;
            }
            if (runLeft > 0) {
                long page = runNext++;
                key = runBase | page;
                write = runWrite;
                size = runEndByte == 0 ? Access.PAGE_BYTES
                        : Math.min(runEndByte, (page + 1) << Access.PAGE_SHIFT) - Math.max(runStartByte, page << Access.PAGE_SHIFT);
                runLeft--;
                return true;
            }
            String text;
            try {
                text = readLine();
            } catch (IOException e) {
                throw TraceException.atLine(file, lineNo + 1, input.readProblem(e), e);
            }
            if (text == null) {
                return false;
            }
            lineNo++;
            queueHead = 0;
            queueTail = 0;
            parseLine(text);
        }
    }

    /**
     * The next line without its terminator, or null at the end of the stream; a line longer than
     * {@link Limits#MAX_TRACE_LINE_BYTES} is a {@link TraceException} at its line and offset.
     */
    private String readLine() throws IOException {
        long start = bufBase + bufPos;
        int len = 0;
        for (;;) {
            if (bufPos == bufEnd && !fill()) {
                afterCr = false;
                return len == 0 && bufBase + bufPos == start ? null : new String(lineBytes, 0, len, StandardCharsets.ISO_8859_1);
            }
            if (afterCr) {
                afterCr = false;
                if (buf[bufPos] == '\n') {
                    bufPos++;
                    start++;
                    continue;
                }
            }
            int from = bufPos;
            int stop = bufPos;
            while (stop < bufEnd && buf[stop] != '\n' && buf[stop] != '\r') {
                stop++;
            }
            int n = stop - from;
            if (len + n > Limits.MAX_TRACE_LINE_BYTES) {
                throw TraceException.atLine(file, lineNo + 1, "line longer than " + Limits.MAX_TRACE_LINE_BYTES
                        + " bytes (it starts at byte " + start + " and has no end by byte "
                        + (start + Limits.MAX_TRACE_LINE_BYTES) + "): not a text trace?");
            }
            if (stop < bufEnd && len == 0) {
                bufPos = stop + 1;
                afterCr = buf[stop] == '\r';
                return new String(buf, from, n, StandardCharsets.ISO_8859_1);
            }
            if (len + n > lineBytes.length) {
                lineBytes = Arrays.copyOf(lineBytes, Math.max(len + n, 2 * lineBytes.length));
            }
            System.arraycopy(buf, from, lineBytes, len, n);
            len += n;
            if (stop < bufEnd) {
                bufPos = stop + 1;
                afterCr = buf[stop] == '\r';
                return new String(lineBytes, 0, len, StandardCharsets.ISO_8859_1);
            }
            bufPos = stop;
        }
    }

    /** Refills the buffer; false at the end of the stream. */
    private boolean fill() throws IOException {
        bufBase += bufEnd;
        bufPos = 0;
        bufEnd = 0;
        int n = in.read(buf, 0, buf.length);
        if (n <= 0) {
            return false;
        }
        bufEnd = n;
        return true;
    }

    /** Queues one access with key {@code k} for the line being parsed, standing for a page of bytes. */
    protected final void emit(long k, boolean w) {
        emit(k, w, Access.PAGE_BYTES);
    }

    /** Queues one access with key {@code k} standing for {@code bytes} bytes ({@link #size()}). */
    protected final void emit(long k, boolean w, long bytes) {
        if (queueTail == queueKeys.length) {
            queueKeys = Arrays.copyOf(queueKeys, queueTail * 2);
            queueSizes = Arrays.copyOf(queueSizes, queueTail * 2);
            queueWrites = Arrays.copyOf(queueWrites, queueTail * 2);
        }
        queueKeys[queueTail] = k;
        queueSizes[queueTail] = bytes;
        queueWrites[queueTail] = w;
        queueTail++;
    }

    /** Queues {@code count} accesses to keys {@code first, first + 1, ...}, after any emitted. */
    protected final void emitRun(long first, long count, boolean w) {
        runNext = first;
        runLeft = count;
        runWrite = w;
        runBase = 0;
        runStartByte = 0;
        runEndByte = 0;
    }

    /**
     * Queues one access per 4 KiB page of the bytes {@code [offset, offset + length)}, after any
     * emitted, each standing for the bytes of the range in its page; the key of page p is
     * {@code base | p}. Requires: {@code length >= 1}, {@code offset + length} without overflow,
     * the pages below {@code base}'s lowest set bit.
     */
    protected final void emitBytes(long base, long offset, long length, boolean w) {
        long first = offset >>> Access.PAGE_SHIFT;
        long last = (offset + length - 1) >>> Access.PAGE_SHIFT;
        runNext = first;
        runLeft = last - first + 1;
        runWrite = w;
        runBase = base;
        runStartByte = offset;
        runEndByte = offset + length;
    }

    // ---- fields of the current line ----

    /**
     * Splits {@code text} into fields separated by runs of whitespace ({@code delim == 0}) or by
     * the single character {@code delim}; returns how many there are.
     */
    protected final int split(String text, char delim) {
        line = text;
        fields = 0;
        int n = text.length();
        if (delim == 0) {
            int i = 0;
            while (i < n) {
                while (i < n && text.charAt(i) <= ' ') {
                    i++;
                }
                if (i == n) {
                    break;
                }
                int s = i;
                while (i < n && text.charAt(i) > ' ') {
                    i++;
                }
                addField(s, i);
            }
        } else {
            int s = 0;
            for (int i = 0; i <= n; i++) {
                if (i == n || text.charAt(i) == delim) {
                    int a = s;
                    int b = i;
                    while (a < b && text.charAt(a) == ' ') {
                        a++;
                    }
                    while (b > a && text.charAt(b - 1) == ' ') {
                        b--;
                    }
                    addField(a, b);
                    s = i + 1;
                }
            }
        }
        return fields;
    }

    private void addField(int s, int e) {
        if (fields < MAX_FIELDS) {
            starts[fields] = s;
            ends[fields] = e;
        }
        fields++;
    }

    /** Field {@code i} of the last split line, as a string (for messages and rare cases). */
    protected final String field(int i) {
        return line.substring(starts[i], ends[i]);
    }

    /** Whether field {@code i} equals {@code s}. */
    protected final boolean fieldIs(int i, String s) {
        return ends[i] - starts[i] == s.length() && line.startsWith(s, starts[i]);
    }

    /** The form {@link #hexField} reads, as its errors name it. */
    static final String HEX = "1 to 16 hexadecimal digits, with or without 0x";
    /** The form {@link #decimalField} reads, as its errors name it. */
    static final String DECIMAL = "a decimal integer from 0 to 18446744073709551615";
    /** The form {@link #addressField} reads, as its errors name it. */
    static final String ADDRESS = "0x and 1 to 16 hexadecimal digits, or a decimal integer below 2^64";
    /** The form {@link #pidField} reads, as its errors name it. */
    static final String PID = "a decimal process id from 0 to " + Integer.MAX_VALUE;

    /** Field {@code i} as an unsigned hexadecimal number ({@link #HEX}). */
    protected final long hexField(int i, String what) {
        int s = starts[i];
        int e = ends[i];
        if (e - s > 2 && line.charAt(s) == '0' && (line.charAt(s + 1) | 0x20) == 'x') {
            s += 2;
        }
        return parseHex(s, e, i, what, HEX);
    }

    /** Field {@code i} as an unsigned decimal number ({@link #DECIMAL}). */
    protected final long decimalField(int i, String what) {
        return parseDecimal(starts[i], ends[i], i, what, DECIMAL);
    }

    /** Field {@code i} as an address: hexadecimal with {@code 0x}, decimal without ({@link #ADDRESS}). */
    protected final long addressField(int i, String what) {
        int s = starts[i];
        int e = ends[i];
        if (e - s > 2 && line.charAt(s) == '0' && (line.charAt(s + 1) | 0x20) == 'x') {
            return parseHex(s + 2, e, i, what, ADDRESS);
        }
        return parseDecimal(s, e, i, what, ADDRESS);
    }

    /** Field {@code i} as a process id, a decimal int ({@link #PID}). */
    protected final int pidField(int i) {
        long p = parseDecimal(starts[i], ends[i], i, "pid", PID);
        if (p < 0 || p > Integer.MAX_VALUE) {
            throw bad("pid", field(i), PID);
        }
        return (int) p;
    }

    private long parseHex(int s, int e, int i, String what, String expected) {
        if (s == e || e - s > 16) {
            throw bad(what, field(i), expected);
        }
        long v = 0;
        for (int p = s; p < e; p++) {
            int d = Character.digit(line.charAt(p), 16);
            if (d < 0) {
                throw bad(what, field(i), expected);
            }
            v = (v << 4) | d;
        }
        return v;
    }

    private long parseDecimal(int s, int e, int i, String what, String expected) {
        if (s == e || e - s > 20) {
            throw bad(what, field(i), expected);
        }
        long v = 0;
        for (int p = s; p < e; p++) {
            char c = line.charAt(p);
            if (c < '0' || c > '9') {
                throw bad(what, field(i), expected);
            }
            v = v * 10 + (c - '0');
        }
        if (e - s >= 19) {
            try {
                v = Long.parseUnsignedLong(line, s, e, 10);
            } catch (NumberFormatException ex) {
                throw bad(what, field(i), expected);
            }
        }
        return v;
    }

    /**
     * The exception for a bad value on the current line, naming what the reader expected there:
     * {@code FILE:LINE: bad WHAT 'VALUE' (expected EXPECTED)}, the value escaped.
     */
    protected final TraceException bad(String what, String value, String expected) {
        return TraceException.atLine(file, lineNo, "bad " + what + " '" + Escape.quote(value) + "' (expected " + expected + ")");
    }

    /**
     * The exception for a line of the wrong shape: {@code FILE:LINE: bad record 'LINE' (expected
     * EXPECTED)}, the line stripped and escaped.
     */
    protected final TraceException badRecord(String line, String expected) {
        return TraceException.atLine(file, lineNo, "bad record '" + Escape.quote(line.strip()) + "' (expected " + expected + ")");
    }

    @Override
    public final TraceException errorAtRecord(String problem) {
        return TraceException.atLine(file, lineNo, problem);
    }

    /** The exception for any other problem on the current line. */
    protected final TraceException problem(String text) {
        return TraceException.atLine(file, lineNo, text);
    }

    @Override
    public final Access.Kind kind() {
        return kind;
    }

    @Override
    public final long key() {
        return key;
    }

    @Override
    public final boolean write() {
        return write;
    }

    @Override
    public final int pid() {
        return pid;
    }

    @Override
    public final long size() {
        return size;
    }

    @Override
    public final String file() {
        return file;
    }

    @Override
    public final void close() {
        input.close();
    }

    @Override
    public double fractionRead() {
        return input.fractionRead();
    }
}
