package org.pagelab.reclaim;

import java.util.List;
import org.pagelab.desc.AnonFolio;
import org.pagelab.desc.Folio;

/**
 * split_folio_to_list and TTU_SPLIT_HUGE_PMD as reclaim uses them: the huge-page code
 * (org.pagelab.memory) splits an isolated large anonymous folio into order-0 folios when it is
 * not swapped out whole (no PMD maps it, or no swap cluster is free), and splits the PMD mappings
 * of one that is, before try_to_unmap replaces its PTEs with swap entries. Reclaim receives them
 * as these two operations so that it does not depend on the memory manager.
 */
public interface LargeFolioSplit {
    /**
     * Splits isolated large folio {@code f} into order-0 folios, each isolated in its place; pages
     * nothing maps are freed. Returns the pages still in use, or null when it cannot be split now
     * (a GUP get or pin holds it).
     */
    List<Folio> splitIsolated(AnonFolio f);

    /**
     * Splits every PMD mapping of large folio {@code f}, anonymous or page cache, into PTE
     * mappings (__split_huge_pmd, each counted in thp_split_pmd), so that try_to_unmap can
     * replace or clear them one by one; nothing when no PMD maps it.
     */
    void splitPmds(Folio f);
}
