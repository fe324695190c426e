package org.pagelab.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.pagelab.testing.SeedSource;
import org.pagelab.testing.Seeds;

/**
 * Random workloads of processes and kswapd (CPU charges, blocking and asynchronous I/O on several
 * devices, nested stalls, wakeups, forks and kills) with the invariants checked after every step,
 * and each workload run twice to show the schedule is a function of the seed. Seeds: {@link Seeds}.
 */
class SimRandomizedTest {

    @ParameterizedTest(name = "seed {0}")
    @SeedSource(first = 0x5EED_0000L + 7919L, step = 7919L, count = 40)
    void invariantsHoldAfterEveryStepAndRunsRepeat(long seed) {
        List<String> first = run(seed);
        List<String> second = run(seed);
        assertThat(second).as("schedule of seed %d", seed).isEqualTo(first);
    }

    /** Runs the workload of {@code seed}; returns the schedule and the final report as text. */
    private static List<String> run(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Sim sim = new Sim(1 + rnd.nextInt(4), rnd.nextBoolean() ? CostModel.DEFAULT : CostModel.uniform(rnd.nextInt(1, 500)), true);
        List<SimDevice> devs = new ArrayList<>();
        int nDevs = 1 + rnd.nextInt(3);
        for (int i = 0; i < nDevs; i++) {
            devs.add(sim.device("dev" + i, rnd.nextBoolean() ? DeviceModel.NVME_SSD
                    : DeviceModel.nvme("latency=" + rnd.nextInt(1, 2000) + "us,bw=" + rnd.nextInt(1, 5000) + "M")));
        }
        SimTask kswapd = sim.spawnKthread("kswapd0");
        int procs = 1 + rnd.nextInt(6);
        int nextPid = 100;
        for (int i = 0; i < procs; i++) {
            sim.spawn("p" + i, nextPid++);
        }
        List<String> schedule = new ArrayList<>();
        List<Long> pendingIo = new ArrayList<>();
        CpuEvent[] events = CpuEvent.values();
        int steps = 0;
        for (SimTask t; (t = sim.next()) != null; ) {
            schedule.add(t.label() + "@" + sim.now());
            int ops = rnd.nextInt(1, 8);
            int depth = 0;
            for (int k = 0; k < ops; k++) {
                switch (rnd.nextInt(10)) {
                    case 0, 1, 2 -> sim.cpu(events[rnd.nextInt(events.length)], rnd.nextInt(0, 64));
                    case 3 -> sim.io(devs.get(rnd.nextInt(devs.size())), 4096L * rnd.nextInt(0, 64), rnd.nextBoolean());
                    case 4 -> pendingIo.add(sim.submitIo(devs.get(rnd.nextInt(devs.size())), 4096L * rnd.nextInt(1, 32), rnd.nextBoolean()));
                    case 5 -> {
                        if (!pendingIo.isEmpty()) {
                            sim.waitUntil(pendingIo.remove(rnd.nextInt(pendingIo.size())));
                        }
                    }
                    case 6 -> {
                        StallKind[] mem = {StallKind.DIRECT_RECLAIM, StallKind.MEMCG_THROTTLE, StallKind.REFAULT, StallKind.KSWAPD_RECLAIM};
                        sim.beginStall(mem[rnd.nextInt(mem.length)]);
                        depth++;
                    }
                    case 7 -> {
                        if (depth > 0) {
                            sim.endStall();
                            depth--;
                        }
                    }
                    case 8 -> sim.wake(kswapd);
                    default -> {
                        if (!t.kthread() && rnd.nextInt(8) == 0 && sim.tasks().size() < 20) {
                            sim.spawn("child", nextPid++);
                        }
                    }
                }
                sim.check();
            }
            while (depth-- > 0) {
                sim.endStall();
            }
            if (t == kswapd) {
                sim.sleep();
            } else if (steps > 400 || rnd.nextInt(12) == 0) {
                sim.exit();
            } else if (rnd.nextInt(40) == 0) {
                SimTask self = t;
                List<SimTask> others = sim.tasks().stream().filter(o -> o != self && !o.kthread()
                        && o.state() != SimTask.State.EXITED).toList();
                if (!others.isEmpty()) {
                    sim.exit(others.get(rnd.nextInt(others.size())));
                }
            }
            sim.endStep();
            sim.check();
            steps++;
        }
        long elapsed = sim.elapsedNs();
        for (SimTask t : sim.tasks()) {
            assertThat(t.clockNs()).isLessThanOrEqualTo(elapsed);
            assertThat(t.cpuNs() + t.runDelayNs() + t.ioWaitNs()).isLessThanOrEqualTo(elapsed);
        }
        long busy = sim.tasks().stream().mapToLong(SimTask::cpuNs).sum();
        assertThat(busy).as("CPU time fits in elapsed x CPUs").isLessThanOrEqualTo(elapsed * sim.nrCpus());
        schedule.add(sim.report().toString());
        return schedule;
    }
}
