package org.pagelab.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pagelab.machine.Machine;
import org.pagelab.phys.PhysConfig;

/** The steps drop_caches, unlink, close, sync, mark and repeat: what each does and how each is checked. */
class FileAndMarkStepsTest {
    /** A finished run: its failure (null when none), its marks and the machine's counters at the end. */
    private record Run(ScenarioRunner.Failure failure, List<ScenarioRunner.Mark> marks,
                       java.util.Map<String, Long> vmstat, java.util.Map<String, Long> meminfo) {
        long delta(String from, String to, String counter) {
            return mark(to).counters().vmstat().get(counter) - mark(from).counters().vmstat().get(counter);
        }

        ScenarioRunner.Mark mark(String name) {
            return marks.stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow();
        }
    }

    private static Run run(boolean data, String yaml) {
        Scenario s = Scenario.parse("s.yaml", yaml);
        try (Machine m = Machine.boot(new PhysConfig(64L << 20, 0, data, 0, 10))) {
            List<ScenarioRunner.Mark> marks = new ArrayList<>();
            ScenarioRunner.Failure f = ScenarioRunner.run(m, s, 1, marks::add);
            m.check();
            return new Run(f, marks, new org.pagelab.proc.Vmstat(m).fields(), new org.pagelab.proc.Meminfo(m).fields());
        }
    }

    private static String error(String yaml) {
        return ScenarioTest.error(yaml).getMessage();
    }

    @Test
    void marksSnapshotEveryCounterInTimeOrder() {
        Run r = run(false, """
                cgroups:
                  - { path: /w, max: 32M }
                processes:
                  - name: p
                    cgroup: /w
                    steps:
                      - mark: start
                      - mmap: { name: a, size: 1M, prot: rw }
                      - write: { region: a, length: 1M, fill: 1 }
                      - mark: written
                """);
        assertThat(r.failure()).isNull();
        assertThat(r.marks()).extracting(ScenarioRunner.Mark::name).containsExactly("start", "written");
        assertThat(r.marks()).extracting(ScenarioRunner.Mark::process).containsOnly("p");
        assertThat(r.mark("written").timeNs()).isGreaterThan(r.mark("start").timeNs());
        assertThat(r.delta("start", "written", "pgfault")).isEqualTo(256);
        var stat = r.mark("written").counters().cgroups().get("/w").get("memory.stat");
        assertThat(stat.get("anon")).isEqualTo(1L << 20);
        assertThat(r.mark("written").counters().cgroups().get("/w")).containsOnlyKeys("memory.stat", "memory.events");
        assertThat(r.mark("written").counters().meminfo().get("AnonPages")).isEqualTo(1024);
    }

    @Test
    void repeatRunsItsStepsCountTimes() {
        Run r = run(false, """
                processes:
                  - name: p
                    steps:
                      - mmap: { name: a, size: 64K, prot: rw }
                      - mark: before
                      - repeat:
                          count: 3
                          steps:
                            - write: { region: a, length: 64K, fill: 1 }
                            - madvise: { region: a, advice: dontneed }
                            - repeat: { count: 2, steps: [ { mark: inner } ] }
                      - repeat: { count: 0, steps: [ { write: { region: a, length: 64K, fill: 1 } } ] }
                      - mark: after
                """);
        assertThat(r.failure()).isNull();
        assertThat(r.delta("before", "after", "pgfault")).isEqualTo(3 * 16);
        assertThat(r.marks()).extracting(ScenarioRunner.Mark::name)
                .containsExactly("before", "inner", "inner", "inner", "inner", "inner", "inner", "after");
    }

    @Test
    void aFailureInsideRepeatNamesTheTopLevelStepAndTheLine() {
        Run r = run(false, """
                processes:
                  - name: p
                    steps:
                      - mmap: { name: a, size: 64K, prot: rw }
                      - repeat:
                          count: 2
                          steps:
                            - munmap: { region: a }
                """);
        assertThat(r.failure()).isNotNull();
        assertThat(r.failure().toString()).isEqualTo("process p step 2 (munmap): at line 8: region 'a' is not mapped");
    }

    @Test
    void dropCachesSyncCloseAndUnlinkFollowTheKernel() {
        Run r = run(true, """
                files:
                  - { name: data, size: 0 }
                processes:
                  - name: p
                    steps:
                      - file_write: { file: data, length: 1M, fill: 7 }
                      - mark: written
                      - drop_caches: 1
                      - mark: dropped_dirty
                      - sync: {}
                      - mark: synced
                      - drop_caches: 3
                      - mark: dropped
                      - file_read: { file: data, length: 1M }
                      - mark: read
                      - close: { file: data }
                      - drop_caches: 2
                      - mark: closed
                      - unlink: { file: data }
                      - mark: unlinked
                """);
        assertThat(r.failure()).isNull();
        assertThat(r.mark("written").counters().vmstat().get("nr_dirty")).isEqualTo(256);
        assertThat(r.mark("dropped_dirty").counters().vmstat().get("nr_file_pages")).as("dirty pages stay").isEqualTo(256);
        assertThat(r.delta("dropped_dirty", "synced", "pgpgout")).isEqualTo(1024);
        assertThat(r.mark("synced").counters().vmstat().get("nr_dirty")).isZero();
        assertThat(r.mark("dropped").counters().vmstat().get("nr_file_pages")).isZero();
        assertThat(r.delta("written", "dropped", "drop_pagecache")).isEqualTo(2);
        assertThat(r.delta("written", "dropped", "drop_slab")).isEqualTo(1);
        assertThat(r.delta("dropped", "read", "pgpgin")).isEqualTo(1024);
        assertThat(r.delta("read", "closed", "pginodesteal")).as("a closed file's pages go with its inode")
                .isEqualTo(256);
        assertThat(r.mark("unlinked").counters().vmstat().get("nr_file_pages")).isZero();
    }

    @Test
    void aFileIsOpenedAgainAfterCloseAndGoneAfterUnlink() {
        Run r = run(true, """
                files:
                  - { name: data, size: 64K }
                processes:
                  - name: p
                    steps:
                      - close: { file: data }
                      - file_write: { file: data, length: 64K, fill: 3 }
                      - mmap: { name: m, file: data, size: 64K, prot: r }
                      - expect: { region: m, length: 64K, equals: 3 }
                      - close: { file: data }
                      - unlink: { file: data }
                      - expect: { region: m, length: 64K, equals: 3 }
                      - file_read: { file: data, length: 4K }
                """);
        assertThat(r.failure()).isNotNull();
        assertThat(r.failure().toString()).isEqualTo("process p step 8 (file_read): file 'data' was unlinked");
    }

    @Test
    void closingAClosedFileFails() {
        Run r = run(false, """
                files:
                  - { name: data, size: 64K }
                processes:
                  - name: p
                    steps:
                      - close: { file: data }
                      - close: { file: data }
                """);
        assertThat(r.failure().toString()).isEqualTo("process p step 2 (close): file 'data' is not open");
    }

    @Test
    void badNewStepsNameFileLineAndValue() {
        assertThat(error("processes:\n  - name: a\n    steps:\n      - drop_caches: 4\n"))
                .startsWith("s.yaml:4: bad drop_caches '4'");
        assertThat(error("processes:\n  - name: a\n    steps:\n      - drop_caches: { mode: 1 }\n"))
                .startsWith("s.yaml:4: drop_caches must be a single value");
        assertThat(error("processes:\n  - name: a\n    steps:\n      - mark: two words\n"))
                .startsWith("s.yaml:4: bad mark name 'two words'");
        assertThat(error("processes:\n  - name: a\n    steps:\n      - unlink: { file: nope }\n"))
                .startsWith("s.yaml:4: unknown file 'nope'");
        assertThat(error("processes:\n  - name: a\n    steps:\n      - close: {}\n"))
                .startsWith("s.yaml:4: close step is missing 'file'");
        assertThat(error("processes:\n  - name: a\n    steps:\n      - sync: { file: x }\n"))
                .startsWith("s.yaml:4: unknown key 'file' in sync step");
        assertThat(error("processes:\n  - name: a\n    steps:\n      - repeat: { count: -1, steps: [] }\n"))
                .startsWith("s.yaml:4: bad count '-1'");
        assertThat(error("processes:\n  - name: a\n    steps:\n      - repeat: { count: 2 }\n"))
                .startsWith("s.yaml:4: repeat step is missing 'steps'");
        assertThat(error("processes:\n  - name: a\n    steps:\n      - repeat:\n          count: 2\n          steps:\n"
                + "            - write: { region: nope, length: 4K, fill: 1 }\n"))
                .startsWith("s.yaml:7: unknown region 'nope'");
        assertThat(error("processes:\n  - name: a\n    steps:\n      - repeat:\n          count: 2\n          steps:\n"
                + "            - fork: { name: c }\n"))
                .startsWith("s.yaml:7: fork inside repeat");
    }

    @Test
    void aRegionMappedInsideRepeatIsKnownAfterIt() {
        Run r = run(false, """
                processes:
                  - name: p
                    steps:
                      - repeat:
                          count: 2
                          steps:
                            - mmap: { name: a, size: 64K, prot: rw }
                            - write: { region: a, length: 64K, fill: 1 }
                            - munmap: { region: a }
                      - mmap: { name: a, size: 64K, prot: rw }
                      - write: { region: a, length: 64K, fill: 1 }
                """);
        assertThat(r.failure()).isNull();
        assertThat(r.vmstat().get("pgfault")).isEqualTo(3 * 16);
    }

    @Test
    void expectInsideRepeatIsRejectedOnAMetadataMachine() {
        Scenario s = Scenario.parse("s.yaml", """
                processes:
                  - name: p
                    steps:
                      - mmap: { name: a, size: 4K, prot: rw }
                      - repeat: { count: 1, steps: [ { expect: { region: a, length: 4K, equals: 0 } } ] }
                """);
        try (Machine m = Machine.boot(new PhysConfig(64L << 20, 0, false, 0, 10))) {
            assertThatThrownBy(() -> ScenarioRunner.run(m, s, 1)).isInstanceOf(ScenarioException.class)
                    .hasMessage("s.yaml:5: expect needs data mode (machine mode is metadata)");
        }
    }
}
