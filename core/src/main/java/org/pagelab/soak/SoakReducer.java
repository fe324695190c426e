package org.pagelab.soak;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.pagelab.machine.Machine;
import org.pagelab.scenario.Scenario;
import org.pagelab.scenario.Step;

/**
 * Shrinks a failing soak scenario to a small one that fails the same way (same
 * {@link Soak.Failure#signature()}), within a time budget.
 *
 * <p>First every process loses the steps it had not started when the failure happened (they
 * cannot have caused it). Then delta debugging (Zeller and Hildebrandt, "Simplifying and
 * Isolating Failure-Inducing Input", IEEE TSE 2002) removes chunks of steps, halving the chunk
 * size when no chunk can go: a fork step goes with its child's steps. Every candidate is first
 * normalized by {@link SoakModel#normalize}, which rewrites its expects to what the smaller
 * scenario predicts and drops steps left naming a removed region, so a candidate never fails an
 * expect merely because a write it depended on was removed.
 */
public final class SoakReducer {
    /** The smallest failing scenario found, how many steps it has, and how many runs it took. */
    public record Reduced(Scenario scenario, Soak.Failure failure, long steps, int runs, boolean exhaustive) {
    }

    private final Path scratch;
    private final int checkEvery;
    private final String signature;
    private final long deadline;
    private int runs;
    private Soak.Failure last;

    private SoakReducer(Path scratch, int checkEvery, String signature, long budgetNs) {
        this.scratch = scratch;
        this.checkEvery = checkEvery;
        this.signature = signature;
        this.deadline = System.nanoTime() + budgetNs;
    }

    /**
     * Reduces {@code s}, whose run gave {@code failed}, trying candidates in fresh directories
     * under {@code scratch} for at most {@code budgetNs} nanoseconds.
     */
    public static Reduced reduce(Scenario s, Soak.Result failed, Path scratch, int checkEvery, long budgetNs) {
        SoakReducer r = new SoakReducer(scratch, checkEvery, failed.failure().signature(), budgetNs);
        r.last = failed.failure();
        Scenario best = s;
        Scenario cut = truncate(s, failed.started());
        if (r.fails(cut)) {
            best = cut;
        }
        boolean exhaustive = true;
        List<Step> atoms = atoms(best);
        int n = 2;
        while (atoms.size() >= 2) {
            if (r.outOfTime()) {
                exhaustive = false;
                break;
            }
            int size = (atoms.size() + n - 1) / n;
            boolean removed = false;
            for (int from = 0; from < atoms.size() && !r.outOfTime(); from += size) {
                List<Step> chunk = atoms.subList(from, Math.min(atoms.size(), from + size));
                Scenario cand = without(best, chunk);
                if (r.fails(cand)) {
                    best = cand;
                    atoms = atoms(best);
                    n = Math.max(n - 1, 2);
                    removed = true;
                    break;
                }
            }
            if (!removed) {
                if (n >= atoms.size()) {
                    break;
                }
                n = Math.min(n * 2, atoms.size());
            }
        }
        Scenario out = SoakModel.normalize(best);
        return new Reduced(out, r.last, Soak.stepCount(out), r.runs, exhaustive);
    }

    private boolean outOfTime() {
        return System.nanoTime() > deadline;
    }

    private boolean fails(Scenario cand) {
        runs++;
        Scenario run = SoakModel.normalize(cand);
        Path dir;
        try {
            dir = Soak.freshDir(scratch, "reduce");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot make a directory for the reducer in " + scratch, e);
        }
        try {
            Soak.Result res = Soak.run(run, dir, checkEvery, done -> { });
            if (res.failure() != null && res.failure().signature().equals(signature)) {
                last = res.failure();
                return true;
            }
            return false;
        } finally {
            Machine.deleteTree(dir);
        }
    }

    /** Every step of {@code s} in process order, depth first (a fork before its child's steps). */
    private static List<Step> atoms(Scenario s) {
        List<Step> out = new ArrayList<>();
        for (Scenario.ProcessSpec p : s.processes()) {
            collect(p.steps(), out);
        }
        return out;
    }

    private static void collect(List<Step> steps, List<Step> out) {
        for (Step st : steps) {
            out.add(st);
            if (st.children() != null) {
                collect(st.children(), out);
            }
        }
    }

    private static Scenario without(Scenario s, List<Step> gone) {
        Set<Step> drop = Collections.newSetFromMap(new IdentityHashMap<>());
        drop.addAll(gone);
        List<Scenario.ProcessSpec> procs = new ArrayList<>();
        for (Scenario.ProcessSpec p : s.processes()) {
            procs.add(new Scenario.ProcessSpec(p.name(), filter(p.steps(), drop), p.line(), p.oomScoreAdj(), p.cgroup()));
        }
        return SoakSteps.withProcesses(s, procs);
    }

    private static List<Step> filter(List<Step> steps, Set<Step> drop) {
        List<Step> out = new ArrayList<>();
        for (Step st : steps) {
            if (drop.contains(st)) {
                continue;
            }
            out.add(st.children() == null ? st : SoakSteps.refork(st, filter(st.children(), drop)));
        }
        return out;
    }

    /** {@code s} with each process cut after the steps it had started ({@code started}, by name). */
    static Scenario truncate(Scenario s, Map<String, Integer> started) {
        List<Scenario.ProcessSpec> procs = new ArrayList<>();
        for (Scenario.ProcessSpec p : s.processes()) {
            procs.add(new Scenario.ProcessSpec(p.name(), cut(p.name(), p.steps(), started), p.line(), p.oomScoreAdj(),
                    p.cgroup()));
        }
        return SoakSteps.withProcesses(s, procs);
    }

    private static List<Step> cut(String name, List<Step> steps, Map<String, Integer> started) {
        int n = Math.min(steps.size(), started.getOrDefault(name, 0));
        List<Step> out = new ArrayList<>();
        for (Step st : steps.subList(0, n)) {
            out.add(st.children() == null ? st : SoakSteps.refork(st, cut(st.name(), st.children(), started)));
        }
        return out;
    }
}
