package org.pagelab.memory;

/**
 * The transparent_hugepage defrag setting (/sys/kernel/mm/transparent_hugepage/defrag): what a
 * THP fault may do when no PMD-sized block is free (mm/huge_memory.c, vma_thp_gfp_mask).
 */
public enum ThpDefrag {
    /** Direct reclaim and compaction for every VMA (with __GFP_NORETRY unless MADV_HUGEPAGE). */
    ALWAYS("always"),
    /** Wake kswapd and kcompactd, and fall back to small pages at once. */
    DEFER("defer"),
    /** Direct compaction for MADV_HUGEPAGE VMAs; defer for the others. */
    DEFER_MADVISE("defer+madvise"),
    /** Direct compaction for MADV_HUGEPAGE VMAs; nothing more for the others (the kernel's default). */
    MADVISE("madvise"),
    /** Never more than the free lists give. */
    NEVER("never");

    private final String kernelName;

    ThpDefrag(String kernelName) {
        this.kernelName = kernelName;
    }

    /** The setting's name as the kernel spells it. */
    public String kernelName() {
        return kernelName;
    }

    /** The file's text, the current choice in brackets: "always defer defer+madvise [madvise] never". */
    public String render() {
        StringBuilder sb = new StringBuilder();
        for (ThpDefrag d : values()) {
            if (!sb.isEmpty()) {
                sb.append(' ');
            }
            sb.append(d == this ? "[" + d.kernelName + "]" : d.kernelName);
        }
        return sb.toString();
    }

    /** Parses a setting by its kernel name; throws naming the text and the choices otherwise. */
    public static ThpDefrag parse(String text) {
        for (ThpDefrag d : values()) {
            if (d.kernelName.equals(text)) {
                return d;
            }
        }
        throw new IllegalArgumentException("bad transparent_hugepage defrag '" + text
                + "': expected always, defer, defer+madvise, madvise or never");
    }
}
