package org.pagelab.psi;

import java.math.BigInteger;
import java.util.List;
import org.pagelab.sim.Sim;
import org.pagelab.sim.SimTask;
import org.pagelab.sim.Stall;
import org.pagelab.sim.StallKind;
import org.pagelab.sim.TaskStateSink;

/**
 * Recomputes PSI's invariants and throws IllegalStateException naming the first one broken:
 * <pre>
 *   per group, per resource:  total(full) &lt;= total(some) &lt;= time up to the horizon
 *   per group (recording):    replaying its applied changes in one batch sweep, period by period,
 *                             gives the same totals at the horizon, and they never decrease period
 *                             to period
 *   system group (recording): total(some) &lt;= |union of the tasks' stall intervals| of that resource
 *                             (memory: memory stalls; io: IO_WAIT) up to the read time, with
 *                             equality on one CPU (so the provisional reads of a finished run too)
 * </pre>
 */
public final class PsiChecker {
    private PsiChecker() {
    }

    /** Checks every group of {@code psi}; {@code sim} (may be null) for the union bound. */
    public static void check(Psi psi, Sim sim) {
        long h = psi.readTimeNs();
        for (PsiGroup g : psi.groups()) {
            long settled = psi.horizonNs();
            for (PsiResource r : PsiResource.values()) {
                long some = g.totalNs(r, false);
                long full = g.totalNs(r, true);
                if (full > some || some > h) {
                    throw new IllegalStateException(g + " " + r.fileName() + ": full " + full + " ns, some " + some
                            + " ns, horizon " + h + " ns: need full <= some <= horizon");
                }
            }
            if (g.recording()) {
                long[] replay = replay(g, settled);
                psi.settle(g);
                for (PsiResource r : PsiResource.values()) {
                    for (int f = 0; f < 2; f++) {
                        long mine = g.totalAt(r.someState() + f, settled);
                        if (replay[r.someState() + f] != mine) {
                            throw new IllegalStateException(g + " " + r.fileName() + (f == 1 ? " full" : " some")
                                    + ": total " + mine + " ns, but replaying its changes gives " + replay[r.someState() + f]);
                        }
                    }
                }
            }
        }
        if (sim != null && sim.recording() && psi.system().recording()) {
            checkUnion(psi, sim, PsiResource.MEMORY);
            checkUnion(psi, sim, PsiResource.IO);
        }
    }

    private static void checkUnion(Psi psi, Sim sim, PsiResource r) {
        long h = psi.readTimeNs();
        List<long[]> intervals = new java.util.ArrayList<>();
        for (SimTask t : sim.tasks()) {
            for (Stall s : t.stalls()) {
                boolean memory = s.kind().memory();
                if ((r == PsiResource.MEMORY) == memory && (memory || s.kind() == StallKind.IO_WAIT)) {
                    intervals.add(new long[] {Math.min(s.startNs(), h), Math.min(s.endNs(), h)});
                }
            }
        }
        intervals.sort((a, b) -> Long.compare(a[0], b[0]));
        long union = 0;
        long reach = Long.MIN_VALUE;
        for (long[] iv : intervals) {
            long from = Math.max(iv[0], reach);
            if (iv[1] > from) {
                union += iv[1] - from;
            }
            reach = Math.max(reach, iv[1]);
        }
        long some = psi.system().totalNs(r, false);
        if (some > union || (sim.nrCpus() == 1 && some != union)) {
            throw new IllegalStateException("system " + r.fileName() + " some total " + some + " ns, but the tasks' "
                    + r.fileName() + " stall intervals cover " + union + " ns up to " + h + " on " + sim.nrCpus() + " CPUs");
        }
    }

    /**
     * The group's totals at {@code horizon} recomputed from its log: a sweep over the changes that
     * counts tasks per CPU, cuts time at the 2-second boundaries, and weights each period's
     * per-CPU times by the CPUs' non-idle time.
     */
    static long[] replay(PsiGroup g, long horizon) {
        List<long[]> log = g.log();
        int n = g.nrCpus();
        int[] iowait = new int[n];
        int[] memstall = new int[n];
        int[] running = new int[n];
        int[] reclaiming = new int[n];
        long[][] period = new long[n][PsiGroup.NR_STATES];
        long[] total = new long[PsiGroup.NR_REPORTED];
        long t = log.isEmpty() ? horizon : log.getFirst()[0] / PsiGroup.PERIOD_NS * PsiGroup.PERIOD_NS;
        long periodEnd = t + PsiGroup.PERIOD_NS;
        long[] last = new long[PsiGroup.NR_REPORTED];
        int i = 0;
        for (;;) {
            long next = i < log.size() ? log.get(i)[0] : horizon;
            while (next >= periodEnd) {
                add(period, iowait, memstall, running, reclaiming, periodEnd - t);
                t = periodEnd;
                long[] d = weigh(period);
                for (int s = 0; s < total.length; s++) {
                    total[s] += d[s];
                    if (total[s] < last[s]) {
                        throw new IllegalStateException(g + ": total of state " + s + " went down at " + periodEnd);
                    }
                    last[s] = total[s];
                }
                period = new long[n][PsiGroup.NR_STATES];
                periodEnd += PsiGroup.PERIOD_NS;
            }
            add(period, iowait, memstall, running, reclaiming, next - t);
            t = next;
            if (i == log.size()) {
                break;
            }
            long[] e = log.get(i++);
            int cpu = (int) e[1];
            int old = (int) e[2];
            int now = (int) e[3];
            iowait[cpu] += bit(now, TaskStateSink.IOWAIT) - bit(old, TaskStateSink.IOWAIT);
            memstall[cpu] += bit(now, TaskStateSink.MEMSTALL) - bit(old, TaskStateSink.MEMSTALL);
            running[cpu] += bit(now, TaskStateSink.RUNNING) - bit(old, TaskStateSink.RUNNING);
            reclaiming[cpu] += bit(now, TaskStateSink.RUNNING) * bit(now, TaskStateSink.MEMSTALL)
                    - bit(old, TaskStateSink.RUNNING) * bit(old, TaskStateSink.MEMSTALL);
        }
        long[] d = weigh(period);
        for (int s = 0; s < total.length; s++) {
            total[s] += d[s];
        }
        return total;
    }

    private static int bit(int state, int b) {
        return (state & b) != 0 ? 1 : 0;
    }

    private static void add(long[][] period, int[] iowait, int[] memstall, int[] running, int[] reclaiming, long d) {
        for (int c = 0; c < period.length; c++) {
            if (iowait[c] > 0) {
                period[c][PsiGroup.IO_SOME] += d;
            }
            if (iowait[c] > 0 && running[c] == 0) {
                period[c][PsiGroup.IO_FULL] += d;
            }
            if (memstall[c] > 0) {
                period[c][PsiGroup.MEM_SOME] += d;
            }
            if (memstall[c] > 0 && running[c] - reclaiming[c] == 0) {
                period[c][PsiGroup.MEM_FULL] += d;
            }
            if (iowait[c] + memstall[c] + running[c] > 0) {
                period[c][PsiGroup.NONIDLE] += d;
            }
        }
    }

    private static long[] weigh(long[][] period) {
        long[] out = new long[PsiGroup.NR_REPORTED];
        BigInteger nonidle = BigInteger.ZERO;
        for (long[] c : period) {
            nonidle = nonidle.add(BigInteger.valueOf(c[PsiGroup.NONIDLE]));
        }
        if (nonidle.signum() == 0) {
            return out;
        }
        for (int s = 0; s < out.length; s++) {
            BigInteger sum = BigInteger.ZERO;
            for (long[] c : period) {
                sum = sum.add(BigInteger.valueOf(c[s]).multiply(BigInteger.valueOf(c[PsiGroup.NONIDLE])));
            }
            out[s] = sum.divide(nonidle).longValueExact();
        }
        return out;
    }
}
