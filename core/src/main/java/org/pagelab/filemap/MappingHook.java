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
    };

    /** Whether any VMA maps {@code inode}. */
    boolean mapped(Inode inode);

    /** Removes every PTE, in every process, that maps page {@code firstPage} or later of {@code inode}. */
    void unmapMappingRange(Inode inode, long firstPage);
}
