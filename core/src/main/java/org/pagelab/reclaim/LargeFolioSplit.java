package org.pagelab.reclaim;

import java.util.List;
import org.pagelab.desc.AnonFolio;
import org.pagelab.desc.Folio;

/**
 * split_folio_to_list as reclaim uses it: the huge-page code (org.pagelab.memory) splits an
 * isolated large anonymous folio into order-0 folios when it is not swapped out whole (no PMD
 * maps it, or no swap cluster is free). Reclaim receives it
 * as this one operation so that it does not depend on the memory manager.
 */
@FunctionalInterface
public interface LargeFolioSplit {
    /**
     * Splits isolated large folio {@code f} into order-0 folios, each isolated in its place; pages
     * nothing maps are freed. Returns the pages still in use, or null when it cannot be split now
     * (a GUP get or pin holds it).
     */
    List<Folio> splitIsolated(AnonFolio f);
}
