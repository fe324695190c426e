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
 *   +-- sealed Folio             flags, refcount, mapcount, mapping, index
 *   |     +-- AnonFolio          anonymous memory                   (SwapBacked)
 *   |     +-- sealed FileFolio   a file's page, mapped through its file
 *   |           +-- PageCacheFolio  page cache of a file with a store
 *   |           +-- ShmemFolio      shmem, tmpfs or memfd page     (SwapBacked)
 *   +-- SlabPage                 kernel objects of one cache, free map
 *   +-- PageTablePage            512 entries of one page-table level
 *   +-- ReservedBlock            firmware and memmap frames
 *   +-- PoisonedFrame            a free frame lost to a memory failure (hwpoison)
 * </pre>
 * The {@link org.pagelab.desc.Memmap} maps each frame to its owner. A large folio is one object for
 * all its frames; "which subpage" is {@code pfn - folio.pfn()}. No object stands for a tail page,
 * so there is nothing to confuse with a head.
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
 * Issue 14 counted the places where generic code still tells kinds apart at run time. Counted in
 * core's main sources, comments left out, on main before and after the change that made the caches,
 * GUP and the PTE-to-folio helper typed (the greps are in that change's report):
 * <pre>
 *                                                  before  after
 *   instanceof AnonFolio / FileFolio                   22     21
 *   (exhaustive switches over the sealed kinds)      (21)   (23)
 *   tests of the swap-backed flag                      10     10
 *   comparisons of AddressSpace.Kind                   26     26
 *   a PTE's frame looked up and tested as a folio       2      0   (PageTable.normalFolio, used 14 times)
 * </pre>
 * What the type system now decides: a page cache or shmem mapping is an
 * {@code AddressSpace<FileFolio>} and takes and returns only file folios, a swap cache an
 * {@code AddressSpace<Folio>}; GUP's results are {@code Held.AnonPage}, {@code Held.FilePage} or
 * {@code Held.ZeroPage}. What it does not: shmem and page-cache folios are both {@code FileFolio}
 * and their mappings both {@code AddressSpace<FileFolio>}, so what differs between them (dirty
 * accounting, writeback, swap entries in the index) is decided by {@code AddressSpace.Kind}
 * and the swap-backed flag; a class of its own for shmem folios and mappings would turn most of
 * the remaining comparisons into types.
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
