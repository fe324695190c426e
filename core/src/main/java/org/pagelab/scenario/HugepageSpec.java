package org.pagelab.scenario;

import java.util.Map;

/**
 * The per-size transparent huge page settings and khugepaged tunables a scenario's machine
 * starts with: machine keys {@code transparent_hugepage_sizes} (size in kB to always, inherit,
 * madvise or never: /sys/kernel/mm/transparent_hugepage/hugepages-&lt;N&gt;kB/enabled) and
 * {@code khugepaged} (tunable to value: .../khugepaged/&lt;tunable&gt;),
 * {@code transparent_hugepage_use_zero_page} (0 or 1: .../use_zero_page), and whether the file
 * system takes large page-cache folios (machine key {@code large_folios}).
 *
 * @param sizes size in kB to its setting, in the file's order; empty for the kernel's defaults
 * @param khugepaged tunable to its value, in the file's order; empty for the kernel's defaults
 * @param useZeroPage whether a read fault maps the huge zero page, or null for the kernel's default (1)
 * @param largeFolios {@code large_folios: on}: readahead of the machine's files allocates large
 *                    folios ({@link org.pagelab.filemap.Vfs#setLargeFolios}); off by default
 */
public record HugepageSpec(Map<Integer, org.pagelab.memory.MthpEnabled> sizes,
                           Map<org.pagelab.memory.Khugepaged.Tunable, Long> khugepaged, Boolean useZeroPage,
                           boolean largeFolios) {
    /** No setting: the kernel's defaults. */
    public static final HugepageSpec NONE = new HugepageSpec(Map.of(), Map.of());

    /** The per-size settings and khugepaged tunables, with use_zero_page at its default and order-0 page-cache folios. */
    public HugepageSpec(Map<Integer, org.pagelab.memory.MthpEnabled> sizes,
                        Map<org.pagelab.memory.Khugepaged.Tunable, Long> khugepaged) {
        this(sizes, khugepaged, null, false);
    }

    /** The per-size settings, khugepaged tunables and use_zero_page, with order-0 page-cache folios. */
    public HugepageSpec(Map<Integer, org.pagelab.memory.MthpEnabled> sizes,
                        Map<org.pagelab.memory.Khugepaged.Tunable, Long> khugepaged, Boolean useZeroPage) {
        this(sizes, khugepaged, useZeroPage, false);
    }

    public HugepageSpec {
        sizes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(sizes));
        khugepaged = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(khugepaged));
    }

    /**
     * Applies the settings to {@code memory}; large_folios is the file system's, applied by the
     * runner before any file is made ({@link org.pagelab.filemap.Vfs#setLargeFolios}).
     */
    public void apply(org.pagelab.memory.MemoryManager memory) {
        sizes.forEach((kb, e) -> memory.mthp().setEnabled(org.pagelab.memory.MthpSettings.orderOfKb(kb), e));
        khugepaged.forEach((t, v) -> memory.khugepaged().set(t, v));
        if (useZeroPage != null) {
            memory.setUseZeroPage(useZeroPage);
        }
    }
}
