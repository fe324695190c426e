package org.pagelab.policy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Tiny hand-worked sequences; each access is followed by a full invariant check. */
class PolicyTextbookTest {

    /** The sequence of Belady, Nelson and Shedler (1969) that shows FIFO's anomaly. */
    private static final long[] BELADY = PolicyStreams.of(1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5);

    private static long misses(CachePolicy policy, long[] trace) {
        PolicyStreams.hitPattern(policy, trace);
        return policy.stats().misses();
    }

    @Test
    void fifoShowsBeladysAnomalyNineMissesWithThreeFramesTenWithFour() {
        assertThat(misses(new FifoPolicy(3), BELADY)).isEqualTo(9);
        assertThat(misses(new FifoPolicy(4), BELADY)).isEqualTo(10);
    }

    @Test
    void optMissesSevenWithThreeFramesSixWithFour() {
        assertThat(misses(new OptPolicy(3, BELADY), BELADY)).isEqualTo(7);
        assertThat(misses(new OptPolicy(4, BELADY), BELADY)).isEqualTo(6);
    }

    @Test
    void lruMissesTenWithThreeFramesEightWithFour() {
        assertThat(PolicyStreams.hitPattern(new LruPolicy(3), BELADY)).isEqualTo("mmmmmmmHHmmm");
        assertThat(PolicyStreams.hitPattern(new LruPolicy(4), BELADY)).isEqualTo("mmmmHHmHHmmm");
    }

    @Test
    void clockWithBitClearOnInsertMissesTenWithThreeFramesEightWithFour() {
        assertThat(PolicyStreams.hitPattern(new ClockPolicy(3), BELADY)).isEqualTo("mmmmmmmHHmmm");
        assertThat(PolicyStreams.hitPattern(new ClockPolicy(4), BELADY)).isEqualTo("mmmmHHmHHmmm");
    }

    @Test
    void arcAdaptsItsTargetOnGhostHits() {
        ArcPolicy arc = new ArcPolicy(2, true);
        // 1,2 fill T1; 1 moves to T2; 3 pushes 2 to B1; 2 (B1 hit) raises p to 1 and pushes 1 to B2;
        // 1 (B2 hit) lowers p to 0 and pushes 3 to B1; 3 (B1 hit) raises p to 1, pushes 2 to B2; 1 hits.
        assertThat(PolicyStreams.hitPattern(arc, PolicyStreams.of(1, 2, 1, 3, 2, 1, 3, 1))).isEqualTo("mmHmmmmH");
        assertThat(arc.target()).isEqualTo(1);
    }

    @Test
    void s3fifoPromotesFrequentPagesAndReadmitsGhostsToMain() {
        S3FifoPolicy s3 = new S3FifoPolicy(2, true);
        // S holds 1 page, M 1, G 1. 1 reaches freq 2; 3's miss moves 1 to M and ghosts 2; 2 comes back
        // from G into M (ghosting 3); 3 comes back into M, costing 1 a unit of frequency and 2 its place;
        // 2 misses into S and costs 1 another unit and 3 its place; 1 still hits.
        assertThat(PolicyStreams.hitPattern(s3, PolicyStreams.of(1, 1, 1, 2, 3, 2, 1, 3, 2, 1)))
                .isEqualTo("mHHmmmHmmH");
    }

    @Test
    void twoListActivatesOnSecondAccessAndEvictsFromTheInactiveTail() {
        TwoListCachePolicy two = new TwoListCachePolicy(2);
        // 1 activates; 3 evicts 2 from the inactive tail; 3 activates; 4's reclaim finds inactive low,
        // deactivates 1 and evicts it; 1 evicts 4; 3, still active, hits.
        assertThat(PolicyStreams.hitPattern(two, PolicyStreams.of(1, 1, 2, 3, 3, 4, 1, 3))).isEqualTo("mHmmHmmH");
        assertThat(two.activePages()).isEqualTo(1);
    }
}
