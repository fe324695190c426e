/**
 * Swap areas and swap slot allocation (mm/swapfile.c, include/linux/swap.h).
 *
 * <h2>The model</h2>
 * An anonymous page that reclaim evicts is written to a slot of a swap area, and every page table
 * entry that mapped it is replaced by a swap entry naming the area's type and the slot's offset
 * ({@link org.pagelab.desc.SwapEntry}, packed into the PTE by {@link org.pagelab.pgtable.Pte#swap}).
 * Every method here that names a slot takes a {@code SwapEntry}; one that may have no slot to give
 * ({@code allocSwapEntry}, {@code addToSwap}, {@code allocForShmem}) returns null for that, and
 * no entry value stands for "none". A shmem page (tmpfs, memfd, shared anonymous
 * memory) goes the same way once unmapped, but its entry is kept in its file's cache slot instead
 * (shmem_writepage); both kinds pass through the swap cache of the area. The kernel describes each area with a
 * swap_info_struct, here {@link org.pagelab.swap.SwapDevice}, and keeps up to MAX_SWAPFILES of them
 * in the swap_info[] table, here {@link org.pagelab.swap.SwapDevices}.
 *
 * <p>An area is an array of page-sized slots. Slot 0 holds the swap header (the version, the last
 * page, the bad-page list and the "SWAPSPACE2" signature mkswap writes) and is never handed out:
 * its swap_map byte is SWAP_MAP_BAD, and the area's usable size, si->pages, is one less than its
 * extent, si->max. That is why /proc/swaps shows a 1 MiB swap file as 1020 KiB.
 *
 * <h2>swap_map: one byte per slot</h2>
 * The byte counts the swap entries that refer to the slot: each PTE holding the entry, and each
 * shmem mapping slot. Bit SWAP_HAS_CACHE (0x40) says a folio in the swap cache holds the slot, so
 * a swap-in finds the page in memory instead of reading it again. A slot is free exactly when the
 * whole byte is 0:
 * <pre>
 *   get_swap_pages      free        -&gt; HAS_CACHE         (reclaim's add_to_swap)
 *   swap_duplicate      n | c       -&gt; n+1 | c           (try_to_unmap, fork's copy of a swap PTE)
 *   swapcache_prepare   n &gt; 0       -&gt; n | HAS_CACHE     (swap-in; -EEXIST when c already set)
 *   swap_free           n+1 | c     -&gt; n | c             (zap, swap-in replacing the PTE)
 *   put_swap_folio      n | HAS_CACHE -&gt; n               (the swap-cache folio goes away)
 *   (byte becomes 0)    slot freed, cluster count - 1, inuse_pages - 1
 * </pre>
 * The count saturates at SWAP_MAP_MAX (0x3e); beyond it the kernel chains continuation pages
 * (COUNT_CONTINUED, add_swap_count_continuation). This model refuses the extra reference instead
 * ({@link org.pagelab.swap.SwapResult#COUNT_MAX}), which a caller meets only when more than 62
 * entries share one swapped-out page, as in a wide fork tree. Where the kernel marks a slot that
 * a shmem file owns with the count value SWAP_MAP_SHMEM, this model sets bit 0x80 (SHMEM_OWNED,
 * free since there are no continuations) beside a count of one, so that a slot read ahead into
 * the swap cache becomes the kind of folio its owner takes back: a {@code ShmemFolio} for shmem,
 * an {@code AnonFolio} for page tables. A swap cache takes only these two
 * ({@link org.pagelab.desc.SwapBacked}), and {@code SwapSpace.lookup} returns one to switch over.
 *
 * <h2>Clusters</h2>
 * On a solid-state device the kernel splits the area into clusters of SWAPFILE_CLUSTER slots
 * (512, HPAGE_PMD_NR, in a kernel built with THP_SWAP; 256 without, which pagelab uses for an area
 * swapped on while transparent_hugepage is never, standing for a kernel built without THP, as the
 * user-mode Linux that validation compares with is), counts the used slots of each (swap_cluster_info), and keeps the empty ones on a free
 * list. Each CPU takes slots in order from its own cluster, so consecutive swap-outs land in
 * consecutive slots and contend on no lock; when its cluster is used up it takes the head of the
 * free list, and only when no cluster is free does it scan the whole map for a hole. Freed slots
 * inside a cluster are not reused until the cluster is taken again or the map is scanned. The
 * model runs that allocator for one CPU, including the kernel's starting order of the free list
 * (columns of 64 clusters) and its rule that a cluster emptied while still current is not reused
 * out of list order. It leaves out the rotational-disk allocator, discard, the clusters' HUGE flag,
 * lowest_bit/highest_bit, the random starting hint, reuse of cache-only slots when swap is over
 * half full, and the per-CPU swap slots cache (mm/swap_slots.c) that hands out entries in batches
 * of 64 and returns freed ones in batches.
 *
 * <h2>Large folios</h2>
 * A PMD-sized anon folio that reclaim swaps out whole takes a whole free cluster
 * (swap_alloc_cluster: the head of the free list; nothing when none is free, and reclaim splits
 * the folio instead; only the first area on the avail list is asked, and every area counts as a
 * block device, SWP_BLKDEV). Each slot's byte is HAS_CACHE, the folio sits in the swap cache at
 * every one of its slots (the kernel's multi-index xarray entry), each PTE that mapped page k
 * becomes the entry of slot first + k, and the memory cgroup is charged one swap page per slot.
 * One request writes it (pswpout counts every page, thp_swpout the folio); when it leaves the swap
 * cache each slot's cache bit goes, and the PTEs' counts keep the slots. A fault on one of the
 * entries while the folio is in the swap cache maps that one page of it; split_huge_page leaves
 * each page in the swap cache at its slot. The allocator and the swap cache take any order: a
 * shorter aligned run comes from the current cluster or a free one, as kernels from 6.10 allocate
 * for mTHP; 6.1's reclaim, which pagelab follows, writes only PMD-sized folios whole.
 *
 * <h2>Readahead</h2>
 * A swap-in reads more than the page it needs ({@link org.pagelab.swap.SwapReadahead}, whose
 * comment has the model): the pages around the faulting address in its VMA while every device
 * is solid-state (the kernel's default, and what user-mode Linux's ubd reports), the aligned
 * cluster of slots around the faulting one as soon as a rotational device is on, and always for
 * shmem; up to 2^page-cluster pages, a window that grows with the pages read ahead that were used
 * and shrinks when they were not. A device is rotational or not from swapon on; a rotational one
 * still allocates its slots with the solid-state allocator above.
 *
 * <h2>Priorities</h2>
 * swapon with SWAP_FLAG_PREFER sets a priority 0..32767; without, the area gets the next default,
 * -2, -3, ... Slots come from the highest-priority area that has room; areas of equal priority take
 * turns, because get_swap_pages moves the chosen one behind its equals before using it. Swapoff of
 * an area with a default priority raises the defaults below it by one. In the kernel each NUMA
 * node has its own avail list on which default-priority areas local to that node come first; the
 * model has one list and no node affinity.
 *
 * <h2>Data and metadata mode</h2>
 * In data mode an area is a sparse host file ({@link org.pagelab.swap.SwapFile}) and swap-out and
 * swap-in move real bytes between it and frame memory; in metadata mode
 * ({@link org.pagelab.swap.SyntheticSwap}) only the accounting runs. Each device counts the pages
 * it reads and writes (pswpin, pswpout).
 *
 * <p>Time and errors: each area's reads and writes are timed on a device of its own and may fail
 * where an injected I/O error says, both through {@link org.pagelab.swap.SwapIo}, which the machine
 * implements over its simulator (the clock is the page cache's {@link org.pagelab.filemap.IoClock},
 * shared with the writes in flight); this package does not know the simulator.
 *
 * <h2>Invariants</h2>
 * <pre>
 *   swap_map[0] == SWAP_MAP_BAD
 *   inuse_pages == #{ 0 &lt; i &lt; max : swap_map[i] != 0 }
 *   free pages  == pages - inuse_pages,  pages == max - 1
 *   cluster_count[c] == #{ i in c : swap_map[i] != 0 } + [c == 0] + (slots of c past max)
 *   c on the free cluster list  iff  cluster_count[c] == 0
 *   a swap-cache folio f at slot i: f.index &lt;= i &lt; f.index + f.nrPages, f.index aligned to
 *       f.nrPages, every slot of that run holds f and has HAS_CACHE
 *   device on the avail list    iff  SWP_WRITEOK and free pages &gt; 0
 *   default priorities of active devices == { -2, ..., least_priority }
 *   SwapTotal == sum of pages, SwapFree == sum of free pages, over devices with SWP_WRITEOK
 * </pre>
 * {@link org.pagelab.swap.SwapDevice#check} and {@link org.pagelab.swap.SwapDevices#check} recompute
 * each side from the map.
 *
 * <h2>Order of calls</h2>
 * <pre>
 * reclaim of an anonymous folio (a shmem folio: SwapSpace.allocForShmem, count 1 | SHMEM_OWNED)
 *   SwapDevices.allocSwapEntry          (get_swap_pages: count = HAS_CACHE)
 *     or SwapDevices.allocSwapRun       (a large folio: a free cluster, or null and reclaim splits)
 *   SwapDevices.duplicate               (per PTE unmapped: try_to_unmap)
 *   SwapCharge.charge                   (memcg: memory.swap.max, before the slot is used)
 *   SwapDevice.writePage                (swap_writepage, every page of the folio; pswpout, thp_swpout)
 *   SwapDevices.cacheClear              (folio leaves the swap cache: put_swap_folio)
 * swap-in (do_swap_page)
 *   SwapReadahead.cacheHit              (found in the swap cache: swap_ra_hit, the window's hits)
 *   SwapDevices.cachePrepare            (-EEXIST: another fault is reading it)
 *   SwapDevice.readPage                 (swap_readpage; pswpin)
 *   SwapReadahead.swapinReadahead       (the window's other slots, each cachePrepare + readPage; swap_ra)
 *   SwapDevices.free                    (the PTE now maps the folio: swap_free)
 * swapoff
 *   SwapDevices.stopAllocating
 *   SwapDevice.usedSlots                (caller brings each page back and drops its references)
 *   SwapDevices.swapoff                 (refused while any slot is in use)
 * </pre>
 *
 * <h2>References</h2>
 * <ol>
 *   <li>mm/swapfile.c: scan_swap_map_slots, scan_swap_map_try_ssd_cluster, get_swap_pages,
 *       __swap_duplicate, __swap_entry_free_locked, setup_swap_map_and_extents, setup_swap_info,
 *       swapoff, find_next_to_unuse, swap_show.</li>
 *   <li>include/linux/swap.h: swap_info_struct, swap_cluster_info, union swap_header,
 *       SWAP_HAS_CACHE, SWAP_MAP_MAX, SWAP_MAP_BAD.</li>
 *   <li>mm/swap_state.c: add_to_swap, the swap cache, swap_cluster_readahead, swap_vma_readahead,
 *       swapin_nr_pages; mm/swap_slots.c: the slots cache.</li>
 *   <li>Mel Gorman, "Understanding the Linux Virtual Memory Manager", chapter 11, Swap Management.</li>
 * </ol>
 */
package org.pagelab.swap;
