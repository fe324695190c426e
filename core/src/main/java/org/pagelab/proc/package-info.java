/**
 * The /proc files of a machine, in the kernel's formats, so that pagelab's output reads like a
 * real system's.
 *
 * <h2>The files</h2>
 * <ul>
 *   <li>{@link org.pagelab.proc.Meminfo} — /proc/meminfo: memory totals in kB (MemTotal, MemFree,
 *       MemAvailable, Cached, Dirty, Writeback, Slab and its parts), following fs/proc/meminfo.c
 *       (meminfo_proc_show, show_val_kb) and mm/page_alloc.c (si_mem_available).</li>
 *   <li>{@link org.pagelab.proc.Vmstat} — /proc/vmstat: every counter of
 *       {@link org.pagelab.stat.VmItem} as "name value", following mm/vmstat.c (vmstat_show).</li>
 *   <li>{@link org.pagelab.proc.Buddyinfo} — /proc/buddyinfo: free blocks per zone and order, the
 *       buddy allocator's fragmentation at a glance, following mm/vmstat.c (frag_show_print).</li>
 *   <li>{@link org.pagelab.proc.Pagetypeinfo} — /proc/pagetypeinfo: free blocks per zone, migratetype
 *       and order, and the pageblocks of each migratetype, following mm/vmstat.c
 *       (pagetypeinfo_showfree_print, pagetypeinfo_showblockcount_print).</li>
 *   <li>{@link org.pagelab.proc.Zoneinfo} — /proc/zoneinfo: per zone the free pages, watermarks,
 *       sizes and lowmem reserves, following mm/vmstat.c (zoneinfo_show_print).</li>
 *   <li>{@link org.pagelab.proc.PidStatus} — /proc/&lt;pid&gt;/status: Name, State, Pid and the
 *       memory lines pagelab maintains (VmSize, VmRSS, RssAnon, RssFile, RssShmem, VmPTE), following
 *       fs/proc/array.c and fs/proc/task_mmu.c (task_mem). State is "R (running)" during a run and,
 *       in the reports made once the run is over ({@link org.pagelab.proc.ProcFs#afterRun}),
 *       "S (sleeping)" for a process that has done its work; "Z (zombie)" once it exited.</li>
 *   <li>{@link org.pagelab.proc.SmapsRollup} — /proc/&lt;pid&gt;/smaps_rollup: Rss, Pss and the
 *       shared/private, clean/dirty split summed over every VMA, AnonHugePages (2 MiB per PMD
 *       mapping of an anonymous folio), Swap and SwapPss, following fs/proc/task_mmu.c
 *       (show_smaps_rollup, smaps_account, smaps_pmd_entry).</li>
 *   <li>{@link org.pagelab.proc.Smaps} — /proc/&lt;pid&gt;/smaps: the same counters per VMA (less
 *       Pss_Anon, Pss_File and Pss_Shmem, which only the rollup prints), after the VMA's maps line,
 *       Size, KernelPageSize and MMUPageSize, and followed by THPeligible and VmFlags (show_smap).
 *       Invariant, checked by {@code Smaps.check}: smaps_rollup == the sum of the VMAs' smaps,
 *       counter by counter (Pss ones in fixed point, before truncation to kB).</li>
 *   <li>{@link org.pagelab.psi.Pressure} (in psi, which renders the file as psi.c does) — /proc/pressure/memory and /proc/pressure/io: the
 *       "some" and "full" lines of pressure stall information with avg10, avg60, avg300 and the
 *       total in microseconds, following kernel/sched/psi.c (psi_show); see
 *       {@link org.pagelab.psi}.</li>
 *   <li>ThpSysfs — /sys/kernel/mm/transparent_hugepage/: enabled, defrag, the per-size
 *       hugepages-&lt;N&gt;kB/enabled and stats/, and khugepaged/ with its tunables and counters,
 *       following mm/huge_memory.c and mm/khugepaged.c; the settings and tunables are writable.</li>
 *   <li>{@link org.pagelab.proc.ProcFs} — the files by path, /proc/&lt;pid&gt;/... included; writes
 *       to the few writable files.</li>
 * </ul>
 *
 * <h2>Where the numbers come from</h2>
 * Every value is read from a counter that the subsystem owning it updates at the event — an
 * allocation, a free, a page entering the page cache — or from a structure's own size (a free
 * list's length). Nothing is estimated or recounted at print time, except the few figures the kernel
 * itself derives at print time (MemAvailable, Slab, and smaps and smaps_rollup, which the kernel
 * too computes by walking the page tables at each read).
 *
 * <h2>Map counts in smaps</h2>
 * The kernel's Pss divides each page by that page's own map count (page_mapcount: its PTE
 * mappings plus the folio's PMD mappings). pagelab keeps one map count per folio, the sum over
 * its pages (512 per PMD mapping), which is exact for an order-0 folio. For a page of a large
 * folio, PMD- or PTE-mapped, the smaps walk recounts the per-page counts through the reverse map
 * once per folio and read ({@code Rmap.pageMapcounts}, as a split does), so Pss, Shared_* and
 * Private_* are the kernel's page by page: a THP that a fork shares and the child then partly
 * unmaps is private in the parent for the pages the child dropped and shared for the others.
 * AnonHugePages adds 2 MiB per PMD mapping of an anonymous folio (smaps_pmd_entry); a PTE-mapped
 * large folio adds nothing there, as in the kernel. The checkers of the owning packages hold the
 * counters equal to recounts of the structures, so what these files show is what the structures
 * hold.
 *
 * <h2>Formats</h2>
 * Each renderer keeps the kernel's column widths to the character, so scripts written for a real
 * /proc parse pagelab's output: meminfo pads "Name:" to 16 columns and right-aligns the value in 8;
 * buddyinfo right-aligns the zone name in 8 and each count in 6, each followed by a space; zoneinfo
 * prints counters as "%-12s %lu" after six spaces. Lines and fields pagelab does not model are
 * absent rather than printed as zero, with one exception kept for the kernel's arithmetic:
 * meminfo's Buffers, which is 0 because pagelab has no block-device buffer heads.
 *
 * <h2>References</h2>
 * Linux 6.1: fs/proc/meminfo.c, fs/proc/array.c, fs/proc/task_mmu.c, mm/vmstat.c, mm/page_alloc.c (si_mem_available);
 * Documentation/filesystems/proc.rst for the meaning of each field.
 */
package org.pagelab.proc;
