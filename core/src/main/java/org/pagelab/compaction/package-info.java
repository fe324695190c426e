/**
 * Page migration and memory compaction (mm/migrate.c, mm/compaction.c, the fragmentation indexes
 * of mm/vmstat.c): moving a folio's contents to another frame behind the backs of its users, and
 * using that to gather free memory into blocks large enough for a huge page.
 *
 * <h2>Why memory fragments, and what moving pages buys</h2>
 * The buddy allocator hands out and takes back blocks of 2^order frames. After a while of mixed
 * use the free memory of a zone is plenty in total but scattered: single free frames between
 * frames still in use. An order-9 request (a transparent huge page) then fails although the zone
 * has thousands of free pages. Reclaim is a poor cure: it frees pages by their age, not by their
 * position, so it must free far more than 512 pages before two buddies happen to line up. The
 * kernel's answer is to move what is movable: user memory is reached only through page tables
 * and caches, which the kernel owns, so it can copy a page elsewhere and redirect every reference
 * to the copy. Anti-fragmentation (see {@code org.pagelab.phys}) keeps such movable memory in
 * pageblocks of its own, so that emptying a movable pageblock is possible at all.
 *
 * <h2>Migrating one folio</h2>
 * {@link org.pagelab.compaction.Migrate} moves one isolated folio (taken off its LRU list by the
 * caller, which holds that isolation reference) to a new folio of the same kind and order:
 * <ol>
 *   <li><b>Refusal.</b> A folio is movable only when every reference to it is accounted for: one
 *       per page table entry that maps it, one per page while it sits in a cache (page cache,
 *       shmem, swap cache) and the caller's isolation reference. Anything more is someone the
 *       kernel cannot redirect (a GUP pin or get, an I/O in flight, a fault in progress), and
 *       migration fails, as folio_migrate_mapping fails on a reference count that is not the
 *       expected one. A folio under writeback, locked, or poisoned is refused too (asynchronous
 *       migration does not wait).</li>
 *   <li><b>Unmap with migration entries.</b> Every PTE that maps a page of the folio, found through
 *       the reverse map, is replaced by a <em>migration entry</em> naming the old frame and keeping
 *       the PTE's write, user, accessed, dirty and no-execute bits (try_to_migrate); each drops its
 *       mapping and its reference from the old folio. In the kernel a task that faults on such an
 *       entry sleeps until the migration ends (migration_entry_wait). Here a migration runs from
 *       start to end in one call of the one simulated thread, allocating nothing and yielding to
 *       no one between unmap and remap, so no access can meet the entry: the entries exist only
 *       inside {@code Migrate}, and a checker that finds one afterwards reports a broken
 *       invariant.</li>
 *   <li><b>Move the identity.</b> The new folio takes the old one's cache slots (every slot of
 *       the range is rewritten in place, marks kept), its cache state and cache references, its
 *       buffer heads, its flag word (dirty, active, referenced, swapcache, ...), its anon_vma and
 *       linear index, the exclusive marks of its pages, and its memory cgroup charge, which moves
 *       without touching any counter (mem_cgroup_migrate). The bytes of every page are copied.</li>
 *   <li><b>Remap.</b> The reverse map of the new folio, which now has the old one's place,
 *       leads to the same PTEs; each migration entry naming the old frame becomes a present PTE
 *       of the new frame with the bits it kept (remove_migration_ptes), taking a mapping and a
 *       reference. Process counters (RSS) never change: the pages were never gone.</li>
 *   <li><b>Put back.</b> The new folio goes to the head of its LRU list, chosen by its flags as
 *       every putback chooses; the old folio, left with only the isolation reference, is freed.</li>
 * </ol>
 * A failure before the copy leaves everything as it was (the old folio stays isolated for the
 * caller to put back); a failure to unmap every PTE puts the old folio back in its PTEs. Counted
 * per page: pgmigrate_success and pgmigrate_fail; a large folio also counts thp_migration_success
 * or thp_migration_fail.
 *
 * <h2>Compacting a zone</h2>
 * {@link org.pagelab.compaction.Compaction} runs two scanners over a zone, pageblock by pageblock:
 * the <em>migrate scanner</em> from the bottom, isolating in-use movable folios (order 0, on an
 * LRU list, not pinned) up to 32 at a time, and the <em>free scanner</em> from the top, taking
 * free frames out of the buddy allocator as targets. Pages thus flow from the bottom of the zone
 * to its top and the bottom empties into large free blocks. The free scanner takes frames only in
 * movable pageblocks and never from a free block of a whole pageblock or more (splitting it would
 * undo the work); asynchronous compaction (the allocator's) also moves pages only out of movable
 * pageblocks and passes over folios under writeback. Where the scanners meet, the run has seen
 * the whole zone (COMPACT_COMPLETE) and the cursors go back to the zone's ends for the next run;
 * otherwise each run resumes where the last stopped (the zone's cached pfns).
 *
 * <p>The free scanner takes a free block only as an allocation of it would be allowed: the zone's
 * free pages, less the high-atomic reserve, must stay above min plus the block's size
 * (__isolate_free_page). When they would not, the scanner gives up at once, migration finds no
 * target (migrate_pages' -ENOMEM, one pgmigrate_fail for the folio it was moving) and the run ends
 * there (COMPACT_CONTENDED), its other isolated folios put back. In a small machine whose
 * high-atomic reserve is a whole pageblock this is the usual end of a proactive run: the guest of
 * {@code pagelab validate} counts, in phase after phase, one such run of 2,760 pages scanned by the
 * migrate scanner, about 2,080 by the free scanner, 32 isolated, one pgmigrate_fail and nothing
 * moved.
 *
 * <p>A run for order {@code k} stops as soon as the zone passes its min watermark for order k,
 * which needs a free block of order k or more (COMPACT_SUCCESS). Before it starts, the zone must
 * be worth compacting (compaction_suitable):
 * <pre>
 *   SUCCESS       the zone already passes its watermark for order k: nothing to do
 *   SKIPPED       free - (2^k ... ) fails the order-0 check against (k &gt; 3 ? low : min) + 2 * 2^k:
 *                 too little free memory for migration to have targets; reclaim first
 *   NOT_SUITABLE  k &gt; 3 and 0 &lt;= fragmentation_index(k) &lt;= extfrag_threshold (500):
 *                 the failure is a lack of memory, not fragmentation
 *   CONTINUE      otherwise
 * </pre>
 * The fragmentation index of order k (Mel Gorman's, mm/vmstat.c) is -1000 when a block of order
 * k or more is free, 0 with nothing free, and otherwise
 * {@code 1000 - (1000 + 1000 * free_pages / 2^k) / free_blocks}: towards 0 when the free memory
 * is too little for the request, towards 1000 when it is enough but in pieces too small. The
 * unusable free space index is the share of free pages in blocks smaller than 2^k,
 * {@code (free_pages - 2^k * suitable_blocks) / free_pages}. Both are in
 * /sys/kernel/debug/extfrag/ ({@code extfrag_index}, {@code unusable_index}), printed in
 * thousandths.
 *
 * <p>Deferral (defer_compaction, compaction_deferred): a synchronous run that fails for order k
 * raises the zone's {@code compact_defer_shift} (up to 6) and lowers its
 * {@code compact_order_failed} to k; the next 2^shift requests of order k or more skip the zone.
 * A success resets the shift and moves {@code compact_order_failed} above k.
 *
 * <h2>Who compacts</h2>
 * <ul>
 *   <li><b>Direct compaction</b>: the allocator's slow path, for a request of an order above
 *       PAGE_ALLOC_COSTLY_ORDER (3) that may enter direct reclaim, runs asynchronous compaction
 *       over the zonelist before it reclaims, and again after one round of reclaim; a costly
 *       request never loops further (it is not __GFP_RETRY_MAYFAIL), and one that is
 *       __GFP_NORETRY gives up at once when the first compaction was skipped or deferred. A
 *       compaction that ran counts compact_stall, then compact_success when the allocation then
 *       succeeds, else compact_fail.</li>
 *   <li><b>kcompactd</b> ({@link org.pagelab.compaction.Kcompactd}), the node's compaction kernel
 *       thread, woken by kswapd when kswapd's run for a high-order allocation ends
 *       (wakeup_kcompactd from kswapd_try_to_sleep), and for a whole pageblock when a run that
 *       reclaimed for a watermark boost ends (balance_pgdat: the boosting fallbacks fragmented
 *       pageblocks, and reclaim has likely made room to repair them), if some zone is suitable.
 *       It counts
 *       compact_daemon_wake, runs synchronous-light compaction on every zone up to the highest
 *       the request may use, skipping deferred ones, and adds its scanner counts to
 *       compact_daemon_migrate_scanned and compact_daemon_free_scanned as well.</li>
 *   <li><b>Proactive compaction</b> (Linux 5.9): kcompactd's sleep has a timeout of 500 ms
 *       (HPAGE_FRAG_CHECK_INTERVAL_MSEC). When it passes with no wake-up, vm.compaction_proactiveness
 *       (default 20, 0..100, /proc/sys/vm/compaction_proactiveness, the scenario key
 *       {@code compaction_proactiveness}) is above 0 and kswapd is asleep, kcompactd computes the
 *       node's <em>fragmentation score</em>: each zone's share of free pages in blocks smaller than
 *       order {@value org.pagelab.compaction.Compaction#COMPACTION_HPAGE_ORDER} (extfrag_for_order,
 *       in percent), weighted by the zone's present pages over the node's plus one. Above the high
 *       mark, min(max(100 - proactiveness, 5) + 10, 100) (90 by default), it compacts every zone
 *       whole, synchronously without waiting on writeback and with no order, until the zone's own
 *       score is at most the low mark, max(100 - proactiveness, 5) (80), or the scanners meet, or
 *       kswapd wakes (PARTIAL_SKIPPED). A run that leaves the score where it was makes the next
 *       timeout 2^6 times as long (32 s), so an unfixable layout is not rescanned twice a second.
 *       Such a run counts compact_migrate_scanned, compact_free_scanned and compact_isolated, and
 *       pgmigrate_*, but neither compact_daemon_wake nor compact_daemon_*_scanned (only a woken
 *       kcompactd_do_work counts those). Writing a non-zero proactiveness makes kcompactd check at
 *       once (proactive_compact_trigger).
 *       <p>Simulated time: the timeout is a sleep timeout of the simulator ({@code Sim.timeout})
 *       that evaluates the score and wakes kcompactd0 only when there is work (the kernel's thread
 *       wakes every 500 ms and mostly goes back to sleep; waking pagelab's would only add a kernel
 *       thread to every run's task list), then sets the next one. Sleep timeouts fire only while
 *       some task waits to run after them, never when the simulator drains its I/O timers at the
 *       end of a run or outside simulated time, which a timeout that sets the next would keep
 *       going forever. A driver without simulated time (the Java API outside
 *       {@code Machine.step}) never reaches a timeout; it can call {@code Kcompactd.runProactive}.</li>
 *   <li><b>/proc/sys/vm/compact_memory</b>: writing 1 compacts every zone whole, synchronously,
 *       with no order (the scanners run until they meet).</li>
 * </ul>
 * Time: each page copied costs the running task (the faulting process, kcompactd0, the writer of
 * compact_memory) one page copy of CPU time (the cost model's {@code copy}); scanning is not
 * charged, and direct compaction is not recorded as a PSI memory stall.
 *
 * <p>Every run counts compact_migrate_scanned (pfns the migrate scanner visited),
 * compact_free_scanned (pfns the free scanner visited) and compact_isolated (folios isolated for
 * migration plus free frames taken as targets).
 *
 * <h2>Transparent huge pages and defrag</h2>
 * What a THP fault may do when no order-9 block is free follows
 * /sys/kernel/mm/transparent_hugepage/defrag ({@code org.pagelab.memory.ThpDefrag}, kernel
 * default {@code madvise}): {@code always} compacts directly (for a VMA without MADV_HUGEPAGE
 * with __GFP_NORETRY); {@code defer} only wakes kswapd, and with it kcompactd, and falls back at
 * once; {@code defer+madvise} compacts directly for MADV_HUGEPAGE VMAs and defers for others;
 * {@code madvise} compacts directly for MADV_HUGEPAGE VMAs and does nothing more for others;
 * {@code never} does nothing more. The fault falls back to order 0 (thp_fault_fallback) when the
 * allocation still fails.
 *
 * <h2>Deviations</h2>
 * Not modelled: the pageblock skip hints (a run resumes where the last one stopped, as the
 * cached pfns say, but rescans the pageblocks it then passes), capture of the freed
 * block by the compacting task, the free scanner's fast search and the
 * migrate scanner's fast start, compaction of non-LRU movable pages (zsmalloc, balloon), and
 * migration of large folios by compaction (the kernel's 6.1 compaction passes over compound pages
 * too; {@code Migrate} moves them when asked directly). kswapd in this model balances for order 0
 * only, so a high-order wake-up reclaims nothing for the order and hands it to kcompactd when its
 * run ends. The free scanner takes its targets one at a time as migration needs them, instead of
 * isolating a batch and giving the unused back: the same frames are chosen. kcompactd judges
 * suitability on free pages alone (the kernel adds reclaimable pages divided by the order).
 *
 * <h2>Invariants</h2>
 * <pre>
 *   no page table holds a migration entry outside a call of Migrate
 *   a migrated folio: same bytes, flags, cache slots, mappings (each PTE's bits), charge, LRU list
 *   zone cursors: zone.start &lt;= migrate cursor, free cursor &lt; zone.end
 *   0 &lt;= compact_defer_shift &lt;= 6;  compact_considered &lt;= 2^compact_defer_shift
 * </pre>
 * The memory checkers (reference counts, map counts, LRU membership, cache state, memcg usage)
 * recompute the rest after any migration.
 *
 * <h2>Order of calls</h2>
 * <pre>
 * PageAllocator.alloc (slow path, costly order, may reclaim)
 *   CompactionHook.directCompact -&gt; Compaction.tryToCompactPages
 *     Compaction.compactZone
 *       suitable                          (watermarks, fragmentation index)
 *       isolateMigratepages               LruVec.isolate
 *       Migrate.migrateIsolated
 *         takeFreeFrame (the free scanner) PageAllocator.allocFreeFrame
 *         Rmap.tryToMigrate               (migration entries)
 *         AddressSpace.migrateFolio       (cache slots, buffer heads)
 *         FrameContents.copy
 *         Rmap.removeMigrationPtes
 *         LruVec.putback (new), PageAllocator.folioPut (old)
 *       LruVec.putback                    (folios that failed)
 * Vmscan (kswapd's run ends) -&gt; ReclaimHost.kswapdRunEnded -&gt; PageAllocator.takeKswapdOrder,
 *                                Kcompactd.wake
 * Machine (the kcompactd0 kthread's step) -&gt; Kcompactd.run -&gt; Compaction.compactZone
 *                                          or Kcompactd.runProactive -&gt; Compaction.proactiveCompactNode
 * Sim timer (kcompactd's sleep timed out) -&gt; Kcompactd.timeout -&gt; shouldProactiveCompact, wake
 * ScenarioRunner (compact_memory step) -&gt; Compaction.compactNode
 * </pre>
 *
 * <h2>References</h2>
 * <ol>
 *   <li>mm/migrate.c: migrate_pages, unmap_and_move, folio_migrate_mapping, folio_migrate_flags,
 *       remove_migration_pte; mm/rmap.c: try_to_migrate_one.</li>
 *   <li>mm/compaction.c: compact_zone, isolate_migratepages_block, isolate_freepages,
 *       suitable_migration_source, suitable_migration_target, __compact_finished,
 *       __compaction_suitable, compaction_suitable, defer_compaction, compaction_deferred,
 *       compaction_defer_reset, try_to_compact_pages, kcompactd_do_work, wakeup_kcompactd,
 *       kcompactd, should_proactive_compact_node, fragmentation_score_node,
 *       fragmentation_score_wmark, proactive_compact_node; mm/vmstat.c: extfrag_for_order;
 *       Documentation/admin-guide/sysctl/vm.rst: compaction_proactiveness.</li>
 *   <li>mm/page_alloc.c: __alloc_pages_direct_compact, __alloc_pages_slowpath;
 *       mm/huge_memory.c: vma_thp_gfp_mask; mm/vmstat.c: fragmentation_index, unusable_index,
 *       extfrag_show_print.</li>
 *   <li>Mel Gorman, "Avoiding fragmentation with page clustering", Ottawa Linux Symposium 2006;
 *       Jonathan Corbet, "Memory compaction", LWN 2010.</li>
 * </ol>
 */
package org.pagelab.compaction;
