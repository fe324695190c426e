package org.pagelab.machine;

import java.util.ArrayList;
import java.util.List;
import org.pagelab.stat.VmItem;
import org.pagelab.stat.VmStat;

/**
 * A time series of a run for plotting: every {@code intervalNs} of simulated time (at the first
 * step boundary at or after each multiple; the time is when the latest task's work so far ends), one row of free memory,
 * memory by kind (anonymous, file, slab, page tables, as /proc/meminfo's AnonPages, the page cache, Slab and
 * PageTables), the LRU lists, swap in use and cumulative fault, scan, steal, refault and swap counters. The time
 * column is when the row was taken. A last row is taken at the end of the run.
 */
public final class TimeSeries {
    /** The columns, in order; sizes in kB, counters in pages or events as /proc/vmstat has them. */
    public static final List<String> COLUMNS = List.of("time_ns", "free_kb",
            "anon_kb", "file_kb", "slab_kb", "pagetables_kb",
            "inactive_anon_kb", "active_anon_kb",
            "inactive_file_kb", "active_file_kb", "swap_used_kb", "pgfault", "pgmajfault", "pgscan", "pgsteal",
            "workingset_refault_anon", "workingset_refault_file", "workingset_activate_file", "pswpin", "pswpout",
            "oom_kill");

    private final Machine machine;
    private final long intervalNs;
    private final List<long[]> rows = new ArrayList<>();
    private long next;
    private long lastTime = -1;

    /** A series of {@code machine} sampled every {@code intervalNs} (positive). */
    public TimeSeries(Machine machine, long intervalNs) {
        if (intervalNs <= 0) {
            throw new IllegalArgumentException("series interval must be positive, got " + intervalNs + " ns");
        }
        this.machine = machine;
        this.intervalNs = intervalNs;
    }

    /** Takes a row if simulated time has reached the next sampling point. */
    public void afterStep() {
        long now = machine.sim().elapsedNs();
        if (now >= next) {
            sample(now);
            next = (now / intervalNs + 1) * intervalNs;
        }
    }

    /** Takes the final row (unless one was just taken at this time). */
    public void finish() {
        long now = machine.sim().elapsedNs();
        if (now != lastTime) {
            sample(now);
        }
    }

    private void sample(long now) {
        VmStat v = machine.vmstat();
        rows.add(new long[] {now, machine.phys().freePages() * 4,
            v.get(VmItem.NR_ANON_PAGES) * 4, v.get(VmItem.NR_FILE_PAGES) * 4,
            (v.get(VmItem.NR_SLAB_RECLAIMABLE) + v.get(VmItem.NR_SLAB_UNRECLAIMABLE)) * 4, v.get(VmItem.NR_PAGE_TABLE_PAGES) * 4,
            v.get(VmItem.NR_INACTIVE_ANON) * 4,
            v.get(VmItem.NR_ACTIVE_ANON) * 4, v.get(VmItem.NR_INACTIVE_FILE) * 4, v.get(VmItem.NR_ACTIVE_FILE) * 4,
            machine.swap().devices().inusePages() * 4, v.get(VmItem.PGFAULT), v.get(VmItem.PGMAJFAULT),
            v.get(VmItem.PGSCAN_KSWAPD) + v.get(VmItem.PGSCAN_DIRECT), v.get(VmItem.PGSTEAL_KSWAPD) + v.get(VmItem.PGSTEAL_DIRECT),
            v.get(VmItem.WORKINGSET_REFAULT_ANON), v.get(VmItem.WORKINGSET_REFAULT_FILE),
            v.get(VmItem.WORKINGSET_ACTIVATE_FILE), v.get(VmItem.PSWPIN), v.get(VmItem.PSWPOUT), v.get(VmItem.OOM_KILL)});
        lastTime = now;
    }

    /** Rows taken so far. */
    public int size() {
        return rows.size();
    }

    /** The series as CSV: a header line of {@link #COLUMNS}, then one line per row. */
    public String csv() {
        StringBuilder sb = new StringBuilder(String.join(",", COLUMNS)).append('\n');
        for (long[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                if (i > 0) {
                    sb.append(',');
                }
                sb.append(r[i]);
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
