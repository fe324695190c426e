package org.pagelab.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/** Recomputes {@link Sim}'s invariants from its tasks and, when recorded, its history. */
final class SimChecker {
    private SimChecker() {
    }

    static void check(Sim sim, List<SimTask> tasks, Timeline[] cpus, List<SimDevice> devices, long[] pieces, SimTask current) {
        for (int c = 0; c < cpus.length; c++) {
            cpus[c].check("cpu" + c);
        }
        for (SimDevice d : devices) {
            d.check();
        }
        long elapsed = sim.elapsedNs();
        for (SimTask t : tasks) {
            checkTotals(t, elapsed, t == current);
        }
        if (pieces == null) {
            return;
        }
        checkCpus(cpus.length, pieces);
        long[] cpuOfTask = new long[tasks.size()];
        List<List<long[]>> piecesOf = new ArrayList<>();
        for (int i = 0; i < tasks.size(); i++) {
            piecesOf.add(new ArrayList<>());
        }
        for (int i = 0; i < pieces.length; i += 4) {
            int task = (int) pieces[i + 1];
            cpuOfTask[task] += pieces[i + 3] - pieces[i + 2];
            piecesOf.get(task).add(new long[] {pieces[i + 2], pieces[i + 3]});
        }
        for (SimTask t : tasks) {
            checkHistory(t, cpuOfTask[t.id()], piecesOf.get(t.id()), t == current);
        }
    }

    private static IllegalStateException broken(Object who, String what) {
        return new IllegalStateException("sim invariant broken: " + who + ": " + what);
    }

    /** Time accounting of one task: cpu + run_delay + io_wait == time in ended steps, and bounds. */
    private static void checkTotals(SimTask t, long elapsed, boolean running) {
        if (t.clock < t.spawnNs) {
            throw broken(t, "clock " + t.clock + " < spawn time " + t.spawnNs);
        }
        if (t.clockNs() > elapsed) {
            throw broken(t, "finish " + t.clockNs() + " > elapsed " + elapsed);
        }
        if (t.cpuNs < 0 || t.runDelayNs < 0 || t.ioWaitNs < 0 || t.pendingCpu < 0) {
            throw broken(t, "negative time: cpu " + t.cpuNs + " run_delay " + t.runDelayNs + " io_wait " + t.ioWaitNs);
        }
        long inSteps = t.stepNs + (running ? t.clock - t.stepStart : 0);
        if (t.cpuNs + t.runDelayNs + t.ioWaitNs + t.sleepNs != inSteps) {
            throw broken(t, "cpu " + t.cpuNs + " + run_delay " + t.runDelayNs + " + io_wait " + t.ioWaitNs
                    + " != time in steps " + inSteps);
        }
        long mem = 0;
        for (StallKind k : StallKind.values()) {
            if (k.memory()) {
                mem += t.stallNs[k.ordinal()];
            }
        }
        if (mem > inSteps) {
            throw broken(t, "memory stall " + mem + " > time in steps " + inSteps);
        }
        if (!running && (t.pendingCpu != 0 || t.stallDepth != 0)) {
            throw broken(t, "not running but holds " + t.pendingCpu + " ns unbooked or stall depth " + t.stallDepth);
        }
    }

    /** Per CPU, the booked pieces of every task do not overlap. */
    private static void checkCpus(int nrCpus, long[] pieces) {
        List<List<long[]>> per = new ArrayList<>();
        for (int c = 0; c < nrCpus; c++) {
            per.add(new ArrayList<>());
        }
        for (int i = 0; i < pieces.length; i += 4) {
            if (pieces[i + 2] >= pieces[i + 3]) {
                throw broken("cpu" + pieces[i], "empty piece [" + pieces[i + 2] + ", " + pieces[i + 3] + ")");
            }
            per.get((int) pieces[i]).add(new long[] {pieces[i + 2], pieces[i + 3], pieces[i + 1]});
        }
        for (int c = 0; c < nrCpus; c++) {
            List<long[]> l = per.get(c);
            l.sort(Comparator.comparingLong(a -> a[0]));
            for (int i = 1; i < l.size(); i++) {
                if (l.get(i)[0] < l.get(i - 1)[1]) {
                    throw broken("cpu" + c, "task " + l.get(i - 1)[2] + " busy " + Arrays.toString(l.get(i - 1))
                            + " overlaps task " + l.get(i)[2] + " busy " + Arrays.toString(l.get(i)));
                }
            }
        }
    }

    /**
     * One task's history: steps ordered and disjoint; its CPU pieces sum to its CPU time, lie inside
     * its steps and overlap neither each other nor its I/O waits; stalls lie inside steps, each
     * resource's stalls are disjoint and sum to the totals.
     */
    private static void checkHistory(SimTask t, long cpuBooked, List<long[]> cpuPieces, boolean running) {
        if (cpuBooked != t.cpuNs) {
            throw broken(t, "CPU pieces sum to " + cpuBooked + " but cpu time is " + t.cpuNs);
        }
        List<long[]> steps = new ArrayList<>(t.stepLog);
        if (running) {
            steps.add(new long[] {t.stepStart, t.clock});
        }
        long prevEnd = t.spawnNs;
        for (long[] s : steps) {
            if (s[0] < prevEnd || s[1] < s[0]) {
                throw broken(t, "step [" + s[0] + ", " + s[1] + ") starts before " + prevEnd + " or ends before it starts");
            }
            prevEnd = s[1];
        }
        List<long[]> busy = new ArrayList<>(cpuPieces);
        long[] stallSum = new long[StallKind.values().length];
        long[] lastEnd = {Long.MIN_VALUE, Long.MIN_VALUE};
        for (Stall s : t.stallLog) {
            stallSum[s.kind().ordinal()] += s.lengthNs();
            if (!inside(steps, s.startNs(), s.endNs())) {
                throw broken(t, s + " is not inside one step");
            }
            int r = s.kind().memory() ? 0 : 1;
            if (s.startNs() < lastEnd[r]) {
                throw broken(t, s + " overlaps the previous stall of its resource, which ends at " + lastEnd[r]);
            }
            lastEnd[r] = s.endNs();
            if (s.kind() == StallKind.IO_WAIT) {
                busy.add(new long[] {s.startNs(), s.endNs()});
            }
        }
        for (StallKind k : StallKind.values()) {
            if (stallSum[k.ordinal()] != t.stallNs(k)) {
                throw broken(t, k + " intervals sum to " + stallSum[k.ordinal()] + " but the total is " + t.stallNs(k));
            }
        }
        for (long[] p : cpuPieces) {
            if (!inside(steps, p[0], p[1])) {
                throw broken(t, "CPU piece [" + p[0] + ", " + p[1] + ") is not inside one step");
            }
        }
        busy.sort(Comparator.comparingLong(a -> a[0]));
        for (int i = 1; i < busy.size(); i++) {
            if (busy.get(i)[0] < busy.get(i - 1)[1]) {
                throw broken(t, "runs or waits twice at once: " + Arrays.toString(busy.get(i - 1)) + " and "
                        + Arrays.toString(busy.get(i)));
            }
        }
    }

    private static boolean inside(List<long[]> steps, long s, long e) {
        for (long[] st : steps) {
            if (st[0] <= s && e <= st[1]) {
                return true;
            }
        }
        return false;
    }
}
