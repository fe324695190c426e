/**
 * LRU lists and the page replacement policy (mm/swap.c, include/linux/mm_inline.h, the list
 * handling of mm/vmscan.c), and the reclaim driver that uses them,
 * {@link org.pagelab.reclaim.Vmscan}: kswapd, direct reclaim and shrink_folio_list, which decide
 * how much to scan, harvest references through rmap, unmap, write back and free. The policy part
 * says which folios the driver should look at and what to do with them; the driver's own essay is
 * on {@link org.pagelab.reclaim.Vmscan}.
 *
 * <p>Machine-wide invariant (checked by the machine's checker, since it spans every structure):
 * every live folio is on exactly the LRU list its flags name, with the LRU flag set; isolated
 * folios exist only inside a reclaim pass.
 *
 * <h2>Why two lists</h2>
 * Reclaim needs to find memory that will not be used again soon. A single LRU list ordered by last
 * use answers that badly for a page cache: one sequential read of a large file touches every page
 * once, puts each at the head and pushes the whole working set out of memory, although none of the
 * streamed pages will be read again. The kernel therefore splits each kind of memory into two
 * lists. New folios enter the <em>inactive</em> list; only a folio used a second time while it
 * is still there is promoted to the <em>active</em> list. Reclaim takes its victims from the tail
 * of the inactive list. Use-once pages then flow through the inactive list and out, and the pages
 * used repeatedly sit on the active list, out of the stream's way. This is the idea of 2Q and of
 * LRU-2: the second reference, not the first, is the evidence of reuse.
 *
 * <p>Anon and file memory have separate pairs of lists, because reclaiming them costs different
 * things (anon needs swap I/O; clean file pages are dropped for free) and reclaim balances its scan
 * between the two using the recent cost of each ({@link org.pagelab.lruvec.LruVec#noteCost}).
 * Which pair a folio belongs to follows SWAPBACKED ({@code LruVec.isFileLru}), as the kernel's
 * folio_is_file_lru does: anon and shmem folios ({@code SwapBacked} by type) carry it from birth,
 * so shmem and tmpfs pages, file pages that can only go to swap, sit on the anon lists. The test
 * stays on the flag rather than the type because in the kernel it is run-time state of an anon
 * folio: MADV_FREE clears it, and the lazily freed folio moves to the file lists. Where reclaim
 * decides how a folio leaves (add to swap, shmem's writeout, a file's pageout) it switches over
 * the folio's kind. A fifth list holds
 * unevictable folios (mlocked memory), which reclaim never scans.
 *
 * <h2>Second chances: where references come from</h2>
 * A folio can be used in two ways, and they leave different traces:
 * <ul>
 *   <li>Through a mapping: the CPU sets the accessed bit of the page table entry and the kernel
 *       is not told. Reclaim learns of the use only when it asks rmap to walk every PTE mapping the
 *       folio, test and clear the accessed bits, and count them (folio_referenced).</li>
 *   <li>Through a system call (read, write, a page-cache lookup): the kernel sees the access and
 *       calls folio_mark_accessed, which records it in the folio's REFERENCED flag.</li>
 * </ul>
 * folio_mark_accessed is a small state machine on an evictable folio:
 * <pre>
 *   inactive, unreferenced  --access--&gt;  inactive, referenced
 *   inactive, referenced    --access--&gt;  active, unreferenced     (activation)
 *   active,   unreferenced  --access--&gt;  active, referenced
 *   active,   referenced    --access--&gt;  no change
 * </pre>
 * so two accesses promote a folio, matching the two-touch rule.
 *
 * <p>When a folio reaches the tail of the inactive list, reclaim isolates it and combines both
 * traces (folio_check_references). A folio referenced through two or more mappings, or through a
 * mapping after it was already marked REFERENCED, is activated. A folio referenced through one
 * mapping only is marked REFERENCED and kept for one more trip along the inactive list: every
 * mapped folio starts with the accessed bit its first fault set, so one bit proves nothing; a
 * second is needed. Executable file pages are the exception and activate on the first mapped
 * reference, because losing program text makes a system unusable. A folio with no mapped
 * reference is reclaimed; if its only use was a system call and it is a file page, it is
 * reclaimed only if clean, so that a recently read dirty page is not written back at once.
 *
 * <h2>Deactivation and the inactive ratio</h2>
 * The active list would grow without bound if nothing moved folios back. Each pass of reclaim
 * gives the active lists a share of its scan, as it does the inactive ones (get_scan_count); that
 * share is spent scanning the tail of the active list (shrink_active_list) and moving folios to
 * the head of the inactive list, but only for a kind that may be deactivated: its inactive list is
 * too small, or folios of the kind were activated on refault since the last reclaim ended, so a
 * new working set is forming ({@link org.pagelab.reclaim.ScanControl}). Otherwise the active
 * list is left alone; a reclaim that then frees nothing starts over with every active list aged.
 * kswapd also ages a batch of active anon before each pass when inactive anon is low
 * (age_active_anon), and every lruvec pass ends with one batch of anon aging when its inactive
 * anon is low, swap permitting. Deactivation clears ACTIVE and
 * setting WORKINGSET (the folio once proved itself, which workingset detection uses if it
 * refaults). The accessed bits are harvested on the way, but only to clear them: a referenced
 * folio is deactivated all the same, except an executable file page, which gets one more trip
 * along the active list. Deactivated folios that are really in use are simply referenced again
 * on the inactive list and promoted back.
 *
 * <p>"Too small" is the inactive ratio (inactive_is_low): with {@code gb} the size of both lists
 * in whole GiB, the inactive list is low when {@code inactive * ratio < active}, where
 * {@code ratio = floor(sqrt(10 * gb))}, or 1 below one GiB. Small machines keep half their LRU
 * inactive; a 10 GiB LRU keeps about a tenth, a 1 TiB LRU about one percent. The inactive list must
 * be long enough that a folio has time to be used a second time before it reaches the tail, but
 * every page on it is a page not protected by the active list.
 *
 * <h2>Writes held by the plug</h2>
 * A pass over one lruvec (shrink_lruvec, and lru_gen_shrink_lruvec) runs under a block plug: the
 * writes it starts for dirty folios are held and handed to the device together when the pass ends,
 * or earlier when the plug is full ({@link org.pagelab.filemap.WritebackIo#plug}). So no folio a
 * pass writes can complete, rotate to the tail and be freed within that pass; a pass that finds only
 * dirty folios writes its whole target and frees them in later passes. How much a plug holds is a
 * property of the devices (their largest request): 320 pages by default, 992 for user-mode
 * Linux's ubd, whose reclaim therefore writes in bursts of about a thousand pages and ends a phase
 * with hundreds of written pages in the swap cache.
 *
 * <h2>The model</h2>
 * {@link org.pagelab.lruvec.LruVec} is the kernel's lruvec, in a package of its own below reclaim,
 * workingset and memcg, which all use it: five {@link org.pagelab.desc.DescList}s
 * linked through the folios' own descriptor links, page counts per list, and the reclaim state
 * that lives beside them (the non-resident age of workingset detection, the anon and file costs).
 * There is one per memory cgroup on the node, the root cgroup's included, and node reclaim visits
 * each in turn ({@link org.pagelab.memcg}).
 * {@link org.pagelab.reclaim.ReclaimPolicy} is the policy as the driver sees it: entry, access,
 * isolation of candidates, the reference decision, and putback. {@link
 * org.pagelab.reclaim.TwoListPolicy} implements the kernel's classic policy and is the default; the
 * multi-generational LRU is the other ({@link org.pagelab.mglru}), which drives the scan itself
 * through {@link org.pagelab.reclaim.GenerationalScan};
 * {@link org.pagelab.reclaim.ReclaimPolicies} names the implementations. Policy events (pgactivate,
 * pgdeactivate, pgrefill, pgrotated, unevictable culls and rescues) go to an
 * {@link org.pagelab.reclaim.LruEventSink}. What the model leaves out: per-CPU folio batches
 * (moves happen at once), per-zone LRU counts, rmap lock contention, mappings marked unevictable,
 * and lazily freed anon folios on the file list.
 *
 * <h2>Invariants</h2>
 * <pre>
 *   lruvec.nrPages(lru) == sum over folios on lru of nrPages
 *   folio on list lru  =&gt;  LRU set and lru == folioLru(folio):
 *       UNEVICTABLE == (lru == UNEVICTABLE)
 *       ACTIVE      == lru.isActive()
 *       SWAPBACKED  == !lru.isFile()         (evictable lists)
 *   isolated folio (taken by isolate, not yet put back)  =&gt;  LRU clear, on no list,
 *       refcount includes one isolation reference
 * </pre>
 *
 * <h2>Order of calls</h2>
 * The driver reaches the subsystems around it through {@link org.pagelab.reclaim.ReclaimHost},
 * which the machine implements.
 * <pre>
 * fault / Vfs.read, write (new folio)
 *   ReclaimPolicy.onAdd
 *     LruVec.add
 * Vfs.read (cached folio)
 *   ReclaimPolicy.onAccess
 *     LruVec.del, add; ageNonresident         (activation)
 * shrink_lruvec (driver)
 *   ReclaimPolicy.inactiveIsLow
 *   ReclaimPolicy.shrinkActive
 *     LruVec.isolate
 *     ReferenceHarvester.harvest              (Rmap.folioReferenced)
 *     LruVec.putback
 *   ReclaimPolicy.isolateForReclaim
 *     LruVec.isolate
 *   ReclaimPolicy.checkReferences             (after ReferenceHarvester.harvest)
 *   ReclaimPolicy.activateIsolated
 *   ReclaimPolicy.putback
 *     LruVec.putback
 *   shrink_folio_list                         (ShrinkFolioList)
 *     Rmap.pageMapcounts                      (a large anon folio: is it mapped whole?)
 *     LargeFolioSplit.splitIsolated           (the THP split, handed in by the machine: not
 *                                              mapped whole, or no free swap cluster)
 *     SwapSpace.addToSwap                     (a large folio: a whole cluster of slots)
 *     Rmap.tryToUnmap                         (swap entries, or none for file folios)
 *     SwapSpace.writeOut                      (pswpout; thp_swpout for a large folio)
 *   PageAllocator.free                        (released folios and reclaimed ones)
 * shrink_node_memcgs, after each cgroup's lruvec; drop_caches 2
 *   Shrinkers.shrinkSlab                      (registered shrinkers: the THP deferred-split queue,
 *                                              memcg-aware, and the huge zero page, root only;
 *                                              both from org.pagelab.memory)
 * folio release
 *   ReclaimPolicy.remove
 *     LruVec.del
 * shrink_lruvec, generational policy (ReclaimPolicy.generational() not null)
 *   GenerationalScan.ageNode                  (kswapd, before each pass)
 *   GenerationalShrink.shrink                 (lru_gen_shrink_lruvec)
 *     GenerationalScan.nrToScan               (may age)
 *     GenerationalScan.isolate                (then shrink_folio_list and putback as above)
 * eviction and refault of a cached folio
 *   ReclaimPolicy.shadowOnEviction, onRefault (Workingset by default)
 * </pre>
 *
 * <h2>References</h2>
 * <ol>
 *   <li>mm/swap.c: folio_add_lru, lru_add_fn, folio_mark_accessed, folio_activate_fn,
 *       lru_deactivate_fn, folio_rotate_reclaimable, lru_note_cost.</li>
 *   <li>mm/vmscan.c: isolate_lru_folios, shrink_active_list, move_folios_to_lru,
 *       folio_check_references, inactive_is_low.</li>
 *   <li>include/linux/mm_inline.h: folio_is_file_lru, folio_lru_list, lruvec_add_folio,
 *       lruvec_del_folio; include/linux/mmzone.h: struct lruvec.</li>
 *   <li>T. Johnson, D. Shasha, "2Q: A Low Overhead High Performance Buffer Management Replacement
 *       Algorithm", VLDB 1994.</li>
 *   <li>E. O'Neil, P. O'Neil, G. Weikum, "The LRU-K Page Replacement Algorithm for Database Disk
 *       Buffering", SIGMOD 1993.</li>
 * </ol>
 */
package org.pagelab.reclaim;
