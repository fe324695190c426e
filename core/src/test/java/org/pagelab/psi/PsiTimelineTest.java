package org.pagelab.psi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pagelab.sim.CostModel;
import org.pagelab.sim.Sim;
import org.pagelab.sim.SimTask;
import org.pagelab.sim.StallKind;

/** PSI totals of hand-built task timelines whose some and full times are known from the definitions. */
class PsiTimelineTest {
    private static final long S = 1_000_000_000L;
    private static final long MS = 1_000_000L;
    private Sim sim;
    private Psi psi;

    @AfterEach
    void invariantsHold() {
        if (psi != null) {
            sim.check();
            PsiChecker.check(psi, sim);
        }
    }

    private void boot(int cpus) {
        sim = new Sim(cpus, CostModel.uniform(0), true);
        psi = Psi.attach(sim);
    }

    /** Runs each task's whole script as one step, then exits it; the tasks are spawned at time 0. */
    private void run(Map<String, Consumer<Sim>> scripts) {
        int pid = 100;
        List<String> names = new ArrayList<>(scripts.keySet());
        for (String n : names) {
            sim.spawn(n, pid++);
        }
        for (SimTask t; (t = sim.next()) != null; ) {
            scripts.get(t.name()).accept(sim);
            sim.exit();
            sim.endStep();
        }
    }

    private static Consumer<Sim> reclaimOnCpu(long beforeNs, long stallNs) {
        return s -> {
            s.cpuNs(beforeNs);
            s.beginStall(StallKind.DIRECT_RECLAIM);
            s.cpuNs(stallNs);
            s.endStall();
        };
    }

    /** Throttled: in a memory stall, asleep (mem_cgroup_handle_over_high). */
    private static Consumer<Sim> throttled(long beforeNs, long stallNs) {
        return s -> {
            s.sleepFor(beforeNs);
            s.beginStall(StallKind.MEMCG_THROTTLE);
            s.sleepFor(stallNs);
            s.endStall();
        };
    }

    private long us(PsiResource r, boolean full) {
        return psi.system().totalUs(r, full);
    }

    @Test
    void oneTaskReclaimingOneSecondOfFourIsOneSecondOfSomeAndFull() {
        boot(1);
        run(Map.of("a", reclaimOnCpu(3 * S, S)));
        assertThat(sim.elapsedNs()).isEqualTo(4 * S);
        assertThat(us(PsiResource.MEMORY, false)).isEqualTo(1_000_000);
        // alone, the reclaiming task is every runnable task: no productive task left
        assertThat(us(PsiResource.MEMORY, true)).isEqualTo(1_000_000);
        assertThat(us(PsiResource.IO, false)).isZero();
        assertThat(psi.system().render(PsiResource.IO)).isEqualTo(
                "some avg10=0.00 avg60=0.00 avg300=0.00 total=0\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n");
    }

    @Test
    void aStalledTaskBesideARunningOneIsSomeButNotFull() {
        boot(1);
        Map<String, Consumer<Sim>> m = new HashMap<>();
        m.put("a", throttled(0, S));
        m.put("b", s -> s.cpuNs(S));
        run(m);
        assertThat(us(PsiResource.MEMORY, false)).isEqualTo(1_000_000);
        assertThat(us(PsiResource.MEMORY, true)).isZero();
    }

    @Test
    void twoTasksStalledTogetherAreFullButOverlappingStallsCountOnce() {
        boot(1);
        Map<String, Consumer<Sim>> m = new HashMap<>();
        m.put("a", throttled(0, S));
        m.put("b", throttled(500 * MS, S));
        run(m);
        // some: the union [0, 1.5 s); full: no task runnable at any time while one is stalled
        assertThat(us(PsiResource.MEMORY, false)).isEqualTo(1_500_000);
        assertThat(us(PsiResource.MEMORY, true)).isEqualTo(1_500_000);
    }

    @Test
    void stalledOnlyWhileTheOtherRunsGivesFullJustForTheRest() {
        boot(1);
        Map<String, Consumer<Sim>> m = new HashMap<>();
        m.put("a", throttled(0, S));
        m.put("b", s -> {
            s.cpuNs(300 * MS);
            s.sleepFor(2 * S);
        });
        run(m);
        // [0, 300 ms): b productive, so some only; [300 ms, 1 s): b idle, which does not stop full
        assertThat(us(PsiResource.MEMORY, false)).isEqualTo(1_000_000);
        assertThat(us(PsiResource.MEMORY, true)).isEqualTo(700_000);
    }

    @Test
    void ioWaitIsIoPressureAndARefaultReadIsBoth() {
        boot(1);
        Map<String, Consumer<Sim>> m = new HashMap<>();
        m.put("a", s -> {
            s.waitUntil(s.now() + S);
            s.beginStall(StallKind.REFAULT);
            s.waitUntil(s.now() + 250 * MS);
            s.endStall();
        });
        m.put("b", s -> {
            s.cpuNs(400 * MS);
        });
        run(m);
        assertThat(us(PsiResource.IO, false)).isEqualTo(1_250_000);
        // b runs for the first 400 ms of a's wait
        assertThat(us(PsiResource.IO, true)).isEqualTo(850_000);
        assertThat(us(PsiResource.MEMORY, false)).isEqualTo(250_000);
        assertThat(us(PsiResource.MEMORY, true)).isEqualTo(250_000);
    }

    @Test
    void onTwoCpusEachCpuIsWeightedByItsNonIdleTime() {
        boot(2);
        Map<String, Consumer<Sim>> m = new HashMap<>();
        // a runs on CPU 0 for 1 s, then is throttled asleep there for 1 s; b runs on CPU 1 for 2 s
        m.put("a", s -> {
            s.cpuNs(S);
            s.beginStall(StallKind.MEMCG_THROTTLE);
            s.sleepFor(S);
            s.endStall();
        });
        m.put("b", s -> {
            s.cpuNs(S);
            s.cpuNs(S);
        });
        run(m);
        // CPU 0: non-idle 2 s, stalled (some and full) 1 s; CPU 1: non-idle 2 s, never stalled
        assertThat(us(PsiResource.MEMORY, false)).isEqualTo(500_000);
        assertThat(us(PsiResource.MEMORY, true)).isEqualTo(500_000);
    }

    @Test
    void aHalfStallForSixtySecondsConvergesAsTheKernelsAverages() {
        boot(1);
        run(Map.of("a", s -> {
            for (int i = 0; i < 30; i++) {
                s.cpuNs(S);
                s.beginStall(StallKind.MEMCG_THROTTLE);
                s.sleepFor(S);
                s.endStall();
            }
        }));
        assertThat(sim.elapsedNs()).isEqualTo(60 * S);
        assertThat(us(PsiResource.MEMORY, false)).isEqualTo(30_000_000);
        for (int w = 0; w < 3; w++) {
            double window = PsiGroup.WINDOWS_S.get(w);
            double ideal = 50 * (1 - Math.pow(Math.exp(-2 / window), 30));
            double got = psi.system().avgHundredths(PsiResource.MEMORY, false, w) / 100.0;
            assertThat(got).as("avg%d", (int) window).isCloseTo(ideal, within(0.3));
        }
        assertThat(psi.system().avgHundredths(PsiResource.MEMORY, false, 0)).isBetween(4950L, 5000L);
        // the kernel's integer recurrence, 30 periods of 50 %: avg = (avg * e + 50 % * (2048 - e)) / 2048, rounded up while rising
        long[] e = {1677, 1981, 2034};
        for (int w = 0; w < 3; w++) {
            long avg = 0;
            long active = 50L << 11;
            for (int p = 0; p < 30; p++) {
                avg = (avg * e[w] + active * (2048 - e[w]) + (active >= avg ? 2047 : 0)) >> 11;
            }
            assertThat(psi.system().avgFixed(PsiResource.MEMORY, false, w)).as("window %d", w).isEqualTo(avg);
        }
    }

    @Test
    void averagesDecayOnlyOnPeriodBoundariesAndTotalsSeeTheOpenPeriod() {
        boot(1);
        List<long[]> seen = new ArrayList<>();
        sim.spawn("a", 1);
        sim.spawn("watch", 2);
        for (SimTask t; (t = sim.next()) != null; ) {
            if (t.name().equals("a")) {
                s3(sim);
                sim.exit();
            } else {
                seen.add(new long[] {sim.now(), psi.system().totalUs(PsiResource.MEMORY, false),
                    psi.system().avgHundredths(PsiResource.MEMORY, false, 0)});
                sim.sleepFor(S);
                if (t.steps() == 5) {
                    sim.exit();
                }
            }
            sim.endStep();
        }
        // a is stalled on [0, 3 s); the watcher reads at the start of its steps, at 0, 1, ..., 5 s
        assertThat(seen).extracting(r -> r[0]).containsExactly(0L, S, 2 * S, 3 * S, 4 * S, 5 * S);
        assertThat(seen).extracting(r -> r[1]).containsExactly(0L, 1_000_000L, 2_000_000L, 3_000_000L, 3_000_000L, 3_000_000L);
        double decay = Math.exp(-2 / 10.0);
        double afterFirst = 100 * (1 - decay);
        double afterSecond = afterFirst * decay + 50 * (1 - decay);
        assertThat(seen.get(0)[2]).isZero();
        assertThat(seen.get(1)[2]).isZero();
        assertThat(seen.get(2)[2]).isEqualTo(seen.get(3)[2]);
        assertThat(seen.get(2)[2] / 100.0).isCloseTo(afterFirst, within(0.05));
        assertThat(seen.get(4)[2]).isEqualTo(seen.get(5)[2]);
        assertThat(seen.get(4)[2] / 100.0).isCloseTo(afterSecond, within(0.05));
    }

    private static void s3(Sim s) {
        s.beginStall(StallKind.MEMCG_THROTTLE);
        s.sleepFor(3 * S);
        s.endStall();
    }

    @Test
    void aTaskMovedOutOfAGroupStopsCountingThere() {
        boot(1);
        PsiGroup g = psi.createGroup("/job");
        List<PsiGroup> in = List.of(g);
        boolean[] member = {true};
        psi.setGroupsOf(t -> t.name().equals("a") && member[0] ? in : List.of());
        run(Map.of("a", s -> {
            s.beginStall(StallKind.MEMCG_THROTTLE);
            s.sleepFor(S);
            s.endStall();
            member[0] = false;
            psi.moveTask(s.current(), s.now());
            s.beginStall(StallKind.MEMCG_THROTTLE);
            s.sleepFor(S);
            s.endStall();
        }));
        assertThat(g.totalUs(PsiResource.MEMORY, false)).isEqualTo(1_000_000);
        assertThat(psi.system().totalUs(PsiResource.MEMORY, false)).isEqualTo(2_000_000);
    }
}
