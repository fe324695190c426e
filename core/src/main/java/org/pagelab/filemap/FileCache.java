package org.pagelab.filemap;

import org.pagelab.desc.FileFolio;
import org.pagelab.phys.PageAllocator;
import org.pagelab.slab.KmemCache;
import org.pagelab.stat.VmStat;

/**
 * The cache of a file (its inode's address_space): a {@link PageCache} for a file with a backing
 * store, a {@link ShmemCache} for a shmem or tmpfs file. Its {@link #host} is the inode. Code that
 * treats every file alike (the rmap walk through the file's mappings, truncation, lookups) takes a
 * {@code FileCache<?>}; code that must tell the two apart switches over them, exhaustively:
 *
 * <pre>{@code
 * switch (inode.mapping()) {
 *     case PageCache pc -> readThroughTheStore(pc);
 *     case ShmemCache shm -> fromMemoryOrSwap(shm);
 * }
 * }</pre>
 *
 * @param <F> the kind of file folio the cache holds
 */
public abstract sealed class FileCache<F extends FileFolio> extends AddressSpace<F> permits PageCache, ShmemCache {
    private Inode host;

    FileCache(Kind kind, Class<F> folios, String owner, KmemCache nodeCache, PageAllocator phys, VmStat vmstat) {
        super(kind, folios, owner, nodeCache, phys, vmstat);
    }

    /** The file whose pages this cache holds (mapping->host); null only before its inode is made. */
    public final Inode host() {
        return host;
    }

    final void setHost(Inode inode) {
        this.host = inode;
    }

    /**
     * Inserts {@code f} at {@code first} (filemap_add_folio): takes one reference per page for the
     * cache and records the cache state. Returns false, changing nothing, when index nodes cannot be
     * allocated. Requires: no folio in the range, {@code first} aligned to the folio's size, the
     * folio in no cache.
     */
    public final boolean tryAdd(F f, long first) {
        return insert(f, first);
    }
}
