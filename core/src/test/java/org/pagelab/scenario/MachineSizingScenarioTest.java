package org.pagelab.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pagelab.machine.Machine;
import org.pagelab.phys.PhysConfig;

/** The machine keys that reproduce a real machine: memtotal, zones, watermarks, kernel_used, overcommit, page_cluster. */
class MachineSizingScenarioTest {
    private static String error(String yaml) {
        return ScenarioTest.error(yaml).getMessage();
    }

    @Test
    void aGuestIsDescribedByItsMemTotalAndOneZone() {
        Scenario s = Scenario.parse("s.yaml", """
                machine: { memory: 64M, memtotal: 53456K, zones: normal, kernel_used: 12M, mode: metadata }
                processes:
                  - name: p
                    steps: [ { mark: start } ]
                """);
        PhysConfig c = s.sizing().physConfig(s.source(), s.memory(), 256L << 20, false);
        assertThat(c.memoryBytes()).isEqualTo(64L << 20);
        assertThat(c.zoneLayout()).isEqualTo(PhysConfig.ZoneLayout.NORMAL);
        try (Machine m = Machine.boot(c)) {
            List<ScenarioRunner.Mark> marks = new ArrayList<>();
            assertThat(ScenarioRunner.run(m, s, 1, marks::add)).isNull();
            m.check();
            var meminfo = marks.getFirst().counters().meminfo();
            assertThat(meminfo.get("MemTotal")).isEqualTo(53456);
            assertThat(meminfo.get("SUnreclaim")).isGreaterThanOrEqualTo(12 * 1024);
            assertThat(meminfo.get("MemFree")).isLessThanOrEqualTo(53456 - 12 * 1024);
        }
    }

    @Test
    void withoutMemoryTheSmallestMachineForTheMemTotalIsBuilt() {
        Scenario s = Scenario.parse("s.yaml", "machine: { memtotal: 117872K, zones: normal }\nprocesses: []\n");
        PhysConfig c = s.sizing().physConfig(s.source(), s.memory(), 256L << 20, false);
        assertThat(c.memoryBytes()).isEqualTo(120L << 20);
        assertThat(c.managedBytes()).isEqualTo(117872L << 10);
    }

    @Test
    void aMemTotalTooLargeForTheMemoryNamesTheMachineLine() {
        Scenario s = Scenario.parse("s.yaml", "processes: []\nmachine:\n  memory: 64M\n  memtotal: 64M\n");
        assertThatThrownBy(() -> s.sizing().physConfig(s.source(), s.memory(), 256L << 20, false))
                .isInstanceOf(ScenarioException.class).hasMessageStartingWith("s.yaml:3: bad machine: MemTotal 64M");
    }

    @Test
    void overcommitNeverRefusesAMappingPastTheLimit() {
        Scenario s = Scenario.parse("s.yaml", """
                machine: { memory: 64M, mode: metadata, overcommit_memory: 2, overcommit_kbytes: 8M }
                processes:
                  - name: p
                    steps:
                      - mmap: { name: small, size: 4M, prot: rw }
                      - mmap: { name: big, size: 8M, prot: rw }
                """);
        try (Machine m = Machine.boot(s.sizing().physConfig(s.source(), s.memory(), 0, false))) {
            ScenarioRunner.Failure f = ScenarioRunner.run(m, s, 1);
            assertThat(f).isNotNull();
            assertThat(f.toString()).isEqualTo("process p step 2 (mmap): mmap failed: ENOMEM");
            assertThat(m.overcommit().commitLimitPages()).isEqualTo(2048);
        }
    }

    @Test
    void badSizingKeysNameFileLineAndValue() {
        assertThat(error("machine:\n  memtotal: 1000\nprocesses: []\n")).startsWith("s.yaml:2: bad memtotal '1000'");
        assertThat(error("machine:\n  zones: dma\nprocesses: []\n"))
                .isEqualTo("s.yaml:2: bad zones 'dma': expected dma32+normal or normal");
        assertThat(error("machine:\n  overcommit_memory: 3\nprocesses: []\n"))
                .isEqualTo("s.yaml:2: bad overcommit_memory '3': expected 0..2");
        assertThat(error("machine:\n  min_free_kbytes: 5\nprocesses: []\n"))
                .startsWith("s.yaml:2: bad min_free_kbytes '5'");
        assertThat(error("machine:\n  overcommit_ratio: 50\n  overcommit_kbytes: 1M\nprocesses: []\n"))
                .startsWith("s.yaml:3: overcommit_ratio and overcommit_kbytes exclude each other");
        assertThat(error("machine:\n  kernel_used: lots\nprocesses: []\n")).startsWith("s.yaml:2: bad kernel_used").contains("'lots'");
    }

    @Test
    void kernelMemoryTheMachineCannotHoldIsBadInputNamingTheKey() {
        Scenario s = Scenario.parse("s.yaml", "machine: { memory: 32M, mode: metadata, kernel_used: 64M }\nprocesses: []\n");
        try (Machine m = Machine.boot(s.sizing().physConfig(s.source(), s.memory(), 0, false))) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> ScenarioRunner.run(m, s, 1))
                    .isInstanceOf(ScenarioException.class)
                    .hasMessage("s.yaml:1: machine.kernel_used: the machine cannot hold 64M of kernel memory");
            m.check();
        }
    }

    @Test
    void pageClusterAndARotationalSwapAreaReachTheMachine() {
        Scenario s = Scenario.parse("s.yaml", """
                machine: { memory: 64M, mode: metadata, page_cluster: 0, swap: [ { size: 16M, rotational: true }, { size: 16M } ] }
                processes:
                  - name: p
                    steps: [ { mark: start } ]
                """);
        assertThat(s.sizing().pageCluster()).isZero();
        assertThat(s.swap()).extracting(Scenario.SwapSpec::rotational).containsExactly(true, false);
        try (Machine m = Machine.boot(s.sizing().physConfig(s.source(), s.memory(), 0, false))) {
            assertThat(m.swap().readahead().pageCluster()).as("the kernel's default").isEqualTo(3);
            assertThat(ScenarioRunner.run(m, s, 1)).isNull();
            assertThat(m.swap().readahead().pageCluster()).isZero();
            assertThat(m.swap().devices().devices()).extracting(org.pagelab.swap.SwapDevice::rotational)
                    .containsExactlyInAnyOrder(true, false);
            assertThat(m.swap().readahead().usesVmaReadahead()).as("one rotational device: cluster readahead").isFalse();
        }
        assertThat(ScenarioWriter.write(s, List.of())).contains("rotational: true").contains("page_cluster: 0");
    }

    @Test
    void badPageClusterAndRotationalNameFileLineAndValue() {
        assertThat(error("machine:\n  page_cluster: 32\nprocesses: []\n"))
                .isEqualTo("s.yaml:2: bad page_cluster '32': expected 0..31");
        assertThat(error("machine:\n  swap: [ { size: 1M, rotational: maybe } ]\nprocesses: []\n"))
                .isEqualTo("s.yaml:2: bad rotational 'maybe': expected true or false");
    }

    @Test
    void minTtlReachesTheMultiGenerationalLruAndIsWrittenBack() {
        Scenario s = Scenario.parse("s.yaml", """
                machine: { memory: 64M, mode: metadata, lru_gen_min_ttl_ms: 1500 }
                processes:
                  - name: p
                    steps: [ { mark: start } ]
                """);
        assertThat(s.sizing().lruGenMinTtlMs()).isEqualTo(1500L);
        PhysConfig c = s.sizing().physConfig(s.source(), s.memory(), 0, false);
        try (Machine m = Machine.boot(c, null, s.simConfig(1), org.pagelab.mglru.MglruPolicy.NAME)) {
            assertThat(ScenarioRunner.run(m, s, 1)).isNull();
            assertThat(new org.pagelab.proc.ProcFs(m).read("/sys/kernel/mm/lru_gen/min_ttl_ms")).isEqualTo("1500\n");
        }
        try (Machine m = Machine.boot(c)) {
            assertThat(ScenarioRunner.run(m, s, 1)).as("no effect under the two-list LRU").isNull();
        }
        assertThat(ScenarioWriter.write(s, List.of())).contains("lru_gen_min_ttl_ms: 1500");
        assertThat(error("machine:\n  lru_gen_min_ttl_ms: 4294967296\nprocesses: []\n"))
                .isEqualTo("s.yaml:2: bad lru_gen_min_ttl_ms '4294967296': expected 0..4294967295");
    }

    /** Runs a guest-like machine that swaps 24M out, with the block driver's descriptors of {@code bytes}. */
    private static Machine swapOutWithBlockRequests(int bytes) {
        Scenario s = Scenario.parse("s.yaml", """
                machine: { memory: 64M, memtotal: 53456K, zones: normal, kernel_used: 12M, kernel_pageblocks: 6,
                           pageblock_order: 10, block_request_bytes: %d, swap: 128M, mode: metadata }
                processes:
                  - name: p
                    steps:
                      - mmap: { name: a, size: 64M, prot: rw }
                      - write: { region: a, length: 64M, fill: 1 }
                """.formatted(bytes));
        Machine m = Machine.boot(s.sizing().physConfig(s.source(), s.memory(), 64L << 20, false), null, s.simConfig(1));
        assertThat(ScenarioRunner.run(m, s, 1)).isNull();
        m.check();
        return m;
    }

    @Test
    void aBlockDriversAtomicRequestsUnderPressureReserveAHighAtomicPageblock() {
        try (Machine m = swapOutWithBlockRequests(1584)) {
            var z = m.phys().zone(org.pagelab.phys.ZoneType.NORMAL);
            assertThat(m.vmstat().get(org.pagelab.stat.VmItem.PSWPOUT)).isPositive();
            assertThat(z.nrBlocks(org.pagelab.phys.MigrateType.HIGHATOMIC)).isEqualTo(1);
            assertThat(z.reservedHighatomic()).isEqualTo(1024);
            assertThat(new org.pagelab.proc.Pagetypeinfo(m).render()).contains("HighAtomic");
        }
        try (Machine m = swapOutWithBlockRequests(0)) {
            assertThat(m.phys().zone(org.pagelab.phys.ZoneType.NORMAL).reservedHighatomic()).isZero();
        }
    }

    @Test
    void aFileSystemBlockSizeThatIsNoPowerOfTwoUpToAPageIsRejectedWithItsLine() {
        assertThat(error("""
                machine:
                  memory: 64M
                  fs_block_size: 3K
                processes: [ { name: p, steps: [ { mark: a } ] } ]
                """)).isEqualTo("s.yaml:3: bad fs_block_size '3K': expected 0 or a power of two from 512 to 4K");
    }

    @Test
    void aBlockRequestLargerThanKmallocsLargestClassIsRejectedWithItsLine() {
        assertThat(error("""
                machine: { memory: 64M, block_request_bytes: 9000 }
                processes: [ { name: p, steps: [ { mark: a } ] } ]
                """)).contains("s.yaml:1").contains("block_request_bytes").contains("9000");
    }
}
