package org.pagelab.api;

import org.pagelab.memory.TransparentHugepage;

/** /sys/kernel/mm/transparent_hugepage/enabled. */
public enum Thp {
    /** Every large enough anonymous range gets 2 MiB folios (the kernel's Kconfig default). */
    ALWAYS(TransparentHugepage.ALWAYS),
    /** Only ranges advised with {@link Advice#HUGEPAGE}. */
    MADVISE(TransparentHugepage.MADVISE),
    /** Never. */
    NEVER(TransparentHugepage.NEVER);

    private final TransparentHugepage kernel;

    Thp(TransparentHugepage kernel) {
        this.kernel = kernel;
    }

    TransparentHugepage kernel() {
        return kernel;
    }
}
