package org.pagelab.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SimSchedulerTest {
    private static final long MS = 1_000_000;
    private Sim sim;

    @AfterEach
    void invariantsHold() {
        if (sim != null) {
            sim.check();
        }
    }

    private static List<String> runEqualSteps(Sim sim, int steps, long ns) {
        List<String> order = new ArrayList<>();
        for (SimTask t; (t = sim.next()) != null; ) {
            order.add(t.name());
            sim.cpuNs(ns);
            if (t.steps() == steps - 1) {
                sim.exit();
            }
            sim.endStep();
        }
        return order;
    }

    @Test
    void equalCostsOnOneCpuDegenerateToRoundRobin() {
        sim = new Sim(1, CostModel.DEFAULT, true);
        sim.spawn("a", 1);
        sim.spawn("b", 2);
        sim.spawn("c", 3);
        assertThat(runEqualSteps(sim, 3, 100)).containsExactly("a", "b", "c", "a", "b", "c", "a", "b", "c");
        assertThat(sim.elapsedNs()).isEqualTo(900);
        assertThat(sim.tasks()).extracting(SimTask::cpuNs).containsOnly(300L);
    }

    @Test
    void zeroCostStepsAlsoGoRoundRobinWithForkedChildrenBehindTheQueue() {
        sim = new Sim(1, CostModel.uniform(0), true);
        sim.spawn("a", 1);
        sim.spawn("b", 2);
        List<String> order = new ArrayList<>();
        for (SimTask t; (t = sim.next()) != null; ) {
            order.add(t.name());
            sim.cpu(CpuEvent.FAULT, 3);
            if (t.name().equals("a") && t.steps() == 0) {
                sim.spawn("c", 3);
            }
            if (t.steps() == 1) {
                sim.exit();
            }
            sim.endStep();
        }
        assertThat(order).containsExactly("a", "b", "c", "a", "b", "c");
        assertThat(sim.elapsedNs()).isZero();
    }

    @Test
    void sameInputsGiveTheSameScheduleAndReport() {
        List<List<String>> orders = new ArrayList<>();
        List<SimReport> reports = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            Sim s = new Sim(2, CostModel.DEFAULT, true);
            SimDevice d = s.device("nvme0", DeviceModel.NVME_SSD);
            for (int i = 0; i < 4; i++) {
                s.spawn("p" + i, 100 + i);
            }
            List<String> order = new ArrayList<>();
            for (SimTask t; (t = s.next()) != null; ) {
                order.add(t.name() + "@" + s.now());
                s.cpu(CpuEvent.FAULT, 1 + t.id());
                if (t.steps() % 2 == 0) {
                    s.io(d, 4096L * (t.id() + 1), t.id() % 2 == 0);
                }
                if (t.steps() == 5) {
                    s.exit();
                }
                s.endStep();
            }
            s.check();
            orders.add(order);
            reports.add(s.report());
        }
        assertThat(orders.get(1)).isEqualTo(orders.get(0));
        assertThat(reports.get(1)).isEqualTo(reports.get(0));
    }

    @Test
    void twoTasksWaitingForIoOverlapOnOneCpu() {
        sim = new Sim(1, CostModel.DEFAULT, true);
        SimDevice slow = sim.device("disk", DeviceModel.nvme("latency=1ms,bw=1G"));
        sim.spawn("a", 1);
        sim.spawn("b", 2);
        for (SimTask t; (t = sim.next()) != null; ) {
            sim.cpuNs(10_000);
            sim.io(slow, 4096, false);
            sim.exit();
            sim.endStep();
        }
        // CPU 10 µs each, serialized; the 1 ms reads overlap; each transfer ~4.1 µs
        assertThat(sim.elapsedNs()).isBetween(1 * MS + 20_000, 1 * MS + 30_000);
        assertThat(sim.tasks()).extracting(SimTask::ioWaitNs).allMatch(w -> w >= 1 * MS && w < 1 * MS + 10_000);
    }

    @Test
    void requestsShareTheDeviceBandwidth() {
        sim = new Sim(2, CostModel.DEFAULT, true);
        SimDevice d = sim.device("disk", DeviceModel.nvme("latency=0ns,bw=1G"));
        sim.spawn("a", 1);
        sim.spawn("b", 2);
        for (SimTask t; (t = sim.next()) != null; ) {
            sim.io(d, 1_000_000, true); // 1 ms each at 1 GB/s
            sim.exit();
            sim.endStep();
        }
        assertThat(sim.elapsedNs()).isEqualTo(2 * MS);
        assertThat(d.requests()).isEqualTo(2);
        assertThat(d.bytes()).isEqualTo(2_000_000);
    }

    private static long cpuBound(int cpus) {
        Sim s = new Sim(cpus, CostModel.DEFAULT, true);
        s.spawn("a", 1);
        s.spawn("b", 2);
        runEqualSteps(s, 10, MS);
        s.check();
        return s.elapsedNs();
    }

    @Test
    void twoCpuBoundTasksTakeTwiceAsLongOnOneCpuAsOnTwo() {
        assertThat(cpuBound(1)).isEqualTo(20 * MS);
        assertThat(cpuBound(2)).isEqualTo(10 * MS);
    }

    @Test
    void runDelayIsTheTimeRunnableWithoutACpu() {
        sim = new Sim(1, CostModel.DEFAULT, true);
        SimTask a = sim.spawn("a", 1);
        SimTask b = sim.spawn("b", 2);
        runEqualSteps(sim, 1, 500);
        assertThat(a.runDelayNs()).isZero();
        assertThat(b.runDelayNs()).isEqualTo(500);
        assertThat(sim.report().tasks()).extracting(SimReport.TaskReport::runDelayNs).containsExactly(0L, 500L);
    }

    @Test
    void kswapdRunsWhenWokenAtTheWakersTimeAndSleepsAfterwards() {
        sim = new Sim(1, CostModel.DEFAULT, true);
        SimTask kswapd = sim.spawnKthread("kswapd0");
        SimTask a = sim.spawn("a", 1);
        List<String> order = new ArrayList<>();
        for (SimTask t; (t = sim.next()) != null; ) {
            order.add(t.label() + "@" + sim.now());
            if (t == kswapd) {
                sim.beginStall(StallKind.KSWAPD_RECLAIM);
                sim.cpu(CpuEvent.RECLAIM_SCAN, 10);
                sim.endStall();
                sim.sleep();
            } else {
                sim.cpuNs(100);
                if (t.steps() == 0) {
                    sim.wake(kswapd);
                }
                sim.cpuNs(100);
                if (t.steps() == 2) {
                    sim.exit();
                }
            }
            sim.endStep();
        }
        // kswapd is ready at 100, before a's next step (200), but the CPU is a's until 200;
        // a's second step is ready at 200 and waits for kswapd's 3000 ns on the one CPU
        assertThat(order).containsExactly("1@0", "kswapd0@100", "1@200", "1@3400");
        assertThat(kswapd.runDelayNs()).isEqualTo(100);
        assertThat(a.runDelayNs()).isEqualTo(3000);
        assertThat(kswapd.stallNs(StallKind.KSWAPD_RECLAIM)).isEqualTo(3100);
        assertThat(kswapd.state()).isEqualTo(SimTask.State.SLEEPING);
        assertThat(a.state()).isEqualTo(SimTask.State.EXITED);
        assertThat(sim.elapsedNs()).isEqualTo(3600);
    }

    @Test
    void kswapdOnASecondCpuRunsBesideTheWaker() {
        sim = new Sim(2, CostModel.DEFAULT, true);
        SimTask kswapd = sim.spawnKthread("kswapd0");
        sim.spawn("a", 1);
        List<String> order = new ArrayList<>();
        for (SimTask t; (t = sim.next()) != null; ) {
            order.add(t.label() + "@" + sim.now());
            if (t == kswapd) {
                sim.cpuNs(1000);
                sim.sleep();
            } else {
                sim.cpuNs(100);
                sim.wake(kswapd);
                sim.cpuNs(100);
                if (t.steps() == 1) {
                    sim.exit();
                }
            }
            sim.endStep();
        }
        assertThat(order).containsExactly("1@0", "kswapd0@100", "1@200");
        assertThat(kswapd.runDelayNs()).isZero();
        assertThat(kswapd.clockNs()).isEqualTo(1100);
        assertThat(sim.elapsedNs()).isEqualTo(1100);
    }

    @Test
    void aWakeupDuringItsOwnStepKeepsAKernelThreadRunnable() {
        sim = new Sim(1, CostModel.DEFAULT, true);
        SimTask k = sim.spawnKthread("kswapd0");
        sim.spawn("a", 1);
        sim.next();
        sim.wake(k);
        sim.cpuNs(10);
        sim.endStep();
        assertThat(sim.next()).isSameAs(k);
        sim.wake(k);
        sim.sleep();
        sim.endStep();
        assertThat(k.state()).isEqualTo(SimTask.State.RUNNABLE);
    }

    @Test
    void nestedStallsCountOnceWithTheOuterKindAndIncludeCpuAndIo() {
        sim = new Sim(1, CostModel.DEFAULT.with(CpuEvent.RECLAIM_SCAN, 1000), true);
        SimDevice d = sim.device("swap", DeviceModel.nvme("latency=10us,bw=1T"));
        List<Stall> seen = new ArrayList<>();
        sim.setStallSink((t, s) -> seen.add(s));
        SimTask a = sim.spawn("a", 1);
        sim.next();
        sim.cpuNs(500);
        sim.beginStall(StallKind.DIRECT_RECLAIM);
        sim.cpu(CpuEvent.RECLAIM_SCAN, 3);
        sim.beginStall(StallKind.REFAULT);
        long waited = sim.io(d, 4096, true);
        sim.endStall();
        sim.endStall();
        sim.cpuNs(500);
        sim.endStep();
        assertThat(waited).isEqualTo(10_005);
        assertThat(a.stallNs(StallKind.DIRECT_RECLAIM)).isEqualTo(3000 + 10_005);
        assertThat(a.stallNs(StallKind.REFAULT)).isZero();
        assertThat(a.ioWaitNs()).isEqualTo(10_005);
        assertThat(a.cpuNs()).isEqualTo(4000);
        assertThat(a.stalls()).containsExactly(new Stall(StallKind.IO_WAIT, 3500, 13_505),
                new Stall(StallKind.DIRECT_RECLAIM, 500, 13_505));
        assertThat(seen).isEqualTo(a.stalls());
        assertThat(sim.report().tasks().getFirst().reclaimStallNs()).isEqualTo(13_005);
    }

    @Test
    void unbalancedStallsAreRejected() {
        sim = new Sim(1, CostModel.DEFAULT);
        sim.spawn("a", 1);
        sim.next();
        assertThatThrownBy(sim::endStall).isInstanceOf(IllegalStateException.class).hasMessageContaining("not in a stall");
        assertThatThrownBy(() -> sim.beginStall(StallKind.IO_WAIT)).isInstanceOf(IllegalArgumentException.class);
        sim.beginStall(StallKind.MEMCG_THROTTLE);
        assertThatThrownBy(sim::endStep).isInstanceOf(IllegalStateException.class).hasMessageContaining("MEMCG_THROTTLE");
        sim.endStall();
        sim.endStep();
    }

    @Test
    void workOutsideAStepCostsNothing() {
        sim = new Sim(1, CostModel.DEFAULT, true);
        SimDevice d = sim.device("disk", DeviceModel.NVME_SSD);
        sim.cpu(CpuEvent.FAULT, 1000);
        assertThat(sim.io(d, 4096, false)).isZero();
        sim.beginStall(StallKind.DIRECT_RECLAIM);
        sim.endStall();
        assertThat(sim.waitUntil(1_000_000)).isZero();
        sim.spawn("a", 1);
        assertThat(runEqualSteps(sim, 1, 7)).containsExactly("a");
        assertThat(sim.elapsedNs()).isEqualTo(7);
    }

    @Test
    void aForkedChildStartsAtItsParentsTime() {
        sim = new Sim(2, CostModel.DEFAULT, true);
        sim.spawn("parent", 1);
        sim.next();
        sim.cpuNs(300);
        SimTask child = sim.spawn("child", 2);
        sim.cpuNs(300);
        sim.exit();
        sim.endStep();
        assertThat(sim.next()).isSameAs(child);
        assertThat(sim.now()).isEqualTo(300);
        sim.exit();
        sim.endStep();
        assertThat(sim.next()).isNull();
    }

    @Test
    void aKilledTaskFinishesAtTheKillersTime() {
        sim = new Sim(1, CostModel.DEFAULT, true);
        SimTask killer = sim.spawn("oom", 1);
        SimTask victim = sim.spawn("victim", 2);
        assertThat(sim.next()).isSameAs(killer);
        sim.cpuNs(50);
        sim.exit(victim);
        sim.exit();
        sim.endStep();
        assertThat(victim.state()).isEqualTo(SimTask.State.EXITED);
        assertThat(victim.clockNs()).isEqualTo(50);
        assertThat(sim.next()).isNull();
    }

    @Test
    void reportNamesProcessesByPidAndKernelThreadsByName() {
        sim = new Sim(1, CostModel.DEFAULT);
        sim.spawnKthread("kswapd0");
        sim.spawn("cat", 42);
        runEqualSteps(sim, 1, 1000);
        SimReport r = sim.report();
        assertThat(r.tasks()).extracting(SimReport.TaskReport::label).containsExactly("kswapd0", "42");
        assertThat(r.toText()).contains("elapsed 0.001 ms on 1 CPU").contains("kswapd0").contains("cat");
    }

    @Test
    void timelineFillsGapsAndSplitsWorkAroundBookings() {
        Timeline t = new Timeline();
        List<long[]> pieces = new ArrayList<>();
        t.book(100, 50, (s, e) -> { });
        t.book(200, 50, (s, e) -> { });
        assertThat(t.finish(0, 120)).isEqualTo(170);
        assertThat(t.book(0, 120, (s, e) -> pieces.add(new long[] {s, e}))).isEqualTo(170);
        assertThat(pieces).containsExactly(new long[] {0, 100}, new long[] {150, 170});
        assertThat(t.size()).isEqualTo(2);
        t.book(170, 30, (s, e) -> { });
        assertThat(t.size()).isEqualTo(1);
        t.check("t");
        t.prune(250);
        assertThat(t.size()).isZero();
    }
}
