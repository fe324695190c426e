package org.pagelab.semantics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pagelab.proc.CounterSnapshot;

/**
 * do_swap_page on a page that must be read from swap: the read is submitted and the folio stays
 * locked until it completes, so folio_lock_or_retry returns VM_FAULT_RETRY; the task waits for the
 * read and the fault runs again (FAULT_FLAG_TRIED), finding the page in the swap cache.
 * handle_mm_fault counts both runs, so each major fault adds a second pgfault, and a page read
 * ahead (a swap-cache hit) faults once.
 */
class SwapFaultRetryTest {
    private static final int PAGES = 6144;

    @Test
    void aMajorSwapFaultIsRetriedOnceAndCountedTwice(@TempDir Path dir) {
        String yaml = """
                machine:
                  memory: 16M
                  swap: 64M
                  transparent_hugepage: never
                processes:
                  - name: p
                    steps:
                      - mmap: { name: buf, size: 24M, prot: rw }
                      - write: { region: buf, length: 24M, fill: 1 }
                      - mark: write1
                      - write: { region: buf, length: 24M, fill: 2 }
                      - mark: write2
                """;
        Map<String, CounterSnapshot> marks = new HashMap<>();
        assertThat(ScenarioHarness.run("retry.yaml", yaml, dir, m -> marks.put(m.name(), m.counters()))).isNull();
        long faults = marks.get("write2").vmstat().get("pgfault") - marks.get("write1").vmstat().get("pgfault");
        long major = marks.get("write2").vmstat().get("pgmajfault") - marks.get("write1").vmstat().get("pgmajfault");
        long readahead = marks.get("write2").vmstat().get("swap_ra_hit") - marks.get("write1").vmstat().get("swap_ra_hit");
        assertThat(major).as("pages read from swap by their own fault").isPositive();
        assertThat(readahead).as("pages read ahead and then hit").isPositive();
        assertThat(faults).as("one fault per page written, and the retry of each major fault")
                .isEqualTo(PAGES + major);
    }
}
