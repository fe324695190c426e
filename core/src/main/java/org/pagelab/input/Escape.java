package org.pagelab.input;

/**
 * User input quoted for a one-line message: printable ASCII stays as it is, a backslash is
 * doubled, tab, newline and carriage return become {@code \t}, {@code \n}, {@code \r}, and every
 * other character becomes {@code \xNN} (below 0x100) or {@code \x{N}} above; the result is cut to
 * {@link #MAX_QUOTED} characters, with "..." marking a cut.
 */
public final class Escape {
    /** Longest quoted text before the "..." that marks a cut. */
    public static final int MAX_QUOTED = 80;

    private Escape() {
    }

    /**
     * {@code text} escaped and cut to {@link #MAX_QUOTED} characters. Text read as ISO-8859-1 (one
     * char per byte, as the trace readers do) comes out as the bytes it was.
     */
    public static String quote(String text) {
        if (text == null) {
            return "(null)";
        }
        StringBuilder sb = new StringBuilder(Math.min(text.length(), MAX_QUOTED) + 8);
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            String e = escape(c);
            if (sb.length() + e.length() > MAX_QUOTED) {
                return sb.append("...").toString();
            }
            sb.append(e);
            i += Character.charCount(c);
        }
        return sb.toString();
    }

    /**
     * {@code text} with every character that could break a one-line message or play tricks on a
     * terminal escaped as {@link #quote} does (control characters, line and paragraph separators,
     * invisible format characters such as bidirectional overrides, lone surrogates); everything
     * else, other scripts included, stays as it is, and nothing is cut. The safety net of every
     * error message that quotes input.
     */
    public static String line(String text) {
        StringBuilder sb = null;
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            int n = Character.charCount(c);
            if (unsafe(c)) {
                if (sb == null) {
                    sb = new StringBuilder(text.length() + 16).append(text, 0, i);
                }
                sb.append(escape(c));
            } else if (sb != null) {
                sb.appendCodePoint(c);
            }
            i += n;
        }
        return sb == null ? text : sb.toString();
    }

    private static boolean unsafe(int c) {
        int type = Character.getType(c);
        return Character.isISOControl(c) || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR || type == Character.SURROGATE;
    }

    /** Whether {@code text} would be quoted as it is (printable ASCII, no backslash). */
    public static boolean plain(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '\\') {
                return false;
            }
        }
        return true;
    }

    private static String escape(int c) {
        if (c >= 0x20 && c < 0x7f) {
            return c == '\\' ? "\\\\" : String.valueOf((char) c);
        }
        return switch (c) {
            case '\t' -> "\\t";
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            default -> c < 0x100 ? String.format("\\x%02x", c) : "\\x{" + Integer.toHexString(c) + "}";
        };
    }
}
