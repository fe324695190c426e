package org.pagelab.filemap;

import org.pagelab.desc.Folio;
import org.pagelab.desc.PageCacheFolio;
import org.pagelab.phys.PageAllocator;
import org.pagelab.slab.KmemCache;
import org.pagelab.stat.VmItem;
import org.pagelab.stat.VmStat;

/**
 * The page cache of a file with a backing store: {@link PageCacheFolio}s and the shadows reclaim
 * leaves. Its dirt is what writeback looks for: a dirty folio's first slot carries the DIRTY mark
 * and counts in nr_dirty (the kernel's filemap_dirty_folio); a block file system's folios carry
 * buffer heads, freed as they leave.
 */
public final class PageCache extends FileCache<PageCacheFolio> {
    /** MAX_PAGECACHE_ORDER: the largest folio readahead adds, PMD-sized; such folios count in nr_file_hugepages. */
    public static final int MAX_FOLIO_ORDER = Readahead.MAX_PAGECACHE_ORDER;

    private BufferHeads buffers;
    private boolean largeFolios;

    PageCache(String owner, KmemCache nodeCache, PageAllocator phys, VmStat vmstat) {
        super(Kind.PAGE_CACHE, PageCacheFolio.class, owner, nodeCache, phys, vmstat);
    }

    /**
     * mapping_large_folio_support: whether readahead may add folios larger than a page here. The
     * file system decides it when it makes the inode ({@link Vfs#setLargeFolios}).
     */
    public boolean largeFolios() {
        return largeFolios;
    }

    /** mapping_set_large_folios, or its absence. */
    void setLargeFolios(boolean on) {
        this.largeFolios = on;
    }

    /** A PMD-sized folio counts in nr_file_hugepages (NR_FILE_THPS) while it is in the cache. */
    @Override
    void accountHuge(Folio f, int sign) {
        if (f.order() == MAX_FOLIO_ORDER) {
            vmstat.add(VmItem.NR_FILE_HUGEPAGES, sign);
        }
    }

    /** The buffer heads its folios may carry, freed as they leave (a page cache of a block file system). */
    void setBuffers(BufferHeads b) {
        this.buffers = b;
    }

    @Override
    void leaving(Folio f) {
        if (buffers != null) {
            buffers.release(f); // try_to_free_buffers, before the folio leaves
        }
    }

    @Override
    void migrated(Folio src, Folio dst) {
        if (buffers != null) {
            buffers.migrate(src, dst); // buffer_migrate_folio
        }
    }

    /**
     * The cache half of splitting large folio {@code old} (see {@link AddressSpace#splitFolio}):
     * {@code parts[k]} takes slot {@code old.index() + k}, the DIRTY mark going with the flag; a
     * null part's slot is emptied. Requires: {@code old} in this cache, not under writeback.
     */
    public void splitPageCacheFolio(PageCacheFolio old, PageCacheFolio[] parts) {
        splitFolio(old, parts);
    }

    @Override
    void dirtied(Folio f) {
        index().setMark(f.index(), CacheIndex.Mark.DIRTY);
        vmstat.add(VmItem.NR_DIRTY, f.nrPages());
        vmstat.add(VmItem.NR_DIRTIED, f.nrPages());
    }

    @Override
    void cleaned(Folio f) {
        index().clearMark(f.index(), CacheIndex.Mark.DIRTY);
        vmstat.add(VmItem.NR_DIRTY, -f.nrPages());
    }

    @Override
    boolean tagsDirty() {
        return true;
    }
}
