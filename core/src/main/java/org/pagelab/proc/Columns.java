package org.pagelab.proc;

/** Column padding as printf's {@code %-Ns} and {@code %Ns} do it, for the /proc renderers. */
final class Columns {
    private Columns() {
    }

    /** {@code s} followed by spaces up to {@code width} characters ({@code %-Ns}). */
    static String padRight(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    /** {@code s} preceded by spaces up to {@code width} characters ({@code %Ns}). */
    static String padLeft(String s, int width) {
        return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
    }
}
