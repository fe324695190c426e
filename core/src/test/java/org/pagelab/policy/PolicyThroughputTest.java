package org.pagelab.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Prints accesses per second of each policy on a 1 Mi-key Zipf-like stream at 64 Ki pages. Prints
 * only: timing is not asserted. LRU runs first, while its call sites are still monomorphic.
 */
class PolicyThroughputTest {

    private static final int KEYS = 1 << 20;
    private static final int PAGES = 64 << 10;
    private static final int LENGTH = 16_000_000;

    @Test
    void printsThroughputOfEveryPolicy() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Boolean.getBoolean("pagelab.bench"),
                "a 60-second throughput figure, not a check: run it with -Dpagelab.bench=true");
        long[] trace = PolicyStreams.zipfLike(8, LENGTH, KEYS);
        List<String> lines = new ArrayList<>();
        for (String name : Policies.NAMES) {
            double best = 0;
            PolicyStats stats = null;
            long prepareNanos = 0;
            for (int run = 0; run < 4; run++) {
                long t0 = System.nanoTime();
                CachePolicy policy = Policies.create(name, PAGES, trace);
                long t1 = System.nanoTime();
                policy.replay(trace, 0, trace.length);
                long t2 = System.nanoTime();
                best = Math.max(best, trace.length / ((t2 - t1) / 1e9));
                prepareNanos = t1 - t0;
                stats = policy.stats();
                if (run == 0) {
                    policy.check();
                }
            }
            assertThat(stats.accesses()).isEqualTo(LENGTH);
            lines.add(String.format("  %-8s %6.1f M accesses/s  miss ratio %.4f%s", name, best / 1e6,
                    stats.missRatio(), name.equals("opt")
                            ? String.format("  (+%.0f ms to precompute next uses)", prepareNanos / 1e6) : ""));
        }
        long t0 = System.nanoTime();
        int[] sizes = new int[64];
        for (int k = 0; k < sizes.length; k++) {
            sizes[k] = (k + 1) * 4096;
        }
        MissRatioCurve curve = MissRatioCurve.lru(trace, sizes);
        double mrcRate = trace.length / ((System.nanoTime() - t0) / 1e9);
        assertThat(curve.misses()[15]).isEqualTo(Policies.replay("lru", PAGES, trace).misses());
        System.out.println("PolicyThroughputTest: " + LENGTH + " accesses, " + KEYS + " keys, " + PAGES + " pages (best of 4)");
        lines.forEach(System.out::println);
        System.out.printf("  lru-mrc  %6.1f M accesses/s  (one pass, %d sizes)%n", mrcRate / 1e6, sizes.length);
    }
}
