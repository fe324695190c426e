package org.pagelab.compaction;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pagelab.machine.Machine;
import org.pagelab.phys.ZoneType;
import org.pagelab.proc.ProcFs;
import org.pagelab.scenario.Scenario;
import org.pagelab.scenario.ScenarioRunner;

/**
 * examples/compaction.yaml does what its comment says: with memory fragmented, a THP fault falls
 * back; compact_memory moves pages and the next THP fault gets a huge page; every expect passes
 * (the moved filler pages read back byte for byte). The outcome is asserted, not the figures,
 * which docs/compaction.md records.
 */
class CompactionExampleTest {
    @TempDir
    Path dir;

    @Test
    void fragmentationDefeatsAHugePageAndCompactionRecoversIt() {
        Scenario s = Scenario.load(Path.of("..", "examples", "compaction.yaml"));
        List<ScenarioRunner.Mark> marks = new ArrayList<>();
        String[] extfrag = new String[2];
        try (Machine m = Machine.boot(s.sizing().physConfig(s.source(), s.memory(), 128L << 20, true), dir,
                s.simConfig(2))) {
            ScenarioRunner.Failure f = ScenarioRunner.run(m, s, s.seed(), mark -> {
                marks.add(mark);
                if (mark.name().equals("fallen_back") || mark.name().equals("compacted")) {
                    extfrag[mark.name().equals("compacted") ? 1 : 0] = new ProcFs(m).read("/sys/kernel/debug/extfrag/extfrag_index");
                }
            });
            assertThat(f).as("every step and expect passed").isNull();
            m.check();
            assertThat(Compaction.fragmentationIndex(m.phys().zone(ZoneType.NORMAL), 9)).isEqualTo(-1000);
        }
        assertThat(delta(marks, "fragmented", "fallen_back", "thp_fault_fallback")).as("fragmented: fallback").isPositive();
        assertThat(delta(marks, "fragmented", "fallen_back", "thp_fault_alloc")).isZero();
        assertThat(delta(marks, "fallen_back", "compacted", "pgmigrate_success")).isPositive();
        assertThat(delta(marks, "fallen_back", "compacted", "compact_migrate_scanned")).isPositive();
        assertThat(delta(marks, "compacted", "allocated", "thp_fault_alloc")).as("compacted: a huge page").isPositive();
        assertThat(delta(marks, "compacted", "allocated", "thp_fault_fallback")).isZero();
        assertThat(normalLine(extfrag[0])).as("order 9 before: no free block").doesNotEndWith("-1.000 -1.000");
        assertThat(normalLine(extfrag[1])).as("order 9 and 10 after: free blocks").endsWith("-1.000 -1.000");
    }

    /**
     * The example with transparent_hugepage_defrag: defer and a sleep instead of compact_memory:
     * the fault that falls back wakes kswapd, whose run ends by waking kcompactd0, a kernel
     * thread of the simulator, which compacts beside the process; the next fault gets a huge page
     * without compacting itself.
     */
    @Test
    void underDeferKcompactdCompactsInTheBackground() throws java.io.IOException {
        String text = java.nio.file.Files.readString(Path.of("..", "examples", "compaction.yaml"))
                // khugepaged kept off the one page written before the compaction: its collapse
                // (direct compaction, khugepaged/defrag 1) would take the block kcompactd gathers
                .replace("transparent_hugepage_defrag: never", "transparent_hugepage_defrag: defer, khugepaged: { max_ptes_none: 0 }")
                .replace("- compact_memory: 1", "- sleep: { time: 10ms }");
        Scenario s = Scenario.parse("compaction-defer.yaml", text);
        List<ScenarioRunner.Mark> marks = new ArrayList<>();
        try (Machine m = Machine.boot(s.sizing().physConfig(s.source(), s.memory(), 128L << 20, true), dir,
                s.simConfig(2))) {
            assertThat(ScenarioRunner.run(m, s, s.seed(), marks::add)).isNull();
            m.check();
            assertThat(m.sim().tasks().stream().map(t -> t.name())).contains("kcompactd0");
        }
        assertThat(delta(marks, "fragmented", "fallen_back", "thp_fault_fallback")).isPositive();
        // kcompactd0 runs on the other CPU as soon as kswapd wakes it, beside the faulting process
        assertThat(delta(marks, "fragmented", "compacted", "compact_daemon_wake")).as("kcompactd ran").isPositive();
        assertThat(delta(marks, "fragmented", "compacted", "compact_daemon_migrate_scanned")).isPositive();
        assertThat(delta(marks, "fragmented", "compacted", "pgmigrate_success")).isPositive();
        assertThat(delta(marks, "compacted", "allocated", "thp_fault_alloc")).isPositive();
        assertThat(counter(marks, "allocated", "compact_stall")).as("no direct compaction under defer").isZero();
    }

    private static String normalLine(String file) {
        return file.lines().filter(l -> l.contains("Normal")).findFirst().orElseThrow().trim();
    }

    private static long delta(List<ScenarioRunner.Mark> marks, String from, String to, String counter) {
        return counter(marks, to, counter) - counter(marks, from, counter);
    }

    private static long counter(List<ScenarioRunner.Mark> marks, String name, String counter) {
        return marks.stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow().counters().vmstat().get(counter);
    }
}
