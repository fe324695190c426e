package org.pagelab.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.pagelab.testing.Seeds;
import org.pagelab.trace.TraceKeys;

/**
 * Results published elsewhere that pagelab's policies must reproduce: Che's approximation of LRU
 * under the independent reference model, and the LIRS multi1 trace's OPT hit count documented by
 * Caffeine's simulator, read from the simulator's own jar (a test dependency, not copied here).
 */
@ExtendWith(Seeds.class)
class PolicyGoldenTest {
    @TempDir
    Path dir;

    /**
     * Che's approximation: with popularities p_i, the characteristic time T solves
     * sum_i (1 - exp(-p_i T)) = C, and the LRU hit ratio is sum_i p_i (1 - exp(-p_i T)).
     */
    private static double cheHitRatio(double[] p, int capacity) {
        double lo = 0;
        double hi = 1;
        while (occupancy(p, hi) < capacity) {
            hi *= 2;
        }
        for (int i = 0; i < 200; i++) {
            double mid = (lo + hi) / 2;
            if (occupancy(p, mid) < capacity) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        double t = (lo + hi) / 2;
        double h = 0;
        for (double pi : p) {
            h += pi * -Math.expm1(-pi * t);
        }
        return h;
    }

    private static double occupancy(double[] p, double t) {
        double s = 0;
        for (double pi : p) {
            s += -Math.expm1(-pi * t);
        }
        return s;
    }

    @ParameterizedTest(name = "alpha {0}, {1} objects, capacity {2}")
    @CsvSource({"0.6, 10000, 500", "0.8, 10000, 1000", "1.0, 10000, 200", "1.2, 20000, 2000"})
    void lruUnderZipfMatchesChesApproximationWithinHalfAPercent(double alpha, int objects, int capacity) {
        double[] p = new double[objects];
        double sum = 0;
        for (int i = 0; i < objects; i++) {
            p[i] = 1 / Math.pow(i + 1, alpha);
            sum += p[i];
        }
        double[] cdf = new double[objects];
        double acc = 0;
        for (int i = 0; i < objects; i++) {
            p[i] /= sum;
            acc += p[i];
            cdf[i] = acc;
        }
        long seed = Seeds.derive(20261126L + objects + capacity);
        SplittableRandom rnd = new SplittableRandom(seed);
        int n = 3_000_000;
        long[] trace = new long[n];
        for (int i = 0; i < n; i++) {
            int k = java.util.Arrays.binarySearch(cdf, rnd.nextDouble());
            trace[i] = k >= 0 ? k : Math.min(-k - 1, objects - 1);
        }
        CachePolicy lru = Policies.create("lru", capacity);
        int warm = n / 10; // measure after the cache is full, as the stationary formula assumes
        lru.replay(trace, 0, warm);
        long hitsBefore = lru.stats().hits();
        lru.replay(trace, warm, n);
        double measured = (lru.stats().hits() - hitsBefore) / (double) (n - warm);
        assertThat(measured).as("seed %d: LRU hit ratio against Che's %.4f", seed, cheHitRatio(p, capacity))
                .isCloseTo(cheHitRatio(p, capacity), org.assertj.core.data.Offset.offset(0.005));
    }

    /**
     * Caffeine's simulator documents 9,323 OPT hits on multi1 at 500 pages. pagelab's OPT is
     * demand paging (Belady's MIN: every missed page enters the cache) and finds 9,322; Caffeine's
     * clairvoyant policy may also evict the page just missed when its next use is the furthest, a
     * bypass that demand paging does not allow, and that gains exactly one hit on this trace (both
     * variants computed independently while writing this test: 9,322 without bypass, 9,323 with).
     */
    @Test
    void optOnTheLirsMulti1TraceAt500PagesHitsAsPublishedLessTheBypassHit() throws IOException {
        long[] keys = TraceKeys.load(List.of("lirs:" + PolicyStreams.lirsTrace(dir, "multi1")));
        assertThat(keys).hasSize(15858);
        PolicyStats opt = Policies.replay("opt", 500, keys);
        assertThat(opt.hits()).isEqualTo(9323 - 1);
        PolicyStats lru = Policies.replay("lru", 500, keys);
        assertThat(lru.hits()).isLessThan(opt.hits());
    }

    /**
     * The LIRS authors' own simulator ({@code lirs.c}, shipped beside their traces in the Caffeine
     * simulator's jar), built with gcc and run at these sizes, misses 8,841, 7,033 and 5,011 times on
     * multi1 and 6,300, 4,717 and 2,744 times on cs (docs/policies.md has the commands); pagelab's
     * LIRS must give the same counts.
     */
    @ParameterizedTest(name = "{0} at {1} pages")
    @CsvSource({"multi1, 100, 8841", "multi1, 500, 7033", "multi1, 1000, 5011", "cs, 100, 6300", "cs, 500, 4717",
        "cs, 1000, 2744"})
    void lirsMissesAsTheAuthorsSimulatorDoes(String trace, int pages, long misses) throws IOException {
        long[] keys = TraceKeys.load(List.of("lirs:" + PolicyStreams.lirsTrace(dir, trace)));
        CachePolicy lirs = Policies.create("lirs", pages);
        lirs.replay(keys, 0, keys.length);
        lirs.check();
        assertThat(lirs.stats().misses()).isEqualTo(misses);
    }

    /**
     * The CLOCK-Pro authors' simulator ({@code clock-pro.c}, shipped in the same jar), built with gcc
     * and run with its default settings on the same traces (its "*" checkpoint lines removed), misses
     * this often; pagelab's CLOCK-Pro must give the same counts.
     */
    @ParameterizedTest(name = "{0} at {1} pages")
    @CsvSource({"multi1, 100, 9003", "multi1, 500, 7049", "multi1, 1000, 5151", "cs, 100, 6336", "cs, 500, 4873",
        "cs, 1000, 2903", "sprite, 500, 31061"})
    void clockProMissesAsTheAuthorsSimulatorDoes(String trace, int pages, long misses) throws IOException {
        long[] keys = TraceKeys.load(List.of("lirs:" + PolicyStreams.lirsTrace(dir, trace)));
        CachePolicy clockPro = Policies.create("clockpro", pages);
        clockPro.replay(keys, 0, keys.length);
        clockPro.check();
        assertThat(clockPro.stats().misses()).isEqualTo(misses);
    }
}
