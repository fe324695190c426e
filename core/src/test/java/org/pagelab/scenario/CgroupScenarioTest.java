package org.pagelab.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.pagelab.machine.Machine;
import org.pagelab.memcg.MemCgroup;
import org.pagelab.memcg.MemcgEvent;
import org.pagelab.phys.PhysConfig;
import org.pagelab.psi.PsiResource;

/** Memory cgroups in scenario files: the keys, their errors, and limits changed in the middle of a run. */
class CgroupScenarioTest {
    private static ScenarioException error(String yaml) {
        try {
            Scenario.parse("s.yaml", yaml);
        } catch (ScenarioException e) {
            return e;
        }
        throw new AssertionError("no error for:\n" + yaml);
    }

    @Test
    void badCgroupInputNamesFileLineAndValue() {
        assertThat(error("""
                cgroups:
                  - { path: web }
                processes: []
                """).getMessage()).contains("s.yaml:2").contains("'web'");
        assertThat(error("""
                cgroups:
                  - { path: /a/b }
                processes: []
                """).getMessage()).contains("s.yaml:2").contains("parent '/a'");
        assertThat(error("""
                cgroups:
                  - { path: /a, max: lots }
                processes: []
                """).getMessage()).contains("s.yaml:2").contains("lots");
        assertThat(error("""
                cgroups:
                  - { path: /a }
                processes:
                  - name: p
                    cgroup: /b
                """).getMessage()).contains("s.yaml:5").contains("unknown cgroup '/b'");
        assertThat(error("""
                cgroups:
                  - { path: /a }
                processes:
                  - name: p
                    steps:
                      - cgroup_set: { path: /a }
                """).getMessage()).contains("s.yaml:6").contains("sets nothing");
    }

    @Test
    void limitsChangedMidRunTakeEffectAndTheReportSeesThem() {
        Scenario s = Scenario.parse("s.yaml", """
                machine: { memory: 64M, mode: data, swap: 64M }
                cgroups:
                  - { path: /box, max: max, high: max }
                processes:
                  - name: p
                    cgroup: /box
                    steps:
                      - mmap: { name: a, size: 16M, prot: rw }
                      - write: { region: a, length: 16M, fill: 0x33 }
                      - cgroup_set: { path: /box, max: 4M }
                      - expect: { region: a, length: 16M, equals: 0x33 }
                      - cgroup_move: { path: / }
                      - write: { region: a, length: 16M, fill: 0x44 }
                      - expect: { region: a, length: 16M, equals: 0x44 }
                """);
        try (Machine m = Machine.boot(PhysConfig.of(64L << 20, true))) {
            assertThat(ScenarioRunner.run(m, s, 1)).isNull();
            m.check();
            MemCgroup box = m.memcg().byPath("/box");
            assertThat(box.peakPages()).as("before the limit came down").isGreaterThan(4096);
            assertThat(box.usagePages()).as("after: only what it brought in while it was the task's cgroup").isLessThanOrEqualTo(1024);
            assertThat(box.events(MemcgEvent.MAX)).isPositive();
            assertThat(m.memcg().psiGroup(box).totalUs(PsiResource.MEMORY, false))
                    .as("reclaiming at its limit is a memory stall of the cgroup")
                    .isPositive()
                    .isLessThanOrEqualTo(m.psi().system().totalUs(PsiResource.MEMORY, false));
        }
    }
}
