/**
 * Memory failure: hardware-poisoned frames (mm/memory-failure.c).
 *
 * <h2>How the kernel does it</h2>
 * When the hardware reports that the memory of a frame is corrupt (a machine check, or
 * madvise(MADV_HWPOISON) to test it), the kernel marks the frame poisoned so it is never used
 * again, then looks at who owns the frame and does what that owner allows: a free frame is
 * simply taken out of the allocator; a kernel page cannot be moved, so nothing is done but the
 * report; a page of user memory is unmapped from every process through the reverse map, and
 * then dropped if its data exists elsewhere (a clean page-cache page, a clean swap-cache page),
 * or kept poisoned with its loss reported (a dirty page-cache page makes the file's next fsync
 * fail with EIO; an anonymous page leaves poison entries that raise SIGBUS when touched). The
 * decision runs through an ordered table of page states, and every action ends in one of four
 * outcomes: Ignored, Failed, Delayed, Recovered, reported as one log line.
 *
 * <h2>The model</h2>
 * {@link org.pagelab.failure.MemoryFailure} follows that table (its class comment lists the rows
 * with their actions and outcomes), dispatching on the sealed descriptor type first: free blocks,
 * reserved blocks, slab pages and page-table pages are told apart by type, not by flags. Poisoned
 * frames are counted in HardwareCorrupted. A poisoned free frame becomes a
 * {@link org.pagelab.desc.PoisonedFrame} descriptor; a poisoned folio keeps one reference for as long as it is poisoned, so nothing frees it.
 * Unpoison gives back frames no one uses any more.
 *
 * <h2>Invariants</h2>
 * Checked by the machine's checkers:
 * <pre>
 *   folio.refcount == cache pages + mapcount + (HWPOISON ? 1 : 0)
 *   a poisoned folio is on no LRU list; every other live folio is
 *   HardwareCorrupted == poisoned frames counted (num_poisoned_pages)
 * </pre>
 *
 * <h2>Order of calls</h2>
 * MemoryFailure reaches the subsystems below through {@link org.pagelab.failure.FailureHost}, which
 * the machine implements.
 * <pre>
 * memoryFailure(pfn)
 *   Memmap.owner -> by type: PageAllocator.takePageOffBuddy | report
 *   Folio: set HWPOISON, take a reference
 *     MemoryManager.mappers (early kill), Rmap.tryToUnmap (poison entries or clear)
 *     SwapSpace.deleteFromSwapCache | markCleanLost; Vmscan.removeFromLru;
 *     Inode.setWritebackError (dirty file); AddressSpace.remove (page cache)
 * </pre>
 *
 * <h2>References</h2>
 * mm/memory-failure.c (memory_failure, error_states, hwpoison_user_mappings, me_* actions,
 * unpoison_memory), Documentation/mm/hwpoison.rst, Documentation/admin-guide/sysctl/vm.rst
 * (memory_failure_early_kill).
 */
package org.pagelab.failure;
