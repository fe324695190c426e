/**
 * The machine: the object that owns one simulated computer's physical memory, slab allocator,
 * counters and file system, boots them in order and runs the whole-machine checker.
 *
 * <h2>Boot order</h2>
 * <pre>
 * Machine.boot
 *   PageAllocator       zones, reserved frames, free lists, watermarks
 *   SlabAllocator       radix_tree_node, inode_cache, dentry caches
 *   Vfs                 rooted at the run's working directory (data mode)
 * </pre>
 *
 * <h2>Invariants</h2>
 * {@link org.pagelab.machine.Machine#check()} runs every checker: the allocator's
 * (frames owned once, free lists), the slab allocator's, the file system's, and
 * {@code MemoryChecker}, which recomputes each folio's reference count from its holders and the
 * node counters from the folios:
 * <pre>
 *   folio.refcount == (in a cache ? nrPages : 0) + mapcount
 *   nr_file_pages  == pages of cached folios;  nr_dirty, nr_writeback likewise
 *   radix_tree_node objects == index nodes of all mappings
 * </pre>
 */
package org.pagelab.machine;
