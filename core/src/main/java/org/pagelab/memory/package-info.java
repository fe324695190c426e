/**
 * Processes, their system calls on memory, their faults, fork and COW (kernel/fork.c, mm/mmap.c,
 * mm/mprotect.c, mm/madvise.c, mm/mremap.c, mm/memory.c, mm/huge_memory.c, mm/oom_kill.c).
 *
 * <h2>The classes</h2>
 * One class per concept, as the kernel splits mm/ into files; {@link
 * org.pagelab.memory.MemoryManager} builds them, gives each the collaborators it uses (the
 * allocator, the counters, the swap space, the file system; reclaim and memory cgroups, which the
 * machine makes later, as suppliers), and keeps the entry points drivers call. It takes them from
 * a {@link org.pagelab.memory.MemoryHost}, which the machine implements, so this package does not
 * depend on {@code org.pagelab.machine}.
 * <pre>
 *   ProcessTable   pids, spawn, exit, fatal signals, the event log
 *   Fork           fork: dup_mm and copy_page_range
 *   Mmap           mmap, munmap, unmap_mapping_range (truncation)
 *   Mprotect       mprotect: change_pte_range
 *   Madvise        madvise: DONTNEED, COLD, PAGEOUT, (NO)HUGEPAGE, (DONT|DO)FORK, (WIPE|KEEP)ONFORK, POPULATE_*
 *   Mremap         mremap: shrink, grow in place, move
 *   ClearRefs      /proc/PID/clear_refs
 *   Fault          the MMU and handle_mm_fault: anonymous faults, do_wp_page, wp_page_copy, unshare
 *   FileFault      faults in file mappings, fault-around
 *   SwapFault      do_swap_page, the swap-in charge
 *   AnonOrders     the order of a new anon folio: PMD-sized, then mTHP sizes, then order 0
 *   HugeMemory     PMD-sized THP fault and split; the fault's allocation request follows ThpDefrag
 *   HugePmd        PMD mappings: map, zap whole, split, wp fault, the huge zero page's read fault
 *   PageCacheSplit split_huge_page of a large page-cache folio
 *   HugeZeroPage   the huge zero page and its shrinker
 *   DeferredSplit  the deferred-split queue and its shrinker
 *   MthpSettings   hugepages-&lt;N&gt;kB/enabled (MthpEnabled) and stats/ (MthpStat)
 *   Khugepaged     MADV_COLLAPSE and the khugepaged thread: collapse of a 2 MiB range
 *   Zap            zap_pte_range and page_remove_rmap's accounting; nr_page_table_pages
 *   SwapUse        swapoff, shmem swap-in, swap cluster readahead
 *   OomKiller      out_of_memory
 *   SpaceChecker   the invariants below
 * </pre>
 * The reverse-mapping actions (folio_referenced, try_to_unmap, folio_mkclean) are in
 * {@link org.pagelab.rmap.Rmap}; this package hands it the page table of each VMA and what a
 * removed mapping costs its process ({@link org.pagelab.rmap.Rmap.PteOwners}). A present PTE is
 * turned into its folio by {@link org.pagelab.pgtable.PageTable#normalFolio} (vm_normal_folio),
 * which answers null for the zero page's special PTE.
 *
 * <h2>The model</h2>
 * A {@link org.pagelab.memory.Process} owns an address space: a VMA set ({@code vma}) and a
 * four-level page table ({@code pgtable}). {@code Fault} is the MMU and the fault handler. An
 * access walks the page table; when the PTE is present, user-accessible and, for a write,
 * writable, the hardware's work is done there: set accessed, and dirty for a write.
 * Anything else is a fault handled against the VMA, with the kernel's outcomes:
 * <pre>
 *   no VMA or forbidden access         SIGSEGV: the process is killed, others go on
 *   read, PTE none                     map the shared zero page read-only (special PTE); the huge
 *                                        zero page, one PMD, when the aligned 2 MiB is eligible and empty
 *   write, PTE none or zero page       new zeroed AnonFolio, exclusive, mapped writable+dirty
 *   write, read-only exclusive anon    reuse in place (pgreuse); also when mapped once, no other ref
 *   write, read-only shared anon       copy to a new exclusive folio (wp_page_copy)
 *   file mapping, PTE none             filemap_fault (major when read from the store), then:
 *                                        read: map the page-cache folio, plus fault-around of
 *                                        the cached pages in the 16-page window;
 *                                        private write: a private anon copy (COW);
 *                                        shared write: map writable, folio dirty
 *   file mapping, write to RO page     shared: make writable and dirty; private: copy
 *   beyond end of the mapped file      SIGBUS kills the process
 * </pre>
 * Writeback of a mapped folio first write-protects and cleans every PTE that maps it
 * (folio_mkclean), so a later write through a shared mapping faults and dirties the folio again
 * rather than changing it unseen. Truncation unmaps the removed pages from every process first; an
 * unlinked file lives while mapped. Each of these finds the mappings through the file's i_mmap
 * ({@code org.pagelab.rmap}).
 * fork copies the VMA set and every present PTE of it; private anonymous pages become shared
 * copy-on-write: both PTEs write-protected, the page's exclusive mark cleared (the folio's flag
 * for an order-0 folio; the page's bit of a large one, whose other pages stay exclusive, as the
 * kernel's PageAnonExclusive is per page), one more mapping and reference; the child's PTE starts
 * old. MADV_DONTFORK ranges are left out of the child, MADV_WIPEONFORK ones start empty.
 * mprotect rewrites PTEs of the range: write permission goes, and comes back without a fault for
 * exclusive anonymous pages; PROT_NONE clears the user bit. munmap, MADV_DONTNEED and exit zap
 * PTEs, drop mappings and references, and free empty page tables.
 *
 * <p>Shared anonymous memory is, as in the kernel, a shared mapping of a new unnamed shmem object
 * ("/dev/zero (deleted)"): its pages are zero-filled {@code ShmemFolio}s of a {@code ShmemCache},
 * counted in Shmem and nr_file_pages (not in Dirty, not written back), shared rather than copied
 * at fork, and freed with the object when its last mapping goes.
 *
 * <p>Reverse mapping: every new anon folio records its VMA's anon_vma and linear index, and a
 * write that reuses an exclusive page moves it to the writing VMA's anon_vma (folio_move_anon_rmap).
 * {@code Rmap.folioReferenced} and {@code Rmap.tryToUnmap} walk a folio's mappings for reclaim and
 * memory-failure; a PTE left as a poison entry raises SIGBUS when touched.
 *
 * <h2>Transparent huge pages: PMD mappings</h2>
 * With transparent_hugepage {@code always} (the kernel's Kconfig default,
 * TRANSPARENT_HUGEPAGE_ALWAYS; also {@code madvise} and {@code never}, see
 * {@link org.pagelab.memory.TransparentHugepage}), a write fault on an empty, PMD-aligned 2 MiB
 * range lying wholly inside a private anonymous VMA allocates one order-9 folio
 * ({@code HugeMemory}), from the free lists alone or, as /sys/kernel/mm/transparent_hugepage/defrag
 * allows ({@link org.pagelab.memory.ThpDefrag}), after waking kcompactd or compacting directly
 * ({@code org.pagelab.compaction}), and maps it with one PMD entry (do_huge_pmd_anonymous_page).
 * A read fault there maps the huge zero page instead ({@code HugeZeroPage}; thp_zero_page_alloc
 * the first time) while transparent_hugepage/use_zero_page is 1, its default; with 0 the read
 * allocates and maps a PMD-sized folio as a write would. Either way the fault registers the
 * address space with khugepaged first, as do_huge_pmd_anonymous_page does.
 *
 * <p><b>A PMD mapping is a PTE table marked huge</b> ({@link org.pagelab.desc.PageTablePage#huge()},
 * the kernel's pmd_trans_huge plus the PTE table it deposits for the day it splits the PMD). The
 * table's 512 entries stay filled and uniform: entry k maps page k of one naturally aligned
 * order-9 block, all with the same bits but accessed and dirty, which the MMU sets per entry where
 * the hardware would set the PMD's one bit; the PMD counts as young (dirty) when any entry is, and
 * a split gives every PTE those bits, as __split_huge_pmd_locked does. Reasons:
 * <ul>
 *   <li>every walker that exists (MMU fast path, rmap, zap, mprotect, fork, GUP, swap, the
 *       checkers, the MGLRU page-table walk) stays one level deep and correct without a second
 *       entry kind; the places where the kernel treats a PMD as one entry (fault, zap, fork,
 *       mprotect, wp fault, folio_referenced, smaps) test the mark;</li>
 *   <li>the page-table memory is the same: the kernel counts the deposited table in PageTables;</li>
 *   <li>what differs is only what a PMD entry saves (TLB reach, one entry to walk), which pagelab
 *       does not time. The price is an invariant: no code may change part of a huge table;
 *       anything that would must split the PMD first ({@code HugePmd.split}, thp_split_pmd), and
 *       the checker recomputes uniformity.</li>
 * </ul>
 * Where the kernel keeps the PMD, pagelab keeps the mark: zap of the whole 2 MiB (zap_huge_pmd),
 * fork (copy_huge_pmd: the child's table is huge too, both write-protected, the folio no longer
 * exclusive), mprotect of the whole 2 MiB (change_huge_pmd, which never grants write to an
 * anonymous PMD: the next write fault reuses the folio), a write fault on an exclusive PMD, or on
 * one that alone maps its folio with no other reference (do_huge_pmd_wp_page's reuse), GUP
 * (follow_trans_huge_pmd), migration (PMD migration entries: the new folio is PMD-mapped), and
 * folio_referenced (one reference per PMD, pmdp_clear_flush_young). Where the kernel splits the
 * PMD, pagelab clears the mark: a munmap, MADV_DONTNEED, mprotect or madvise that covers it in
 * part (vma_adjust_trans_huge), every PMD in a range mremap moves (the kernel's move_huge_pmd
 * keeps an aligned one whole), a COW write or unshare of a shared PMD-mapped folio (6.1's
 * do_huge_pmd_wp_page falls back to the PTE level, copying one page), a write to the huge zero
 * page (its PTEs become the 4 KiB zero page's, then the write copies one page), fork of a possibly
 * pinned exclusive folio (page_try_dup_anon_rmap fails: the PTE-level copy then copies each page
 * for the child), and split_huge_page, which reclaim and memory-failure call before they unmap
 * (TTU_SPLIT_HUGE_PMD).
 *
 * <p><b>Map counts.</b> A folio's mapcount counts each PTE-level mapping, 512 for a PMD mapping,
 * with one reference per mapped page: so the total is the sum of per-page map counts, as 6.1's
 * page_mapcount sums a page's own count and the folio's entire mapcount, and reuse tests read it
 * unchanged; smaps recounts a large folio's per-page counts through the reverse map
 * (see org.pagelab.proc). The entire mapcount
 * ({@link org.pagelab.desc.Folio#entireMapcount()}, folio->_entire_mapcount) counts the
 * folio's PMD mappings, anonymous or page cache. nr_anon_transparent_hugepages (AnonHugePages in meminfo) counts anonymous
 * folios whose entire mapcount is positive, as page_add_anon_rmap and page_remove_rmap with
 * compound set count NR_ANON_THPS; smaps_rollup's AnonHugePages adds 2 MiB per PMD mapping of
 * the process (smaps_pmd_entry). The huge zero page counts in neither. nr_anon_pages counts every
 * page of a mapped folio, a partly mapped one too, as the kernel does with
 * CONFIG_NO_PAGE_MAPCOUNT (6.15 on; 6.1 counts the pages mapped one by one): pagelab keeps no
 * per-page map count.
 *
 * <p><b>Large page-cache folios.</b> Readahead may fill a file's page cache with large folios
 * (see org.pagelab.filemap). A read fault maps the pages of one inside the fault-around window
 * page by page, as filemap_map_pages does; a PMD-sized one that is aligned with the address and
 * wholly inside the VMA, whose PTE table is still empty, is mapped by one PMD instead
 * ({@code FileFault}, do_set_pmd): read-only, thp_file_mapped, nr_file_pmdmapped (FilePmdMapped in
 * meminfo; smaps_rollup adds 2 MiB to FilePmdMapped per such PMD), RssFile by 512. A write to it
 * splits the PMD and goes on at the PTE level (wp_huge_pmd on a file VMA); fork does not copy it
 * (the child faults the pages in again). {@code PageCacheSplit} splits such a folio
 * (split_huge_page of a file folio: unmapped first, the pieces stay in the cache, the pages past
 * the end of file leave it), for truncation and memory-failure; reclaim takes one whole.
 *
 * <p><b>Deferred split.</b> An unmap that leaves a large folio still mapped but with a page mapped
 * nowhere queues it for a deferred split ({@code DeferredSplit}, thp_deferred_split_page once per
 * folio); its unmapped pages stay allocated and charged. The queue's shrinker, run by shrink_slab
 * after each cgroup's lruvec in a reclaim pass and by drop_caches (see
 * {@link org.pagelab.reclaim.Shrinkers}: a one-folio queue is scanned only at low priority), splits
 * queued folios, freeing the pages nothing maps; reclaim splits a queued folio it takes, as it
 * splits every large folio no PMD maps before swap-out. A folio whose last mapping goes is freed at once with
 * no split, and leaves the queue. The shrinker is memcg-aware: reclaim, a cgroup's own or global,
 * asks it after each cgroup's lruvec for the queued folios charged to that cgroup, as the kernel
 * shrinks memcg->deferred_split_queue; pagelab keeps one queue and picks from it by charge.
 *
 * <p><b>Other consequences</b>, each as the kernel behaves after splitting the PMD: a COW write to
 * a shared huge page copies that page alone (the rest stays shared); an exclusive one is written
 * in place; mprotect of part changes those PTEs and leaves the folio whole. Reclaim swaps a huge
 * folio out whole into a free swap cluster (thp_swpout), as 6.1 does for a PMD-mapped one; with
 * no free cluster it splits it first (thp_swpout_fallback). While the folio is in the swap cache,
 * over one slot per page, a fault on one of its swap entries maps that page of it (do_swap_page),
 * swapoff maps each page back, and a split leaves every page in the swap cache at its own slot;
 * once it has left the swap cache, swap-in brings order-0 pages back. Memory-failure splits it
 * so that only the poisoned page is lost. MADV_COLD and MADV_PAGEOUT split a PMD-mapped folio
 * that the range covers in part, and every PTE-mapped one whose page the process alone maps
 * (6.1's madvise_cold_or_pageout_pte_range), then age or reclaim the covered small folios; a
 * shared PTE-mapped one ends the walk of its page table ({@code Madvise}). A split keeps every frame's bytes. A large folio's
 * GUP pins are counted in its pin count (folio->_pincount), one reference each; a pinned folio is
 * not split (the deferred split tries again later). A range read before written gets the huge
 * zero page and then, at the write, order-0 pages, as in 6.1.
 *
 * <h2>Multi-size THP (Linux 6.8)</h2>
 * Each folio size from 16 KiB (order 2) to 2 MiB (order 9) has its own setting,
 * /sys/kernel/mm/transparent_hugepage/hugepages-&lt;N&gt;kB/enabled: always, inherit (the
 * top-level setting decides), madvise or never; 2048 kB starts as inherit and the smaller sizes
 * as never, so by default only PMD-sized folios are made ({@link
 * org.pagelab.memory.MthpSettings}). {@code AnonOrders} chooses the order of a write fault on a
 * none PTE of a private anonymous VMA, as __handle_mm_fault and alloc_anon_folio do: order 9
 * first when allowed, its range inside the VMA and the PTE table empty ({@code HugeMemory});
 * then the largest allowed smaller order whose naturally aligned range lies inside the VMA with
 * every PTE none, with the same allocation request at that order; on failure the next smaller
 * allowed order, and at last the order-0 page. A folio of order 2..8 is mapped at once by PTEs
 * over its whole range (set_ptes), as the kernel maps it. Per size, stats/ counts
 * anon_fault_alloc, anon_fault_fallback and anon_fault_fallback_charge (the memory cgroup
 * refused the charge), and swpout and swpout_fallback for reclaim to count;
 * /proc/vmstat's thp_fault_alloc, thp_fault_fallback and thp_fault_fallback_charge count order 9
 * only, and AnonHugePages counts order-9 folios only, as the kernel's do. Everything said above of
 * large folios (split, COW of one page, pins, reclaim splitting before swap-out, migration,
 * memory-failure, PSS) holds for every order: those paths work on a folio's page count.
 *
 * <h2>Collapse: MADV_COLLAPSE and khugepaged</h2>
 * {@code Khugepaged} copies the small folios of an aligned 2 MiB range into a new order-9
 * folio (mm/khugepaged.c): MADV_COLLAPSE at once, ignoring the sysfs settings and the
 * max_ptes_* limits; the khugepaged kernel thread in the background, for the address spaces
 * that tried a PMD-sized fault or advised MADV_HUGEPAGE, pages_to_scan pages of progress per
 * pass, a pass every scan_sleep_millisecs of simulated time, within max_ptes_none, max_ptes_swap
 * and max_ptes_shared. A page held by GUP, locked or off the LRU stops the collapse of its
 * range; swapped-out pages are swapped in first; none PTEs become zeroed pages. The rules and
 * errnos are in the class comment. The thread is woken by a registration or by its own timer,
 * and only runs while processes do, so every run ends.
 *
 * <h2>Invariants</h2>
 * Recomputed by {@link org.pagelab.memory.MemoryManager#check()}:
 * <pre>
 *   folio.mapcount == number of PTEs, over all page tables, that map it (512 per PMD mapping)
 *   folio.entireMapcount == number of huge tables that map it
 *   a huge table is uniform (512 entries, one aligned order-9 folio or the huge zero page, the
 *     same bits but accessed and dirty); an anonymous one lies inside one private anonymous VMA,
 *     its folio's pages all exclusive or all shared; a page-cache one inside one VMA of its file,
 *     at the folio's own offset
 *   nr_file_pmdmapped == page-cache folios whose entire mapcount is positive
 *   hugeZeroPage.pmdMaps == number of huge tables that map the huge zero page
 *   every folio on the deferred-split queue is a live large anon folio, mapped, with a page mapped nowhere
 *   nr_anon_pages  == pages of mapped anonymous folios;  nr_mapped == pages of mapped file folios
 *   process.RssFile == file PTEs in its page table
 *   process.RssAnon == anonymous PTEs in its page table
 *   nr_page_table_pages == page-table frames in the memmap == tables reachable from live processes
 *   every PTE lies inside a VMA; a special PTE maps the zero page (the huge zero page in a huge
 *     table); no PTE is a migration entry
 *   the reverse map leads to every present PTE (see org.pagelab.rmap)
 *   a large folio is anonymous, or a page-cache folio of a file system that takes them, of
 *     order 2..9; its pin count is GUP's pins
 *   a large folio in the swap cache is of order 9 and covers 2^order aligned slots, each holding it
 *     (org.pagelab.swap); reclaim splits smaller large folios before swap-out, as Linux 6.1 does
 *   nr_anon_transparent_hugepages == anon folios whose entire mapcount is positive
 * </pre>
 *
 * <h2>Order of calls</h2>
 * <pre>
 * MemoryManager.touch/read/write -> Fault.touch/copy
 *   Fault.pteFor
 *     PageTable.pteTable                  fast path
 *     Fault.fault                         (retried while retryFault, once more after a swap read; see Fault)
 *       Mm.find                           (vma)
 *       PageTable.allocPteTable           (phys: page-table pages), Zap.syncTables
 *       AnonOrders.fault -> HugeMemory.fault | AnonOrders.map, else Fault.mapNewAnon;
 *         HugePmd.faultZero | HugePmd.wp | Fault.wpAnon                                        anonymous
 *       FileFault.fault -> Vfs.filemapFault                   file
 *       SwapFault.doSwapPage -> SwapSpace, SwapUse.swapReadahead   swap entry
 *         PageAllocator.alloc             (phys; may wake kswapd or reclaim, which calls Rmap)
 * MemoryManager.madviseCollapse -> Khugepaged.madviseCollapse -> Khugepaged.collapseRange
 *   PageAllocator.alloc (order 9, charged to the owner), Fault.touch (swap-in), Zap.unmapFolio, AnonOrders.map
 * Machine.runTaskStep (khugepaged) -> Khugepaged.run -> Khugepaged.collapseRange, Sim.at (next pass)
 * MemoryManager.fork -> Fork.fork
 *   ProcessTable.spawn
 *   Mm.dupInto -> Fork.copyPtes -> PageTable.allocPteTable (child), Pte.wrprotect (both),
 *                                  Fork.copyHugePmd -> HugePmd.mapFolio | mapZero | split
 * MemoryManager.munmap / exit -> Mmap.munmap / ProcessTable.exit
 *   Mm.munmap / destroy -> Zap.zapRange -> HugePmd.splitEdges, HugePmd.zapWhole, Zap.unmapFolio,
 *                                        DeferredSplit.mappingRemoved, PageAllocator.folioPut,
 *                                        PageTable.freeEmptyTables
 * Vmscan.shrinkNode -> Shrinkers.shrinkSlab -> DeferredSplit.scanObjects -> HugeMemory.split
 *                                                -> HugePmd.splitFolioPmds (Rmap.hugeTables)
 *                                           HugeZeroPage.scanObjects -> PageAllocator.free
 * </pre>
 *
 * <h2>References</h2>
 * mm/memory.c: handle_mm_fault, do_anonymous_page, do_wp_page, do_swap_page, do_fault_around,
 * zap_pte_range, vm_normal_folio; mm/mmap.c: do_mmap, do_munmap; mm/mprotect.c:
 * change_pte_range, can_change_pte_writable; mm/madvise.c; mm/mremap.c: move_vma;
 * kernel/fork.c: dup_mm; mm/huge_memory.c; mm/khugepaged.c: madvise_collapse,
 * hpage_collapse_scan_pmd, collapse_huge_page, khugepaged_do_scan; mm/oom_kill.c; Linux 6.8
 * mm/memory.c alloc_anon_folio and Documentation/admin-guide/mm/transhuge.rst (multi-size THP).
 */
package org.pagelab.memory;
