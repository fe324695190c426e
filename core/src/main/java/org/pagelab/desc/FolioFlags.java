package org.pagelab.desc;

/**
 * The folio flag word: one {@code int} per folio, the kernel's {@code folio->flags}.
 *
 * <pre>
 *  31        24 23 22 21 20 19 18 17 16 15 14 13 12 11 10  9  8  7  6  5  4  3  2  1  0
 * +-----------+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 * |  lru gen  |  |  |  |  |  |  |  |  |  |  |  |  |  |  |  |  |  |  |  |  |  |  |  |  |
 * |  and tier |  |  |  |  |  |  |  |  |  |  |  |  |  |  |  |  |  |  |  |  |  |  |  |  locked
 * +-----------+  |  |  |  |  |  |  |  |  |  |  |  |  |  |  |  |  |  |  |  |  |  |  referenced
 *   (reserved)   |  |  |  |  |  |  |  |  |  |  |  |  |  |  |  |  |  |  |  |  |  uptodate
 *                |  |  |  |  |  |  |  |  |  |  |  |  |  |  |  |  |  |  |  |  dirty
 *                |  |  |  |  |  |  |  |  |  |  |  |  |  |  |  |  |  |  |  lru
 *                |  |  |  |  |  |  |  |  |  |  |  |  |  |  |  |  |  |  active
 *                |  |  |  |  |  |  |  |  |  |  |  |  |  |  |  |  |  workingset
 *                |  |  |  |  |  |  |  |  |  |  |  |  |  |  |  |  error
 *                |  |  |  |  |  |  |  |  |  |  |  |  |  |  |  writeback
 *                |  |  |  |  |  |  |  |  |  |  |  |  |  |  reclaim
 *                |  |  |  |  |  |  |  |  |  |  |  |  |  swapbacked
 *                |  |  |  |  |  |  |  |  |  |  |  |  unevictable
 *                |  |  |  |  |  |  |  |  |  |  |  mlocked
 *                |  |  |  |  |  |  |  |  |  |  hwpoison
 *                |  |  |  |  |  |  |  |  |  readahead
 *                |  |  |  |  |  |  |  |  swapcache
 *                |  |  |  |  |  |  |  mappedtodisk
 *                |  |  |  |  |  |  anon_exclusive
 *                |  |  |  |  |  isolated
 *                |  |  |  |  dropbehind
 *                +--+--+--+-- free (bits 20..23)
 * </pre>
 *
 * The low {@value #FLAG_BITS} bits are the {@link Flag}s, one bit each in declaration order; the
 * top {@value #GEN_BITS} bits are reserved for a multi-generational LRU's generation and tier, as
 * the kernel keeps them in the same word. {@link #pack} and {@link #gen}/{@link #test} are the one
 * encoder and its extractors.
 */
public final class FolioFlags {
    /** Width of the flag field. */
    public static final int FLAG_BITS = 24;
    /** Width of the generation field above it. */
    public static final int GEN_BITS = 32 - FLAG_BITS;
    /** Shift of the generation field. */
    public static final int GEN_SHIFT = FLAG_BITS;
    /** Mask of the flag field. */
    public static final int FLAG_MASK = (1 << FLAG_BITS) - 1;
    /** Mask of the generation field, unshifted. */
    public static final int GEN_MASK = (1 << GEN_BITS) - 1;

    /** One folio flag, named as in the kernel's page-flags.h. */
    public enum Flag {
        LOCKED, REFERENCED, UPTODATE, DIRTY, LRU, ACTIVE, WORKINGSET, ERROR, WRITEBACK, RECLAIM,
        SWAPBACKED, UNEVICTABLE, MLOCKED, HWPOISON, READAHEAD, SWAPCACHE, MAPPEDTODISK,
        ANON_EXCLUSIVE, ISOLATED, DROPBEHIND;

        /** This flag's bit in the word. */
        public int bit() {
            return 1 << ordinal();
        }

        /** The flag's name as the kernel prints it (lower case). */
        public String kernelName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    static {
        if (Flag.values().length > FLAG_BITS) {
            throw new ExceptionInInitializerError("folio flags overflow their " + FLAG_BITS + "-bit field");
        }
        if (FLAG_BITS + GEN_BITS != Integer.SIZE) {
            throw new ExceptionInInitializerError("folio flag word is not 32 bits wide");
        }
    }

    private FolioFlags() {
    }

    /** Packs a flag set and a generation into one word. Requires: {@code 0 <= gen <= GEN_MASK}. */
    public static int pack(int flagBits, int gen) {
        if ((flagBits & ~FLAG_MASK) != 0) {
            throw new IllegalArgumentException("flag bits outside the flag field: " + Integer.toHexString(flagBits));
        }
        if (gen < 0 || gen > GEN_MASK) {
            throw new IllegalArgumentException("generation out of range: " + gen);
        }
        return flagBits | (gen << GEN_SHIFT);
    }

    /** The flag field of {@code word}. */
    public static int flagBits(int word) {
        return word & FLAG_MASK;
    }

    /** The generation field of {@code word}. */
    public static int gen(int word) {
        return (word >>> GEN_SHIFT) & GEN_MASK;
    }

    /** Whether {@code flag} is set in {@code word}. */
    public static boolean test(int word, Flag flag) {
        return (word & flag.bit()) != 0;
    }

    /** Renders the set flags as the kernel's dump_page does: {@code uptodate|dirty|lru}. */
    public static String describe(int word) {
        StringBuilder sb = new StringBuilder();
        for (Flag f : Flag.values()) {
            if (test(word, f)) {
                if (!sb.isEmpty()) {
                    sb.append('|');
                }
                sb.append(f.kernelName());
            }
        }
        int g = gen(word);
        if (g != 0) {
            sb.append(sb.isEmpty() ? "" : "|").append("gen=").append(g);
        }
        return sb.toString();
    }
}
