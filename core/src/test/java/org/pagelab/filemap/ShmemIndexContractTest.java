package org.pagelab.filemap;

import org.pagelab.desc.CacheEntry;
import org.pagelab.desc.Folio;
import org.pagelab.desc.ShmemFolio;
import org.pagelab.desc.SwapEntry;

/**
 * The cache index contract, with the index a shmem file uses (an AddressSpace of kind SHMEM),
 * holding shmem folios and, for pages out in swap, their swap entries as value entries.
 */
class ShmemIndexContractTest extends CacheIndexContract {
    @Override
    protected CacheIndex newIndex() {
        return AddressSpace.shmem("shmem test", nodeCache, null, null).index();
    }

    @Override
    protected Folio newFolio(int pfn, int order) {
        return new ShmemFolio(pfn, order);
    }

    @Override
    protected CacheEntry newValue(long n) {
        return new SwapEntry((int) (n % SwapEntry.MAX_TYPES), n / SwapEntry.MAX_TYPES);
    }

    @Override
    protected String user() {
        return "shmem";
    }
}
