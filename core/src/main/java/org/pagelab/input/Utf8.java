package org.pagelab.input;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Strict UTF-8 decoding that says where the first byte that is not UTF-8 is. */
public final class Utf8 {
    private Utf8() {
    }

    /**
     * Where a byte sequence stops being UTF-8.
     *
     * @param offset 0-based offset of the first byte of the bad sequence
     * @param line 1-based line of that byte (lines end at '\n')
     * @param column 1-based byte column of that byte in its line
     * @param value the byte at {@code offset}, 0..255
     */
    public record Malformed(long offset, int line, int column, int value) {
        /** "byte 0xff at offset 17 (line 2, column 5) is not UTF-8". */
        public String describe() {
            return String.format("byte 0x%02x at offset %d (line %d, column %d) is not UTF-8 text", value, offset, line, column);
        }
    }

    /** Thrown by {@link #decode} for input that is not UTF-8. */
    public static final class NotUtf8Exception extends Exception {
        private final transient Malformed where;

        NotUtf8Exception(Malformed where) {
            super(where.describe(), null, false, false);
            this.where = where;
        }

        public Malformed where() {
            return where;
        }
    }

    /** {@code bytes} as a string, or {@link NotUtf8Exception} naming the first byte that is not UTF-8. */
    public static String decode(byte[] bytes) throws NotUtf8Exception {
        CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult r = dec.decode(in, out, true);
        if (r.isError()) {
            throw new NotUtf8Exception(at(bytes, in.position()));
        }
        r = dec.flush(out);
        if (r.isError()) {
            throw new NotUtf8Exception(at(bytes, in.position()));
        }
        return out.flip().toString();
    }

    private static Malformed at(byte[] bytes, int offset) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < offset; i++) {
            if (bytes[i] == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        int value = offset < bytes.length ? bytes[offset] & 0xff : 0;
        return new Malformed(offset, line, offset - lineStart + 1, value);
    }
}
