/**
 * The multi-generational LRU (MGLRU, Linux 6.1's CONFIG_LRU_GEN: the second half of mm/vmscan.c,
 * folio_inc_refs in mm/swap.c, lru_gen_eviction and lru_gen_refault in mm/workingset.c),
 * a {@link org.pagelab.reclaim.ReclaimPolicy} registered as {@code "mglru"}: a machine booted with
 * that policy name runs it on every lruvec, as the kernel does once
 * /sys/kernel/mm/lru_gen/enabled is set.
 *
 * <h2>Why generations</h2>
 * The two-list policy ({@link org.pagelab.reclaim.TwoListPolicy}) sorts memory into two bins and
 * learns of mapped accesses only when a folio reaches the tail of the inactive list and rmap is
 * asked about that one folio. Two bins say little about how cold a folio is, and rmap walks are
 * expensive per folio found. MGLRU keeps more bins, ordered by age, and learns of mapped accesses
 * mostly by walking page tables in address order, which finds many young PTEs per cache line read.
 *
 * <h2>Generations</h2>
 * Each lruvec has up to {@value org.pagelab.lruvec.LruGen#MAX_NR_GENS} generations, numbered by
 * a sequence: {@code maxSeq}, the youngest, shared by anon and file, and {@code minSeq[type]}, the
 * oldest of each type. A generation's list is indexed by {@code seq % MAX_NR_GENS}; a folio records
 * {@code gen + 1} in the generation field of its flag word. There are always at least
 * {@value org.pagelab.lruvec.LruGen#MIN_NR_GENS}: a folio must be seen unaccessed twice (the first
 * check clears the accessed bit of its fault) before it can be evicted. The two youngest count as
 * active and the rest as inactive in nr_active_* and nr_inactive_*, so /proc/vmstat keeps its
 * meaning. Anon's oldest may lag behind file's when swap is short: file pages can still be evicted.
 *
 * <h2>Tiers</h2>
 * Accesses through file descriptors (read(2), write(2)) do not move a folio between generations,
 * only up the tiers of its generation: the first sets REFERENCED, the second WORKINGSET, the next
 * ones a two-bit counter. With {@code refs} the accesses beyond the first, the tier is
 * {@code order_base_2(refs + 1)}: tiers 0 to 3 for 0-1, 2, 3-4 and 5 or more accesses. Tiers are
 * cheap (flag bits, no list move), and whether a tier deserves protection is decided by evidence,
 * below, not by a fixed rule as the two-list policy's "second access activates".
 *
 * <h2>Aging</h2>
 * The aging creates a new youngest generation (inc_max_seq). Before it does, it walks the page
 * tables of the address spaces on its cgroup's list and moves each folio with a young PTE to the
 * current youngest generation, clearing the bit (walk_mm, folio_update_gen). An address space is on
 * the list of the cgroup that owns its process, and the walk skips it (should_skip_mm) unless its
 * process ran since its last walk and it holds at least
 * {@value org.pagelab.mglru.MglruPolicy#MIN_LRU_BATCH} pages of the types the walk may age. The
 * kernel marks an address space as used when its task is switched in (lru_gen_use_mm); pagelab's
 * processes are not scheduled that way, so a process "ran" when it accessed memory through its
 * page tables (a touch, read or write, faulting or not) since the walk; a new address space
 * counts as used until its first walk. A PTE table that had at least one young
 * entry in eight goes into a Bloom filter for the next walk; walks after the first look only at the
 * tables in the filter of their sequence number, so tables that were cold are skipped. Two filters
 * alternate: one is read while the next is filled. When the window already holds
 * {@value org.pagelab.lruvec.LruGen#MAX_NR_GENS} generations, the oldest first merges into the next
 * (inc_min_seq). Aging is due (should_run_aging) when there are fewer than three generations, or
 * exactly three and the youngest holds over half of the pages or the oldest under a quarter.
 * kswapd ages every lruvec before each pass (lru_gen_age_node); direct reclaim ages the lruvec it
 * is about to scan when it has to (get_nr_to_scan), except at the first priority.
 *
 * <h2>Eviction</h2>
 * Eviction takes folios from the tail of the oldest generation of one type (scan_folios). Each is
 * sorted first (sort_folio): unevictable folios go to their list; a folio whose tier is protected
 * moves to the next generation and counts as protected; a locked, writeback or dirty file folio
 * moves to the next generation marked RECLAIM, so that the end of its write rotates it back to the
 * oldest. The rest are isolated, losing their tier unless referenced since, and go through
 * shrink_folio_list as with the two lists; there a young PTE found by rmap activates the folio, and
 * survivors go back to the youngest generation rather than the oldest.
 *
 * <h2>Look-around</h2>
 * A young PTE found by that rmap walk is a hint that its neighbours are young too: before the walk
 * clears it, the look-around (lru_gen_look_around) reads the PTEs around it in the same table,
 * {@value org.pagelab.mglru.MglruPolicy#MIN_LRU_BATCH} of them centred on it as far as the table's
 * stretch inside the VMA allows. Each young one that maps a folio of the same lruvec is made old and
 * its folio moves to the youngest generation (the folio being reclaimed, isolated, is marked
 * REFERENCED instead); when one PTE in eight of the window
 * was young, the table goes into the Bloom filter that the next aging reads, so the eviction tells
 * the page-table walk where the hot tables are. The reverse map calls it through the observer the
 * policy installs ({@link org.pagelab.rmap.Rmap#setYoungPteObserver}). When a type's oldest generation is empty, its {@code minSeq}
 * advances (try_to_inc_min_seq).
 *
 * <h2>The PID controller</h2>
 * Which type to evict, and which tiers to spare, is decided by feedback (the kernel's ctrl_pos). For
 * each type and tier the lruvec counts pages evicted, protected and refaulted while the current
 * oldest generation is the oldest (the P term), and keeps a moving average over older generations,
 * halved into at each retirement (the I term; there is no D term). The refault rate of a tier is
 * refaulted / (evicted + protected). get_tier_idx compares each higher tier with tier 0 of the same
 * type: a tier that refaults more than twice as often (gain 2 against 1) and has at least
 * {@value org.pagelab.mglru.MglruPolicy#MIN_LRU_BATCH} refaults is protected, and so are those above
 * it. get_type_to_scan compares tier 0 of anon with tier 0 of file, weighted by swappiness and
 * 200 - swappiness, and evicts the type that refaults less. Refaults are recognized from the shadow
 * entry, whose timestamp is a token of {@code minSeq} at eviction and the folio's refs: a refault
 * counts in its tier only while that generation is still the oldest, when the feedback is still
 * about the same decisions.
 *
 * <h2>min_ttl</h2>
 * With {@code min_ttl} set (/sys/kernel/mm/lru_gen/min_ttl_ms, the scenario key
 * {@code lru_gen_min_ttl_ms}, {@link org.pagelab.mglru.MglruPolicy#setMinTtlNanos}), kswapd's aging
 * (lru_gen_age_node) checks each lruvec: one whose cgroup is within memory.min, whose oldest file
 * generation is younger than min_ttl, or (below the first priority) that has too few pages to scan
 * is not aged. When no lruvec was, evicting would throw out the working set of the last min_ttl,
 * and kswapd calls the OOM killer instead of thrashing
 * ({@link org.pagelab.reclaim.ReclaimHost#outOfMemory}): unless an earlier victim has yet to die, the
 * process with the highest badness is killed (marked, if it is the process whose step kswapd
 * preempted, and killed when that step returns to user space).
 *
 * <h2>What the model simplifies</h2>
 * <ul>
 *   <li>Lists are sorted eagerly: the aging moves a folio to its new generation at once, where the
 *       kernel only rewrites the folio's generation and lets the eviction move it. Every folio is
 *       therefore on the list its field names, which {@link org.pagelab.lruvec.LruGen}'s checker
 *       tests; the order inside a list can differ from the kernel's.</li>
 *   <li>No per-zone lists (as for the two lists): one list per generation and type.</li>
 *   <li>The page-table walk visits its list in pid order, from the start each time; "has run"
 *       means "accessed memory" (above). The kernel forces a scan of address spaces added since
 *       its last iteration, and that force, once set, also lifts the Bloom filter for the rest of
 *       that walk; pagelab only counts a new address space as used.</li>
 *   <li>Neither the page-table walk nor the look-around moves a young PTE's dirty bit to its folio
 *       (the kernel's folio_mark_dirty there); the bit reaches the folio when it is unmapped.</li>
 *   <li>Which anon folios the look-around may age follows the eviction's swappiness; the kernel
 *       takes it from its page-table walk's state, which in direct reclaim may never have been set
 *       (then anon neighbours are left alone). No mapping is exempt from it: pagelab has no
 *       madvise(MADV_SEQUENTIAL) or MADV_RANDOM, which exempt a VMA in the kernel.</li>
 *   <li>kswapd ages before every pass: the kernel skips the aging (and so min_ttl's check) on the
 *       pass after an eviction that reclaimed a batch without needing it (memcgs_need_aging).</li>
 *   <li>Whether a folio is added in a page fault (the kernel's lru_gen_in_fault) is approximated
 *       by its kind: anon folios are, file folios are not.</li>
 *   <li>One set of feedback counters per lruvec (the kernel without CONFIG_LRU_GEN_STATS).</li>
 *   <li>min_ttl's OOM call takes no lock: the kernel only tries oom_lock, which in a model with
 *       one reclaimer at a time is always free; kswapd reclaims at order 0, so the kernel's
 *       exemption of reclaim for compaction does not arise.</li>
 * </ul>
 *
 * <h2>How it plugs into the reclaim driver</h2>
 * The {@link org.pagelab.reclaim.ReclaimPolicy} interface was written for two lists: the driver asks
 * {@code inactiveIsLow} and calls {@code shrinkActive} to refill the inactive list, and chooses
 * between anon and file itself (get_scan_count). MGLRU has no inactive list to refill and chooses
 * the type by its own feedback, as the kernel's lru_gen_shrink_lruvec replaces shrink_lruvec. The
 * interface therefore gained, as defaults that the two-list policy does not override,
 * {@link org.pagelab.reclaim.ReclaimPolicy#generational()} (the driver's generational path:
 * {@link org.pagelab.reclaim.GenerationalScan}) and the shadow hooks
 * {@link org.pagelab.reclaim.ReclaimPolicy#shadowOnEviction} and
 * {@link org.pagelab.reclaim.ReclaimPolicy#onRefault}, through which MGLRU writes and reads its
 * form of shadow entries. The generations themselves live in the lruvec
 * ({@link org.pagelab.lruvec.LruGen}), as struct lru_gen_folio lives in struct lruvec, so the list
 * primitives that THP splitting, isolation and the checkers use follow a folio to its generation.
 * This package is on reclaim's floor and uses it; reclaim finds the policy through
 * {@link java.util.ServiceLoader} ({@link org.pagelab.reclaim.ReclaimPolicies.Provider}).
 *
 * <h2>Invariants</h2>
 * Checked by {@link org.pagelab.lruvec.LruVec#check()} for each lruvec, so by the machine's
 * checker:
 * <pre>
 *   minSeq[type] &lt;= maxSeq,  maxSeq - minSeq[type] &lt; MAX_NR_GENS,  minSeq[ANON] &lt;= minSeq[FILE]
 *   every folio on a generation list has LRU set, ACTIVE and UNEVICTABLE clear, and the list's
 *       generation and type in its flag word; its generation lies in [minSeq[type], maxSeq]
 *   pages(gen, type) == sum of nrPages over the list (gen, type)
 *   nr_active_type == pages of the two youngest generations; nr_inactive_type == the rest
 * </pre>
 *
 * <h2>Order of calls</h2>
 * <pre>
 * fault, read                         MglruPolicy.onAdd -&gt; LruVec.add -&gt; LruGen.add
 * read(2), write(2) of a cached page  MglruPolicy.onAccess                 (tiers)
 * fault, touch, read, write           Mm.lruGenUse                         (the mm ran)
 * kswapd pass                         ageNode -&gt; Aging.tryToIncMaxSeq
 *                                       ReclaimHost.mmList, should_skip_mm, PageTable.pteTable
 *                                       LruGen.promote, LruGen.incMaxSeq
 *                                     no lruvec aged under min_ttl: ReclaimHost.outOfMemory
 * shrink_lruvec (Vmscan)              nrToScan (direct reclaim may age)
 *                                     isolate -&gt; Feedback.typeToScan/tierIdx, scan_folios,
 *                                       LruGen.incGen (sorted), LruVec.isolate, LruGen.tryToIncMinSeq
 *                                     ShrinkFolioList -&gt; Rmap.folioReferenced -&gt; Aging.lookAround
 *                                       checkReferences, shadowOnEviction
 *                                     putback -&gt; LruVec.putback
 * refault (Vmscan.refault)            onRefault -&gt; LruGen.countRefaulted
 * </pre>
 *
 * <h2>References</h2>
 * <ol>
 *   <li>Linux 6.1: mm/vmscan.c (the CONFIG_LRU_GEN section), include/linux/mm_inline.h
 *       (lru_gen_add_folio, lru_gen_del_folio), include/linux/mmzone.h (struct lru_gen_struct),
 *       mm/swap.c (folio_inc_refs), mm/workingset.c (lru_gen_eviction, lru_gen_refault).</li>
 *   <li>Documentation/mm/multigen_lru.rst and Documentation/admin-guide/mm/multigen_lru.rst.</li>
 *   <li>B. H. Bloom, "Space/Time Trade-offs in Hash Coding with Allowable Errors", CACM 1970.</li>
 * </ol>
 */
package org.pagelab.mglru;
