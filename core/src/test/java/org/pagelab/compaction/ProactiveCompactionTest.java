package org.pagelab.compaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pagelab.gup.Gup;
import org.pagelab.machine.Machine;
import org.pagelab.machine.MachineTest;
import org.pagelab.memory.Process;
import org.pagelab.memory.TransparentHugepage;
import org.pagelab.phys.Zone;
import org.pagelab.proc.ProcFs;
import org.pagelab.scenario.Scenario;
import org.pagelab.scenario.ScenarioException;
import org.pagelab.scenario.ScenarioRunner;
import org.pagelab.stat.VmItem;
import org.pagelab.vma.VmFlags;

/**
 * Proactive compaction (Linux 5.9+, mm/compaction.c): kcompactd's sleep times out every 500 ms;
 * when vm.compaction_proactiveness is above 0, kswapd is asleep and the node's fragmentation
 * score (the share of free memory in blocks smaller than a huge page, weighted by zone size) is
 * above 100 - proactiveness + 10, kcompactd compacts every zone whole until the score is at most
 * 100 - proactiveness; a run that does not lower the score makes the next timeout 64 times as long.
 * It counts compact_* but not compact_daemon_*, which only the woken daemon counts.
 */
class ProactiveCompactionTest extends MachineTest {
    private static final int RW = VmFlags.VM_READ | VmFlags.VM_WRITE;
    private static final int PAGE = 4096;

    private Process filler;
    private long fillBase;
    private int fillPages;

    /** Fills memory with order-0 pages, each with its own byte, until about {@code leftFree} pages are free; frees every other one. */
    private void fragment(long leftFree) {
        mm.setTransparentHugepage(TransparentHugepage.NEVER);
        filler = mm.spawn("filler");
        fillPages = (int) (machine.phys().freePages() - leftFree);
        fillBase = mm.mmapAnon(filler, 0, (long) fillPages * PAGE, RW, false).orThrow();
        for (int i = 0; i < fillPages; i++) {
            poke(filler, fillBase + (long) i * PAGE, (byte) (i * 31 + 7));
        }
        for (int i = 1; i < fillPages; i += 2) {
            mm.madviseDontneed(filler, fillBase + (long) i * PAGE, PAGE).orThrow();
        }
        mm.setTransparentHugepage(TransparentHugepage.ALWAYS);
        machine.vmscan().runKswapd(); // the fill woke kswapd: it balances and sleeps
    }

    private void checkFiller() {
        for (int i = 0; i < fillPages; i += 2) {
            assertThat(peek(filler, fillBase + (long) i * PAGE)).as("filler page " + i).isEqualTo((int) (byte) (i * 31 + 7));
        }
    }

    private Compaction compaction() {
        return machine.compaction();
    }

    @Test
    void theScoreIsThePercentOfFreeMemoryInBlocksTooSmallForAHugePage() {
        Zone z = machine.phys().zone(org.pagelab.phys.ZoneType.NORMAL);
        assertThat(Compaction.fragmentationScore(z)).as("a fresh zone's free memory is in large blocks").isLessThan(10);
        fragment(500);
        assertThat(Compaction.fragmentationScore(z)).as("no free block of order 9 is left").isEqualTo(100);
        // the node's score weights each zone by present / (node present + 1): just below 100
        assertThat(compaction().nodeFragmentationScore()).isBetween(95, 99);
        assertThat(Compaction.fragmentationScoreWmark(20, true)).isEqualTo(80);
        assertThat(Compaction.fragmentationScoreWmark(20, false)).isEqualTo(90);
        assertThat(Compaction.fragmentationScoreWmark(100, true)).as("the low mark is at least 5").isEqualTo(5);
        assertThat(Compaction.fragmentationScoreWmark(100, false)).isEqualTo(15);
        assertThat(Compaction.fragmentationScoreWmark(1, false)).as("the high mark is at most 100").isEqualTo(100);
    }

    @Test
    void aFragmentedNodeIsCompactedUntilTheScoreIsAtTheLowMarkAndOnlyCompactCountersMove() {
        fragment(500);
        Kcompactd k = machine.kcompactd();
        assertThat(k.shouldProactiveCompact()).isTrue();
        long wakes = vm(VmItem.COMPACT_DAEMON_WAKE);
        assertThat(k.runProactive()).as("the score went down: the next check in 500 ms").isEqualTo(Kcompactd.CHECK_INTERVAL_MS);
        assertThat(compaction().nodeFragmentationScore()).isLessThanOrEqualTo(80);
        assertThat(vm(VmItem.COMPACT_MIGRATE_SCANNED)).isPositive();
        assertThat(vm(VmItem.COMPACT_FREE_SCANNED)).isPositive();
        assertThat(vm(VmItem.PGMIGRATE_SUCCESS)).isPositive();
        assertThat(vm(VmItem.COMPACT_DAEMON_WAKE)).as("not a wake-up's work").isEqualTo(wakes);
        assertThat(vm(VmItem.COMPACT_DAEMON_MIGRATE_SCANNED)).isZero();
        assertThat(k.proactiveRuns()).isEqualTo(1);
        assertThat(k.shouldProactiveCompact()).as("below the high mark now").isFalse();
        checkFiller();
        machine.check();
    }

    @Test
    void aRunThatCannotLowerTheScoreMakesTheNextTimeoutSixtyFourTimesAsLong() {
        fragment(500);
        List<Gup.Held> pins = new ArrayList<>();
        for (int i = 0; i < fillPages; i += 2) {
            pins.addAll(((Gup.Got) machine.gup().pin(filler, fillBase + (long) i * PAGE, 1, false)).pages());
        }
        int before = compaction().nodeFragmentationScore();
        assertThat(machine.kcompactd().runProactive()).isEqualTo(Kcompactd.CHECK_INTERVAL_MS << 6);
        assertThat(compaction().nodeFragmentationScore()).isEqualTo(before);
        assertThat(vm(VmItem.PGMIGRATE_SUCCESS)).as("pinned pages do not move").isZero();
        machine.gup().unpin(pins);
        checkFiller();
        machine.check();
    }

    @Test
    void nothingHappensWithProactivenessZeroOrWhileKswapdIsAwake() {
        fragment(500);
        Kcompactd k = machine.kcompactd();
        k.setProactiveness(0);
        assertThat(k.shouldProactiveCompact()).isFalse();
        assertThat(k.runProactive()).isEqualTo(Kcompactd.CHECK_INTERVAL_MS);
        k.setProactiveness(20);
        machine.vmscan().wakeKswapd(machine.phys().zone(org.pagelab.phys.ZoneType.NORMAL), 0, org.pagelab.phys.ZoneType.NORMAL);
        assertThat(k.shouldProactiveCompact()).as("kswapd is running").isFalse();
        assertThat(k.runProactive()).isEqualTo(Kcompactd.CHECK_INTERVAL_MS);
        assertThat(vm(VmItem.COMPACT_MIGRATE_SCANNED)).isZero();
        assertThat(k.proactiveRuns()).isZero();
    }

    @Test
    void theSysctlReadsAndWritesAndRefusesOutOfRange() {
        ProcFs proc = new ProcFs(machine);
        assertThat(proc.read(ProcFs.COMPACTION_PROACTIVENESS)).isEqualTo("20\n");
        proc.write(ProcFs.COMPACTION_PROACTIVENESS, "35\n");
        assertThat(machine.kcompactd().proactiveness()).isEqualTo(35);
        assertThatThrownBy(() -> proc.write(ProcFs.COMPACTION_PROACTIVENESS, "101"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'101'").hasMessageContaining(ProcFs.COMPACTION_PROACTIVENESS).hasMessageContaining("0..100");
        assertThatThrownBy(() -> Scenario.parse("p.yaml", "machine: { memory: 32M, compaction_proactiveness: 101 }\n"
                + "processes: [ { name: a, steps: [ { sleep: { time: 1ms } } ] } ]\n"))
                .isInstanceOf(ScenarioException.class)
                .hasMessageContaining("p.yaml:1").hasMessageContaining("compaction_proactiveness '101'");
    }

    /**
     * examples/compaction.yaml with a sleep of 600 ms where it writes compact_memory: the sleep
     * outlasts kcompactd's timeout. The node's score there is in the eighties (the DMA32 zone keeps
     * some larger blocks), near the default high mark of 90; with compaction_proactiveness: 30
     * (marks 70 and 80) kcompactd compacts on its own and the next fault gets a huge page; with 0
     * nothing moves.
     */
    @Test
    void inSimulatedTimeKcompactdCompactsUnaskedWithinATimeout() throws java.io.IOException {
        List<ScenarioRunner.Mark> on = runExample(", compaction_proactiveness: 30");
        assertThat(delta(on, "fragmented", "fallen_back", "thp_fault_fallback")).isPositive();
        assertThat(delta(on, "fallen_back", "compacted", "compact_migrate_scanned")).isPositive();
        assertThat(delta(on, "fallen_back", "compacted", "pgmigrate_success")).isPositive();
        assertThat(delta(on, "fallen_back", "compacted", "compact_daemon_wake")).isZero();
        assertThat(delta(on, "compacted", "allocated", "thp_fault_alloc")).as("a huge page").isPositive();
        List<ScenarioRunner.Mark> off = runExample(", compaction_proactiveness: 0");
        assertThat(delta(off, "fallen_back", "compacted", "compact_migrate_scanned")).isZero();
        assertThat(delta(off, "fallen_back", "compacted", "pgmigrate_success")).isZero();
    }

    private List<ScenarioRunner.Mark> runExample(String machineKeys) throws java.io.IOException {
        String text = Files.readString(Path.of("..", "examples", "compaction.yaml"))
                .replace("transparent_hugepage_defrag: never", "transparent_hugepage_defrag: never" + machineKeys)
                .replace("- compact_memory: 1", "- sleep: { time: 600ms }");
        Scenario s = Scenario.parse("compaction-proactive.yaml", text);
        List<ScenarioRunner.Mark> marks = new ArrayList<>();
        Path wd = dir.resolve("run" + machineKeys.length());
        try {
            Files.createDirectories(wd);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        try (Machine m = Machine.boot(s.sizing().physConfig(s.source(), s.memory(), 128L << 20, true), wd, s.simConfig(2))) {
            assertThat(ScenarioRunner.run(m, s, s.seed(), marks::add)).as("every step and expect passed").isNull();
            m.check();
        }
        return marks;
    }

    private static long delta(List<ScenarioRunner.Mark> marks, String from, String to, String counter) {
        return counter(marks, to, counter) - counter(marks, from, counter);
    }

    private static long counter(List<ScenarioRunner.Mark> marks, String name, String counter) {
        return marks.stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow().counters().vmstat().get(counter);
    }
}
