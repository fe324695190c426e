package org.pagelab.psi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.pagelab.sim.CostModel;
import org.pagelab.sim.DeviceModel;
import org.pagelab.sim.Sim;
import org.pagelab.sim.SimDevice;
import org.pagelab.sim.SimTask;
import org.pagelab.sim.StallKind;
import org.pagelab.testing.SeedSource;
import org.pagelab.testing.Seeds;

/**
 * Random workloads (CPU, I/O, nanosleeps, nested memory stalls, kswapd wakeups, forks, kills and
 * moves between two groups) on one to three CPUs, with PSI's invariants checked at every step and
 * at the end, and each workload run twice: once read after every step, once read only at the end.
 * Reading changes no average and no closed period; a total read is never below an earlier one (as
 * the kernel's accumulated total), so a watched run may end with a larger total than an unwatched
 * one when the open period's weighted share fell, never a smaller one. Seeds: {@link Seeds}.
 */
class PsiRandomizedTest {
    private static final long US = 1000;

    @ParameterizedTest(name = "seed {0}")
    @SeedSource(first = 0x9051_0000L + 104_729L, step = 104_729L, count = 30)
    void invariantsHoldAndReadingChangesNothing(long seed) {
        List<String> watched = run(seed, true);
        List<String> unwatched = run(seed, false);
        assertThat(withoutTotals(unwatched)).as("averages of seed %d", seed).isEqualTo(withoutTotals(watched));
        List<Long> w = totals(watched);
        List<Long> u = totals(unwatched);
        assertThat(w).hasSameSizeAs(u);
        for (int i = 0; i < w.size(); i++) {
            assertThat(w.get(i)).as("total %d of seed %d", i, seed).isGreaterThanOrEqualTo(u.get(i));
        }
    }

    private static final java.util.regex.Pattern TOTAL = java.util.regex.Pattern.compile("total=(\\d+)");

    private static List<String> withoutTotals(List<String> files) {
        return files.stream().map(f -> TOTAL.matcher(f).replaceAll("total=_")).toList();
    }

    private static List<Long> totals(List<String> files) {
        List<Long> out = new ArrayList<>();
        for (String f : files) {
            java.util.regex.Matcher m = TOTAL.matcher(f);
            while (m.find()) {
                out.add(Long.parseLong(m.group(1)));
            }
        }
        return out;
    }

    /** The final pressure files of every group, after running the workload of {@code seed}. */
    private static List<String> run(long seed, boolean watch) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Sim sim = new Sim(1 + rnd.nextInt(3), CostModel.uniform(rnd.nextInt(1, 2000)), true);
        Psi psi = Psi.attach(sim);
        PsiGroup parent = psi.createGroup("/a");
        PsiGroup child = psi.createGroup("/a/b");
        List<List<PsiGroup>> choices = List.of(List.of(), List.of(parent), List.of(parent, child));
        int[] member = new int[64];
        psi.setGroupsOf(t -> choices.get(member[t.id()]));
        SimDevice dev = sim.device("nvme0", DeviceModel.nvme("latency=" + rnd.nextInt(10, 3000) + "us"));
        SimTask kswapd = sim.spawnKthread("kswapd0");
        int nextPid = 100;
        for (int i = 0, n = 1 + rnd.nextInt(4); i < n; i++) {
            member[sim.spawn("p" + i, nextPid++).id()] = rnd.nextInt(3);
        }
        int steps = 0;
        java.util.Map<String, Long> lastRead = new java.util.HashMap<>();
        for (SimTask t; (t = sim.next()) != null; steps++) {
            int depth = 0;
            for (int k = 0, ops = rnd.nextInt(1, 10); k < ops; k++) {
                switch (rnd.nextInt(10)) {
                    case 0, 1 -> sim.cpuNs(rnd.nextLong(0, 3000 * US));
                    case 2 -> sim.io(dev, 4096L * rnd.nextInt(1, 64), rnd.nextBoolean());
                    case 3 -> sim.sleepFor(rnd.nextLong(0, 5000 * US));
                    case 4 -> {
                        StallKind[] mem = {StallKind.DIRECT_RECLAIM, StallKind.MEMCG_THROTTLE, StallKind.REFAULT};
                        sim.beginStall(mem[rnd.nextInt(mem.length)]);
                        depth++;
                    }
                    case 5 -> {
                        if (depth > 0) {
                            sim.endStall();
                            depth--;
                        }
                    }
                    case 6 -> sim.wake(kswapd);
                    case 7 -> {
                        if (!t.kthread()) {
                            member[t.id()] = rnd.nextInt(3);
                            psi.moveTask(t, sim.now());
                        }
                    }
                    case 8 -> {
                        if (!t.kthread() && rnd.nextInt(4) == 0 && sim.tasks().size() < 40) {
                            member[sim.spawn("child", nextPid++).id()] = member[t.id()];
                        }
                    }
                    default -> {
                        SimTask victim = sim.tasks().get(rnd.nextInt(sim.tasks().size()));
                        if (rnd.nextInt(6) == 0 && !victim.kthread() && victim != t) {
                            sim.exit(victim);
                        }
                    }
                }
            }
            while (depth-- > 0) {
                sim.endStall();
            }
            if (t.kthread()) {
                sim.sleep();
            } else if (steps > 150 || rnd.nextInt(12) == 0) {
                sim.exit();
            }
            sim.endStep();
            if (watch) {
                PsiChecker.check(psi, sim);
                for (PsiGroup g : psi.groups()) {
                    for (PsiResource r : PsiResource.values()) {
                        for (boolean full : new boolean[] {false, true}) {
                            long before = lastRead.getOrDefault(g.name() + r + full, 0L);
                            long now = g.totalNs(r, full);
                            assertThat(now).as("%s %s full=%s read again", g.name(), r, full).isGreaterThanOrEqualTo(before);
                            lastRead.put(g.name() + r + full, now);
                        }
                    }
                    g.render(PsiResource.MEMORY);
                    g.render(PsiResource.IO);
                }
            }
        }
        sim.check();
        PsiChecker.check(psi, sim);
        assertThat(psi.lateChanges()).isZero();
        List<String> files = new ArrayList<>();
        for (PsiGroup g : psi.groups()) {
            files.add(g.name() + "\n" + g.render(PsiResource.MEMORY) + g.render(PsiResource.IO));
        }
        if (sim.nrCpus() == 1) {
            // one CPU: a group's tasks are a subset of the system's, so its some is at most the system's
            for (PsiResource r : PsiResource.values()) {
                assertThat(child.totalNs(r, false)).isLessThanOrEqualTo(parent.totalNs(r, false));
                assertThat(parent.totalNs(r, false)).isLessThanOrEqualTo(psi.system().totalNs(r, false));
            }
        }
        return files;
    }
}
