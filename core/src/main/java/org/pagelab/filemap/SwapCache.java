package org.pagelab.filemap;

import org.pagelab.desc.Folio;
import org.pagelab.desc.SwapBacked;
import org.pagelab.phys.PageAllocator;
import org.pagelab.slab.KmemCache;
import org.pagelab.stat.VmStat;

/**
 * The swap cache of one swap area, indexed by slot: the {@link SwapBacked} folios (anonymous, and
 * shmem on their way to or from swap) whose pages a slot holds or is about to, and the shadows
 * reclaim leaves. Its adds take only swap-backed folios, so {@link #lookupSwapBacked} can hand
 * them back typed, for an exhaustive switch over the two kinds. Dirt is only a flag here.
 */
public final class SwapCache extends AddressSpace<Folio> {
    SwapCache(String owner, KmemCache nodeCache, PageAllocator phys, VmStat vmstat) {
        super(Kind.SWAP_CACHE, Folio.class, owner, nodeCache, phys, vmstat);
    }

    /**
     * Inserts swap-backed folio {@code f} at slot {@code first} (add_to_swap_cache): one reference
     * per page for the cache. Returns false, changing nothing, when index nodes cannot be allocated.
     * Requires: no folio in the range, {@code first} aligned to the folio's size, the folio in no
     * cache.
     */
    public boolean tryAdd(SwapBacked f, long first) {
        return insert(f.folio(), first);
    }

    /**
     * The swap cache's half of splitting large folio {@code old} (split_huge_page of a folio in
     * the swap cache): each order-0 {@code parts[k]} takes slot {@code old.index() + k}, a null
     * part's slot is emptied. See {@link AddressSpace#splitFolio}.
     */
    public void split(Folio old, SwapBacked[] parts) {
        Folio[] folios = new Folio[parts.length];
        for (int k = 0; k < parts.length; k++) {
            folios[k] = parts[k] == null ? null : parts[k].folio();
        }
        splitFolio(old, folios);
    }

    /** The folio covering slot {@code i}, typed as the swap-backed folio it is, or null. */
    public SwapBacked lookupSwapBacked(long i) {
        return switch (lookup(i)) {
            case null -> null;
            case SwapBacked s -> s;
            case org.pagelab.desc.PageCacheFolio pc -> throw new IllegalStateException("a page-cache folio in " + describeMapping() + ": " + pc);
        };
    }
}
