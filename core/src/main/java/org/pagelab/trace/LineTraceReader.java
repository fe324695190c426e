package org.pagelab.trace;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The shared half of the text readers: line reading with line numbers, splitting a line into
 * fields without copying, number parsing that names the bad value, and a queue for lines that
 * stand for several accesses (a lackey access across a page boundary, an ARC run of blocks).
 *
 * <p>A subclass implements {@link #parseLine}, which calls {@link #emit} once per access the
 * line stands for (or {@link #emitRun} for a run of consecutive blocks), or nothing for a line
 * that holds no access.
 */
abstract class LineTraceReader implements TraceReader {

    private static final int MAX_FIELDS = 16;

    private final String file;
    private final TraceInput input;
    private final BufferedReader lines;
    private long lineNo;

    private final Access.Kind kind;
    private long key;
    private boolean write;
    /** The pid of the accesses of the line being parsed and of the current access. */
    protected int pid;

    private long[] queueKeys = new long[4];
    private boolean[] queueWrites = new boolean[4];
    private int queueHead;
    private int queueTail;

    private long runNext;
    private long runLeft;
    private boolean runWrite;

    private String line;
    private final int[] starts = new int[MAX_FIELDS];
    private final int[] ends = new int[MAX_FIELDS];
    private int fields;

    LineTraceReader(TraceInput input, String file, Access.Kind kind) {
        this.file = file;
        this.input = input;
        this.kind = kind;
        this.lines = new BufferedReader(
                new InputStreamReader(input.in, StandardCharsets.ISO_8859_1), 1 << 16);
    }

    /** Parses one line (without its terminator), emitting the accesses it stands for. */
    protected abstract void parseLine(String line);

    @Override
    public final boolean next() {
        for (;;) {
            if (queueHead < queueTail) {
                key = queueKeys[queueHead];
                write = queueWrites[queueHead];
                queueHead++;
                return true;
            }
            if (runLeft > 0) {
                key = runNext++;
                write = runWrite;
                runLeft--;
                return true;
            }
            String text;
            try {
                text = lines.readLine();
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

    /** Queues one access with key {@code k} for the line being parsed. */
    protected final void emit(long k, boolean w) {
        if (queueTail == queueKeys.length) {
            queueKeys = Arrays.copyOf(queueKeys, queueTail * 2);
            queueWrites = Arrays.copyOf(queueWrites, queueTail * 2);
        }
        queueKeys[queueTail] = k;
        queueWrites[queueTail] = w;
        queueTail++;
    }

    /** Queues {@code count} accesses to keys {@code first, first + 1, ...}, after any emitted. */
    protected final void emitRun(long first, long count, boolean w) {
        runNext = first;
        runLeft = count;
        runWrite = w;
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

    /** Field {@code i} as an unsigned hexadecimal number, with or without {@code 0x}. */
    protected final long hexField(int i, String what) {
        int s = starts[i];
        int e = ends[i];
        if (e - s > 2 && line.charAt(s) == '0' && (line.charAt(s + 1) | 0x20) == 'x') {
            s += 2;
        }
        return parseHex(s, e, i, what);
    }

    /** Field {@code i} as an unsigned decimal number. */
    protected final long decimalField(int i, String what) {
        return parseDecimal(starts[i], ends[i], i, what);
    }

    /** Field {@code i} as an address: hexadecimal with {@code 0x}, decimal without. */
    protected final long addressField(int i, String what) {
        int s = starts[i];
        int e = ends[i];
        if (e - s > 2 && line.charAt(s) == '0' && (line.charAt(s + 1) | 0x20) == 'x') {
            return parseHex(s + 2, e, i, what);
        }
        return parseDecimal(s, e, i, what);
    }

    private long parseHex(int s, int e, int i, String what) {
        if (s == e || e - s > 16) {
            throw bad(what, field(i));
        }
        long v = 0;
        for (int p = s; p < e; p++) {
            int d = Character.digit(line.charAt(p), 16);
            if (d < 0) {
                throw bad(what, field(i));
            }
            v = (v << 4) | d;
        }
        return v;
    }

    private long parseDecimal(int s, int e, int i, String what) {
        if (s == e || e - s > 20) {
            throw bad(what, field(i));
        }
        long v = 0;
        for (int p = s; p < e; p++) {
            char c = line.charAt(p);
            if (c < '0' || c > '9') {
                throw bad(what, field(i));
            }
            v = v * 10 + (c - '0');
        }
        if (e - s >= 19) {
            try {
                v = Long.parseUnsignedLong(line, s, e, 10);
            } catch (NumberFormatException ex) {
                throw bad(what, field(i));
            }
        }
        return v;
    }

    /** The exception for a bad value on the current line: {@code FILE:LINE: bad WHAT 'VALUE'}. */
    protected final TraceException bad(String what, String value) {
        return TraceException.atLine(file, lineNo, "bad " + what + " '" + value + "'");
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
