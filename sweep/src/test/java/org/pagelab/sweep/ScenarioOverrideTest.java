package org.pagelab.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pagelab.memcg.MemoryCgroups;
import org.pagelab.scenario.Scenario;

/** A point's settings written into a scenario read back as the scenario format means them; the rest stays. */
class ScenarioOverrideTest {
    private static final String BASE = """
            # a comment
            cgroups:
              - { path: /a, high: 8M }
              - { path: /b }
            files:
              - { name: f, size: 1M }
            processes:
              - name: p
                cgroup: /a
                steps:
                  - file_read: { file: f, length: 1M }
            """;

    @Test
    void settingsLandInTheMachineSectionAndTheCgroupsEntries() {
        String text = ScenarioOverride.apply("x.yaml", BASE, Map.of("memory", "64M", "swap", "0", "workingset", "off",
                "swappiness", "0"), Map.of("/a", Map.of("max", "max"), "/b", Map.of("swap_max", "4M")));
        Scenario s = Scenario.parse("x.yaml", text);
        assertThat(s.memory()).isEqualTo(64L << 20);
        assertThat(s.swap()).isEmpty();
        assertThat(s.workingset()).isFalse();
        assertThat(s.swappiness()).isZero();
        assertThat(s.cgroups().get(0).limits()).containsExactly(Map.entry("max", MemoryCgroups.UNLIMITED),
                Map.entry("high", 2048L));
        assertThat(s.cgroups().get(1).limits()).containsExactly(Map.entry("swap_max", 1024L));
        assertThat(s.files()).hasSize(1);
        assertThat(s.processes().getFirst().cgroup()).isEqualTo("/a");
    }

    @Test
    void aSettingReplacesTheScenariosOwnValue() {
        String text = ScenarioOverride.apply("x.yaml", "machine: { memory: 32M, swappiness: 100, mode: metadata }\n"
                + BASE.replace("# a comment\n", ""), Map.of("swappiness", "10"), Map.of());
        Scenario s = Scenario.parse("x.yaml", text);
        assertThat(s.swappiness()).isEqualTo(10);
        assertThat(s.memory()).isEqualTo(32L << 20);
        assertThat(s.dataMode()).isFalse();
        assertThat(ScenarioOverride.apply("x.yaml", BASE, Map.of(), Map.of())).as("nothing to set").isSameAs(BASE);
    }

    @Test
    void perSizeThpSettingsMergeIntoTheScenariosOwnSizes() {
        String own = "machine: { transparent_hugepage_sizes: { 16kB: always, 64kB: madvise } }\n" + BASE.replace("# a comment\n", "");
        String text = ScenarioOverride.apply("x.yaml", own, Map.of("transparent_hugepage", "never"),
                Map.of("transparent_hugepage_sizes", Map.of("64kB", "always")), Map.of());
        Scenario s = Scenario.parse("x.yaml", text);
        assertThat(s.transparentHugepage()).isEqualTo(org.pagelab.memory.TransparentHugepage.NEVER);
        assertThat(s.hugepages().sizes()).as("16kB kept, 64kB replaced").containsExactly(
                Map.entry(16, org.pagelab.memory.MthpEnabled.ALWAYS), Map.entry(64, org.pagelab.memory.MthpEnabled.ALWAYS));
        Scenario made = Scenario.parse("x.yaml", ScenarioOverride.apply("x.yaml", BASE, Map.of(),
                Map.of("transparent_hugepage_sizes", Map.of("2048kB", "never")), Map.of()));
        assertThat(made.hugepages().sizes()).as("a scenario without the key gets it")
                .containsExactly(Map.entry(2048, org.pagelab.memory.MthpEnabled.NEVER));
        assertThat(made.transparentHugepage()).isNull();
    }
}
