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
 *   ...                 swap, memory manager, cgroups, reclaim
 *   Overcommit          vm.overcommit_memory and vm_committed_as; its reserves from the free memory now
 * </pre>
 * A driver that reproduces a real boot then takes the kernel memory the real kernel holds
 * ({@link org.pagelab.machine.Machine#holdKernelMemory}, unreclaimable slab of kmalloc-4k).
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
 *   vm_committed_as == sum over processes of their address spaces' committed pages
 * </pre>
 */
package org.pagelab.machine;
