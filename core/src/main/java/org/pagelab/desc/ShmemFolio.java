package org.pagelab.desc;

/**
 * A shmem folio: a page of a shmem or tmpfs file (shared anonymous memory, memfd, tmpfs). Its data
 * has no copy but this one and, once swapped out, a swap slot; so it is swap-backed from birth, sits
 * on the anon LRU like an {@link AnonFolio}, and under pressure moves from its file's shmem cache
 * into a swap device's swap cache, its file slot then holding the {@link SwapEntry}. Only a shmem
 * cache ({@code org.pagelab.filemap.ShmemCache}) and a swap cache take it.
 */
public final class ShmemFolio extends FileFolio implements SwapBacked {
    public ShmemFolio(int pfn, int order) {
        super(pfn, order);
        set(FolioFlags.Flag.SWAPBACKED);
    }

    @Override
    public ShmemFolio folio() {
        return this;
    }
}
