package org.pagelab.sweep;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToLongFunction;
import org.pagelab.machine.Machine;
import org.pagelab.psi.PsiResource;
import org.pagelab.stat.VmItem;

/**
 * What a sweep records of each point's machine at the end of its run, as whole numbers: /proc/vmstat
 * counters under their kernel names, the simulated time, and the totals of /proc/pressure. The
 * results files have one column per metric, in this order.
 */
public enum Metric {
    PGFAULT(VmItem.PGFAULT),
    PGMAJFAULT(VmItem.PGMAJFAULT),
    PGPGIN(VmItem.PGPGIN),
    PGPGOUT(VmItem.PGPGOUT),
    PSWPIN(VmItem.PSWPIN),
    PSWPOUT(VmItem.PSWPOUT),
    WORKINGSET_REFAULT_ANON(VmItem.WORKINGSET_REFAULT_ANON),
    WORKINGSET_REFAULT_FILE(VmItem.WORKINGSET_REFAULT_FILE),
    WORKINGSET_ACTIVATE_ANON(VmItem.WORKINGSET_ACTIVATE_ANON),
    WORKINGSET_ACTIVATE_FILE(VmItem.WORKINGSET_ACTIVATE_FILE),
    PGSCAN_KSWAPD(VmItem.PGSCAN_KSWAPD),
    PGSCAN_DIRECT(VmItem.PGSCAN_DIRECT),
    PGSTEAL_KSWAPD(VmItem.PGSTEAL_KSWAPD),
    PGSTEAL_DIRECT(VmItem.PGSTEAL_DIRECT),
    ALLOCSTALL_NORMAL(VmItem.ALLOCSTALL_NORMAL),
    ALLOCSTALL_MOVABLE(VmItem.ALLOCSTALL_MOVABLE),
    OOM_KILL(VmItem.OOM_KILL),
    /** CPU time kswapd0 used on the simulated CPUs, nanoseconds: the cost of background reclaim. */
    KSWAPD_CPU_NS("kswapd_cpu_ns", m -> m.kswapdTask().cpuNs()),
    /** Simulated time from boot to the end of the run, nanoseconds. */
    ELAPSED_NS("elapsed_ns", m -> m.sim().report().elapsedNs()),
    /** /proc/pressure/memory "some" total, microseconds. */
    PSI_MEMORY_SOME_TOTAL_US("psi_memory_some_total_us", m -> m.psi().system().totalUs(PsiResource.MEMORY, false)),
    /** /proc/pressure/memory "full" total, microseconds. */
    PSI_MEMORY_FULL_TOTAL_US("psi_memory_full_total_us", m -> m.psi().system().totalUs(PsiResource.MEMORY, true)),
    /** /proc/pressure/io "some" total, microseconds. */
    PSI_IO_SOME_TOTAL_US("psi_io_some_total_us", m -> m.psi().system().totalUs(PsiResource.IO, false)),
    /** /proc/pressure/io "full" total, microseconds. */
    PSI_IO_FULL_TOTAL_US("psi_io_full_total_us", m -> m.psi().system().totalUs(PsiResource.IO, true));

    /** The metrics a report charts when the spec names none. */
    public static final List<String> DEFAULT_REPORT = List.of("pgmajfault",
            "workingset_refault_anon+workingset_refault_file", "pswpin+pswpout", "elapsed_ns",
            "psi_memory_some_total_us", "oom_kill");

    private final String column;
    private final ToLongFunction<Machine> read;

    Metric(VmItem item) {
        this(item.kernelName(), m -> m.vmstat().get(item));
    }

    Metric(String column, ToLongFunction<Machine> read) {
        this.column = column;
        this.read = read;
    }

    /** The column name. */
    public String column() {
        return column;
    }

    /** Every column name, in order. */
    public static List<String> columns() {
        return Arrays.stream(values()).map(Metric::column).toList();
    }

    /** The values of every metric on {@code machine}, in column order. */
    static List<Long> read(Machine machine) {
        List<Long> out = new ArrayList<>(values().length);
        for (Metric m : values()) {
            out.add(m.read.applyAsLong(machine));
        }
        return out;
    }

    /**
     * The column indices that {@code expr} adds up: one metric name, or several joined by '+'.
     * Throws {@link IllegalArgumentException} naming the unknown part.
     */
    public static int[] parseSum(String expr) {
        String[] parts = expr.split("\\+", -1);
        int[] idx = new int[parts.length];
        List<String> cols = columns();
        for (int i = 0; i < parts.length; i++) {
            idx[i] = cols.indexOf(parts[i].trim());
            if (idx[i] < 0) {
                throw new IllegalArgumentException("unknown metric '" + parts[i].trim() + "' in '" + expr
                        + "' (metrics: " + String.join(", ", cols) + "; add several with +)");
            }
        }
        return idx;
    }
}
