/**
 * Reverse mapping: from a folio to every page-table entry that maps it (mm/rmap.c).
 *
 * <h2>How the kernel does it</h2>
 * A page table maps virtual to physical; reclaim, migration and memory-failure need the other
 * direction, and the kernel does not keep a list of PTEs per page (that would cost memory on
 * every mapping). It keeps enough to find the candidate VMAs instead, and reads their page tables:
 * <ul>
 *   <li><b>File folios</b>: the file's {@code address_space} holds {@code i_mmap}, an interval
 *       tree of every VMA that maps the file, keyed by the file pages the VMA covers. A folio at
 *       file page {@code index} may be mapped by any VMA whose range covers {@code index}, at
 *       {@code vma.start + (index - vma.pgoff) * PAGE_SIZE}.</li>
 *   <li><b>Anonymous folios</b>: {@code folio->mapping} points at an {@code anon_vma}, and
 *       {@code folio->index} is the folio's linear page index. Each anon_vma has a tree of
 *       {@code anon_vma_chain} links to the VMAs that may map its folios. Fork links each child
 *       VMA to all the anon_vmas of its parent VMA (pages that existed at fork are shared
 *       copy-on-write) and gives it a new anon_vma of its own for the pages it creates later, so
 *       a walk from a page made before a fork finds the parent and every descendant, while a walk
 *       from a child's COW copy finds only the child and its own descendants.</li>
 * </ul>
 * A walk ({@code rmap_walk}) visits each candidate (VMA, address), and the caller checks that the
 * PTE there really maps this folio: after a COW the child's PTE maps its copy, not the original.
 *
 * <h2>The model</h2>
 * {@link org.pagelab.vma.AnonVma} and {@link org.pagelab.vma.AnonVmaChain} live beside the VMAs,
 * because every VMA operation (mmap, split, merge, fork, unmap) must keep them right;
 * {@link org.pagelab.vma.Mm} with its {@code AnonVmas} implements anon_vma_prepare (reusing a
 * mergeable neighbour's anon_vma), anon_vma_clone on split, anon_vma_fork, unlink_anon_vmas and
 * the merge rule that keeps VMAs with different anon_vmas apart. Both are slab objects of the {@code anon_vma} and
 * {@code anon_vma_chain} caches, so they show in Slab as in the kernel. This package holds
 * {@link org.pagelab.rmap.FileRmap}, the i_mmap of every file (an ordered map by page offset, not
 * an interval tree; see its documentation for the cost), {@link org.pagelab.rmap.RmapWalk},
 * the walk itself, and {@link org.pagelab.rmap.Rmap}, the actions on the PTEs a walk finds:
 * {@code folioReferenced} (harvest and clear accessed bits, for reclaim's aging; under the
 * multi-generational LRU it first shows each young PTE to that policy's look-around, which ages
 * the PTEs next to it; a huge table, standing for one PMD entry, counts once and is made old
 * whole),
 * {@code tryToUnmap} (replace every mapping by a swap or poison entry, or clear it for a file
 * folio, moving the dirty bit to the folio; a possibly pinned exclusive anonymous page keeps
 * its mapping), {@code mkclean} (write-protect before writeback), and the per-page map counts
 * the huge-page split and the checker take from a walk. Processes are not this package's: the
 * memory manager hands {@code Rmap} a {@link org.pagelab.rmap.Rmap.PteOwners}, which gives the
 * page table of a VMA, duplicates a swap entry, and drops a removed mapping from the folio and
 * its process's counters. Reclaim and memory-failure reach {@code Rmap} through
 * {@code Machine.rmap()}, without the memory manager.
 *
 * <h2>Invariants</h2>
 * Recomputed by {@code MemoryManager.check()} (with {@link org.pagelab.rmap.Rmap#pageMapcounts}
 * for large folios) and {@link org.pagelab.rmap.FileRmap#check}:
 * <pre>
 *   every present PTE mapping a folio is found by the folio's walk:
 *     anon: the PTE's VMA is chained to folio.anonVma and maps folio.linearIndex + k at the PTE's address
 *     file: the PTE's VMA maps the folio's file and maps folio.index + k at the PTE's address
 *   i_mmap holds exactly the file VMAs of the live address spaces
 *   anon_vma_chain objects == links on VMA chains;  anon_vma objects == anon_vmas reachable from them
 * </pre>
 *
 * <h2>Order of calls</h2>
 * <pre>
 * fault (anon)     Mm.anonVmaPrepare, alloc, AnonFolio.setAnonRmap(vma.anonVma, linear index)
 * fork             Mm.dupInto -> anonVmaFork (clone chain, new child anon_vma), copy PTEs
 * reclaim          Vmscan.harvest -> Rmap.folioReferenced (-> YoungPteObserver: mglru's look-around)
 *                  ShrinkFolioList -> Rmap.tryToUnmap(folio, swap entries or none)
 *                    -> PteOwners.swapDuplicate, PteOwners.pteRemoved
 * writeback        Writeback -> MappingHook.mkclean -> Rmap.mkclean
 * memory-failure   MemoryFailure -> Rmap.tryToUnmap(folio, poison entries); MemoryManager.mappers
 * THP split        HugeMemory.split -> Rmap.hugeTables (PMD mappings to split), Rmap.pageMapcounts
 * deferred split   DeferredSplit.mappingRemoved -> Rmap.pageMapcounts (is a page mapped nowhere?)
 * </pre>
 *
 * <h2>References</h2>
 * mm/rmap.c (anon_vma_prepare, anon_vma_fork, unlink_anon_vmas, folio_referenced,
 * try_to_unmap, rmap_walk_anon, rmap_walk_file), include/linux/rmap.h, mm/mmap.c
 * (is_mergeable_anon_vma, find_mergeable_anon_vma); "The object-based reverse-mapping VM",
 * LWN 2003, and "Virtual Memory II: the return of objrmap", LWN 2004.
 */
package org.pagelab.rmap;
