/**
 * The LRU lists of one memory cgroup on the node, the kernel's {@code struct lruvec}
 * (include/linux/mmzone.h) with the list helpers of include/linux/mm_inline.h:
 * {@link org.pagelab.lruvec.LruVec} and its five {@link org.pagelab.lruvec.LruList}s, or, when the
 * multi-generational LRU runs it, its generations ({@link org.pagelab.lruvec.LruGen}, the kernel's
 * {@code struct lru_gen_folio}), which take the place of the four evictable lists. The list
 * primitives follow a folio to its generation as lruvec_add_folio and lruvec_del_folio do, so their
 * callers need not know which policy runs.
 *
 * <p>This is the data structure only. Who puts folios on the lists and takes them off (the
 * policy, reclaim) is {@link org.pagelab.reclaim}'s; how long a folio stayed away after eviction
 * (the non-resident age kept here) is {@link org.pagelab.workingset}'s; which cgroup owns which
 * lruvec is {@link org.pagelab.memcg}'s. All three use the lruvec, and it uses none of them: it
 * sits below them, on {@link org.pagelab.desc} only, as struct lruvec sits in a header that
 * vmscan.c, workingset.c and memcontrol.c all include.
 *
 * <h2>Invariants</h2>
 * Recomputed by {@link org.pagelab.lruvec.LruVec#check()}:
 * <pre>
 *   lruvec.nrPages(lru) == sum over folios on list lru of nrPages
 *   folio on list lru  =&gt;  LRU set and lru == folioLru(folio)
 *   never ACTIVE and UNEVICTABLE together
 *   with generations: the four evictable lists empty, and LruGen's invariants
 * </pre>
 * The converse, {@code LRU set => on some lruvec's list}, spans every lruvec and is the machine
 * checker's to test.
 *
 * <h2>Who calls it</h2>
 * <pre>
 * ReclaimPolicy implementations (reclaim)            add, addTail, del, moveToHead, moveToTail,
 *                                                    isolate, putback
 * ShrinkFolioList (reclaim)                          noteCost    (a folio reclaimed at I/O cost)
 * Vmscan (reclaim)                                   subtreePages of the root: nr_*_anon/file in vmstat
 * Workingset (workingset)                            nonresidentAge, ageNonresident, noteCost,
 *                                                    subtreePages
 * MemCgroup (memcg)                                  one LruVec per cgroup, whose parent is the
 *                                                    parent cgroup's
 * </pre>
 *
 * <h2>References</h2>
 * Linux 6.1: include/linux/mmzone.h (struct lruvec, enum lru_list), include/linux/mm_inline.h
 * (folio_lru_list, lruvec_add_folio, lruvec_del_folio), mm/swap.c (lru_note_cost).
 */
package org.pagelab.lruvec;
