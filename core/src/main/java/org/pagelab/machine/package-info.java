/**
 * The machine: the object that owns one simulated computer's physical memory, slab allocator,
 * counters and file system, boots them in order and runs the whole-machine checker.
 *
 * <h2>Boot order</h2>
 * Each subsystem is made once the ones it uses exist; hooks that point back up (cgroup charging,
 * shmem's overcommit accounting) are installed last, so nothing is charged before the controller
 * is there (what the slab allocator hands out before then belongs to no cgroup).
 * <pre>
 * Machine.boot
 *   VmStat, MemoryFailure, Gup  counters; the two reach the rest when called, through FailureHost and
 *                       GupHost, which the machine implements
 *   Sim                 simulated CPUs and costs; Psi on it; kthreads kswapd0 and kworker/u:flush;
 *                       the rootfs device
 *   PageAllocator       zones, reserved frames, free lists, watermarks
 *   SlabAllocator       radix_tree_node, vm_area_struct, anon_vma, anon_vma_chain caches
 *   Vfs                 inode_cache and dentry caches; rooted at the run's working directory (data mode)
 *   SwapSpace           swap areas and their swap caches (none until swapon)
 *   WritebackIo         writes in flight, shared by the page cache and the swap caches;
 *                       the flusher on its kthread; IoFaults, the injected I/O errors
 *   MemoryManager       processes, faults, fork, the OOM killer; given the machine as MemoryHost
 *   MemoryCgroups       the root cgroup and its lruvec; given the machine as MemcgHost
 *   Vmscan              reclaim, kswapd, workingset detection; given the machine as ReclaimHost
 *   Overcommit          vm.overcommit_memory and vm_committed_as; its reserves from the free memory now
 *   hooks               ChargeHook (allocator), ObjCharge (slab), SwapCharge (swap map) -&gt; MemoryCgroups;
 *                       shmem's commit -&gt; Overcommit
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
