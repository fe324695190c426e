package org.pagelab.reclaim;

/**
 * What reclaim does with an isolated inactive folio after looking at its references, the kernel's
 * {@code enum folio_references}. Decided by {@link ReclaimPolicy#checkReferences}.
 */
public enum FolioReferences {
    /** Used often enough: put it back on the active list. */
    ACTIVATE,
    /** Used once since it was last looked at: put it back on the inactive list for another round. */
    KEEP,
    /** Unused: reclaim it, writing it back first if it is dirty. */
    RECLAIM,
    /** Used only through an unmapped access: reclaim it if it is clean, but do not start writeback. */
    RECLAIM_CLEAN
}
