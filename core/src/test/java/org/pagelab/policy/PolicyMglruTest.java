package org.pagelab.policy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * {@link MglruCachePolicy} on sequences worked out by hand from its documented rules: the
 * generations after each step, the agings, and the hits that set it apart from LRU.
 */
class PolicyMglruTest {

    private static boolean[] run(MglruCachePolicy p, long... keys) {
        boolean[] hits = new boolean[keys.length];
        for (int i = 0; i < keys.length; i++) {
            hits[i] = p.access(keys[i]);
            p.check();
        }
        return hits;
    }

    /**
     * Two pages, 1 2 3: the first eviction finds generations 0 to 2 empty and retires 0 and 1; with
     * two generations left it ages (1 and 2, whose faults set their bits, move to generation 3, bits
     * cleared), then ages again (three generations, the oldest under a quarter), and evicts the tail
     * of generation 3, page 1. 3 joins generation 5.
     */
    @Test
    void theFirstEvictionAgesTwiceAndTakesTheOldestPage() {
        MglruCachePolicy p = new MglruCachePolicy(2);
        assertThat(run(p, 1, 2)).containsExactly(false, false);
        assertThat(p.generation(3)).containsExactly(2, 1);
        assertThat(p.minSeq()).isZero();
        assertThat(p.maxSeq()).isEqualTo(3);
        assertThat(run(p, 3)).containsExactly(false);
        assertThat(p.agings()).isEqualTo(2);
        assertThat(p.minSeq()).isEqualTo(3);
        assertThat(p.maxSeq()).isEqualTo(5);
        assertThat(p.generation(3)).containsExactly(2);
        assertThat(p.generation(4)).isEmpty();
        assertThat(p.generation(5)).containsExactly(3);
    }

    /**
     * Then 2 (hit, bit set) and 4: the oldest tail 2 is accessed and moves to the youngest,
     * generation 5 ([2, 3]); generations 3 and 4 retire; two are left, so aging runs: 3 still has
     * its fault's bit and moves to the head of 5, 2 (bit cleared by the eviction) stays; then again
     * (the oldest empty). Generation 4 retires and the tail of 5, page 2, is evicted: the page just
     * hit goes, the page not touched since its fault stays, and its next access hits where LRU
     * misses.
     */
    @Test
    void aPageNeedsTwoUnaccessedLooksBeforeItGoes() {
        MglruCachePolicy p = new MglruCachePolicy(2);
        long[] trace = {1, 2, 3, 2, 4, 3};
        boolean[] hits = run(p, trace);
        assertThat(hits).containsExactly(false, false, false, true, false, true);
        assertThat(p.agings()).isEqualTo(4);
        assertThat(p.minSeq()).isEqualTo(5);
        assertThat(p.maxSeq()).isEqualTo(7);
        assertThat(p.generation(5)).containsExactly(3);
        assertThat(p.generation(7)).containsExactly(4);
        LruPolicy lru = new LruPolicy(2);
        lru.replay(trace, 0, trace.length);
        assertThat(lru.stats().hits()).isEqualTo(1);
        assertThat(p.stats().hits()).isEqualTo(2);
        assertThat(PolicyReferenceMore.mglru(trace, 2)).containsExactly(hits);
    }

    /** One page: every miss evicts the only page, whatever its bit, and the checker holds throughout. */
    @Test
    void onePageHitsOnlyRepeats() {
        MglruCachePolicy p = new MglruCachePolicy(1);
        assertThat(run(p, 1, 1, 2, 1, 1, 1, 2)).containsExactly(false, true, false, false, true, true, false);
        assertThat(p.size()).isEqualTo(1);
    }

    @Test
    void theRegistryMakesIt() {
        CachePolicy p = Policies.create("MGLRU", 8);
        assertThat(p).isInstanceOf(MglruCachePolicy.class);
        assertThat(p.name()).isEqualTo("mglru");
        assertThat(Policies.NAMES).contains("mglru");
    }
}
