package org.pagelab.filemap;

import org.pagelab.desc.Folio;

/**
 * The page cache's calls into the LRU lists: a folio that enters the cache joins an LRU list
 * (folio_add_lru, as filemap_add_folio does), and a read(2) of a cached page marks it accessed
 * (folio_mark_accessed). The reclaim subsystem installs the implementation.
 */
public interface LruHook {
    /** No LRU: folios are added and accessed without any list to join. */
    LruHook NONE = new LruHook() {
        @Override
        public void add(Folio f) {
        }

        @Override
        public void markAccessed(Folio f) {
            f.set(org.pagelab.desc.FolioFlags.Flag.REFERENCED);
        }

        @Override
        public void refault(Folio f, org.pagelab.desc.Shadow shadow) {
        }
    };

    /**
     * {@code f} was just added to a cache in place of {@code shadow}, the mark a reclaimed folio
     * left (workingset_refault); called before {@link #add}.
     */
    void refault(Folio f, org.pagelab.desc.Shadow shadow);

    /** {@code f}, just added to a cache, joins its LRU list. */
    void add(Folio f);

    /** {@code f} was accessed by a system call rather than through a page table. */
    void markAccessed(Folio f);
}
