/**
 * Counters with the kernel's names: the vmstat tables.
 *
 * <h2>The model</h2>
 * The kernel keeps three tables of counters (mm/vmstat.c): per-zone state (free pages), per-node
 * state (file pages, dirty, writeback, slab) and cumulative events (allocations, page-ins). pagelab
 * has one node, so it keeps one table, {@link org.pagelab.stat.VmStat}, indexed by
 * {@link org.pagelab.stat.VmItem} in the kernel's print order. Counters are updated where the event
 * happens, never estimated at print time; the checkers recount state items from the structures they
 * describe.
 *
 * <h2>Invariants</h2>
 * <pre>
 *   nr_free_pages       == sum over zones of sum over orders of 2^order * nr_free[order]
 *   nr_file_pages       == pages of file folios in page caches
 *   nr_dirty            == pages of folios with the dirty flag in page caches
 *   nr_writeback        == pages of folios with the writeback flag
 *   nr_slab_reclaimable == pages of slabs of reclaimable caches
 *   every event counter only grows
 * </pre>
 *
 * <h2>References</h2>
 * mm/vmstat.c (vmstat_text); Documentation/admin-guide/mm for counter meanings.
 */
package org.pagelab.stat;
