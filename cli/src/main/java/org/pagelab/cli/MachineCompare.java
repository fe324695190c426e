package org.pagelab.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToLongFunction;
import org.pagelab.machine.Machine;
import org.pagelab.phys.MemSize;
import org.pagelab.phys.PhysConfig;
import org.pagelab.policy.MissRatioCurve;
import org.pagelab.sim.SimConfig;
import org.pagelab.stat.VmItem;
import org.pagelab.stat.VmStat;
import org.pagelab.trace.Access;
import org.pagelab.trace.Replay;
import org.pagelab.trace.TraceKeys;
import org.pagelab.trace.TraceReader;
import org.pagelab.trace.TraceSource;

/**
 * The whole-machine half of {@code pagelab compare}: the traces replayed on a data-less machine
 * whose memory is the capacity (pages x 4 KiB), per reclaim policy, with the counters that a policy
 * table cannot show — major faults, refaults and swap I/O.
 *
 * <h2>OPT as a bound, where it applies</h2>
 * The machine holds at most its memory's worth of the trace's pages at any moment, so Belady's OPT
 * at that many pages bounds what any reclaim policy, prefetching included, must load (demand paging
 * loads no more than any prefetching schedule). On a machine a page is loaded in two ways: its
 * first write allocates a zeroed folio, once per written page, and every later return is a swap-in
 * (pswpin, readahead included). A read of a page never written maps the shared zero page and
 * takes no memory, so the stream that OPT sees leaves out the accesses to a page before its first
 * write. Then
 * <pre>
 *   pswpin &gt;= misses_OPT(pages) - written pages
 * </pre>
 * This holds only for memory traces (block traces go through the page cache, where writes of whole
 * blocks load nothing) and only when no process was killed (a killed process's pages leave
 * without a load); elsewhere there is no OPT row.
 */
final class MachineCompare {
    /** What one machine run counted. */
    record Counts(long pgmajfault, long refaults, long pswpin, long pswpout, long oomKill) {
    }

    /** The counter rows of the table, by name, and how to read each from {@link Counts}. */
    private static final Map<String, ToLongFunction<Counts>> COUNTERS = new LinkedHashMap<>();

    static {
        COUNTERS.put("pgmajfault", Counts::pgmajfault);
        COUNTERS.put("workingset_refault", Counts::refaults);
        COUNTERS.put("pswpin", Counts::pswpin);
        COUNTERS.put("pswpout", Counts::pswpout);
        COUNTERS.put("oom_kill", Counts::oomKill);
    }

    /**
     * The whole-machine results of compare: {@code counts.get(policy)[k]} at {@code caps[k]} pages (null
     * where no machine boots), and OPT's swap-in bound (null where it does not apply).
     */
    record Table(int[] caps, long swapBytes, Map<String, Counts[]> counts, long[] bound,
            org.pagelab.sweep.ThpSettings thp) {
        /** Whether any size had a machine (and a policy ran on it). */
        boolean ran() {
            return !counts.isEmpty() && Arrays.stream(caps).anyMatch(MachineCompare::bootable);
        }

        /** One line saying what the table is. */
        String note() {
            return "memory = pages x 4K (from " + MemSize.format(PhysConfig.MIN_MEMORY) + "), " + MemSize.format(swapBytes)
                    + " swap, " + (thp.isEmpty() ? "" : "THP " + thp.canonical() + ", ") + "reclaim policies "
                    + (counts.isEmpty() ? "(none among --policies)" : String.join(", ",
                    counts.keySet())) + (bound == null ? "; no OPT bound (block trace)"
                    : "; opt pswpin: the fewest swap-ins any policy needs");
        }

        /** The rows as text cells: "policy counter" and one value per size ("-": no machine of that size). */
        List<List<String>> rows() {
            List<List<String>> rows = new ArrayList<>();
            counts.forEach((policy, row) -> COUNTERS.forEach((name, get) -> {
                List<String> line = new ArrayList<>(List.of(policy + " " + name));
                for (Counts c : row) {
                    line.add(c == null ? "-" : Long.toString(get.applyAsLong(c)));
                }
                rows.add(line);
            }));
            if (bound != null) {
                List<String> line = new ArrayList<>(List.of("opt pswpin (bound)"));
                for (int k = 0; k < caps.length; k++) {
                    line.add(bootable(caps[k]) ? Long.toString(bound[k]) : "-");
                }
                rows.add(line);
            }
            return rows;
        }

        /**
         * The table into {@code node}: memory_bytes, swap_bytes, transparent_hugepage (when --thp set it),
         * transparent_hugepage_sizes (when --thp-size set any: "64kB" to its mode, as a scenario writes them),
         * policies, opt_pswpin_bound; null where no machine boots.
         */
        void json(ObjectNode node) {
            ArrayNode memory = node.putArray("memory_bytes");
            for (int c : caps) {
                if (bootable(c)) {
                    memory.add(c * MemSize.PAGE_SIZE);
                } else {
                    memory.addNull();
                }
            }
            node.put("swap_bytes", swapBytes);
            if (thp.enabled() != null) {
                node.put("transparent_hugepage", thp.enabled().kernelName());
            }
            if (!thp.sizes().isEmpty()) {
                ObjectNode sizes = node.putObject("transparent_hugepage_sizes");
                thp.scenarioSizes().forEach(sizes::put);
            }
            ObjectNode ps = node.putObject("policies");
            counts.forEach((policy, row) -> {
                ObjectNode pn = ps.putObject(policy);
                COUNTERS.forEach((name, get) -> {
                    ArrayNode a = pn.putArray(name);
                    for (Counts c : row) {
                        if (c == null) {
                            a.addNull();
                        } else {
                            a.add(get.applyAsLong(c));
                        }
                    }
                });
            });
            if (bound != null) {
                ArrayNode b = node.putArray("opt_pswpin_bound");
                for (int k = 0; k < caps.length; k++) {
                    if (bootable(caps[k])) {
                        b.add(bound[k]);
                    } else {
                        b.addNull();
                    }
                }
            }
        }
    }

    private MachineCompare() {
    }

    /**
     * Replays {@code traces} one after another on {@code machine}, reporting progress; the result has
     * the records of all traces and the processes and kills of the last.
     */
    static Replay.Result replayAll(Machine machine, List<String> traces, Progress progress) {
        return replayAll(machine, traces, progress, null);
    }

    /** {@link #replayAll(Machine, List, Progress)} with the trace's processes in memory cgroup {@code cgroup} (null: the root). */
    static Replay.Result replayAll(Machine machine, List<String> traces, Progress progress, String cgroup) {
        return org.pagelab.sweep.TraceReplay.replayAll(machine, traces, progress::update, cgroup);
    }

    /**
     * The counters of replaying {@code traces} on a machine of {@code pages} pages with {@code swapBytes} of swap whose
     * reclaim runs {@code reclaimPolicy} (a name of {@link org.pagelab.reclaim.ReclaimPolicies}).
     */
    static Counts run(List<String> traces, int pages, long swapBytes, String reclaimPolicy,
            org.pagelab.sweep.ThpSettings thp, Progress progress) {
        PhysConfig config = new PhysConfig(pages * MemSize.PAGE_SIZE, 0, false, 0, 10);
        try (Workdir wd = Workdir.temporary(false); Machine machine = Machine.boot(config, wd.path(), SimConfig.DEFAULT, reclaimPolicy)) {
            thp.apply(machine.memory());
            if (swapBytes > 0 && machine.swap().swapon("swapfile", swapBytes / MemSize.PAGE_SIZE, null)
                    instanceof org.pagelab.swap.SwaponResult.Failed f) {
                throw new IllegalArgumentException("cannot turn on " + MemSize.format(swapBytes) + " of swap: " + f.reason());
            }
            replayAll(machine, traces, progress);
            try {
                machine.check();
            } catch (IllegalStateException e) {
                throw new CheckFailedException("invariant check failed after replaying on " + MemSize.format(config.memoryBytes())
                        + ": " + e.getMessage(), e);
            }
            VmStat v = machine.vmstat();
            return new Counts(v.get(VmItem.PGMAJFAULT), v.get(VmItem.WORKINGSET_REFAULT_ANON)
                    + v.get(VmItem.WORKINGSET_REFAULT_FILE), v.get(VmItem.PSWPIN), v.get(VmItem.PSWPOUT),
                    v.get(VmItem.OOM_KILL));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether a machine of {@code pages} pages can boot. */
    static boolean bootable(int pages) {
        return pages * MemSize.PAGE_SIZE >= PhysConfig.MIN_MEMORY;
    }

    /**
     * The fewest swap-ins any policy needs at each of {@code caps} pages (see the class comment), or
     * null when the traces have block records, for which the bound does not apply.
     */
    static long[] optSwapinBound(List<String> traces, int[] caps) {
        long[] keys = new long[1 << 16];
        int n = 0;
        Set<Long> written = new HashSet<>();
        for (String spec : traces) {
            try (TraceReader r = TraceSource.open(spec)) {
                while (r.next()) {
                    if (r.kind() != Access.Kind.MEMORY) {
                        return null;
                    }
                    long key = TraceKeys.keyOf(r);
                    if (r.write()) {
                        written.add(key);
                    }
                    if (!written.contains(key)) {
                        continue; // a read of the zero page: no memory held, nothing loaded
                    }
                    if (n == keys.length) {
                        keys = Arrays.copyOf(keys, Math.toIntExact(Math.min(Integer.MAX_VALUE - 8L, 2L * n)));
                    }
                    keys[n++] = key;
                }
            }
        }
        long[] misses = MissRatioCurve.opt(Arrays.copyOf(keys, n), caps).misses();
        long[] bound = new long[caps.length];
        for (int k = 0; k < caps.length; k++) {
            bound[k] = Math.max(0, misses[k] - written.size());
        }
        return bound;
    }
}
