package org.pagelab.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.pagelab.machine.Machine;
import org.pagelab.phys.PhysConfig;

class ScenarioRunnerTest {
    private static ScenarioRunner.Failure run(boolean data, String yaml, List<String> events) {
        Scenario s = Scenario.parse("s.yaml", yaml);
        try (Machine m = Machine.boot(new PhysConfig(64L << 20, 0, data, 0, 10))) {
            ScenarioRunner.Failure f = ScenarioRunner.run(m, s, 1);
            m.check();
            events.addAll(m.memory().events());
            return f;
        }
    }

    private static final String FORK = """
            processes:
              - name: parent
                steps:
                  - mmap: { name: buf, size: 64K, prot: rw }
                  - write: { region: buf, length: 64K, fill: 0x11 }
                  - fork:
                      name: child
                      steps:
                        - write: { region: buf, length: 64K, fill: 0x22 }
                        - expect: { region: buf, length: 64K, equals: 0x22 }
                  - expect: { region: buf, length: 64K, equals: 0x11 }
                  - expect: { region: buf, length: 64K, equals: 0x11 }
            """;

    @Test
    void forkChildWritesAreInvisibleToTheParent() {
        assertThat(run(true, FORK, new java.util.ArrayList<>())).isNull();
    }

    /** A parent whose fork the strict overcommit policy must refuse: the child would commit 32M more of a 64M machine without swap. */
    private static final String FORK_REFUSED = """
            machine: { overcommit_memory: 2, overcommit_ratio: 50 }
            processes:
              - name: parent
                steps:
                  - mmap: { name: buf, size: 20M, prot: rw }
                  - write: { region: buf, length: 64K, fill: 0x11 }
                  - fork:
                      name: child
                      steps:
                        - write: { region: buf, length: 64K, fill: 0x22 }
                  - write: { region: buf, length: 4K, fill: 0x33 }
                  - expect: { region: buf, length: 4K, equals: 0x33 }
                  - expect: { region: buf, offset: 4K, length: 60K, equals: 0x11 }
            """;

    @Test
    void aForkWithoutMemoryFailsTheRun() {
        ScenarioRunner.Failure f = run(true, FORK_REFUSED, new java.util.ArrayList<>());
        assertThat(f).isNotNull();
        assertThat(f.toString()).isEqualTo("process parent step 3 (fork): fork failed for lack of memory");
    }

    @Test
    void aForkWithoutMemoryIsEnomemToAWorkloadThatCopesWithIt() {
        List<String> events = new java.util.ArrayList<>();
        assertThat(run(true, "kills: allowed\n" + FORK_REFUSED, events))
                .as("the parent goes on and its bytes are its own").isNull();
        assertThat(events).contains("pid 1 (parent): fork of child failed: ENOMEM");
    }

    @Test
    void failedExpectNamesProcessStepAndByte() {
        String yaml = FORK.replace("equals: 0x22", "equals: 0x11");
        ScenarioRunner.Failure f = run(true, yaml, new java.util.ArrayList<>());
        assertThat(f).isNotNull();
        assertThat(f.toString()).isEqualTo(
                "process child step 2 (expect): region 'buf' byte at offset 0 is 0x22, expected 0x11");
    }

    @Test
    void segfaultStopsTheProcessOnly() {
        List<String> events = new java.util.ArrayList<>();
        ScenarioRunner.Failure f = run(true, """
                processes:
                  - name: bad
                    steps:
                      - mmap: { name: b, size: 4K, prot: r }
                      - write: { region: b, length: 4K, fill: 1 }
                      - write: { region: b, length: 4K, fill: 2 }
                  - name: good
                    steps:
                      - mmap: { name: b, size: 4K, prot: rw }
                      - write: { region: b, length: 4K, fill: 3 }
                      - write: { region: b, length: 4K, fill: 3 }
                      - expect: { region: b, length: 4K, equals: 3 }
                """, events);
        assertThat(f).isNull();
        assertThat(events).anyMatch(e -> e.contains("(bad) killed by SIGSEGV"));
    }

    @Test
    void metadataModeRunsTouchPatternsDeterministically() {
        String yaml = """
                machine: { mode: metadata }
                files:
                  - { name: f, size: 1M }
                processes:
                  - name: p
                    steps:
                      - mmap: { name: a, size: 1M, prot: rw }
                      - touch: { region: a, pattern: random, count: 100, write: true }
                      - touch: { region: a, pattern: zipf, alpha: 0.9, count: 100 }
                      - mmap: { name: m, file: f, size: 1M, prot: r, shared: true }
                      - read: { region: m, length: 1M }
                      - file_write: { file: f, offset: 4K, length: 8K, fill: 1 }
                      - file_read: { file: f, length: 64K }
                      - fsync: { file: f }
                      - madvise: { region: a, advice: dontneed }
                      - mprotect: { region: a, prot: none }
                      - munmap: { region: a }
                      - exit: {}
                """;
        assertThat(run(false, yaml, new java.util.ArrayList<>())).isNull();
    }

    @Test
    void swapAreasFillByPriorityThenTakeTheNextDefault() {
        Scenario s = Scenario.parse("s.yaml", """
                machine: { memory: 16M, mode: metadata, swap: [ { size: 8M, priority: 5 }, { size: 64M } ] }
                processes:
                  - name: hog
                    steps:
                      - mmap: { name: h, size: 40M, prot: rw }
                      - touch: { region: h, length: 40M, count: 10240, write: true }
                """);
        try (Machine m = Machine.boot(new PhysConfig(16L << 20, 0, false, 0, 10))) {
            assertThat(ScenarioRunner.run(m, s, 1)).isNull();
            m.check();
            var devs = m.swap().devices().devices();
            assertThat(devs).hasSize(2);
            assertThat(devs.get(0).priority()).isEqualTo(5);
            assertThat(devs.get(0).freePages()).as("the higher priority fills first").isZero();
            assertThat(devs.get(1).priority()).isEqualTo(-2);
            assertThat(devs.get(1).inusePages()).isPositive();
        }
    }

    @Test
    void sleepLetsAnotherProcessRunFirst() {
        List<String> events = new java.util.ArrayList<>();
        ScenarioRunner.Failure f = run(true, """
                processes:
                  - name: parent
                    steps:
                      - mmap: { name: ring, size: 64K, prot: rw, shared: true }
                      - fork:
                          name: child
                          steps:
                            - sleep: { time: 5ms }
                            - expect: { region: ring, length: 64K, equals: 0x44 }
                      - write: { region: ring, length: 64K, fill: 0x44 }
                """, events);
        assertThat(f).isNull();
    }

    @Test
    void aMemfdFileIsSharedMemoryThatProcessesMapAndWrite() {
        List<String> events = new java.util.ArrayList<>();
        ScenarioRunner.Failure f = run(true, """
                files:
                  - { name: ring, size: 64K, memfd: true }
                processes:
                  - name: writer
                    steps:
                      - file_write: { file: ring, offset: 0, length: 64K, fill: 0x77 }
                      - mmap: { name: view, file: ring, size: 64K, prot: rw, shared: true }
                      - expect: { region: view, length: 64K, equals: 0x77 }
                      - write: { region: view, length: 4K, fill: 0x78 }
                      - fork:
                          name: reader
                          steps:
                            - expect: { region: view, length: 4K, equals: 0x78 }
                """, events);
        assertThat(f).isNull();
    }

    @Test
    void namedTmpfsFilesAreSharedBetweenProcessesThatOpenThemByName() {
        List<String> events = new java.util.ArrayList<>();
        ScenarioRunner.Failure f = run(true, """
                machine: { tmpfs: [ scratch ] }
                files:
                  - { name: dev/shm/ring, size: 64K }
                  - { name: scratch/log, size: 8K }
                processes:
                  - name: writer
                    steps:
                      - mmap: { name: view, file: dev/shm/ring, size: 64K, prot: rw, shared: true }
                      - write: { region: view, length: 64K, fill: 0x5a }
                      - file_write: { file: scratch/log, offset: 0, length: 8K, fill: 0x11 }
                  - name: reader
                    steps:
                      - sleep: { time: 1ms }
                      - mmap: { name: seen, file: dev/shm/ring, size: 64K, prot: r, shared: true }
                      - expect: { region: seen, length: 64K, equals: 0x5a }
                      - mmap: { name: log, file: scratch/log, size: 8K, prot: r, shared: true }
                      - expect: { region: log, length: 8K, equals: 0x11 }
                """, events);
        assertThat(f).isNull();
    }

    @Test
    void perSizeSettingsKhugepagedTunablesAndMadvCollapseComeFromTheScenario() {
        Scenario s = Scenario.parse("s.yaml", """
                machine:
                  transparent_hugepage: never
                  transparent_hugepage_sizes: { 64kB: always, 2048kB: never }
                  khugepaged: { max_ptes_none: 100, scan_sleep_millisecs: 500 }
                processes:
                  - name: p
                    steps:
                      - mmap: { name: big, size: 4M, prot: rw, align: 2M }
                      - write: { region: big, length: 8K, fill: 0x3c }
                      - madvise: { region: big, length: 2M, advice: collapse }
                      - expect: { region: big, length: 8K, equals: 0x3c }
                      - expect: { region: big, offset: 8K, length: 2040K, equals: 0 }
                """);
        assertThat(Scenario.parse("again.yaml", ScenarioWriter.write(s, List.of())).hugepages()).isEqualTo(s.hugepages());
        try (Machine m = Machine.boot(new PhysConfig(64L << 20, 0, true, 0, 10))) {
            assertThat(ScenarioRunner.run(m, s, 1)).isNull();
            m.check();
            assertThat(m.memory().mthp().enabled(4)).isEqualTo(org.pagelab.memory.MthpEnabled.ALWAYS);
            assertThat(m.memory().mthp().enabled(9)).isEqualTo(org.pagelab.memory.MthpEnabled.NEVER);
            assertThat(m.memory().khugepaged().get(org.pagelab.memory.Khugepaged.Tunable.MAX_PTES_NONE)).isEqualTo(100);
            assertThat(m.memory().mthp().stat(4, org.pagelab.memory.MthpStat.ANON_FAULT_ALLOC)).isEqualTo(1);
            assertThat(m.vmstat().get(org.pagelab.stat.VmItem.THP_COLLAPSE_ALLOC)).as("MADV_COLLAPSE ignores the settings")
                    .isEqualTo(1);
        }
    }

    @Test
    void largeFoliosFromTheScenarioLetAHugepageFileRegionBeMappedByAPmd() {
        Scenario s = Scenario.parse("s.yaml", """
                machine: { large_folios: on }
                files:
                  - { name: data.bin, size: 4M }
                processes:
                  - name: p
                    steps:
                      - file_write: { file: data.bin, offset: 0, length: 4M, fill: 0x5e }
                      - sync: {}
                      - drop_caches: 1
                      - mmap: { name: view, file: data.bin, size: 4M, prot: r, align: 2M }
                      - madvise: { region: view, advice: hugepage }
                      - expect: { region: view, length: 4M, equals: 0x5e }
                """);
        assertThat(s.hugepages().largeFolios()).isTrue();
        assertThat(Scenario.parse("again.yaml", ScenarioWriter.write(s, List.of())).hugepages()).isEqualTo(s.hugepages());
        try (Machine m = Machine.boot(new PhysConfig(64L << 20, 0, true, 0, 10))) {
            assertThat(ScenarioRunner.run(m, s, 1)).isNull();
            m.check();
            assertThat(m.vfs().largeFolios()).isTrue();
            assertThat(m.vmstat().get(org.pagelab.stat.VmItem.THP_FILE_MAPPED)).isEqualTo(2);
        }
    }

    @Test
    void useZeroPageOffMakesAReadFaultAllocateAHugePage() {
        Scenario s = Scenario.parse("s.yaml", """
                machine:
                  transparent_hugepage_use_zero_page: 0
                processes:
                  - name: p
                    steps:
                      - mmap: { name: big, size: 4M, prot: rw, align: 2M }
                      - read: { region: big, length: 4K }
                      - expect: { region: big, length: 2M, equals: 0 }
                """);
        assertThat(s.hugepages().useZeroPage()).isFalse();
        assertThat(Scenario.parse("again.yaml", ScenarioWriter.write(s, List.of())).hugepages()).isEqualTo(s.hugepages());
        try (Machine m = Machine.boot(new PhysConfig(64L << 20, 0, true, 0, 10))) {
            assertThat(ScenarioRunner.run(m, s, 1)).isNull();
            m.check();
            assertThat(m.memory().useZeroPage()).isFalse();
            assertThat(m.vmstat().get(org.pagelab.stat.VmItem.THP_FAULT_ALLOC)).isEqualTo(1);
            assertThat(m.vmstat().get(org.pagelab.stat.VmItem.THP_ZERO_PAGE_ALLOC)).isZero();
        }
    }

    @Test
    void hugePagesCanBeAskedForPerRegionWithTheMadviseSetting() {
        Scenario s = Scenario.parse("s.yaml", """
                machine: { transparent_hugepage: madvise }
                processes:
                  - name: p
                    steps:
                      - mmap: { name: big, size: 8M, prot: rw }
                      - madvise: { region: big, advice: hugepage }
                      - write: { region: big, length: 8M, fill: 0x3c }
                      - fork:
                          name: child
                          steps:
                            - write: { region: big, offset: 4K, length: 4K, fill: 0x3d }
                            - expect: { region: big, offset: 4K, length: 4K, equals: 0x3d }
                      - sleep: { time: 1ms }
                      - madvise: { region: big, advice: dontneed }
                      - expect: { region: big, length: 8M, equals: 0 }
                """);
        try (Machine m = Machine.boot(new PhysConfig(64L << 20, 0, true, 0, 10))) {
            assertThat(ScenarioRunner.run(m, s, 1)).isNull();
            m.check();
            assertThat(m.memory().transparentHugepage()).isEqualTo(org.pagelab.memory.TransparentHugepage.MADVISE);
            assertThat(m.vmstat().get(org.pagelab.stat.VmItem.THP_FAULT_ALLOC)).as("8M holds three aligned 2M ranges at least")
                    .isGreaterThanOrEqualTo(3);
        }
    }

    @Test
    void aPinnedBufferIsCopiedForAForkedChildAndReleasedByUnpin() {
        List<String> events = new java.util.ArrayList<>();
        ScenarioRunner.Failure f = run(true, """
                processes:
                  - name: driver
                    steps:
                      - mmap: { name: dma, size: 16K, prot: rw }
                      - write: { region: dma, length: 16K, fill: 0x10 }
                      - pin: { region: dma, write: true }
                      - fork:
                          name: child
                          steps:
                            - write: { region: dma, length: 16K, fill: 0x20 }
                            - expect: { region: dma, length: 16K, equals: 0x20 }
                      - sleep: { time: 1ms }
                      - expect: { region: dma, length: 16K, equals: 0x10 }
                      - unpin: { region: dma }
                """, events);
        assertThat(f).isNull();
        ScenarioRunner.Failure bad = run(true, """
                processes:
                  - name: p
                    steps:
                      - mmap: { name: b, size: 4K, prot: r }
                      - pin: { region: b, write: true }
                """, events);
        assertThat(bad).isNotNull();
        assertThat(bad.toString()).contains("pin failed with EFAULT");
    }
}
