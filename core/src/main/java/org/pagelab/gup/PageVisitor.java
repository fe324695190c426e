package org.pagelab.gup;

import org.pagelab.desc.AnonFolio;
import org.pagelab.desc.FileFolio;

/** What a get or pin gives the caller for each page: the folio as its sealed type, and the subpage. */
public interface PageVisitor {
    /** Page {@code subpage} of anonymous folio {@code folio}. */
    void anon(AnonFolio folio, int subpage);

    /** Page {@code subpage} of file (page cache or shmem) folio {@code folio}. */
    void file(FileFolio folio, int subpage);

    /** The shared zero page, at frame {@code pfn}, mapped where no page was ever written. */
    void zeroPage(int pfn);

    /** A visitor that looks at nothing. */
    PageVisitor NONE = new PageVisitor() {
        @Override
        public void zeroPage(int pfn) {
        }

        @Override
        public void anon(AnonFolio folio, int subpage) {
        }

        @Override
        public void file(FileFolio folio, int subpage) {
        }
    };
}
