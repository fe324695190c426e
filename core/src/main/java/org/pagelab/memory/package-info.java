/**
 * Processes, their faults, fork and COW, and the reverse-mapping actions (mm/memory.c, mm/mmap.c,
 * mm/rmap.c).
 *
 * <h2>The model</h2>
 * A {@link org.pagelab.memory.Process} owns an address space: a VMA set ({@code vma}) and a
 * four-level page table ({@code pgtable}). {@link org.pagelab.memory.MemoryManager} is the MMU and
 * the fault handler. An access walks the page table; when the PTE is present, user-accessible and,
 * for a write, writable, the hardware's work is done here: set accessed, and dirty for a write.
 * Anything else is a fault handled against the VMA, with the kernel's outcomes:
 * <pre>
 *   no VMA or forbidden access         SIGSEGV: the process is killed, others go on
 *   read, PTE none                     map the shared zero page read-only (special PTE)
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
 * copy-on-write: both PTEs write-protected, the folio's exclusive flag cleared, one more mapping
 * and reference; the child's PTE starts old.
 * mprotect rewrites PTEs of the range: write permission goes, and comes back without a fault for
 * exclusive anonymous pages; PROT_NONE clears the user bit. munmap, MADV_DONTNEED and exit zap
 * PTEs, drop mappings and references, and free empty page tables.
 *
 * <p>Shared anonymous memory is, as in the kernel, a shared mapping of a new unnamed shmem object
 * ("/dev/zero (deleted)"): its pages are zero-filled file folios of a SHMEM cache, swap-backed,
 * counted in Shmem and nr_file_pages (not in Dirty, not written back), shared rather than copied
 * at fork, and freed with the object when its last mapping goes.
 *
 * <p>Reverse mapping: every new anon folio records its VMA's anon_vma and linear index, and a
 * write that reuses an exclusive page moves it to the writing VMA's anon_vma (folio_move_anon_rmap).
 * {@code folioReferenced} and {@code tryToUnmap} walk a folio's mappings for reclaim and
 * memory-failure; a PTE left as a poison entry raises SIGBUS when touched.
 *
 * <h2>Invariants</h2>
 * Recomputed by {@link org.pagelab.memory.MemoryManager#check()}:
 * <pre>
 *   folio.mapcount == number of PTEs, over all page tables, that map it
 *   nr_anon_pages  == pages of mapped anonymous folios;  nr_mapped == pages of mapped file folios
 *   process.RssFile == file PTEs in its page table
 *   process.RssAnon == anonymous PTEs in its page table
 *   nr_page_table_pages == page-table frames in the memmap == tables reachable from live processes
 *   every PTE lies inside a VMA; a special PTE maps the zero page
 *   the reverse map leads to every present PTE (see org.pagelab.rmap)
 * </pre>
 *
 * <h2>Order of calls</h2>
 * <pre>
 * MemoryManager.touch/read/write
 *   PageTable.pteTable                    fast path
 *   fault
 *     Mm.find                             (vma)
 *     PageTable.allocPteTable             (phys: page-table pages)
 *     PageAllocator.alloc(anon, zeroed)   (phys; may wake kswapd or reclaim)
 * MemoryManager.fork
 *   Mm.dupInto -> copyPtes -> PageTable.allocPteTable (child), Pte.wrprotect (both)
 * MemoryManager.munmap / exit
 *   Mm.munmap / destroy -> zapRange -> PageAllocator.folioPut, PageTable.freeEmptyTables
 * </pre>
 *
 * <h2>References</h2>
 * mm/memory.c: handle_mm_fault, do_anonymous_page, do_wp_page, zap_pte_range;
 * mm/mprotect.c: change_pte_range, can_change_pte_writable.
 */
package org.pagelab.memory;
