package org.pagelab.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.pagelab.phys.MemSize;

/**
 * The charts of a machine's run over simulated time, from its time series (the CSV that
 * {@code --series} writes, read by column name so that columns added later are picked up or ignored):
 * <pre>
 *   memory    free, anon, file, slab, page tables            MiB
 *   lru       inactive/active anon, inactive/active file     MiB
 *   swap      swap in use                                    MiB
 *   faults    pgfault, pgmajfault, refaults (anon, file)     per simulated second
 *   reclaim   pgscan, pgsteal, pswpin, pswpout               per simulated second
 *   pressure  every column named psi_*, as the series has it (only when there is one)
 *   cgroups   memory.current of every cgroup (cgroup:PATH:current_kb), MiB      (with cgroups)
 *   cgroup pressure   memory some/full avg10 of every cgroup, percent            (with cgroups)
 * </pre>
 * A rate at row i is the counter's increase since row i-1 divided by the simulated time between
 * them, so the rate charts have one point fewer than the series has rows.
 */
final class MachineCharts {
    private static final String PSI_PREFIX = "psi_";

    private final List<String> header;
    private final double[][] columns;

    private MachineCharts(List<String> header, double[][] columns) {
        this.header = header;
        this.columns = columns;
    }

    /** The charts of {@code csv}, a header line and one line of numbers per row. */
    static List<HtmlReport.Chart> of(String csv) {
        return parse(csv).charts();
    }

    private static MachineCharts parse(String csv) {
        String[] lines = csv.split("\n");
        List<String> header = List.of(lines[0].split(","));
        int rows = lines.length - 1;
        double[][] cols = new double[header.size()][rows];
        for (int r = 0; r < rows; r++) {
            String[] f = lines[r + 1].split(",");
            if (f.length != header.size()) {
                throw new IllegalStateException("time series row " + (r + 1) + " has " + f.length + " fields for "
                        + header.size() + " columns: " + lines[r + 1]);
            }
            for (int c = 0; c < f.length; c++) {
                cols[c][r] = Double.parseDouble(f[c]);
            }
        }
        return new MachineCharts(header, cols);
    }

    private List<HtmlReport.Chart> charts() {
        double[] t = column("time_ns");
        double[] ms = scaled(t, 1e-6);
        double[] rateX = ms.length == 0 ? ms : java.util.Arrays.copyOfRange(ms, 1, ms.length);
        List<HtmlReport.Chart> out = new ArrayList<>();
        out.add(levels("memory", "Memory by kind", ms, new String[][] {{"free", "free_kb"}, {"anon", "anon_kb"},
            {"file", "file_kb"}, {"slab", "slab_kb"}, {"page tables", "pagetables_kb"}}));
        out.add(levels("lru", "LRU lists", ms, new String[][] {{"inactive anon", "inactive_anon_kb"},
            {"active anon", "active_anon_kb"}, {"inactive file", "inactive_file_kb"}, {"active file", "active_file_kb"}}));
        out.add(levels("swap", "Swap in use", ms, new String[][] {{"swap used", "swap_used_kb"}}));
        out.add(rates("faults", "Faults and refaults", t, rateX, new String[][] {{"pgfault", "pgfault"},
            {"pgmajfault", "pgmajfault"}, {"refault anon", "workingset_refault_anon"},
            {"refault file", "workingset_refault_file"}}));
        out.add(rates("reclaim", "Reclaim and swap I/O", t, rateX, new String[][] {{"pgscan", "pgscan"},
            {"pgsteal", "pgsteal"}, {"pswpin", "pswpin"}, {"pswpout", "pswpout"}}));
        List<HtmlReport.Line> psi = new ArrayList<>();
        for (String name : header) {
            if (name.startsWith(PSI_PREFIX)) {
                psi.add(new HtmlReport.Line(name, column(name)));
            }
        }
        if (!psi.isEmpty()) {
            out.add(new HtmlReport.Chart("pressure", "Pressure (PSI)", "simulated time (ms)", "as in the series", false,
                    ms, psi));
        }
        List<HtmlReport.Line> usage = new ArrayList<>();
        List<HtmlReport.Line> cgPsi = new ArrayList<>();
        for (String name : header) {
            if (name.startsWith("cgroup:") && name.endsWith(":current_kb")) {
                usage.add(new HtmlReport.Line(name.substring(7, name.length() - 11), scaled(column(name), 1.0 / 1024)));
            } else if (name.startsWith("cgroup:") && name.contains(":memory_")) {
                cgPsi.add(new HtmlReport.Line(name.substring(7).replace(":memory_", " memory "), column(name)));
            }
        }
        if (!usage.isEmpty()) {
            out.add(new HtmlReport.Chart("cgroups", "Memory cgroups: memory.current", "simulated time (ms)", "MiB", false,
                    ms, usage));
            out.add(new HtmlReport.Chart("cgroup-pressure", "Memory cgroups: memory.pressure avg10", "simulated time (ms)",
                    "percent", false, ms, cgPsi));
        }
        return out;
    }

    /** A chart of sizes in kB, drawn in MiB; columns the series lacks are left out. */
    private HtmlReport.Chart levels(String id, String title, double[] x, String[][] lines) {
        List<HtmlReport.Line> ls = new ArrayList<>();
        for (String[] l : lines) {
            if (header.contains(l[1])) {
                ls.add(new HtmlReport.Line(l[0], scaled(column(l[1]), 1.0 / 1024)));
            }
        }
        return new HtmlReport.Chart(id, title, "simulated time (ms)", "MiB", false, x, ls);
    }

    /** A chart of counters' increase per simulated second between consecutive rows. */
    private HtmlReport.Chart rates(String id, String title, double[] t, double[] x, String[][] lines) {
        List<HtmlReport.Line> ls = new ArrayList<>();
        for (String[] l : lines) {
            if (header.contains(l[1])) {
                double[] c = column(l[1]);
                double[] r = new double[x.length];
                for (int i = 0; i < r.length; i++) {
                    double dt = (t[i + 1] - t[i]) * 1e-9;
                    r[i] = dt > 0 ? (c[i + 1] - c[i]) / dt : Double.NaN;
                }
                ls.add(new HtmlReport.Line(l[0], r));
            }
        }
        return new HtmlReport.Chart(id, title, "simulated time (ms)", "per simulated second", false, x, ls);
    }

    private double[] column(String name) {
        int i = header.indexOf(name);
        if (i < 0) {
            throw new IllegalStateException("the time series has no column " + name + " (columns: " + header + ")");
        }
        return columns[i];
    }

    private static double[] scaled(double[] v, double factor) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] * factor;
        }
        return out;
    }

    /** The facts of a report about {@code machine}: {@code first} (what ran), then the machine's shape and time. */
    static Map<String, String> facts(org.pagelab.machine.Machine machine, String firstName, String firstValue) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put(firstName, firstValue);
        org.pagelab.sim.SimReport time = machine.sim().report();
        f.put("machine", MemSize.format(machine.config().memoryBytes()) + " memory, "
                + MemSize.format(machine.swap().devices().totalPages() * MemSize.PAGE_SIZE) + " swap, " + time.cpus()
                + (time.cpus() == 1 ? " CPU" : " CPUs"));
        f.put("elapsed", duration(time.elapsedNs()) + " of simulated time");
        return f;
    }

    /** A simulated duration for the facts table, in the unit that suits it. */
    static String duration(long ns) {
        return ns >= 1_000_000_000L ? String.format(Locale.ROOT, "%.3f s", ns / 1e9)
                : String.format(Locale.ROOT, "%.3f ms", ns / 1e6);
    }
}
