package org.pagelab.gup;

import org.pagelab.desc.AnonFolio;
import org.pagelab.desc.FileFolio;

/**
 * What a get or pin gives the caller for each page as it takes it: the folio as its sealed type,
 * and the subpage. A caller that only needs the pages held takes the visitor-less entry points,
 * whose {@link Gup.Held} results keep the same types ({@link Gup.Held#visit} hands one to a visitor later).
 */
public interface PageVisitor {
    /** Page {@code subpage} of anonymous folio {@code folio}. */
    void anon(AnonFolio folio, int subpage);

    /** Page {@code subpage} of file (page cache or shmem) folio {@code folio}. */
    void file(FileFolio folio, int subpage);

    /** The shared zero page, at frame {@code pfn}, mapped where no page was ever written. */
    void zeroPage(int pfn);
}
