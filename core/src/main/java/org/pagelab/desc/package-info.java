/**
 * Typed memory descriptors: the owners of physical frames.
 *
 * <h2>The model</h2>
 * The kernel describes every 4 KiB frame with a 64-byte {@code struct page} whose fields mean
 * different things depending on what the frame is used for; the head page of a compound page and
 * its tail pages share the type, so code can hand a tail page to a function that needs a head and
 * the compiler cannot object. The folio work made "the head of a compound page" a type of its own,
 * and the memdesc plan goes further: each frame holds one word pointing at a separately allocated
 * descriptor whose type says what the frame is.
 *
 * <p>This package is that end state. {@link org.pagelab.desc.MemDesc} is a sealed class; its
 * permitted kinds are the only things a frame can be:
 * <pre>
 * sealed MemDesc                 pfn, order, list links
 *   +-- FreeBlock                buddy block of 2^order free frames (zone)
 *   +-- sealed Folio             flags, refcount, mapcount, mapping, index; a large folio's
 *   |     |                      FolioTail (pin count, entire mapcount, per-page exclusive marks)
 *   |     +-- AnonFolio          anonymous memory                   (SwapBacked)
 *   |     +-- sealed FileFolio   a file's page, mapped through its file
 *   |           +-- PageCacheFolio  page cache of a file with a store
 *   |           +-- ShmemFolio      shmem, tmpfs or memfd page     (SwapBacked)
 *   +-- SlabPage                 kernel objects of one cache, free map
 *   +-- PageTablePage            512 entries of one page-table level (a PTE table may be marked
 *   |                            huge: it then stands for one PMD entry)
 *   +-- ReservedBlock            firmware and memmap frames; the huge zero page
 *   +-- PoisonedFrame            a free frame lost to a memory failure (hwpoison)
 * </pre>
 * The {@link org.pagelab.desc.Memmap} maps each frame to its owner. A large folio is one object for
 * all its frames; "which subpage" is {@code pfn - folio.pfn()}. No object stands for a tail page,
 * so there is nothing to confuse with a head. What the kernel keeps in a large folio's tail pages
 * (the pin count, the entire mapcount, PageAnonExclusive of each page) is one
 * {@code FolioTail} object the folio makes when one of them is first set, so an order-0 folio does
 * not carry it: an order-0 descriptor is 72 bytes with compact object headers (FolioSizeTest).
 *
 * <p>Shmem folios are a kind of their own. The kernel gives a shmem page a file mapping (rmap
 * finds it through the file's mappings, a shared mapping maps it as it maps any file page) but
 * treats it as anonymous memory wherever it asks {@code folio_test_swapbacked} or
 * {@code shmem_mapping}: it lives on the anon LRU, is not dirty-accounted or written back, and
 * reclaim moves it to a swap cache, leaving its swap entry in the file's slot. So
 * {@link org.pagelab.desc.FileFolio} is sealed over {@link org.pagelab.desc.PageCacheFolio} and
 * {@link org.pagelab.desc.ShmemFolio}: code that treats every file page alike matches
 * {@code FileFolio}, code that must tell them apart matches the two, and the compiler checks that
 * a switch covers both. {@link org.pagelab.desc.SwapBacked} is the sealed interface of the two
 * kinds that have swap as their store, {@code AnonFolio} and {@code ShmemFolio}: what a swap cache
 * holds. A folio's kind is fixed when it is made (the allocation names its constructor), as it
 * is in the kernel's memdesc plan, where the descriptor's type is chosen at allocation.
 *
 * <p>A cache slot (page cache, swap cache, shmem) holds a {@link org.pagelab.desc.CacheEntry}: a
 * {@link org.pagelab.desc.Folio}, a {@link org.pagelab.desc.Shadow} (a workingset word), or the
 * {@link org.pagelab.desc.SwapEntry} of a shmem page that is out in swap; callers switch over it.
 * A {@code SwapEntry} is also what the swap map and the swap cache are addressed by, and what a
 * swap PTE holds, packed.
 *
 * <h2>Where the types stop</h2>
 * Issue 14 counted the places where generic code tells kinds apart at run time. The change that
 * made the caches, GUP and the PTE-to-folio helper typed left shmem and page-cache folios one
 * class, so what differs between them (dirty accounting, writeback, swap entries in the index, the
 * anon LRU) was still decided by {@code AddressSpace.Kind} and the swap-backed flag. Splitting
 * {@code FileFolio} into {@code PageCacheFolio} and {@code ShmemFolio}, and {@code AddressSpace}
 * into {@code PageCache}, {@code ShmemCache} (both a {@code FileCache}) and {@code SwapCache}, each
 * of which adds only its kind, turned those into types. Counted in core's main sources, lines
 * that start as comments left out, on main at b639702 (before) and after the split (the
 * patterns are the ones named on each row, with or without the package prefix):
 * <pre>
 *                                                           before  after
 *   instanceof AnonFolio / FileFolio                            21     12
 *   instanceof PageCacheFolio / ShmemFolio / SwapBacked          -      2
 *   instanceof PageCache / ShmemCache / SwapCache / FileCache    -     19
 *   case labels over folio kinds (exhaustive switches)          23     45
 *   case labels over cache classes (exhaustive switches)         -     11
 *   tests of the swap-backed flag                               10      2
 *   sets of the swap-backed flag                                 4      2   (the two constructors)
 *   comparisons of AddressSpace.Kind                            27      0
 *   a PTE's frame cast to a folio by hand                        0      0   (PageTable.normalFolio, 14 calls)
 * </pre>
 * (The previous count gave 26 Kind comparisons; the grep here, {@code Kind.(PAGE_CACHE|SHMEM|SWAP_CACHE)}
 * next to {@code ==} or {@code !=}, finds 27 on the same commit.)
 *
 * <p>What the types decide now. A page cache adds only {@code PageCacheFolio}s, a shmem cache
 * only {@code ShmemFolio}s and only it can leave a swap entry in a slot, a swap cache adds only
 * {@code SwapBacked} folios and hands them back as such; an inode's mapping is a
 * {@code FileCache<?>}, and read, fault and write_begin switch over its two classes. What a cache
 * kind does differently inside the cache (dirty marks and nr_dirty, NR_SHMEM, buffer heads) is a
 * method of its class. A swap-cache hit switches over {@code AnonFolio} and {@code ShmemFolio}
 * (the fault, swapoff and shmem swap-in each take one and fail loudly on the other); reclaim
 * switches over the three folio kinds to choose add-to-swap, shmem's writeout or the file's
 * pageout; RssShmem, Pss_Shmem and the checkers' shmem counts are switches over the two file
 * kinds, where the kernel asks {@code PageSwapBacked} of a page it already knows is not anon.
 *
 * <p>What stays a run-time test, and why:
 * <ul>
 *   <li>the swap-backed flag in {@code LruVec.isFileLru}: the kernel's folio_is_file_lru asks the
 *       flag because it is run-time state of an anon folio (MADV_FREE clears it and the lazily
 *       freed folio goes to the file lists); pagelab does not model MADV_FREE, but the LRU choice
 *       stays where that would land. The memory checker tests the flag once more, to check that
 *       the flag word agrees with the kind;</li>
 *   <li>the 19 tests of a cache class: 13 ask which cache a folio is in now (a folio's mapping is
 *       state: it moves from a shmem cache to a swap cache and back, and leaves on truncation), so
 *       they are pattern matches on {@code folio.mapping()}; 6 ask it of an inode's mapping where
 *       only one kind takes part (drop_caches and the flusher skip shmem, GUP refuses a long-term
 *       write pin on a page-cache file, write attaches buffer heads to page cache, the checker reads
 *       a shmem index's swap entries);</li>
 *   <li>the 12 {@code instanceof AnonFolio / FileFolio} ask a one-sided question: is this page
 *       anonymous, so that its PageAnonExclusive, its anon_vma, a THP split or memory.stat's anon
 *       count applies (and the checker's "a large folio is anonymous"), or, at zap, is it a file
 *       page whose dirty PTE dirties its cache; the other side has nothing to do, and a switch
 *       would add empty branches. The 2 on the new kinds are reclaim's "a shmem folio still in
 *       its file goes to shmem's writeout" and the checker's flag-against-kind test.</li>
 * </ul>
 *
 * <h2>Invariants</h2>
 * <pre>
 *   for every frame p:  exactly one live descriptor d with d.pfn &lt;= p &lt; d.endPfn
 *   d.pfn mod 2^d.order == 0
 *   folio.refcount == (in a cache ? nrPages : 0) + mapcount + temporary holders
 *   slab.inuse == slab.objects - popcount(slab.freeMap)
 *   list.size == length of forward walk == length of backward walk
 * </pre>
 * The list and slab invariants are checked here ({@link org.pagelab.desc.DescList#check()},
 * {@link org.pagelab.desc.SlabPage#check()}); frame ownership and reference counts are recomputed
 * by {@code org.pagelab.machine.MemoryChecker}, which can see every holder.
 *
 * <h2>Order of calls</h2>
 * This package calls no other: it is the base the allocator ({@code phys}), the caches
 * ({@code filemap}) and the slab allocator ({@code slab}) build on.
 *
 * <h2>References</h2>
 * <ol>
 *   <li>Matthew Wilcox, "Memory folios", LWN 2021; the memdesc plan on kernelnewbies.org
 *       "MatthewWilcox/Memdescs".</li>
 *   <li>Johannes Weiner's proposal of typed descriptors (anon_page / file_page) in the same debate,
 *       LKML, September 2021.</li>
 *   <li>include/linux/mm_types.h and include/linux/page-flags.h for the field meanings.</li>
 * </ol>
 */
package org.pagelab.desc;
