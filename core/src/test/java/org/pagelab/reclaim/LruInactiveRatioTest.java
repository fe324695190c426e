package org.pagelab.reclaim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.pagelab.desc.AnonFolio;
import org.pagelab.desc.FileFolio;
import org.pagelab.desc.PageCacheFolio;
import org.pagelab.desc.FolioFlags.Flag;
import org.pagelab.lruvec.LruList;
import org.pagelab.lruvec.LruVec;

class LruInactiveRatioTest {
    private static final long PAGES_PER_GIB = (1L << 30) / 4096;
    private static final long PAGES_PER_MIB = (1L << 20) / 4096;

    /** Expected ratios for sizes in MiB, worked out by hand: floor(sqrt(10 * whole GiB)), or 1. */
    @ParameterizedTest(name = "{0} MiB -> ratio {1}")
    @CsvSource({
        "0, 1", "10, 1", "100, 1", "1023, 1",
        "1024, 3",          // sqrt(10) = 3.16
        "2047, 3",          // still 1 GiB
        "2048, 4",          // sqrt(20) = 4.47
        "4096, 6",          // sqrt(40) = 6.32
        "10240, 10",        // sqrt(100) = 10
        "102400, 31",       // sqrt(1000) = 31.6
        "1048576, 101",     // 1 TiB: sqrt(10240) = 101.2
        "10485760, 320",    // 10 TiB: sqrt(102400) = 320
    })
    void ratioFollowsTheSquareRootOfTenTimesTheGigabytes(long mib, long ratio) {
        assertThat(TwoListPolicy.inactiveRatio(mib * PAGES_PER_MIB)).isEqualTo(ratio);
    }

    @Test
    void integerSquareRootIsExactAtAndAroundSquares() {
        for (long r = 0; r < 3000; r++) {
            assertThat(TwoListPolicy.intSqrt(r * r)).isEqualTo(r);
            if (r > 0) {
                assertThat(TwoListPolicy.intSqrt(r * r - 1)).isEqualTo(r - 1);
            }
        }
        long big = 3_037_000_499L;
        assertThat(TwoListPolicy.intSqrt(big * big)).isEqualTo(big);
        assertThat(TwoListPolicy.intSqrt(big * big - 1)).isEqualTo(big - 1);
    }

    @Test
    void belowOneGibTheInactiveListIsLowOnlyWhenSmallerThanTheActive() {
        LruVec lruvec = new LruVec("node0");
        TwoListPolicy policy = new TwoListPolicy(LruEventSink.NONE);
        // 2 active, 2 inactive file pages (one order-1 folio each): not low
        FileFolio a = new PageCacheFolio(0, 1);
        a.set(Flag.ACTIVE);
        policy.onAdd(lruvec, a);
        policy.onAdd(lruvec, new PageCacheFolio(2, 1));
        assertThat(policy.inactiveIsLow(lruvec, true)).isFalse();
        FileFolio b = new PageCacheFolio(4, 0);
        b.set(Flag.ACTIVE);
        policy.onAdd(lruvec, b);
        assertThat(policy.inactiveIsLow(lruvec, true)).isTrue();
        assertThat(policy.inactiveIsLow(lruvec, false)).as("anon lists are empty").isFalse();
        lruvec.check();
    }

    @Test
    void atFourGibTheInactiveListMayBeASixthOfTheActive() {
        LruVec lruvec = new LruVec("node0");
        TwoListPolicy policy = new TwoListPolicy(LruEventSink.NONE);
        long total = 4 * PAGES_PER_GIB;
        // order-10 anon folios of 1024 pages: 1024 folios in all
        int folios = (int) (total / 1024);
        int inactive = 147;          // 147 * 6 = 882 >= 877 active: not low
        int pfn = 0;
        for (int i = 0; i < folios; i++) {
            AnonFolio f = new AnonFolio(pfn, 10);
            pfn += 1024;
            if (i >= inactive) {
                f.set(Flag.ACTIVE);
            }
            policy.onAdd(lruvec, f);
        }
        assertThat(policy.inactiveIsLow(lruvec, false)).isFalse();
        lruvec.isolate(lruvec.peekTail(LruList.INACTIVE_ANON));
        lruvec.isolate(lruvec.peekTail(LruList.INACTIVE_ANON));
        // 145 * 6 = 870 < 877, and the total is now below 4 GiB: 3 GiB ratio 5, 725 < 877
        assertThat(policy.inactiveIsLow(lruvec, false)).isTrue();
        lruvec.check();
    }
}
