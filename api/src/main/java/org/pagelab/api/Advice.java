package org.pagelab.api;

/** The madvise(2) advice pagelab models. */
public enum Advice {
    /** MADV_DONTNEED: drop the pages; the next access faults zero pages (or the file's) back in. */
    DONTNEED,
    /** MADV_COLD: deactivate the pages, so reclaim takes them first. */
    COLD,
    /** MADV_PAGEOUT: reclaim the pages now (anonymous pages go to swap). */
    PAGEOUT,
    /** MADV_HUGEPAGE: the range may have huge pages when transparent_hugepage is madvise. */
    HUGEPAGE,
    /** MADV_NOHUGEPAGE: the range never gets huge pages. */
    NOHUGEPAGE,
    /**
     * MADV_COLLAPSE: collapse each aligned 2 MiB of the range into one huge page now, whatever the
     * transparent_hugepage settings; fails (EAGAIN, EBUSY, ENOMEM, EINVAL) as the kernel does.
     */
    COLLAPSE
}
