package org.pagelab.api;

import org.pagelab.memory.MthpEnabled;

/** /sys/kernel/mm/transparent_hugepage/hugepages-&lt;N&gt;kB/enabled: when faults may get folios of one size. */
public enum ThpSize {
    /** Every private anonymous range large enough that is not advised {@link Advice#NOHUGEPAGE}. */
    ALWAYS(MthpEnabled.ALWAYS),
    /** As the top-level {@link Thp} setting says (2048 kB's default). */
    INHERIT(MthpEnabled.INHERIT),
    /** Only ranges advised with {@link Advice#HUGEPAGE}. */
    MADVISE(MthpEnabled.MADVISE),
    /** Never (every smaller size's default). */
    NEVER(MthpEnabled.NEVER);

    private final MthpEnabled kernel;

    ThpSize(MthpEnabled kernel) {
        this.kernel = kernel;
    }

    MthpEnabled kernel() {
        return kernel;
    }
}
