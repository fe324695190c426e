package org.pagelab.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pagelab.cli.FidelityComparison.Pair;
import org.pagelab.cli.Tolerances.Band;

/** Phase deltas, medians, ratios, bands and the tally of one workload's comparison. */
class FidelityComparisonTest {
    private static final ValidationSuite.Workload W = new ValidationSuite.Workload("w", "test workload");

    private static KernelRun.Mark mark(String name, Map<String, Long> c) {
        return new KernelRun.Mark(name, 0, c);
    }

    private static KernelRun run(long pswpin, long scan, long memFree) {
        return new KernelRun(List.of(
                mark("start", Map.of("vmstat/pswpin", 100L, "vmstat/pgscan_kswapd", 0L, "meminfo/MemFree", 50000L,
                        "vmstat/nr_only_kernel", 1L)),
                mark("end", Map.of("vmstat/pswpin", 100L + pswpin, "vmstat/pgscan_kswapd", scan,
                        "meminfo/MemFree", 50000L + memFree, "vmstat/nr_only_kernel", 2L))),
                Map.of(), List.of(), List.of(), true);
    }

    private static List<KernelRun.Mark> pagelab(long pswpin, long scan, long memFree) {
        return List.of(
                mark("start", Map.of("vmstat/pswpin", 0L, "vmstat/pgscan_kswapd", 0L, "meminfo/MemFree", 40000L,
                        "vmstat/only_pagelab", 0L)),
                mark("end", Map.of("vmstat/pswpin", pswpin, "vmstat/pgscan_kswapd", scan, "meminfo/MemFree",
                        40000L + memFree, "vmstat/only_pagelab", 9L)));
    }

    private static Pair pair(FidelityComparison.Result r, String counter) {
        return r.pairs().stream().filter(p -> p.counter().equals(counter)).findFirst().orElseThrow();
    }

    @Test
    void sharedCountersArePairedWithTheKernelsMedianAndRange() {
        var r = FidelityComparison.compare(W, List.of(run(5000, 900, -3000), run(5100, 1500, -3200), run(4900, 700, -3100)),
                pagelab(5050, 3000, -5000), Tolerances.load());
        assertThat(r.phases()).containsExactly("end");
        assertThat(r.pairs()).extracting(Pair::counter)
                .containsExactlyInAnyOrder("vmstat/pswpin", "vmstat/pgscan_kswapd", "meminfo/MemFree");
        Pair in = pair(r, "vmstat/pswpin");
        assertThat(in.kernelMedian()).isEqualTo(5000);
        assertThat(in.kernelMin()).isEqualTo(4900);
        assertThat(in.kernelMax()).isEqualTo(5100);
        assertThat(in.ratio()).isEqualTo(1.01);
        assertThat(in.band()).isEqualTo(Band.WITHIN_2PCT);
        assertThat(in.withinTolerance()).isTrue();
        assertThat(in.counted()).isTrue();
        Pair scan = pair(r, "vmstat/pgscan_kswapd");
        assertThat(scan.kernelMedian()).isEqualTo(900);
        assertThat(scan.band()).isEqualTo(Band.BEYOND);
        assertThat(scan.counted()).as("3000 events on pagelab's side").isTrue();
        Pair free = pair(r, "meminfo/MemFree");
        assertThat(free.kernelMedian()).isEqualTo(-3100);
        assertThat(free.counted()).as("5000 kB is 1250 pages").isTrue();
        assertThat(free.band()).isEqualTo(Band.WITHIN_2X);

        var t = r.tally();
        assertThat(t.counted()).isEqualTo(3);
        assertThat(t.atMost(Band.WITHIN_2PCT)).isEqualTo(1);
        assertThat(t.atMost(Band.WITHIN_2X)).isEqualTo(2);
        assertThat(t.byBand().get(Band.BEYOND)).isEqualTo(1);
        assertThat(t.judged()).isEqualTo(3);
        assertThat(t.withinTolerance()).isEqualTo(2);
    }

    @Test
    void pairsWithFewEventsAreShownButNotCounted() {
        var r = FidelityComparison.compare(W, List.of(run(500, 900, -3000), run(600, 800, -3000)),
                pagelab(1000, 999, -3000), Tolerances.load());
        assertThat(pair(r, "vmstat/pswpin").kernelMedian()).isEqualTo(550);
        assertThat(pair(r, "vmstat/pswpin").counted()).isFalse();
        assertThat(pair(r, "vmstat/pgscan_kswapd").counted()).isFalse();
        assertThat(pair(r, "meminfo/MemFree").counted()).as("3000 kB is 750 pages").isFalse();
        assertThat(r.tally().counted()).isZero();
    }

    @Test
    void eventsAreCountedInPages() {
        assertThat(FidelityComparison.events("vmstat/pgpgin", 4000)).isEqualTo(1000);
        assertThat(FidelityComparison.events("meminfo/AnonPages", 4000)).isEqualTo(1000);
        assertThat(FidelityComparison.events("memory.stat/anon", 4096000)).isEqualTo(1000);
        assertThat(FidelityComparison.events("memory.stat/pgfault", 1000)).isEqualTo(1000);
        assertThat(FidelityComparison.events("memory.stat/workingset_refault_anon", 1000)).isEqualTo(1000);
        assertThat(FidelityComparison.events("vmstat/pswpin", 1000)).isEqualTo(1000);
    }

    @Test
    void runsThatDoNotMatchTheScenarioAreRefused() {
        KernelRun unfinished = new KernelRun(run(1, 1, 1).marks(), Map.of(), List.of(), List.of("mmap: ENOMEM"), false);
        assertThatThrownBy(() -> FidelityComparison.compare(W, List.of(unfinished), pagelab(1, 1, 1), Tolerances.load()))
                .hasMessage("w: kernel run 1 did not finish: mmap: ENOMEM");
        KernelRun other = new KernelRun(List.of(run(1, 1, 1).marks().getFirst()), Map.of(), List.of(), List.of(), true);
        assertThatThrownBy(() -> FidelityComparison.compare(W, List.of(other), pagelab(1, 1, 1), Tolerances.load()))
                .hasMessage("w: kernel run 1 has marks [start] but the pagelab scenario has [start, end]");
    }

    @Test
    void theMedianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        assertThat(FidelityComparison.median(new long[] {4, 1, 3, 2})).isEqualTo(2.5);
        assertThat(FidelityComparison.median(new long[] {7})).isEqualTo(7);
    }
}
