package org.pagelab.rmap;

/**
 * What takes the place of an anonymous folio's PTEs when {@link Rmap#tryToUnmap} removes
 * them: a swap entry (reclaim) or a poison entry (memory-failure), one per page of the folio.
 */
@FunctionalInterface
public interface UnmapEntry {
    /** The non-present PTE for page {@code subpage} of the folio. */
    long entryFor(int subpage);
}
