package org.pagelab.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.pagelab.machine.Machine;
import org.pagelab.phys.PhysConfig;

class ScenarioTest {
    /** The error parsing {@code yaml} as s.yaml gives; fails the test when there is none. */
    static ScenarioException error(String yaml) {
        try {
            Scenario.parse("s.yaml", yaml);
        } catch (ScenarioException e) {
            return e;
        }
        throw new AssertionError("no error for:\n" + yaml);
    }

    @Test
    void badSizeNamesFileLineAndValue() {
        ScenarioException e = error("""
                machine: { memory: 64M }
                processes:
                  - name: a
                    steps:
                      - mmap: { name: buf, size: 1M, prot: rw }
                      - mmap: { name: big, size: 12Q, prot: rw }
                """);
        assertThat(e.getMessage()).startsWith("s.yaml:6: bad size").contains("'12Q'");
    }

    @Test
    void badMachineMemoryNamesItsLine() {
        assertThat(error("machine:\n  memory: lots\nprocesses: []\n").getMessage())
                .startsWith("s.yaml:2: bad memory").contains("'lots'");
    }

    @Test
    void badReclaimAndTimeKeysNameTheirLineAndValue() {
        assertThat(error("machine:\n  swap: 4K\nprocesses: []\n").getMessage()).startsWith("s.yaml:2: bad machine.swap '4K'");
        assertThat(error("machine:\n  swappiness: 300\nprocesses: []\n").getMessage())
                .startsWith("s.yaml:2: bad swappiness '300'");
        assertThat(error("machine:\n  workingset: maybe\nprocesses: []\n").getMessage())
                .startsWith("s.yaml:2: bad workingset 'maybe'");
        assertThat(error("machine:\n  cpus: 0\nprocesses: []\n").getMessage()).startsWith("s.yaml:2: bad cpus '0'");
        assertThat(error("machine:\n  fs_device: \"latency=2qs\"\nprocesses: []\n").getMessage())
                .startsWith("s.yaml:2: bad fs_device 'latency=2qs'").contains("unknown unit");
        assertThat(error("processes:\n  - name: a\n    oom_score_adj: -2000\n").getMessage())
                .startsWith("s.yaml:3: bad oom_score_adj '-2000'");
        assertThat(error("processes:\n  - name: a\n    steps:\n      - sleep: { time: soon }\n").getMessage())
                .startsWith("s.yaml:4: bad time 'soon'");
        assertThat(error("processes:\n  - name: a\n    steps:\n      - mmap: { name: b, size: 4K, prot: rw }\n"
                + "      - madvise: { region: b, advice: forget }\n").getMessage())
                .startsWith("s.yaml:5: bad advice 'forget'");
    }

    @Test
    void badHugepageAndTmpfsKeysNameTheirLineAndValue() {
        assertThat(error("machine:\n  transparent_hugepage: sometimes\nprocesses: []\n").getMessage())
                .isEqualTo("s.yaml:2: bad transparent_hugepage 'sometimes': expected always, madvise or never");
        assertThat(error("machine:\n  transparent_hugepage_sizes:\n    64kB: sometimes\nprocesses: []\n").getMessage())
                .isEqualTo("s.yaml:3: transparent_hugepage_sizes 64kB: bad hugepages-<size>kB/enabled 'sometimes':"
                        + " expected always, inherit, madvise or never");
        assertThat(error("machine:\n  transparent_hugepage_sizes: { 8kB: always }\nprocesses: []\n").getMessage())
                .startsWith("s.yaml:2:").contains("8kB");
        assertThat(error("machine:\n  large_folios: maybe\nprocesses: []\n").getMessage())
                .isEqualTo("s.yaml:2: bad large_folios 'maybe': expected on or off");
        assertThat(error("machine:\n  transparent_hugepage_use_zero_page: yes\nprocesses: []\n").getMessage())
                .isEqualTo("s.yaml:2: bad transparent_hugepage_use_zero_page 'yes': expected 0 or 1");
        assertThat(error("machine:\n  khugepaged:\n    max_ptes_none: 600\nprocesses: []\n").getMessage())
                .isEqualTo("s.yaml:3: bad khugepaged/max_ptes_none 600: expected 0..511");
        assertThat(error("machine:\n  tmpfs: [ scratch, /run ]\nprocesses: []\n").getMessage())
                .startsWith("s.yaml:2: bad tmpfs mount point").contains("'/run'");
        assertThat(error("machine:\n  tmpfs:\n    - ok\n    - ../up\nprocesses: []\n").getMessage())
                .startsWith("s.yaml:4: bad tmpfs mount point").contains("'../up'");
    }

    @Test
    void unknownRegionNamesTheRegion() {
        ScenarioException e = error("""
                processes:
                  - name: a
                    steps:
                      - mmap: { name: buf, size: 1M, prot: rw }
                      - write: { region: bfu, length: 4K, fill: 1 }
                """);
        assertThat(e.getMessage()).startsWith("s.yaml:5: unknown region 'bfu'");
    }

    @Test
    void childSeesOnlyRegionsMappedBeforeTheFork() {
        ScenarioException e = error("""
                processes:
                  - name: a
                    steps:
                      - fork:
                          name: c
                          steps:
                            - munmap: { region: late }
                      - mmap: { name: late, size: 4K, prot: rw }
                """);
        assertThat(e.getMessage()).startsWith("s.yaml:7: unknown region 'late'");
    }

    @Test
    void unknownKeyMissingFieldBadProtAndUnknownStep() {
        assertThat(error("processes:\n  - name: a\n    stepz: []\n").getMessage())
                .startsWith("s.yaml:3: unknown key 'stepz' in process");
        assertThat(error("processes:\n  - name: a\n    steps:\n      - mmap: { name: b, prot: rw }\n").getMessage())
                .startsWith("s.yaml:4: mmap step is missing 'size'");
        assertThat(error("processes:\n  - name: a\n    steps:\n      - mmap: { name: b, size: 4K, prot: rz }\n")
                .getMessage()).startsWith("s.yaml:4: bad prot 'rz'");
        assertThat(error("processes:\n  - name: a\n    steps:\n      - jump: {}\n").getMessage())
                .startsWith("s.yaml:4: unknown step 'jump'");
        assertThat(error("processes:\n  - name: a\n    steps:\n      - fsync: { file: nope }\n").getMessage())
                .startsWith("s.yaml:4: unknown file 'nope'");
        assertThat(error("processes: [ {name: a ]\n").getMessage()).startsWith("s.yaml:1: invalid YAML");
    }

    @Test
    void expectNeedsDataMode() {
        assertThat(error("""
                machine: { mode: metadata }
                processes:
                  - name: a
                    steps:
                      - mmap: { name: b, size: 4K, prot: rw }
                      - expect: { region: b, length: 4K, equals: 0 }
                """).getMessage()).isEqualTo("s.yaml:6: expect needs data mode (machine mode is metadata)");
    }

    @Test
    void expectOnAMetadataMachineFailsAtRunStart() {
        Scenario s = Scenario.parse("s.yaml", """
                processes:
                  - name: a
                    steps:
                      - mmap: { name: b, size: 4K, prot: rw }
                      - expect: { region: b, length: 4K, equals: 0 }
                """);
        try (Machine m = Machine.boot(new PhysConfig(64L << 20, 0, false, 0, 10))) {
            assertThatThrownBy(() -> ScenarioRunner.run(m, s, 1)).isInstanceOf(ScenarioException.class)
                    .hasMessage("s.yaml:5: expect needs data mode (machine mode is metadata)");
        }
    }
}
