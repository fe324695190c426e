package org.pagelab.psi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pagelab.machine.Machine;
import org.pagelab.phys.PhysConfig;
import org.pagelab.proc.ProcFs;
import org.pagelab.scenario.Scenario;
import org.pagelab.scenario.ScenarioRunner;
import org.pagelab.sim.SimConfig;

/** PSI of a real machine run: two processes whose anonymous memory exceeds RAM, with swap. */
class PsiMachineTest {
    private static final String SWAPPING = """
            machine: { memory: 16M, mode: metadata, seed: 1, swap: 64M }
            processes:
              - name: a
                steps:
                  - mmap: { name: heap, size: 12M, prot: rw }
                  - write: { region: heap, offset: 0, length: 12M, fill: 0x11 }
                  - touch: { region: heap, length: 12M, pattern: random, count: 3000 }
                  - touch: { region: heap, length: 12M, pattern: random, count: 3000 }
              - name: b
                steps:
                  - mmap: { name: heap, size: 12M, prot: rw }
                  - write: { region: heap, offset: 0, length: 12M, fill: 0x22 }
                  - touch: { region: heap, length: 12M, pattern: random, count: 3000 }
                  - touch: { region: heap, length: 12M, pattern: random, count: 3000 }
            """;

    private record Outcome(String memory, String io, List<long[]> samples) { }

    private static Outcome run(int cpus) {
        Scenario s = Scenario.parse("swapping.yaml", SWAPPING);
        SimConfig sim = SimConfig.DEFAULT.withCpus(cpus).recording();
        try (Machine m = Machine.boot(new PhysConfig(16L << 20, 0, false, 0, 10), null, sim)) {
            List<long[]> samples = new ArrayList<>();
            PsiGroup g = m.psi().system();
            m.addStepListener(() -> samples.add(new long[] {g.totalNs(PsiResource.MEMORY, false),
                g.totalNs(PsiResource.MEMORY, true), g.totalNs(PsiResource.IO, false), g.totalNs(PsiResource.IO, true)}));
            assertThat(ScenarioRunner.run(m, s, 1)).isNull();
            m.check();
            ProcFs proc = new ProcFs(m);
            assertThat(m.psi().lateChanges()).isZero();
            return new Outcome(proc.read("/proc/pressure/memory"), proc.read("/proc/pressure/io"), samples);
        }
    }

    @ParameterizedTest(name = "{0} CPUs")
    @ValueSource(ints = {1, 2})
    void swappingShowsMemoryPressureWithFullAtMostSomeAndTotalsThatOnlyGrow(int cpus) {
        Outcome o = run(cpus);
        long[] prev = new long[4];
        for (long[] x : o.samples()) {
            assertThat(x[1]).isLessThanOrEqualTo(x[0]);
            assertThat(x[3]).isLessThanOrEqualTo(x[2]);
            for (int i = 0; i < 4; i++) {
                assertThat(x[i]).isGreaterThanOrEqualTo(prev[i]);
            }
            prev = x;
        }
        assertThat(prev[0]).as("memory some").isPositive();
        assertThat(prev[2]).as("io some").isPositive();
        assertThat(o.memory()).matches("some avg10=\\d+\\.\\d\\d avg60=\\d+\\.\\d\\d avg300=\\d+\\.\\d\\d total=[1-9]\\d*\n"
                + "full avg10=\\d+\\.\\d\\d avg60=\\d+\\.\\d\\d avg300=\\d+\\.\\d\\d total=\\d+\n");
    }

    @ParameterizedTest(name = "{0} CPUs")
    @ValueSource(ints = {1, 2})
    void theSameRunGivesTheSamePressureFiles(int cpus) {
        Outcome a = run(cpus);
        Outcome b = run(cpus);
        assertThat(b.memory()).isEqualTo(a.memory());
        assertThat(b.io()).isEqualTo(a.io());
    }
}
