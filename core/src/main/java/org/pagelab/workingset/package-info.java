/**
 * Workingset detection: telling, when a page-cache or anon folio comes back after reclaim
 * evicted it, whether it would have stayed in memory had the active list not been holding
 * memory for other pages (mm/workingset.c).
 *
 * <h2>The problem</h2>
 * The two-list LRU of {@link org.pagelab.reclaim.TwoListPolicy} admits new folios to the inactive
 * list and promotes them to the active list on a second access. A folio on the inactive list
 * therefore has as long to prove itself as the inactive list takes to cycle: if it is used again
 * before it reaches the tail, it is promoted; if not, it is evicted. The active list is only
 * shrunk when it outgrows the inactive list. So when the pattern of use changes, say a program
 * stops reading file A, which sits on the active list, and starts reading file B over and over,
 * and B is longer than the inactive list but would fit in the memory A occupies, B is evicted
 * page by page just before each page's second read. B never reaches the active list, A is never
 * challenged, and B is read from disk on every pass for as long as it is used: it thrashes
 * although it would fit.
 *
 * <h2>The refault distance</h2>
 * What would settle it is each folio's reuse distance: how many other pages were used between two
 * uses of it. That is too costly to track per access, but a lower bound on it comes for free from
 * the lists' own movement. Every folio that enters the inactive list pushes every folio on it one
 * slot towards the tail; every folio that leaves it for the active list lets the folios admitted
 * after it move one slot on. Either way, one eviction or one activation is at least one access
 * to some inactive page. Keep one clock per lruvec, the non-resident age, that advances by a
 * folio's page count on every eviction and every activation. Then:
 * <ul>
 *   <li>a folio that was evicted travelled the whole inactive list while resident, so at least
 *       {@code NR_inactive} inactive pages were used between its admission and its eviction;</li>
 *   <li>reading the clock at eviction ({@code E}) and again when the folio is faulted back in
 *       ({@code R}) gives at least {@code R - E} more uses while it was out of memory: the refault
 *       distance.</li>
 * </ul>
 * Its access distance was therefore at least {@code NR_inactive + (R - E)}. It would have survived
 * if memory had offered that many slots, {@code NR_inactive + NR_active}, that is if
 * {@code R - E <= NR_active}: the distance is the inactive list space the folio lacked, and on a
 * full machine it is the active list that takes that space. (With free swap, anon memory could be
 * reclaimed to make room, so the anon lists count too; see {@link
 * org.pagelab.workingset.Workingset#workingsetSize}.)
 *
 * <h2>The activation test</h2>
 * When the distance fits, the refaulting folio is put straight onto the active list, on the bet
 * that as many active pages are used less often than it is. If the bet is wrong, the active list
 * grows past the inactive one, its tail is demoted, and the pages that are really in use are
 * promoted again on their next access; the loser is evicted. If the bet is right, the stale active
 * pages drain through the inactive list and out of memory, and the new working set takes their
 * place. A shadow also remembers whether its folio had WORKINGSET, the mark the two-list policy
 * puts on folios it demotes from the active list: such a refault means the established working set
 * itself is thrashing rather than being replaced, and is counted as a restore.
 *
 * <h2>The model</h2>
 * {@link org.pagelab.workingset.ShadowWord} packs the shadow word (node, memcg, workingset bit,
 * timestamp) that a {@link org.pagelab.desc.Shadow} carries through the cache index.
 * {@link org.pagelab.workingset.Workingset} computes it on eviction and judges the refault,
 * returning a {@link org.pagelab.workingset.Refault}; its counters go to a
 * {@link org.pagelab.workingset.WorkingsetEventSink}. The non-resident age itself lives in
 * {@link org.pagelab.lruvec.LruVec} beside the lists it measures. Only the two-list LRU is
 * modelled here; a multi-generational LRU would use the same shadow word with a generation in
 * place of the timestamp. The shadow-node shrinker (workingset_nodes, workingset_nodereclaim) is
 * not modelled: shadows stay until their slot is reused or truncated.
 *
 * <h2>Invariants</h2>
 * <pre>
 *   nonresidentAge == sum of nrPages over every eviction (Workingset.eviction) and every
 *                     activation (refault activation, folio_mark_accessed promotion, putback of
 *                     an ACTIVE folio by reclaim) on the lruvec since it was created
 *   nonresidentAge never decreases
 *   ShadowWord.eviction(shadow) == (nonresidentAge at eviction >>> bucketOrder) &amp; EVICTION_MASK
 *   refault distance == (nonresidentAge now - (eviction &lt;&lt; bucketOrder)) &amp; EVICTION_MASK
 *   ACTIVE set by refault  =&gt;  detection on and distance &lt;= workingsetSize
 *   workingset_restore_X &lt;= workingset_activate_X &lt;= workingset_refault_X
 * </pre>
 *
 * <h2>Order of calls</h2>
 * <pre>
 * reclaim frees an isolated file folio (Vmscan.reclaimFile, __remove_mapping)
 *   unmap, write back if dirty
 *   word = Workingset.eviction(lruvec, folio)         reads age, then ages it by nrPages
 *   AddressSpace.remove(folio, Shadow.of(word))       shadow replaces the folio in its slots
 *   drop the isolation reference
 * a read, readahead, fault or write allocates a folio for a slot (filemap_add_folio)
 *   entry = AddressSpace.load(index)                  remember a Shadow if there is one
 *   AddressSpace.tryAdd(folio, index)                 the folio replaces the shadow
 *   Workingset.refault(lruvec, folio, shadow.word(), swap free)   may set ACTIVE, WORKINGSET
 *   LruHook.add(folio) -&gt; ReclaimPolicy.onAdd           lands on the list its flags choose
 * folio_mark_accessed promotes an inactive folio     TwoListPolicy.onAccess ages the clock
 * reclaim puts an ACTIVE folio back                  TwoListPolicy.putback ages the clock
 * </pre>
 *
 * <h2>References</h2>
 * mm/workingset.c (the design comment, pack_shadow, workingset_eviction, workingset_refault,
 * workingset_activation, workingset_init), mm/vmscan.c (__remove_mapping, move_folios_to_lru),
 * mm/filemap.c (__filemap_add_folio, filemap_add_folio), mm/swap.c (folio_mark_accessed);
 * J. Weiner, "mm: thrash detection-based file cache sizing", kernel commit a528910e12ec, 2014.
 */
package org.pagelab.workingset;
