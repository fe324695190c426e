package org.pagelab.filemap;

import org.pagelab.desc.ShmemFolio;
import org.pagelab.desc.SwapEntry;
import org.pagelab.phys.PageAllocator;
import org.pagelab.slab.KmemCache;
import org.pagelab.stat.VmItem;
import org.pagelab.stat.VmStat;

/**
 * The cache of a shmem or tmpfs file: {@link ShmemFolio}s, and in the slots of pages out in swap
 * their {@link SwapEntry}, a value entry as a shadow is. Its pages count in NR_SHMEM as well as
 * NR_FILE_PAGES; their dirt is only a flag (no writeback looks for it: reclaim swaps them out).
 * Only this cache can leave a swap entry behind ({@link #removeForSwap}).
 */
public final class ShmemCache extends FileCache<ShmemFolio> {
    ShmemCache(String owner, KmemCache nodeCache, PageAllocator phys, VmStat vmstat) {
        super(Kind.SHMEM, ShmemFolio.class, owner, nodeCache, phys, vmstat);
    }

    @Override
    void accountPages(long pages) {
        super.accountPages(pages);
        vmstat.add(VmItem.NR_SHMEM, pages);
    }

    /**
     * The cache half of shmem_writepage (shmem_delete_from_page_cache): removes shmem folio
     * {@code f}, leaving swap entry {@code entry}, which now holds its data, in its slots.
     * Requires: the folio is neither dirty nor under writeback.
     */
    public void removeForSwap(ShmemFolio f, SwapEntry entry) {
        removeLeaving(f, java.util.Objects.requireNonNull(entry));
    }
}
