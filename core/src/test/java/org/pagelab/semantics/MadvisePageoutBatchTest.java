package org.pagelab.semantics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pagelab.proc.CounterSnapshot;

/**
 * MADV_PAGEOUT reclaims one page table at a time, as madvise_cold_or_pageout_pte_range hands each
 * page table's folios to reclaim_pages, and the swap writes it starts complete asynchronously: a
 * folio whose write completes while its batch is still isolated ends writeback off the LRU and is
 * not rotated (folio_rotate_reclaimable needs PG_lru), one whose write completes after its batch
 * was put back goes to the inactive tail (pgrotated), and the call returns with writes still in
 * flight when the device is slower than the unmapping.
 */
class MadvisePageoutBatchTest {
    /** 4M at a 2M boundary: two page tables of 512 pages. */
    private static final int PAGES = 1024;

    private static String scenario(String swapDevice) {
        return """
                machine:
                  memory: 64M
                  cpus: 1
                  swap: 64M
                  swap_device: "%s"
                  costs: "unmap=150us"
                  transparent_hugepage: never
                processes:
                  - name: p
                    steps:
                      - mmap: { name: buf, size: 4M, prot: rw, align: 2M }
                      - write: { region: buf, length: 4M, fill: 1 }
                      - mark: written
                      - madvise: { region: buf, advice: pageout }
                      - mark: pageout
                """.formatted(swapDevice);
    }

    private static Map<String, CounterSnapshot> run(String swapDevice, Path dir) {
        Map<String, CounterSnapshot> marks = new HashMap<>();
        assertThat(ScenarioHarness.run("pageout.yaml", scenario(swapDevice), dir,
                m -> marks.put(m.name(), m.counters()))).isNull();
        return marks;
    }

    private static long delta(Map<String, CounterSnapshot> marks, String counter) {
        return marks.get("pageout").vmstat().get(counter) - marks.get("written").vmstat().get(counter);
    }

    @Test
    void writesCompletingWhileTheirPageTablesBatchIsIsolatedDoNotRotate(@TempDir Path dir) {
        // 22 us per write, far less than the 150 us the next page's unmap takes: each write but the
        // batch's last completes before its batch is put back
        var marks = run("write_latency=20us", dir);
        assertThat(delta(marks, "pswpout")).isEqualTo(PAGES);
        assertThat(delta(marks, "nr_written")).as("all but the last write, completing just after the call")
                .isBetween((long) PAGES - 1, (long) PAGES);
        assertThat(delta(marks, "pgrotated")).as("at most the last write of each of the two batches")
                .isBetween(0L, 2L);
    }

    @Test
    void writesOfAnEarlierPageTableCompletingAfterItsPutbackRotateAndTheCallReturnsWithWritesInFlight(
            @TempDir Path dir) {
        // about 1 ms per 4K write, against 150 us per page unmapped: the device falls behind
        var marks = run("write_bw=4M", dir);
        long written = delta(marks, "nr_written");
        long rotated = delta(marks, "pgrotated");
        assertThat(delta(marks, "pswpout")).isEqualTo(PAGES);
        assertThat(written).as("writes in flight when madvise returns").isLessThan(PAGES);
        assertThat(marks.get("pageout").vmstat().get("nr_writeback")).isEqualTo(PAGES - written);
        assertThat(rotated).as("the first batch's writes that completed during the second batch rotated")
                .isPositive();
        assertThat(rotated).as("the writes that completed while their own batch was isolated did not")
                .isLessThan(written);
    }
}
