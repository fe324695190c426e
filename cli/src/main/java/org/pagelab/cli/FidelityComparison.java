package org.pagelab.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pagelab.cli.Tolerances.Band;
import org.pagelab.cli.Tolerances.Tolerance;

/**
 * One workload's comparison of pagelab with the kernel: for every phase (the span between two
 * marks) and every counter both sides have, the kernel's median delta over its runs and their
 * range beside pagelab's delta, the ratio, its band and whether that is within the counter's
 * tolerance; and the tally of the pairs with enough events to judge.
 */
final class FidelityComparison {
    /** A pair counts for the tally when either side moved by more than this many events (pages). */
    static final long MIN_EVENTS = 1000;

    /**
     * One counter in one phase.
     *
     * @param phase        the mark that ends the phase
     * @param counter      FILE/KEY
     * @param kernelRuns   the kernel's delta in each run
     * @param kernelMedian the median of {@code kernelRuns}
     * @param pagelab      pagelab's delta
     * @param band         how close pagelab is to the kernel's median
     * @param tolerance    the counter's line of the tolerance table
     * @param counted      whether the pair has enough events to count in the tally
     */
    record Pair(String phase, String counter, long[] kernelRuns, double kernelMedian, long pagelab, Band band,
                Tolerance tolerance, boolean counted) {
        long kernelMin() {
            return Arrays.stream(kernelRuns).min().orElse(0);
        }

        long kernelMax() {
            return Arrays.stream(kernelRuns).max().orElse(0);
        }

        /** pagelab / kernel median, or NaN when the kernel's median is zero. */
        double ratio() {
            return kernelMedian == 0 ? Double.NaN : pagelab / kernelMedian;
        }

        /** Whether the band is within the tolerance; false for a tolerance of none. */
        boolean withinTolerance() {
            return tolerance.admits(band);
        }
    }

    /**
     * The tally of the counted pairs: how many in each band, how many judged (tolerance not
     * none) and how many of those within their tolerance.
     */
    record Tally(Map<Band, Integer> byBand, int counted, int judged, int withinTolerance) {
        static Tally of(List<Pair> pairs) {
            Map<Band, Integer> by = new LinkedHashMap<>();
            for (Band b : Band.values()) {
                by.put(b, 0);
            }
            int counted = 0;
            int judged = 0;
            int within = 0;
            for (Pair p : pairs) {
                if (!p.counted()) {
                    continue;
                }
                counted++;
                by.merge(p.band(), 1, Integer::sum);
                if (p.tolerance().limit() != null) {
                    judged++;
                    within += p.withinTolerance() ? 1 : 0;
                }
            }
            return new Tally(by, counted, judged, within);
        }

        /** The sum of several tallies. */
        static Tally sum(List<Tally> tallies) {
            Map<Band, Integer> by = new LinkedHashMap<>();
            int counted = 0;
            int judged = 0;
            int within = 0;
            for (Tally t : tallies) {
                t.byBand().forEach((b, n) -> by.merge(b, n, Integer::sum));
                counted += t.counted();
                judged += t.judged();
                within += t.withinTolerance();
            }
            return new Tally(by, counted, judged, within);
        }

        /** Counted pairs at or within {@code band}, cumulatively ("within 10 %" includes "within 2 %"). */
        int atMost(Band band) {
            int n = 0;
            for (Band b : Band.values()) {
                if (b.ordinal() <= band.ordinal()) {
                    n += byBand.getOrDefault(b, 0);
                }
            }
            return n;
        }
    }

    /** A workload's comparison: its phases, the kernel's runs, every pair and the tally. */
    record Result(ValidationSuite.Workload workload, List<String> phases, List<KernelRun> kernel, List<Pair> pairs,
                  Tally tally) {
    }

    private FidelityComparison() {
    }

    /**
     * Compares {@code pagelab}'s marks with the kernel's runs of {@code workload}. Throws
     * {@link IllegalArgumentException} when the runs do not have the same marks as pagelab, or a run
     * did not finish: the suite itself is then wrong.
     */
    static Result compare(ValidationSuite.Workload workload, List<KernelRun> kernel, List<KernelRun.Mark> pagelab,
                          Tolerances tolerances) {
        List<String> names = pagelab.stream().map(KernelRun.Mark::name).toList();
        if (kernel.isEmpty()) {
            throw new IllegalArgumentException(workload.name() + ": no kernel runs");
        }
        for (int r = 0; r < kernel.size(); r++) {
            KernelRun run = kernel.get(r);
            if (!run.done()) {
                throw new IllegalArgumentException(workload.name() + ": kernel run " + (r + 1) + " did not finish"
                        + (run.errors().isEmpty() ? "" : ": " + run.errors().getFirst()));
            }
            if (!run.markNames().equals(names)) {
                throw new IllegalArgumentException(workload.name() + ": kernel run " + (r + 1) + " has marks "
                        + run.markNames() + " but the pagelab scenario has " + names);
            }
        }
        List<String> shared = new ArrayList<>();
        for (String c : pagelab.getFirst().counters().keySet()) {
            if (kernel.stream().allMatch(run -> run.marks().getFirst().counters().containsKey(c))) {
                shared.add(c);
            }
        }
        List<Pair> pairs = new ArrayList<>();
        List<String> phases = names.subList(1, names.size());
        for (int i = 1; i < names.size(); i++) {
            for (String c : shared) {
                long[] runs = new long[kernel.size()];
                for (int r = 0; r < runs.length; r++) {
                    List<KernelRun.Mark> m = kernel.get(r).marks();
                    runs[r] = m.get(i).counters().get(c) - m.get(i - 1).counters().get(c);
                }
                double median = median(runs);
                long p = pagelab.get(i).counters().get(c) - pagelab.get(i - 1).counters().get(c);
                boolean counted = Math.max(events(c, Math.abs(median)), events(c, Math.abs(p))) > MIN_EVENTS;
                pairs.add(new Pair(names.get(i), c, runs, median, p, Band.of(median, p),
                        tolerances.of(workload.name(), names.get(i), c), counted));
            }
        }
        return new Result(workload, List.copyOf(phases), kernel, pairs, Tally.of(pairs));
    }

    /** The median of {@code v}: the middle value, or the mean of the two middle ones. */
    static double median(long[] v) {
        long[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2.0;
    }

    /**
     * {@code value} of {@code counter} in events of 4 KiB pages: meminfo is in kB, pgpgin and
     * pgpgout in kB, the sizes of memory.stat in bytes; everything else counts pages or events.
     */
    static double events(String counter, double value) {
        if (counter.startsWith("meminfo/") || counter.equals("vmstat/pgpgin") || counter.equals("vmstat/pgpgout")) {
            return value / 4;
        }
        if (counter.startsWith("memory.stat/")) {
            String key = counter.substring("memory.stat/".length());
            boolean event = key.startsWith("pg") || key.startsWith("workingset_") || key.startsWith("thp_")
                    || key.startsWith("pswp") || key.startsWith("zswp");
            return event ? value : value / 4096;
        }
        return value;
    }
}
