package org.pagelab.filemap;

import org.pagelab.desc.AnonFolio;
import org.pagelab.desc.Folio;

/**
 * The cache index contract, with the index a swap device's swap cache uses (an AddressSpace of
 * kind SWAP_CACHE, indexed by slot), holding anonymous folios and workingset shadows.
 */
class SwapCacheIndexContractTest extends CacheIndexContract {
    @Override
    protected CacheIndex newIndex() {
        return AddressSpace.swapCache("swap test", nodeCache, null, null).index();
    }

    @Override
    protected Folio newFolio(int pfn, int order) {
        return new AnonFolio(pfn, order);
    }

    @Override
    protected String user() {
        return "swap cache";
    }
}
