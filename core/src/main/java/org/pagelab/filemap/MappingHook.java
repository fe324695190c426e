package org.pagelab.filemap;

/**
 * What the file system needs from the process layer about files mapped into address spaces:
 * whether a file is mapped (a mapping keeps an unlinked file alive, as the VMA's file reference
 * does), and unmapping a range of a file from every process before truncation removes its pages
 * (unmap_mapping_range).
 */
public interface MappingHook {
    /** No process layer: nothing is ever mapped. */
    MappingHook NONE = new MappingHook() {
        @Override
        public boolean mapped(Inode inode) {
            return false;
        }

        @Override
        public void unmapMappingRange(Inode inode, long firstPage) {
        }

        @Override
        public void mkclean(Inode inode, org.pagelab.desc.Folio folio) {
        }

        @Override
        public boolean splitFolio(org.pagelab.desc.PageCacheFolio folio) {
            return false;
        }
    };

    /** Whether any VMA maps {@code inode}. */
    boolean mapped(Inode inode);

    /** Removes every PTE, in every process, that maps page {@code firstPage} or later of {@code inode}. */
    void unmapMappingRange(Inode inode, long firstPage);

    /**
     * folio_mkclean: before {@code folio} of {@code inode} is written back, write-protects and
     * cleans every PTE that maps it, so the next write through a mapping faults and dirties the
     * folio again instead of changing it unseen.
     */
    void mkclean(Inode inode, org.pagelab.desc.Folio folio);

    /**
     * split_folio for truncation: splits large page-cache folio {@code folio}, unmapping it first,
     * into order-0 folios; the pages wholly beyond the end of file leave the cache. Returns false,
     * leaving it whole, when it cannot be split (a GUP get or pin holds it, or no process layer is
     * there to unmap it).
     */
    boolean splitFolio(org.pagelab.desc.PageCacheFolio folio);
}
