package org.pagelab.memory;

import java.util.Locale;

/**
 * The transparent_hugepage setting (/sys/kernel/mm/transparent_hugepage/enabled): when an
 * anonymous fault may allocate a PMD-sized folio.
 */
public enum TransparentHugepage {
    /** Every private anonymous VMA, unless madvise(MADV_NOHUGEPAGE) marked it (the Kconfig default). */
    ALWAYS,
    /** Only VMAs that madvise(MADV_HUGEPAGE) marked. */
    MADVISE,
    /** Never. */
    NEVER;

    /** The setting's name as the kernel spells it: always, madvise, never. */
    public String kernelName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The file's text, the current choice in brackets: "[always] madvise never". */
    public String render() {
        StringBuilder sb = new StringBuilder();
        for (TransparentHugepage t : values()) {
            if (!sb.isEmpty()) {
                sb.append(' ');
            }
            sb.append(t == this ? "[" + t.kernelName() + "]" : t.kernelName());
        }
        return sb.toString();
    }

    /** Parses always, madvise or never; throws naming the text otherwise. */
    public static TransparentHugepage parse(String text) {
        for (TransparentHugepage t : values()) {
            if (t.kernelName().equals(text)) {
                return t;
            }
        }
        throw new IllegalArgumentException("bad transparent_hugepage '" + text + "': expected always, madvise or never");
    }
}
