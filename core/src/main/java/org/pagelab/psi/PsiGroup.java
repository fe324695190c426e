package org.pagelab.psi;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The pressure of one group of tasks: the whole system, or one memory cgroup and its descendants
 * (the kernel's struct psi_group). It counts its tasks per CPU by state, keeps for every CPU how
 * long each of the states IO_SOME, IO_FULL, MEM_SOME, MEM_FULL and NONIDLE held in the current
 * 2-second period, and at the end of each period folds them into the totals and the running
 * averages. Only {@link Psi} feeds it, in time order; reads see it as of {@link Psi#horizonNs()}.
 *
 * <p>Per-CPU task counts, as include/linux/psi_types.h names them:
 * <pre>
 *   NR_IOWAIT            tasks waiting for I/O
 *   NR_MEMSTALL          tasks in a memory stall (running, waiting or asleep)
 *   NR_RUNNING           tasks runnable or running
 *   NR_MEMSTALL_RUNNING  tasks both in a memory stall and runnable (reclaiming on a CPU)
 * </pre>
 * and the states they define on that CPU:
 * <pre>
 *   IO_SOME  = NR_IOWAIT &gt; 0                 IO_FULL  = NR_IOWAIT &gt; 0 &amp;&amp; NR_RUNNING == 0
 *   MEM_SOME = NR_MEMSTALL &gt; 0               MEM_FULL = NR_MEMSTALL &gt; 0 &amp;&amp; NR_RUNNING == NR_MEMSTALL_RUNNING
 *   NONIDLE  = NR_IOWAIT + NR_MEMSTALL + NR_RUNNING &gt; 0
 * </pre>
 */
public final class PsiGroup {
    /** The averaging period: the kernel's PSI_FREQ, 2 s (without its extra jiffy). */
    public static final long PERIOD_NS = 2_000_000_000L;
    /** The averaging windows in seconds, in the order of {@link #avg}. */
    public static final List<Integer> WINDOWS_S = List.of(10, 60, 300);

    static final int IO_SOME = 0;
    static final int IO_FULL = 1;
    static final int MEM_SOME = 2;
    static final int MEM_FULL = 3;
    static final int NONIDLE = 4;
    static final int NR_STATES = 5;
    /** States with a total and averages: all but NONIDLE. */
    static final int NR_REPORTED = 4;

    static final int NR_IOWAIT = 0;
    static final int NR_MEMSTALL = 1;
    static final int NR_RUNNING = 2;
    static final int NR_MEMSTALL_RUNNING = 3;
    static final int NR_COUNTS = 4;

    /** Fixed point of the averages, as the load average's: 11 fraction bits. */
    static final int FSHIFT = 11;
    static final long FIXED_1 = 1L << FSHIFT;
    /** 1/exp(2 s / window) in that fixed point, for the 10 s, 60 s and 300 s windows (EXP_10s ...). */
    static final long[] EXP = {1677, 1981, 2034};

    private final Psi owner;
    private final String name;
    private final int nrCpus;
    /** Per CPU, NR_COUNTS task counts. */
    private final int[] counts;
    /** Per CPU, the bit set of states holding now (bit s = state s). */
    private final int[] mask;
    /** Per CPU, since when its mask holds (accounted up to then). */
    private final long[] since;
    /** Per CPU, NR_STATES times accounted in the current period. */
    private final long[] times;
    private long periodStart;
    /** Per reported state, the stall time of the closed periods, ns. */
    private final long[] total = new long[NR_REPORTED];
    /** Per reported state, per window, the running average of the stall percentage, fixed point. */
    private final long[][] avg = new long[NR_REPORTED][WINDOWS_S.size()];
    /** Applied task changes, four longs each (time, cpu, old state, new state); null unless recording. */
    private final List<long[]> log;

    PsiGroup(Psi owner, String name, int nrCpus, long startNs, boolean record) {
        this.owner = owner;
        this.name = name;
        this.nrCpus = nrCpus;
        this.counts = new int[nrCpus * NR_COUNTS];
        this.mask = new int[nrCpus];
        this.since = new long[nrCpus];
        this.times = new long[nrCpus * NR_STATES];
        this.periodStart = startNs / PERIOD_NS * PERIOD_NS;
        java.util.Arrays.fill(since, startNs);
        this.log = record ? new ArrayList<>() : null;
    }

    /** A copy of {@code o}'s state, for a provisional read; it records nothing. */
    private PsiGroup(PsiGroup o) {
        this.owner = o.owner;
        this.name = o.name;
        this.nrCpus = o.nrCpus;
        this.counts = o.counts.clone();
        this.mask = o.mask.clone();
        this.since = o.since.clone();
        this.times = o.times.clone();
        this.periodStart = o.periodStart;
        System.arraycopy(o.total, 0, total, 0, total.length);
        for (int s = 0; s < avg.length; s++) {
            avg[s] = o.avg[s].clone();
        }
        this.log = null;
    }

    PsiGroup copy() {
        return new PsiGroup(this);
    }

    /** The group's name: "system", or the cgroup's path. */
    public String name() {
        return name;
    }

    public int nrCpus() {
        return nrCpus;
    }

    // ---- feeding (Psi only, in time order) ----

    /**
     * A task of this group changes from {@code oldState} on {@code oldCpu} to {@code newState} on
     * {@code newCpu} at {@code timeNs} ({@link org.pagelab.sim.TaskStateSink} state words).
     */
    void taskChange(long timeNs, int oldCpu, int oldState, int newCpu, int newState) {
        advanceTo(timeNs);
        if (log != null) {
            log.add(new long[] {timeNs, oldCpu, oldState, newState});
            if (oldCpu != newCpu) {
                log.getLast()[3] = 0;
                log.add(new long[] {timeNs, newCpu, 0, newState});
            }
        }
        if (oldCpu == newCpu) {
            cpuChange(oldCpu, timeNs, oldState, newState);
        } else {
            cpuChange(oldCpu, timeNs, oldState, 0);
            cpuChange(newCpu, timeNs, 0, newState);
        }
    }

    private void cpuChange(int cpu, long timeNs, int clear, int set) {
        if (clear == set) {
            return;
        }
        account(cpu, timeNs);
        int base = cpu * NR_COUNTS;
        addCounts(base, clear, -1);
        addCounts(base, set, +1);
        mask[cpu] = stateMask(counts, base);
    }

    private void addCounts(int base, int state, int delta) {
        boolean iowait = (state & org.pagelab.sim.TaskStateSink.IOWAIT) != 0;
        boolean memstall = (state & org.pagelab.sim.TaskStateSink.MEMSTALL) != 0;
        boolean running = (state & org.pagelab.sim.TaskStateSink.RUNNING) != 0;
        if (iowait) {
            counts[base + NR_IOWAIT] += delta;
        }
        if (memstall) {
            counts[base + NR_MEMSTALL] += delta;
        }
        if (running) {
            counts[base + NR_RUNNING] += delta;
        }
        if (memstall && running) {
            counts[base + NR_MEMSTALL_RUNNING] += delta;
        }
        for (int i = 0; i < NR_COUNTS; i++) {
            if (counts[base + i] < 0) {
                throw new IllegalStateException("psi " + name + ": task count " + i + " of CPU " + base / NR_COUNTS
                        + " went negative removing state " + state);
            }
        }
    }

    /** The states that hold on a CPU with task counts {@code c[base .. base + NR_COUNTS)} (psi.c test_state). */
    static int stateMask(int[] c, int base) {
        int iowait = c[base + NR_IOWAIT];
        int memstall = c[base + NR_MEMSTALL];
        int running = c[base + NR_RUNNING];
        int m = 0;
        if (iowait > 0) {
            m |= 1 << IO_SOME;
            if (running == 0) {
                m |= 1 << IO_FULL;
            }
        }
        if (memstall > 0) {
            m |= 1 << MEM_SOME;
            if (running == c[base + NR_MEMSTALL_RUNNING]) {
                m |= 1 << MEM_FULL;
            }
        }
        if (iowait + memstall + running > 0) {
            m |= 1 << NONIDLE;
        }
        return m;
    }

    /** Adds CPU {@code cpu}'s time since its last change, up to {@code timeNs}, to the states holding. */
    private void account(int cpu, long timeNs) {
        long d = timeNs - since[cpu];
        if (d < 0) {
            throw new IllegalStateException("psi " + name + ": CPU " + cpu + " accounted to " + since[cpu]
                    + ", change at " + timeNs + " goes back");
        }
        int m = mask[cpu];
        for (int s = 0; m != 0 && s < NR_STATES; s++) {
            if ((m & (1 << s)) != 0) {
                times[cpu * NR_STATES + s] += d;
            }
        }
        since[cpu] = timeNs;
    }

    /** Closes every period that ends at or before {@code timeNs}. */
    void advanceTo(long timeNs) {
        while (timeNs >= periodStart + PERIOD_NS) {
            long end = periodStart + PERIOD_NS;
            for (int c = 0; c < nrCpus; c++) {
                account(c, end);
            }
            long[] delta = aggregate(times, nrCpus);
            for (int s = 0; s < NR_REPORTED; s++) {
                total[s] += delta[s];
                updateAverages(avg[s], delta[s], PERIOD_NS);
            }
            java.util.Arrays.fill(times, 0);
            periodStart = end;
        }
    }

    /**
     * The stall time of one period per reported state: each CPU's time in the state weighted by
     * its non-idle time, {@code sum_c times_c[s] * nonidle_c / sum_c nonidle_c} (psi.c
     * collect_percpu_times), rounded down; 0 when no CPU was non-idle.
     */
    static long[] aggregate(long[] times, int nrCpus) {
        long[] out = new long[NR_REPORTED];
        if (nrCpus == 1) {
            System.arraycopy(times, 0, out, 0, NR_REPORTED);
            return out;
        }
        BigInteger nonidle = BigInteger.ZERO;
        for (int c = 0; c < nrCpus; c++) {
            nonidle = nonidle.add(BigInteger.valueOf(times[c * NR_STATES + NONIDLE]));
        }
        if (nonidle.signum() == 0) {
            return out;
        }
        for (int s = 0; s < NR_REPORTED; s++) {
            BigInteger sum = BigInteger.ZERO;
            for (int c = 0; c < nrCpus; c++) {
                sum = sum.add(BigInteger.valueOf(times[c * NR_STATES + s]).multiply(BigInteger.valueOf(times[c * NR_STATES + NONIDLE])));
            }
            out[s] = sum.divide(nonidle).longValueExact();
        }
        return out;
    }

    /**
     * Folds one period's stall time {@code sampleNs} of {@code periodNs} into the averages
     * (psi.c calc_avgs): the share as a whole percentage, times FIXED_1, decayed into each window.
     */
    static void updateAverages(long[] avgs, long sampleNs, long periodNs) {
        long pct = Math.min(sampleNs, periodNs) * 100 / periodNs * FIXED_1;
        for (int w = 0; w < avgs.length; w++) {
            avgs[w] = calcLoad(avgs[w], EXP[w], pct);
        }
    }

    /** One step of an exponentially decaying average in fixed point (include/linux/sched/loadavg.h calc_load). */
    static long calcLoad(long load, long exp, long active) {
        long next = load * exp + active * (FIXED_1 - exp);
        if (active >= load) {
            next += FIXED_1 - 1;
        }
        return next / FIXED_1;
    }

    // ---- reading ----

    /**
     * The total stall time in nanoseconds, up to {@link Psi#readTimeNs()}: the closed periods'
     * totals plus the open period's so far, computed without closing it: reading changes no closed
     * period and no average. The open period's share is weighted by each CPU's non-idle time and can
     * fall as that weight shifts; the kernel folds each read's delta into its total, so its total
     * never falls, and neither does a read here: it returns at least the largest total read before.
     * A run read often may therefore end with a slightly larger total than one read only at its
     * end, as in the kernel, whose total also depends on when it was read.
     */
    public long totalNs(PsiResource r, boolean full) {
        int s = r.someState() + (full ? 1 : 0);
        long v = owner.view(this).totalAt(s, owner.readTimeNs());
        // the open period's share is a ratio weighted by each CPU's non-idle time, which can fall
        // as that weight shifts; the kernel adds each read's aggregated delta to its total, so a
        // total never falls: neither does a read here
        if (v < readFloor[s]) {
            return readFloor[s];
        }
        readFloor[s] = v;
        return v;
    }

    /** The largest total read so far, per state: reads are monotone, as the kernel's total is. */
    private final long[] readFloor = new long[NR_STATES];

    /** The total of state {@code s} at {@code h}, which this group has been advanced to. */
    long totalAt(int s, long h) {
        long[] open = times.clone();
        for (int c = 0; c < nrCpus; c++) {
            long d = Math.max(0, h - since[c]);
            for (int k = 0; k < NR_STATES; k++) {
                if ((mask[c] & (1 << k)) != 0) {
                    open[c * NR_STATES + k] += d;
                }
            }
        }
        return total[s] + aggregate(open, nrCpus)[s];
    }

    /** The total in microseconds, as the "total=" field prints it. */
    public long totalUs(PsiResource r, boolean full) {
        return totalNs(r, full) / 1000;
    }

    /**
     * The running average of the stall percentage over window {@code w} (0: avg10, 1: avg60,
     * 2: avg300) as of the last closed period, in hundredths of a percent as printed ("12.34" is
     * 1234): the fixed-point value's integer part times 100 plus its two-digit fraction.
     */
    public long avgHundredths(PsiResource r, boolean full, int w) {
        long a = owner.view(this).avg[r.someState() + (full ? 1 : 0)][w];
        return (a >> FSHIFT) * 100 + (((a & (FIXED_1 - 1)) * 100) >> FSHIFT);
    }

    /** The running average as a fixed-point number with {@value #FSHIFT} fraction bits. */
    public long avgFixed(PsiResource r, boolean full, int w) {
        return owner.view(this).avg[r.someState() + (full ? 1 : 0)][w];
    }

    /**
     * The text of /proc/pressure/{@code r} (and of a cgroup's {@code r}.pressure), as psi.c
     * psi_show prints it: a "some" and a "full" line, each with avg10, avg60 and avg300 to two
     * decimals and the total in microseconds.
     */
    public String render(PsiResource r) {
        StringBuilder sb = new StringBuilder();
        for (boolean full : new boolean[] {false, true}) {
            sb.append(full ? "full" : "some");
            for (int w = 0; w < WINDOWS_S.size(); w++) {
                sb.append(" avg").append(WINDOWS_S.get(w)).append('=').append(percent(avgHundredths(r, full, w)));
            }
            sb.append(" total=").append(totalUs(r, full)).append('\n');
        }
        return sb.toString();
    }

    /** A percentage given in hundredths as the pressure files print it: 1234 is "12.34", 5 is "0.05". */
    public static String percent(long hundredths) {
        long frac = hundredths % 100;
        return hundredths / 100 + (frac < 10 ? ".0" : ".") + frac;
    }

    /** The applied task changes, four longs each: time, cpu, old state, new state (empty unless recording). */
    List<long[]> log() {
        return log == null ? List.of() : Collections.unmodifiableList(log);
    }

    boolean recording() {
        return log != null;
    }

    @Override
    public String toString() {
        return "psi group " + name;
    }
}
