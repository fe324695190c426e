package org.pagelab.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A one-time scan flushes a hot set out of LRU but not out of ARC, S3-FIFO or the two lists. */
class PolicyScanResistanceTest {

    private static final int CAPACITY = 1000;
    private static final int HOT = 500;

    /** Hits of one pass over the hot set after: 10 passes over it, then a scan of 4c new keys. */
    private static long hotHitsAfterScan(String name) {
        CachePolicy policy = Policies.create(name, CAPACITY);
        for (int round = 0; round < 10; round++) {
            for (int k = 0; k < HOT; k++) {
                policy.access(k);
            }
        }
        for (int k = 0; k < 4 * CAPACITY; k++) {
            policy.access(1_000_000 + k);
        }
        long hits = 0;
        for (int k = 0; k < HOT; k++) {
            if (policy.access(k)) {
                hits++;
            }
        }
        policy.check();
        return hits;
    }

    @Test
    void aScanDoesNotFlushTheHotSetAsMuchAsUnderLru() {
        Map<String, Long> hits = new LinkedHashMap<>();
        for (String name : new String[] {"lru", "fifo", "clock", "arc", "s3fifo", "twolist"}) {
            hits.put(name, hotHitsAfterScan(name));
        }
        System.out.println("PolicyScanResistanceTest hot-set hits after a scan (of " + HOT + "): " + hits);
        assertThat(hits.get("lru")).isZero();
        assertThat(hits.get("arc")).isEqualTo(HOT);
        assertThat(hits.get("s3fifo")).isEqualTo(HOT);
        assertThat(hits.get("twolist")).isEqualTo(HOT);
    }
}
