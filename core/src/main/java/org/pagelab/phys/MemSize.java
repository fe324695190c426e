package org.pagelab.phys;

import java.util.Locale;

/**
 * Memory sizes in human units: "512M", "8G", "64K", "4096" (bytes), as command lines and scenario
 * files write them. Suffixes K, M, G, T are powers of 1024, upper or lower case, with an optional
 * trailing "B" or "iB" ("512MiB").
 */
public final class MemSize {
    /** log2 of {@link #PAGE_SIZE}: {@link org.pagelab.desc.MemDesc#PAGE_SHIFT}, where the page size is declared. */
    public static final int PAGE_SHIFT = org.pagelab.desc.MemDesc.PAGE_SHIFT;
    /** Bytes per frame (PAGE_SIZE, 4 KiB): {@link org.pagelab.desc.MemDesc#PAGE_SIZE}. */
    public static final int PAGE_SIZE = org.pagelab.desc.MemDesc.PAGE_SIZE;

    private MemSize() {
    }

    /**
     * Parses {@code text} into bytes. Throws {@link IllegalArgumentException} whose message quotes
     * the value and says what was expected.
     */
    public static long parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("invalid size '" + text + "': expected a number with an optional K, M, G or T suffix");
        }
        String s = text.trim().toUpperCase(Locale.ROOT);
        if (s.endsWith("IB")) {
            s = s.substring(0, s.length() - 2);
        } else if (s.endsWith("B")) {
            s = s.substring(0, s.length() - 1);
        }
        int shift = 0;
        if (!s.isEmpty()) {
            switch (s.charAt(s.length() - 1)) {
                case 'K' -> shift = 10;
                case 'M' -> shift = 20;
                case 'G' -> shift = 30;
                case 'T' -> shift = 40;
                default -> shift = 0;
            }
        }
        String digits = shift == 0 ? s : s.substring(0, s.length() - 1);
        if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("invalid size '" + text + "': expected a number with an optional K, M, G or T suffix");
        }
        String significant = digits.replaceFirst("^0+(?=.)", "");
        if (significant.length() > 19 || Long.parseUnsignedLong(significant) > (Long.MAX_VALUE >> shift)) {
            throw new IllegalArgumentException("invalid size '" + text + "': too large, at most " + Long.MAX_VALUE + " bytes");
        }
        return Long.parseLong(significant) << shift;
    }

    /** Parses {@code text} as a size that must be a positive whole number of pages. */
    public static long parsePages(String text) {
        long bytes = parse(text);
        if (bytes <= 0 || bytes % PAGE_SIZE != 0) {
            throw new IllegalArgumentException("invalid size '" + text + "': must be a positive multiple of 4K");
        }
        return bytes / PAGE_SIZE;
    }

    /** Formats {@code bytes} with the largest exact unit: 536870912 -> "512M". */
    public static String format(long bytes) {
        String[] units = {"", "K", "M", "G", "T"};
        int u = 0;
        long v = bytes;
        while (u < units.length - 1 && v != 0 && v % 1024 == 0) {
            v /= 1024;
            u++;
        }
        return v + units[u];
    }
}
