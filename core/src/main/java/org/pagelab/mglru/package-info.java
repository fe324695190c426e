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
 * tables of every address space and moves each folio with a young PTE to the current youngest
 * generation, clearing the bit (walk_mm, folio_update_gen). A PTE table that had at least one young
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
 * shrink_folio_list as with the two lists; there a young PTE found by rmap activates the folio (the
 * kernel's lru_gen_look_around marks it REFERENCED first), and survivors go back to the youngest
 * generation rather than the oldest. When a type's oldest generation is empty, its {@code minSeq}
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
 * With {@code min_ttl} set, kswapd's aging reports when every lruvec's oldest generation is younger
 * than min_ttl: evicting would throw out the working set of the last min_ttl, and the kernel calls
 * the OOM killer instead of thrashing ({@link org.pagelab.mglru.MglruPolicy#setMinTtlNanos}).
 *
 * <h2>What the model simplifies</h2>
 * <ul>
 *   <li>Lists are sorted eagerly: the aging moves a folio to its new generation at once, where the
 *       kernel only rewrites the folio's generation and lets the eviction move it. Every folio is
 *       therefore on the list its field names, which {@link org.pagelab.lruvec.LruGen}'s checker
 *       tests; the order inside a list can differ from the kernel's.</li>
 *   <li>No per-zone lists (as for the two lists): one list per generation and type.</li>
 *   <li>The page-table walk visits every process's address space each time, in pid order; the
 *       kernel skips address spaces that have not run since the last walk and small ones.</li>
 *   <li>No look-around: the rmap walk of eviction does not age the neighbouring PTEs and does not
 *       feed the Bloom filter; only the page-table walk does.</li>
 *   <li>Whether a folio is added in a page fault (the kernel's lru_gen_in_fault) is approximated
 *       by its kind: anon folios are, file folios are not.</li>
 *   <li>One set of feedback counters per lruvec (the kernel without CONFIG_LRU_GEN_STATS).</li>
 *   <li>The kswapd OOM call of min_ttl is reported by
 *       {@link org.pagelab.reclaim.GenerationalScan#ageNode} but not acted on.</li>
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
 * kswapd pass                         ageNode -&gt; Aging.tryToIncMaxSeq
 *                                       ReclaimHost.mmList, PageTable.pteTable   (the walk)
 *                                       LruGen.promote, LruGen.incMaxSeq
 * shrink_lruvec (Vmscan)              nrToScan (direct reclaim may age)
 *                                     isolate -&gt; Feedback.typeToScan/tierIdx, scan_folios,
 *                                       LruGen.incGen (sorted), LruVec.isolate, LruGen.tryToIncMinSeq
 *                                     ShrinkFolioList -&gt; checkReferences, shadowOnEviction
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
