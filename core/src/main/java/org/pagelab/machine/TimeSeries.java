package org.pagelab.machine;

import java.util.ArrayList;
import java.util.List;
import org.pagelab.psi.PsiGroup;
import org.pagelab.psi.PsiResource;
import org.pagelab.stat.VmItem;
import org.pagelab.stat.VmStat;

/**
 * A time series of a run for plotting: every {@code intervalNs} of simulated time (at the first
 * step boundary at or after each multiple; the time is when the latest task's work so far ends), one row of free memory,
 * memory by kind (anonymous, file, slab, page tables, as /proc/meminfo's AnonPages, the page cache, Slab and
 * PageTables), the LRU lists, swap in use and cumulative fault, scan, steal, refault and swap counters, and the
 * system's pressure stall information. The time column is when the row was taken. A last row is taken at the end
 * of the run.
 *
 * <p>The pressure columns are named {@code psi_<resource>_<some|full>_<figure>}: the averages
 * ({@code avg10}, {@code avg60}, {@code avg300}) in percent with two decimals, as
 * /proc/pressure prints them, and {@code total_us} in microseconds. They are read at PSI's horizon,
 * the start of the last step, which may trail the row's time by up to one step.
 *
 * <p>When the machine has memory cgroups besides the root at the first sample, each adds three
 * columns after those: {@code cgroup:<path>:current_kb} (memory.current) and
 * {@code cgroup:<path>:memory_some_avg10} and {@code ..._full_avg10} (its memory.pressure).
 */
public final class TimeSeries {
    private static final List<String> BASE_COLUMNS = List.of("time_ns", "free_kb",
            "anon_kb", "file_kb", "slab_kb", "pagetables_kb",
            "inactive_anon_kb", "active_anon_kb",
            "inactive_file_kb", "active_file_kb", "swap_used_kb", "pgfault", "pgmajfault", "pgscan", "pgsteal",
            "workingset_refault_anon", "workingset_refault_file", "workingset_activate_file", "pswpin", "pswpout",
            "oom_kill");
    /** Memory first: the order of the pressure columns. */
    private static final List<PsiResource> PSI_RESOURCES = List.of(PsiResource.MEMORY, PsiResource.IO);
    /** The pressure columns, as {@link #COLUMNS} ends. */
    private static final List<String> PSI_COLUMNS = psiColumns();
    /** The first pressure column. */
    private static final int FIRST_PSI = BASE_COLUMNS.size();

    /** The columns, in order; sizes in kB, counters in pages or events as /proc/vmstat has them. */
    public static final List<String> COLUMNS = concat(BASE_COLUMNS, PSI_COLUMNS);

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
        long[] base = {now, machine.phys().freePages() * 4,
            v.get(VmItem.NR_ANON_PAGES) * 4, v.get(VmItem.NR_FILE_PAGES) * 4,
            (v.get(VmItem.NR_SLAB_RECLAIMABLE) + v.get(VmItem.NR_SLAB_UNRECLAIMABLE)) * 4, v.get(VmItem.NR_PAGE_TABLE_PAGES) * 4,
            v.get(VmItem.NR_INACTIVE_ANON) * 4,
            v.get(VmItem.NR_ACTIVE_ANON) * 4, v.get(VmItem.NR_INACTIVE_FILE) * 4, v.get(VmItem.NR_ACTIVE_FILE) * 4,
            machine.swap().devices().inusePages() * 4, v.get(VmItem.PGFAULT), v.get(VmItem.PGMAJFAULT),
            v.get(VmItem.PGSCAN_KSWAPD) + v.get(VmItem.PGSCAN_DIRECT), v.get(VmItem.PGSTEAL_KSWAPD) + v.get(VmItem.PGSTEAL_DIRECT),
            v.get(VmItem.WORKINGSET_REFAULT_ANON), v.get(VmItem.WORKINGSET_REFAULT_FILE),
            v.get(VmItem.WORKINGSET_ACTIVATE_FILE), v.get(VmItem.PSWPIN), v.get(VmItem.PSWPOUT), v.get(VmItem.OOM_KILL)};
        if (columns == null) {
            List<String> c = new ArrayList<>(COLUMNS);
            for (var e : machine.memcg().online().entrySet()) {
                if (!e.getValue().isRoot()) {
                    cgroups.add(e.getValue());
                    for (String suffix : CGROUP_SUFFIXES) {
                        c.add("cgroup:" + e.getKey() + ":" + suffix);
                    }
                }
            }
            columns = List.copyOf(c);
        }
        long[] row = java.util.Arrays.copyOf(base, columns.size());
        int i = FIRST_PSI;
        PsiGroup g = machine.psi().system();
        for (PsiResource r : PSI_RESOURCES) {
            for (boolean full : new boolean[] {false, true}) {
                for (int w = 0; w < PsiGroup.WINDOWS_S.size(); w++) {
                    row[i++] = g.avgHundredths(r, full, w);
                }
                row[i++] = g.totalUs(r, full);
            }
        }
        i = COLUMNS.size();
        for (org.pagelab.memcg.MemCgroup cg : cgroups) {
            row[i++] = cg.usagePages() * 4;
            PsiGroup pg = machine.memcg().psiGroup(cg);
            row[i++] = pg == null ? 0 : pg.avgHundredths(PsiResource.MEMORY, false, 0);
            row[i++] = pg == null ? 0 : pg.avgHundredths(PsiResource.MEMORY, true, 0);
        }
        rows.add(row);
        lastTime = now;
    }

    private static List<String> psiColumns() {
        List<String> c = new ArrayList<>();
        for (PsiResource r : PSI_RESOURCES) {
            for (String line : List.of("some", "full")) {
                for (int w : PsiGroup.WINDOWS_S) {
                    c.add("psi_" + r.fileName() + "_" + line + "_avg" + w);
                }
                c.add("psi_" + r.fileName() + "_" + line + "_total_us");
            }
        }
        return List.copyOf(c);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> c = new ArrayList<>(a);
        c.addAll(b);
        return List.copyOf(c);
    }

    private static final List<String> CGROUP_SUFFIXES = List.of("current_kb", "memory_some_avg10", "memory_full_avg10");
    /** The columns of this series: {@link #COLUMNS} and the cgroups' (fixed at the first sample). */
    private List<String> columns;
    private final List<org.pagelab.memcg.MemCgroup> cgroups = new ArrayList<>();

    /** This series' columns: {@link #COLUMNS}, then three per memory cgroup (known once a row is taken). */
    public List<String> columns() {
        return columns == null ? COLUMNS : columns;
    }

    /** Whether column {@code i} holds a pressure average in hundredths of a percent. */
    private boolean isAverage(int i) {
        return i >= FIRST_PSI && columns().get(i).matches(".*_avg[0-9]+");
    }

    /** Rows taken so far. */
    public int size() {
        return rows.size();
    }

    /** The series as CSV: a header line of {@link #columns()}, then one line per row. */
    public String csv() {
        StringBuilder sb = new StringBuilder(String.join(",", columns())).append('\n');
        for (long[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                if (i > 0) {
                    sb.append(',');
                }
                sb.append(isAverage(i) ? PsiGroup.percent(r[i]) : Long.toString(r[i]));
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
