/**
 * Physical memory: frames, zones, watermarks and the buddy allocator (mm/page_alloc.c,
 * mm/mm_init.c).
 *
 * <h2>The model</h2>
 * A machine has N frames of 4 KiB on one node, split into two zones: a small DMA32 zone at the
 * bottom (1/16 of memory, 4 MiB to 4 GiB, unless configured) and Normal above it. At boot the first
 * 1 MiB is reserved for firmware, as x86 does, the frame after it holds the shared zero page (the
 * kernel's empty_zero_page, part of the kernel image), and 64 bytes per frame at the top of memory are
 * reserved for the memmap, which is what the kernel spends on struct pages; the rest is
 * <em>managed</em> and handed to the buddy allocator as maximal aligned blocks. MemTotal is the
 * managed total. To reproduce a real boot, a machine may also reserve the kernel's own memory
 * (its image and early allocations) below the memmap, sized so that MemTotal is the one the
 * real machine reported ({@link org.pagelab.phys.PhysConfig#withMemTotal}); and it may have a
 * single Normal zone (the DMA32 zone empty), as user-mode Linux has.
 *
 * <p>Each zone keeps free lists of blocks of 2^order frames, order 0 to 10. An allocation of order
 * k takes the smallest free block of order &gt;= k and splits it, giving the upper halves back to the
 * lower lists (expand). A free looks at the buddy, {@code pfn ^ 2^order}; if the buddy is a free
 * block of the same order in the same zone, the two merge and the search repeats one order up.
 *
 * <h2>Anti-fragmentation: pageblocks, fallbacks and watermark boosting</h2>
 * Memory is also cut into pageblocks of 2^pageblock_order frames (9 by default, as on x86-64;
 * user-mode Linux, without huge pages, has 10), each with a {@link org.pagelab.phys.MigrateType}:
 * all movable at boot. Every zone keeps its free lists per order <em>and</em> per type; a freed
 * block goes on the list of its pageblock's type. An allocation's type follows its purpose
 * (anonymous and page-cache memory movable; page tables, slab and other kernel memory unmovable,
 * slab of reclaimable caches reclaimable). It takes the smallest free block of its own type;
 * when there is none (__rmqueue_fallback) it looks, from the largest order down, for a free block
 * of the types its type falls back to (unmovable: reclaimable, movable; movable: reclaimable,
 * unmovable). An unmovable or reclaimable allocation, or one finding a block of at least half a
 * pageblock, steals the whole pageblock: its free blocks move to the stealing type's lists, and
 * the pageblock changes type when at least half of it is then free or alike. A movable allocation
 * that cannot steal the pageblock takes the smallest such block instead. A block of a whole
 * pageblock or more changes type outright; any other fallback fragments memory, and
 * (boost_watermark) raises the zone's watermark boost by a pageblock, up to
 * max(pageblock, high * watermark_boost_factor / 10000), on a zone of at least four pageblocks.
 * Every watermark reads as its boot value plus the boost; the allocation wakes kswapd, which
 * reclaims to the boosted high watermark (without swapping or writing when the node is above it
 * already) and takes the boost it started with away when its run ends (balance_pgdat).
 *
 * <p>Why it matters to reclaim: on a small machine the kernel's own memory is spread over a few
 * unmovable pageblocks with free pages between, which movable allocations use only by falling
 * back. Those free pages stay out of reach until the movable lists are empty, and each fallback
 * then boosts the watermarks by a pageblock, so the task meets the (boosted) min watermark and
 * reclaims directly, and kswapd leaves a phase with about a pageblock more free than the high
 * watermark. The user-mode Linux guest of docs/fidelity.md shows both; its layout is reproduced by
 * {@link org.pagelab.phys.PageAllocator#holdLayoutHoles} (the scenario key
 * {@code kernel_pageblocks}).
 *
 * <p>The high-atomic reserve: a high-order GFP_ATOMIC allocation ({@link
 * org.pagelab.phys.AllocRequest#atomic}) that fails the fast path (the low watermark) may dip below
 * the min watermark (by a half, then a quarter of the rest) and, once it has its block, makes that
 * block's pageblock {@link org.pagelab.phys.MigrateType#HIGHATOMIC} (reserve_highatomic_pageblock),
 * while the zone's reserve is under 1 % of its managed pages plus a pageblock. Only high-order
 * atomic allocations take from it (first) and order-0 atomic ones when nothing else is left; every
 * other watermark check, kswapd's balance included, counts the whole reserve as not free
 * (__zone_watermark_unusable_free), so kswapd keeps free memory a reserve above the high
 * watermark. An allocation that fails after a round of direct reclaim gives a pageblock back
 * (unreserve_highatomic_pageblock) unless it is the zone's last, and before it would fail
 * altogether the last one too. Not modelled: per-CPU page lists, CMA, pageblock isolation and
 * ALLOC_NOFRAGMENT. Compaction is {@code org.pagelab.compaction}'s, reached through
 * {@link org.pagelab.phys.CompactionHook}.
 *
 * <h2>Watermarks</h2>
 * At boot, as calculate_min_free_kbytes and __setup_per_zone_wmarks compute them:
 * <pre>
 *   min_free_kbytes = clamp(isqrt(managed_kbytes * 16), 128, 262144)
 *   zone.min  = (min_free_kbytes / 4) * zone.managed / total_managed
 *   gap       = max(zone.min / 4, zone.managed * watermark_scale_factor / 10000)
 *   zone.low  = zone.min + gap
 *   zone.high = zone.low + gap
 *   DMA32.lowmem_reserve[Normal] = Normal.managed / 256
 * </pre>
 * A zone passes the watermark check for an order-k request that may use zones up to Z when
 * {@code free - (2^k - 1) > mark + lowmem_reserve[Z]} and, for k &gt; 0, some block of order
 * &gt;= k is free.
 *
 * <h2>The allocation path</h2>
 * <pre>
 * PageAllocator.alloc
 *   getPageFromFreelist(LOW)        Normal, then DMA32
 *   ReclaimHooks.wakeKswapd         for each zone below low
 *   getPageFromFreelist(MIN)
 *   ReclaimHooks.directReclaim      while it makes progress, up to 16 times, if the request may reclaim
 *                                   (a costly order, above 3: CompactionHook.directCompact, one round of
 *                                   direct reclaim unless __GFP_NORETRY and compaction was skipped or
 *                                   deferred, compaction once more; no loop)
 *   Zone.rmqueue                    split
 *   Memmap.install                  the new descriptor owns every frame
 *   FrameContents.zero              for zeroed requests
 * PageAllocator.free
 *   Memmap.clear, Zone.freeOne      merge with free buddies
 * </pre>
 * Failure returns null, as alloc_pages returns NULL; the caller decides between ENOMEM and the
 * OOM path.
 *
 * <h2>Frame contents</h2>
 * {@link org.pagelab.phys.FrameContents} is sealed: {@link org.pagelab.phys.DataFrames} keeps bytes
 * off-heap in 64 MiB chunks allocated on first write; {@link org.pagelab.phys.NoFrames} keeps
 * nothing. Both run the same allocator and cache code.
 *
 * <h2>Time</h2>
 * The allocator charges an allocation from the free lists and the zeroing of the pages a request
 * wants zeroed to its {@link org.pagelab.phys.AllocClock}; the machine turns them into the cost
 * model's PAGE_ALLOC and ZERO_PAGE events on the running task. Outside a machine nothing is charged.
 *
 * <h2>Invariants</h2>
 * Recomputed by {@link org.pagelab.phys.PageAllocator#check()}:
 * <pre>
 *   every frame is owned by exactly one live descriptor
 *   nr_free[zone][o] == length of zone.free_area[o] == free blocks of order o in the memmap
 *   zone.free == sum over o of 2^o * nr_free[zone][o];  nr_free_pages == sum over zones
 *   no two free buddies of equal order are both free
 *   every free block is on the list of its order and recorded type; 0 &lt;= boost &lt;= its limit
 *   nr_reserved_highatomic == pageblock frames * high-atomic pageblocks
 * </pre>
 *
 * <h2>References</h2>
 * <ol>
 *   <li>mm/page_alloc.c: __rmqueue_fallback, steal_suitable_fallback, can_steal_fallback,
 *       boost_watermark; mm/vmscan.c: balance_pgdat's nr_boost_reclaim.</li>
 *   <li>mm/page_alloc.c: reserve_highatomic_pageblock, unreserve_highatomic_pageblock,
 *       __zone_watermark_unusable_free, rmqueue_buddy, gfp_to_alloc_flags.</li>
 *   <li>mm/page_alloc.c: __rmqueue_smallest, expand, __free_one_page, __zone_watermark_ok,
 *       __setup_per_zone_wmarks, calculate_min_free_kbytes, setup_per_zone_lowmem_reserve.</li>
 *   <li>Documentation/admin-guide/sysctl/vm.rst: min_free_kbytes, watermark_scale_factor,
 *       lowmem_reserve_ratio.</li>
 *   <li>Knowlton, "A fast storage allocator", CACM 8(10), 1965 (the buddy system).</li>
 * </ol>
 */
package org.pagelab.phys;
