package org.pagelab.memory;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The setting of one transparent huge page size
 * (/sys/kernel/mm/transparent_hugepage/hugepages-&lt;N&gt;kB/enabled, Linux 6.8 and later): when an
 * anonymous fault may allocate a folio of that size. See {@link MthpSettings}.
 */
public enum MthpEnabled {
    /** Every private anonymous VMA not marked MADV_NOHUGEPAGE, whatever the top-level setting says. */
    ALWAYS,
    /** As the top-level transparent_hugepage/enabled says (the 2048 kB size's default). */
    INHERIT,
    /** Only VMAs that madvise(MADV_HUGEPAGE) marked. */
    MADVISE,
    /** Never (the default of every size but 2048 kB). */
    NEVER;

    /** The setting's name as the kernel spells it. */
    public String kernelName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The file's text, the current choice in brackets: "always inherit madvise [never]". */
    public String render() {
        return Arrays.stream(values()).map(e -> e == this ? "[" + e.kernelName() + "]" : e.kernelName())
                .collect(Collectors.joining(" "));
    }

    /** Parses always, inherit, madvise or never; throws naming the text otherwise. */
    public static MthpEnabled parse(String text) {
        for (MthpEnabled e : values()) {
            if (e.kernelName().equals(text)) {
                return e;
            }
        }
        throw new IllegalArgumentException("bad hugepages-<size>kB/enabled '" + text
                + "': expected always, inherit, madvise or never");
    }
}
