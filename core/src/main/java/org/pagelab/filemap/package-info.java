/**
 * The shared cache index, the page cache and files (mm/filemap.c, mm/readahead.c,
 * mm/page-writeback.c, fs/).
 *
 * <h2>The model</h2>
 * {@link org.pagelab.filemap.CacheIndex} maps a page offset to a slot holding nothing, a folio or
 * a shadow entry; it is a radix tree of 64-slot nodes with dirty, writeback and towrite marks, and
 * its nodes are radix_tree_node slab objects, reserved before a store by
 * {@link org.pagelab.filemap.CacheIndexNodeAlloc} so that a store either fails whole or cannot fail.
 * {@link org.pagelab.filemap.AddressSpace} is the cache built on it, with the accounting of the
 * kernel's address_space. It is sealed over its three users, which share the index and the
 * reference and page accounting and differ in what they hold and what dirt means:
 * <pre>
 *   AddressSpace&lt;F&gt;                     holds            dirty              value entries
 *     FileCache&lt;F extends FileFolio&gt;    (host: the inode)
 *       PageCache                       PageCacheFolio   DIRTY mark, nr_dirty shadows
 *       ShmemCache                      ShmemFolio       flag only          SwapEntry of a page in swap
 *     SwapCache                         SwapBacked       flag only          shadows
 * </pre>
 * Each one's add takes only its kind of folio, so a page-cache folio cannot enter a shmem file or
 * a swap cache, nor a shmem folio a page cache; {@code lookup} hands folios back as their kind, the
 * swap cache's as a {@link org.pagelab.desc.SwapBacked} to switch over. An inode's
 * {@link org.pagelab.filemap.Inode#mapping()} is a {@code FileCache<?>}: the paths common to both
 * kinds of file (lookups, truncation, the rmap walk, fsync's wait) use it as it is, and the paths
 * that differ (read, fault, write_begin) switch over {@code PageCache} and {@code ShmemCache},
 * exhaustively, where the kernel asks {@code shmem_mapping} or goes through the mapping's
 * {@code a_ops}. What one kind does differently inside the cache (nr_dirty and the DIRTY mark,
 * NR_SHMEM, buffer heads, leaving a swap entry behind) is a method of that class, not a test of a
 * kind field; {@code AddressSpace.Kind} remains only as a name for dumps and tests. A contract
 * test suite runs against each user.
 *
 * <p>Time: the package charges its work (system calls, lookups, copies, device requests, refault
 * stalls, the flusher's sleeps and the completion of writes in flight) to an
 * {@link org.pagelab.filemap.IoClock}, which also says which I/O an injected error fails; the
 * machine implements it over its simulator. Outside a machine nothing is charged.
 *
 * <p>{@link org.pagelab.filemap.Vfs} is the file system and its calls: names, open files with
 * readahead state, close, unlink, fsync, truncate, sync and unmount. Each inode in memory holds an
 * inode_cache and a dentry object ({@link org.pagelab.filemap.InodeObjects}). Reads and file faults
 * are {@link org.pagelab.filemap.FilemapRead} (filemap_read, filemap_fault), going through
 * {@link org.pagelab.filemap.Readahead}, the kernel's on-demand readahead; writes are
 * {@link org.pagelab.filemap.FileWrite} (generic_perform_write) and dirty the cache;
 * {@link org.pagelab.filemap.Writeback} cleans it on fsync, sync, unmount and reclaim's pageout,
 * and {@link org.pagelab.filemap.Flusher} when the dirty limits are crossed. A block file system
 * (a block size set) gives each page written through write(2) its buffer heads, reclaimable slab
 * freed when the folio leaves the cache ({@link org.pagelab.filemap.BufferHeads}). In data mode files
 * are host files under the run's working directory and every transfer moves real bytes between
 * them and frame memory; in metadata mode files are sizes.
 *
 * <p>Host files stay inside the working directory. A name is a relative path that obeys
 * {@link org.pagelab.filemap.FileNames} (no empty, {@code .} or {@code ..} component, no control
 * character, at most 1024 bytes, components at most 255), and
 * {@link org.pagelab.filemap.HostPaths} reaches it one component at a time without following a
 * symbolic link, the way openat2(2) with RESOLVE_NO_SYMLINKS would: a link anywhere on the way,
 * even one pointing back inside, is ELOOP; the file is created with O_CREAT|O_EXCL|O_NOFOLLOW
 * (an existing one is EEXIST) and opened with O_NOFOLLOW; and the real path of its directory must
 * lie inside the real working directory. A refusal is an {@code OpenFailed} whose reason says which
 * component was the link. Swap files go through the same door.
 *
 * <p>shmem files (mm/shmem.c, {@link org.pagelab.filemap.Shmem}) use a
 * {@link org.pagelab.filemap.ShmemCache}: their pages are {@link org.pagelab.desc.ShmemFolio}s,
 * swap-backed and on the anon LRU, counted in Shmem, and go to a swap device's swap cache under pressure, the file's
 * slot then holding its {@link org.pagelab.desc.SwapEntry} (a value entry, as a shadow is). Three kinds of them exist: the unnamed object behind a shared
 * anonymous mapping, memfd_create's files, and named files on a tmpfs mount
 * ({@link org.pagelab.filemap.Vfs#mountTmpfs}; every machine has one at {@code dev/shm}), which
 * have no host file and live until unlinked and no longer open or mapped.
 *
 * <h2>Large folios</h2>
 * A page cache may hold folios larger than a page (mm/readahead.c page_cache_ra_order). Readahead
 * allocates them: a window of 4 pages or more gets folios of the order of the folio that carried
 * the readahead marker plus 2 (a synchronous miss counts as order 0), at most
 * MAX_PAGECACHE_ORDER (9, PMD-sized) and no larger than the window, smaller where the index is
 * not aligned for that order or the end of the file or window comes first; order 1 is never used.
 * A folio that cannot be had, or a range that some page of is cached already, ends the large
 * allocation, and the rest of the window is read page by page (do_page_cache_ra). A fault in a
 * VM_HUGEPAGE mapping reads the PMD-aligned window around it, two PMD-sized folios, the second
 * asynchronous (do_sync_mmap_readahead). Readahead counts what the kernel's counts: pgpgin and
 * nr_file_pages per page, nr_file_hugepages (NR_FILE_THPS) per PMD-sized folio; 6.1 counts
 * thp_file_alloc and thp_file_fallback only for shmem's huge pages, so the page cache does not.
 *
 * <p>The index holds a large folio in every slot of its range; a lookup of any page finds it,
 * and the page's bytes lie at {@code pfn + (index - folio.index)}. A large folio is dirty,
 * written back, invalidated, reclaimed and refaulted whole, as 6.1 does: its shadow entry fills
 * every slot it leaves and a refault counts the new folio's pages once. Truncation splits a large
 * folio that the new end cuts (truncate_inode_partial_folio, through
 * {@link org.pagelab.filemap.MappingHook#splitFolio}: the process layer unmaps it first), the pages
 * past the end leaving the cache; one that cannot be split (a GUP reference) stays whole, its
 * bytes past the end zeroed.
 *
 * <p>Which files get them is the file system's choice in 6.1 (mapping_large_folio_support: XFS
 * sets it on every inode, ext4 and most others do not), so here it is a setting of the file
 * system, {@link org.pagelab.filemap.Vfs#setLargeFolios}, taken by each inode as it comes into
 * memory, and the scenario machine key {@code large_folios}. It is off by default: the default
 * file system stands for ext4, the most common root file system on the distributions whose
 * kernels pagelab is compared with, and every figure recorded so far was measured with order-0
 * page cache. shmem and tmpfs files keep order-0 folios (their huge= option is not modelled).
 *
 * <p>{@link org.pagelab.filemap.DropCaches} is {@code /proc/sys/vm/drop_caches}: 1 invalidates the
 * clean, idle page cache of every file (and the shadow entries there), 2 evicts the inodes and
 * dentries of named files no one holds (after invalidating their clean pages, as the inode
 * shrinker does); such an inode is out of memory until the next open allocates its objects again.
 *
 * <h2>Invariants</h2>
 * <pre>
 *   mapping.nrpages == sum over folios in its index of nrPages
 *   folio f in slot i   =&gt;  f.mapping == mapping and f.index &lt;= i &lt; f.index + f.nrPages
 *   folio f of order o in a cache  =&gt;  f.index % 2^o == 0, and slots f.index .. f.index + 2^o - 1 all hold f
 *   large page-cache folio  =&gt;  its page cache takes large folios, 2 &lt;= order &lt;= 9
 *   nr_file_hugepages == order-9 page-cache folios in caches
 *   folio f in a cache  =&gt;  f.refcount &gt;= f.nrPages (one reference per page for the cache)
 *   DIRTY mark on f's first slot iff f is dirty; WRITEBACK likewise
 *   no folio lies wholly beyond i_size (one that reaches past it is a large folio a pin kept
 *     from being split); bytes of the last page past i_size read as zero
 *   after fsync(f) returns success: host file bytes == the file's bytes
 *   every host file a Vfs opens or creates: realpath(dir of file) lies under realpath(root),
 *     and no component between them is a symbolic link
 *   inode_cache objects == dentry objects == inodes in memory
 *   inode out of memory  =&gt;  not open, not mapped, no pages cached
 * </pre>
 *
 * <h2>Order of calls</h2>
 * <pre>
 * Vfs.read -&gt; FilemapRead.read           (a shmem file: Shmem.read)
 *   AddressSpace.lookup
 *   Readahead.syncReadahead / asyncReadahead
 *     Readahead.raOrder                 (large folios; else readWindow, page by page)
 *     PageAllocator.alloc               (phys; may wake kswapd or reclaim)
 *     AddressSpace.tryAdd
 *       CacheIndex.tryStoreRange
 *         KmemCache.alloc               (slab: radix_tree_node)
 *     BackingStore.readPages            (host file or nothing)
 *   FrameContents.read                  (copy out)
 * Vfs.write -&gt; FileWrite.write
 *   writeBegin: lookup, alloc, tryAdd, BackingStore.readPages for a partial page
 *               (a shmem file: Shmem.getFolio, from swap through ShmemSwap)
 *   FrameContents.write, AddressSpace.markDirty
 *   BufferHeads.attach                  (a block file system: create_empty_buffers)
 *   Flusher.balanceDirtyPages
 * Vfs.fsync
 *   Writeback.writeRange
 *     CacheIndex.forEachMarked(DIRTY)
 *     AddressSpace.clearDirty, startWriteback, BackingStore.writePages, endWriteback
 *   BackingStore.force
 * WritebackIo.start, its completion     (a write in flight: reclaim's pageout, swap-out, the flusher)
 *   KmemCache.allocAtomic, free         (the block driver's request descriptors, when it has any)
 * Vfs.truncate
 *   MappingHook.unmapMappingRange       (rmap: unmap the pages beyond the new end)
 *   MappingHook.splitFolio              (a large folio the new end cuts: unmap it, split it)
 *   AddressSpace.clearDirty, remove     (PageAllocator.folioPutRefs)
 *   Shmem.freeSwap                      (the swap slots of a shmem file's swapped-out pages)
 * DropCaches.drop
 *   AddressSpace.remove, CacheIndex.erase     (clean idle folios, shadow entries)
 *   Vfs.freeObjects -&gt; InodeObjects.free    (KmemCache.free: inode_cache, dentry)
 * </pre>
 *
 * <h2>References</h2>
 * <ol>
 *   <li>mm/filemap.c: filemap_read, __filemap_add_folio, filemap_remove_folio.</li>
 *   <li>mm/readahead.c: ondemand_readahead, page_cache_ra_order, ra_alloc_folio, get_init_ra_size, get_next_ra_size,
 *       try_context_readahead; Fengguang Wu, "On-demand readahead", Linux Symposium 2007.</li>
 *   <li>mm/page-writeback.c: write_cache_pages, folio_clear_dirty_for_io; mm/truncate.c
 *       (invalidate_mapping_pagevec, mapping_evict_folio); fs/drop_caches.c; fs/inode.c
 *       (inode_lru_isolate); fs/buffer.c (create_empty_buffers, try_to_free_buffers).</li>
 *   <li>Documentation/core-api/xarray.rst for the index and its marks.</li>
 * </ol>
 */
package org.pagelab.filemap;
