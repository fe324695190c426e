/**
 * Memory cgroups, version 2 (mm/memcontrol.c, mm/page_counter.c): who is charged for each page,
 * what a limit does when it is reached, and how reclaim is shared between groups.
 *
 * <h2>Charging</h2>
 * Every page a process causes to exist is charged to exactly one cgroup, the one that brought it
 * in: an anonymous page to the cgroup of the process that faulted it, a page-cache page to the
 * cgroup of the task that read it first (a later reader in another cgroup does not take over the
 * charge: the page "belongs" to whoever paid for the I/O), a page swapped back in to the cgroup
 * its swap slot was charged to, if that cgroup still exists. Page tables are kernel memory
 * charged to the process's cgroup (the pagetables and kernel lines of memory.stat). Swap slots
 * are charged separately, against memory.swap.max, for as long as the slot is allocated; in
 * cgroup v2 a page in the swap cache is therefore charged twice, once as memory and once as swap.
 * A charge is made at every level of the hierarchy (a hierarchical page counter), so a parent's
 * memory.current is its own pages plus all its children's. The charge ends when the page is
 * freed, not when the process exits: a cgroup's page cache outlives its processes.
 *
 * <p>pagelab's allocator calls the controller through {@link org.pagelab.phys.ChargeHook} right
 * after it hands out a folio or a page-table page, as the kernel calls mem_cgroup_charge after
 * allocating; the folio records its cgroup's id (folio->memcg_data). The kernel batches charges
 * through a per-CPU stock of 64 pages; pagelab charges exactly, so memory.current is exact where
 * the kernel's can be up to 64 pages per CPU ahead. Objects of the accounted slab caches
 * (SLAB_ACCOUNT: vm_area_struct, anon_vma, anon_vma_chain, inode_cache, dentry) are charged by
 * the byte through an object cgroup ({@link org.pagelab.slab.ObjCharge}, obj_cgroup_charge): a
 * cgroup charges whole pages and keeps the bytes not yet used as a stock of less than a page, so
 * {@code slabPages * PAGE_SIZE == slab_reclaimable + slab_unreclaimable + stock}; the slab lines
 * of memory.stat and its kernel line count them. Objects allocated before the controller existed
 * (boot) are charged to no one.
 *
 * <h2>Limits</h2>
 * <ul>
 *   <li>memory.max: a charge that would take a level above its max reclaims from that level's
 *       subtree (try_to_free_mem_cgroup_pages), retrying while reclaim makes progress and up to
 *       16 times without; then the cgroup's own OOM killer picks the process of that subtree with
 *       the highest badness (RSS, swap and page tables, plus oom_score_adj thousandths of the
 *       cgroup's max and swap) and the charge is tried again. With memory.oom.group set on a
 *       cgroup between the victim and the limited one, every process of that cgroup dies with it.
 *       A charge of more than 8 pages (above PAGE_ALLOC_COSTLY_ORDER: a transparent huge page,
 *       an mTHP folio of 64 KiB or more, a collapse) never calls the OOM killer and records no oom
 *       event: it fails once reclaim has been retried, and the caller falls back to a smaller
 *       order (mem_cgroup_oom's order check). A charge still failing fails the allocation. Each
 *       hit counts a max event; each OOM an oom event; each kill an oom_kill event.</li>
 *   <li>memory.high: never fails a charge. Going above it marks the task, and on its way back to
 *       user space (after each step in pagelab, or at once once 64 pages are owed) it reclaims the
 *       excess and, if reclaim cannot keep up, sleeps for a penalty that grows with the square of
 *       the relative overage (calculate_high_delay: up to 2 s per return; none below 10 ms, with
 *       HZ 250), as a MEMCG_THROTTLE memory stall.</li>
 *   <li>memory.low and memory.min protect: reclaim computes each cgroup's effective protection
 *       from its setting, its parent's effective protection and its siblings' claims
 *       (effective_protection), skips a cgroup within its effective min always, and one within
 *       its effective low as long as unprotected memory is left elsewhere (a second pass takes it,
 *       counting a low event). Above the protection, the scan of a cgroup's lists is reduced by
 *       the protected share of its usage, so protection fades in gradually rather than as a
 *       cliff.</li>
 *   <li>memory.swap.max: a swap-out whose slot cannot be charged fails (swap max and fail
 *       events), and the page stays in memory; reclaim does not scan anon pages of a cgroup with
 *       no swap headroom.</li>
 * </ul>
 *
 * <h2>One lruvec per cgroup</h2>
 * Each cgroup has its own LRU lists on the node ({@link org.pagelab.lruvec.LruVec}), which hold
 * the folios charged to it. Node reclaim (kswapd, direct reclaim) visits every cgroup's lruvec
 * in turn, parents before children (shrink_node_memcgs), each at the same priority, so pressure
 * is spread in proportion to size; cgroup reclaim visits only the subtree at the limit. The
 * node's vmstat LRU counts are the sums over all lruvecs. Each lruvec has its own non-resident
 * age, which also advances every ancestor's: a shadow entry records the cgroup that evicted the
 * page, and a refault is measured against that cgroup's age and workingset, the size of its
 * subtree's lists (workingset_refault). If that cgroup is gone the refault is not judged at all.
 * The anon/file cost balance of a reclaim is the target cgroup's, to which every descendant's
 * costs propagate.
 *
 * <h2>Removal</h2>
 * rmdir of a cgroup with live processes or online children is refused (EBUSY). Otherwise the
 * cgroup goes offline: it disappears from the hierarchy's paths, its kernel-memory charges move
 * to its parent (as the kernel reparents its object cgroup), and it lingers as a zombie as long as
 * pages or swap slots are charged to it; reclaim still visits it, and when the last charge goes
 * it is released and its id becomes invalid for shadows and swap records.
 *
 * <h2>Files and counters</h2>
 * {@link org.pagelab.memcg.MemcgFiles} prints memory.current, memory.peak, the limits,
 * memory.stat (recounted from the cgroup's lruvecs for the page states, from per-cgroup event
 * counts for the events: the events of a cgroup's tasks, and the reclaim and workingset events
 * of its lruvec), memory.events (hierarchical) and memory.events.local, and the swap files.
 * pgscan and pgsteal of cgroup reclaim are counted only in the cgroup, not in /proc/vmstat, as
 * the kernel counts them.
 *
 * <h2>Who calls whom</h2>
 * {@link org.pagelab.memcg.MemoryCgroups} is the only entry point and the only class that knows
 * the machine, through {@link org.pagelab.memcg.MemcgHost}; it hands each call to the part that
 * holds the concern, each part seeing only the narrow view it needs ({@code MemcgTasks}: the
 * current process and the process table; {@code MemcgReclaim}: cgroup reclaim as a memory stall,
 * through {@link org.pagelab.memcg.ReclaimDriver}, which reclaim's Vmscan implements). Processes
 * reach the controller as {@link org.pagelab.memcg.MemcgTask}s, which memory's Process implements,
 * and the global OOM killer through the host. So memcg depends on neither reclaim nor memory; both
 * depend on it (the machine package essay's floors):
 * <pre>
 * charge (ChargeHook, after the allocator hands out a folio or page-table page)
 *   MemcgCharge.chargeFolio / ObjCgroups.chargePageTable
 *     ActiveMemcg.target                 the active cgroup, else the current process's
 *     MemcgCharge.tryCharge              PageCounter.tryCharge at every level
 *       MemcgReclaim.reclaim             a level at memory.max: try_to_free_mem_cgroup_pages
 *       MemcgOom.outOfMemory             reclaim gave up: the cgroup OOM killer
 *       MemcgHigh.noteHigh               above memory.high: the task owes reclaim
 * slab object (ObjCharge)
 *   ObjCgroups.charge                    from the stock, else MemcgCharge.tryCharge for pages
 * swap slot (SwapCharge)
 *   SwapCgroup.chargeSwap                against memory.swap.max
 * return to user space
 *   MemcgHigh.handleOverHigh             reclaim, then throttle (calculate_high_delay)
 * write to memory.max / high / low / min / swap.max / oom.group
 *   MemcgLimits.write                    reclaim down to a lowered limit, then MemcgOom
 * mkdir / rmdir
 *   MemcgHierarchy.create / offline      then ObjCgroups.online / reparent
 * reclaim (Vmscan)
 *   MemcgProtection.calculate            effective min and low, per cgroup visited
 * vmstat events, memory.events
 *   MemcgEvents                          attributed to the reclaimed lruvec's cgroup, else the charged one
 * </pre>
 *
 * <h2>Invariants</h2>
 * {@link org.pagelab.memcg.MemoryCgroups#check()} recomputes every charge from the descriptors:
 * each cgroup's memory usage equals the pages of the live folios and page tables charged to it,
 * its slab pages and its children's usage; its swap usage the swap slots recorded for it plus its children's;
 * every folio on an LRU list is on its own cgroup's lruvec; nothing is charged to a released
 * cgroup; an offline cgroup still holds a charge; each parent's sum of its children's protected
 * usage is right; each cgroup's slab pages hold exactly its objects' bytes and a stock of less
 * than a page ({@link org.pagelab.memcg.MemcgChecker}).
 */
package org.pagelab.memcg;
