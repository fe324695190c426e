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
 *                       IoFaults, the injected I/O errors; SimClock, the simulator and the errors
 *                       as the lower floors see them (phys's AllocClock, filemap's IoClock, swap's
 *                       SwapIo); the rootfs device
 *   PageAllocator       zones, reserved frames, free lists, watermarks
 *   SlabAllocator       radix_tree_node, vm_area_struct, anon_vma, anon_vma_chain caches
 *   Vfs                 inode_cache and dentry caches; rooted at the run's working directory (data mode)
 *   SwapSpace           swap areas and their swap caches (none until swapon)
 *   WritebackIo         writes in flight, shared by the page cache and the swap caches;
 *                       the flusher on its kthread
 *   MemoryManager       processes, faults, fork, the OOM killer; given the machine as MemoryHost;
 *                       its Khugepaged makes the kthread khugepaged at the first registration,
 *                       which the machine runs as it runs kswapd0
 *   MemoryCgroups       the root cgroup and its lruvec; given MachineMemcgHost, the machine as a
 *                       MemcgHost, whose processes are MemcgTasks
 *   Vmscan              reclaim, kswapd, workingset detection; given the machine as ReclaimHost
 *   Compaction          page migration and zone compaction, installed as the allocator's
 *                       CompactionHook; Kcompactd, whose kthread kcompactd0 is made at its first wake-up
 *   Overcommit          vm.overcommit_memory and vm_committed_as; its reserves from the free memory now
 *   hooks               ChargeHook (allocator), ObjCharge (slab), SwapCharge (swap map) -&gt; MemoryCgroups;
 *                       shmem's commit -&gt; Overcommit
 *   BootWatch           the watches open on the booting thread hear of the machine (the tests'
 *                       MachineChecks extension, which runs check() after each test)
 * </pre>
 * A driver that reproduces a real boot then takes the kernel memory the real kernel holds
 * ({@link org.pagelab.machine.Machine#holdKernelMemory}, unreclaimable slab of kmalloc-4k).
 *
 * <h2>Floors</h2>
 * The packages of core stand on floors: a package uses packages on its own floor and below, never
 * above, so each floor compiles and can be read without the ones over it. The machine is the
 * only package that knows every subsystem; each subsystem that needs others at run time gets them
 * through a narrow interface of its own package that the machine implements ({@code MemoryHost},
 * {@code ReclaimHost}, {@code GupHost}, {@code FailureHost}; {@code MemcgHost} through
 * {@code MachineMemcgHost}, which shows the processes to the controller as {@code MemcgTask}s), or
 * as hooks the machine installs. Time reaches the floors below the simulator the same way: the
 * allocator, the page cache and swap charge their work to {@code AllocClock}, {@code IoClock} and
 * {@code SwapIo}, which {@code SimClock} implements over the simulator. PackageCycleTest reads this table and checks it against the compiled classes;
 * it allows no cycle and no edge up a floor.
 * <pre>
 *   14  soak                      randomized whole-machine soak runs
 *   13  scenario                  scenario files and their runner
 *   12  proc, trace               /proc renderers; trace readers and replay
 *   11  machine                   boots and wires the subsystems; the whole-machine checker
 *   10  failure, gup, policy, compaction   memory_failure; get/pin_user_pages; replacement policies; migration, compaction
 *    9  memory                    processes, faults, mm calls, fork, the OOM killer
 *    8  reclaim, mglru            vmscan: kswapd, direct and cgroup reclaim; two-list and multi-gen LRU
 *    7  memcg                     the memory controller; reaches reclaim through ReclaimDriver
 *    6  sim, psi                  simulated CPUs, devices and costs; pressure stall information
 *    5  rmap, swap                reverse map; swap areas and swap caches
 *    4  vma                       VMAs and mm structs
 *    3  pgtable, filemap, workingset   page tables; the cache index and page cache; shadows
 *    2  phys                      zones, buddy allocator, memmap
 *    1  slab, lruvec              slab caches (fed by phys through SlabPageSource); LRU lists
 *    0  desc, stat, input         descriptors; counters; input limits and messages
 * </pre>
 *
 * <h2>Invariants</h2>
 * {@link org.pagelab.machine.Machine#check()} runs every checker: the allocator's
 * (frames owned once, free lists), the slab allocator's, the file system's, compaction's (the
 * zones' scanner positions and deferral), and
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
