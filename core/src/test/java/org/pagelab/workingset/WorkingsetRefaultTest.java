package org.pagelab.workingset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pagelab.desc.AnonFolio;
import org.pagelab.desc.FileFolio;
import org.pagelab.desc.PageCacheFolio;
import org.pagelab.desc.Folio;
import org.pagelab.desc.FolioFlags.Flag;
import org.pagelab.lruvec.LruList;
import org.pagelab.lruvec.LruVec;
import org.pagelab.reclaim.LruEventSink;
import org.pagelab.reclaim.TwoListPolicy;

/** Eviction, the refault distance test, restores, the detection switch and the counters. */
class WorkingsetRefaultTest {
    private static final long RAM_PAGES = 1L << 18;

    private final LruVec lruvec = new LruVec("node0");
    private final TwoListPolicy policy = new TwoListPolicy(LruEventSink.NONE);
    private final WorkingsetEventCounts counts = new WorkingsetEventCounts();
    private final Workingset ws = new Workingset(RAM_PAGES, counts);
    private int nextPfn;

    @AfterEach
    void invariantsHold() {
        lruvec.check();
        for (boolean file : new boolean[] {false, true}) {
            assertThat(counts.get(WorkingsetEvent.restore(file)))
                    .isLessThanOrEqualTo(counts.get(WorkingsetEvent.activate(file)));
            assertThat(counts.get(WorkingsetEvent.activate(file)))
                    .isLessThanOrEqualTo(counts.get(WorkingsetEvent.refault(file)));
        }
    }

    private FileFolio fileFolio() {
        return new PageCacheFolio(nextPfn++, 0);
    }

    private AnonFolio anonFolio() {
        AnonFolio f = new AnonFolio(nextPfn++, 0);
        f.set(Flag.SWAPBACKED);
        return f;
    }

    /** Puts {@code n} file folios on the LRU, active or inactive. */
    private void fill(int n, boolean active) {
        for (int i = 0; i < n; i++) {
            FileFolio f = fileFolio();
            if (active) {
                f.set(Flag.ACTIVE);
            }
            policy.onAdd(lruvec, f);
        }
    }

    /** Adds {@code f} to the inactive list, takes it off again and evicts it; returns the shadow. */
    private long evict(Folio f) {
        policy.onAdd(lruvec, f);
        lruvec.isolate(f);
        return ws.eviction(lruvec, f);
    }

    /** Evicts {@code k} unrelated file folios. */
    private void evictOthers(int k) {
        for (int i = 0; i < k; i++) {
            evict(fileFolio());
        }
    }

    private Refault.Evaluated refault(Folio f, long word, boolean swap) {
        return (Refault.Evaluated) ws.refault(lruvec, f, word, swap);
    }

    @Test
    void evictionStoresTheAgeBeforeAgingByTheFolioPages() {
        lruvec.ageNonresident(10);
        FileFolio big = new PageCacheFolio(64, 2);
        big.set(Flag.WORKINGSET);
        long word = evict(big);
        assertThat(ShadowWord.eviction(word)).isEqualTo(10);
        assertThat(ShadowWord.workingset(word)).isTrue();
        assertThat(ShadowWord.nodeId(word)).isEqualTo(Workingset.NODE_ID);
        assertThat(ShadowWord.memcgId(word)).isEqualTo(lruvec.memcgId()); // the evicting lruvec's cgroup
        assertThat(lruvec.nonresidentAge()).isEqualTo(14);
    }

    @Test
    void refaultWithinTheActiveListSizeIsActivated() {
        fill(8, true);
        FileFolio victim = fileFolio();
        long word = evict(victim);
        evictOthers(7);
        FileFolio back = fileFolio();
        long ageBefore = lruvec.nonresidentAge();
        Refault.Evaluated r = refault(back, word, false);
        assertThat(r.distance()).isEqualTo(8);
        assertThat(r.workingsetSize()).isEqualTo(8);
        assertThat(r.verdict()).isEqualTo(Refault.Verdict.ACTIVATED);
        assertThat(back.test(Flag.ACTIVE)).isTrue();
        assertThat(back.test(Flag.WORKINGSET)).isFalse();
        assertThat(lruvec.nonresidentAge()).isEqualTo(ageBefore + 1);
        assertThat(counts.get(WorkingsetEvent.WORKINGSET_REFAULT_FILE)).isEqualTo(1);
        assertThat(counts.get(WorkingsetEvent.WORKINGSET_ACTIVATE_FILE)).isEqualTo(1);
        assertThat(counts.get(WorkingsetEvent.WORKINGSET_RESTORE_FILE)).isZero();

        policy.onAdd(lruvec, back);
        assertThat(lruvec.peekHead(LruList.ACTIVE_FILE)).isSameAs(back);
    }

    @Test
    void refaultBeyondTheActiveListSizeStaysInactive() {
        fill(8, true);
        long word = evict(fileFolio());
        evictOthers(8);
        FileFolio back = fileFolio();
        long ageBefore = lruvec.nonresidentAge();
        Refault.Evaluated r = refault(back, word, false);
        assertThat(r.distance()).isEqualTo(9);
        assertThat(r.verdict()).isEqualTo(Refault.Verdict.TOO_FAR);
        assertThat(back.test(Flag.ACTIVE)).isFalse();
        assertThat(lruvec.nonresidentAge()).isEqualTo(ageBefore);
        assertThat(counts.get(WorkingsetEvent.WORKINGSET_REFAULT_FILE)).isEqualTo(1);
        assertThat(counts.get(WorkingsetEvent.WORKINGSET_ACTIVATE_FILE)).isZero();

        policy.onAdd(lruvec, back);
        assertThat(lruvec.peekHead(LruList.INACTIVE_FILE)).isSameAs(back);
    }

    @Test
    void activationsBetweenEvictionAndRefaultCountTowardsTheDistance() {
        fill(4, true);
        FileFolio other = fileFolio();
        policy.onAdd(lruvec, other);
        long word = evict(fileFolio());
        policy.onAccess(lruvec, other);
        policy.onAccess(lruvec, other);
        assertThat(other.test(Flag.ACTIVE)).as("promoted by its second access").isTrue();
        Refault.Evaluated r = refault(fileFolio(), word, false);
        assertThat(r.distance()).as("own eviction plus one activation").isEqualTo(2);
    }

    @Test
    void workingsetBitRestoresTheFolio() {
        fill(8, true);
        FileFolio victim = fileFolio();
        victim.set(Flag.WORKINGSET);
        long word = evict(victim);
        FileFolio back = fileFolio();
        long costBefore = lruvec.fileCost();
        Refault.Evaluated r = refault(back, word, false);
        assertThat(r.verdict()).isEqualTo(Refault.Verdict.RESTORED);
        assertThat(r.activated()).isTrue();
        assertThat(back.test(Flag.ACTIVE)).isTrue();
        assertThat(back.test(Flag.WORKINGSET)).isTrue();
        assertThat(lruvec.fileCost()).isEqualTo(costBefore + 1);
        assertThat(counts.get(WorkingsetEvent.WORKINGSET_ACTIVATE_FILE)).isEqualTo(1);
        assertThat(counts.get(WorkingsetEvent.WORKINGSET_RESTORE_FILE)).isEqualTo(1);
    }

    @Test
    void workingsetBitDoesNotRestoreARefaultThatIsTooFar() {
        fill(2, true);
        FileFolio victim = fileFolio();
        victim.set(Flag.WORKINGSET);
        long word = evict(victim);
        evictOthers(5);
        FileFolio back = fileFolio();
        assertThat(refault(back, word, false).verdict()).isEqualTo(Refault.Verdict.TOO_FAR);
        assertThat(back.test(Flag.WORKINGSET)).isFalse();
        assertThat(counts.get(WorkingsetEvent.WORKINGSET_RESTORE_FILE)).isZero();
    }

    @Test
    void detectionOffNeverActivatesButStillCounts() {
        fill(8, true);
        ws.setDetectionEnabled(false);
        FileFolio victim = fileFolio();
        victim.set(Flag.WORKINGSET);
        long word = evict(victim);
        FileFolio back = fileFolio();
        long ageBefore = lruvec.nonresidentAge();
        Refault.Evaluated r = refault(back, word, false);
        assertThat(r.distance()).isEqualTo(1);
        assertThat(r.verdict()).isEqualTo(Refault.Verdict.DETECTION_OFF);
        assertThat(back.test(Flag.ACTIVE)).isFalse();
        assertThat(back.test(Flag.WORKINGSET)).isFalse();
        assertThat(lruvec.nonresidentAge()).isEqualTo(ageBefore);
        assertThat(counts.get(WorkingsetEvent.WORKINGSET_REFAULT_FILE)).isEqualTo(1);
        assertThat(counts.get(WorkingsetEvent.WORKINGSET_ACTIVATE_FILE)).isZero();
        assertThat(counts.get(WorkingsetEvent.WORKINGSET_RESTORE_FILE)).isZero();
    }

    @Test
    void anonAndFileRefaultsCountSeparately() {
        fill(8, true);
        long anonWord = evict(anonFolio());
        long fileWord = evict(fileFolio());
        AnonFolio anonBack = anonFolio();
        FileFolio fileBack = fileFolio();
        assertThat(refault(anonBack, anonWord, true).activated()).isTrue();
        assertThat(refault(fileBack, fileWord, true).activated()).isTrue();
        assertThat(counts.get(WorkingsetEvent.WORKINGSET_REFAULT_ANON)).isEqualTo(1);
        assertThat(counts.get(WorkingsetEvent.WORKINGSET_REFAULT_FILE)).isEqualTo(1);
        assertThat(counts.get(WorkingsetEvent.WORKINGSET_ACTIVATE_ANON)).isEqualTo(1);
        assertThat(counts.get(WorkingsetEvent.WORKINGSET_ACTIVATE_FILE)).isEqualTo(1);
        policy.onAdd(lruvec, anonBack);
        assertThat(lruvec.peekHead(LruList.ACTIVE_ANON)).isSameAs(anonBack);
    }

    @Test
    void workingsetSizeFollowsTheKernelsSum() {
        for (int i = 0; i < 1; i++) {
            policy.onAdd(lruvec, anonFolio());
        }
        for (int i = 0; i < 2; i++) {
            AnonFolio a = anonFolio();
            a.set(Flag.ACTIVE);
            policy.onAdd(lruvec, a);
        }
        fill(4, false);
        fill(8, true);
        assertThat(Workingset.workingsetSize(lruvec, true, false)).isEqualTo(8);
        assertThat(Workingset.workingsetSize(lruvec, true, true)).isEqualTo(8 + 2 + 1);
        assertThat(Workingset.workingsetSize(lruvec, false, false)).isEqualTo(8 + 4);
        assertThat(Workingset.workingsetSize(lruvec, false, true)).isEqualTo(8 + 4 + 2);
    }

    @Test
    void foreignShadowIsIgnored() {
        fill(8, true);
        FileFolio back = fileFolio();
        Refault r = ws.refault(lruvec, back, ShadowWord.pack(1, 0, 0, true), false);
        assertThat(r).isEqualTo(new Refault.Foreign(1, 0));
        r = ws.refault(lruvec, back, ShadowWord.pack(0, 5, 0, true), false);
        assertThat(r).isEqualTo(new Refault.Foreign(0, 5));
        assertThat(back.test(Flag.ACTIVE)).isFalse();
        assertThat(counts.get(WorkingsetEvent.WORKINGSET_REFAULT_FILE)).isZero();
    }

    @Test
    void bucketOrderCoarsensTheTimestamp() {
        Workingset huge = new Workingset(1L << 40, counts);
        assertThat(huge.bucketOrder()).isEqualTo(4);
        fill(100, true);
        lruvec.ageNonresident(100);
        FileFolio victim = fileFolio();
        policy.onAdd(lruvec, victim);
        lruvec.isolate(victim);
        long word = huge.eviction(lruvec, victim);
        assertThat(ShadowWord.eviction(word)).isEqualTo(100 >>> 4);
        Refault.Evaluated r = (Refault.Evaluated) huge.refault(lruvec, fileFolio(), word, false);
        assertThat(r.distance()).as("measured from the bucket's start").isEqualTo(101 - 96);
    }

    @Test
    void distanceSurvivesTheClockWrapping() {
        fill(8, true);
        lruvec.ageNonresident(ShadowWord.EVICTION_MASK - 1);
        long word = evict(fileFolio());
        evictOthers(3);
        assertThat(lruvec.nonresidentAge()).isGreaterThan(ShadowWord.EVICTION_MASK);
        assertThat(refault(fileFolio(), word, false).distance()).isEqualTo(4);
    }

    @Test
    void activationAgesTheClockOnceAndThePolicyAlreadyDoes() {
        FileFolio f = fileFolio();
        policy.onAdd(lruvec, f);
        policy.onAccess(lruvec, f);
        assertThat(lruvec.nonresidentAge()).isZero();
        policy.onAccess(lruvec, f);
        assertThat(f.test(Flag.ACTIVE)).isTrue();
        assertThat(lruvec.nonresidentAge()).as("folio_mark_accessed's workingset_activation").isEqualTo(1);
        ws.activation(lruvec, new PageCacheFolio(128, 3));
        assertThat(lruvec.nonresidentAge()).isEqualTo(9);
    }

    @Test
    void foliosOnTheLruAreRejected() {
        FileFolio f = fileFolio();
        policy.onAdd(lruvec, f);
        assertThatThrownBy(() -> ws.eviction(lruvec, f)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> ws.refault(lruvec, f, 0L, false)).isInstanceOf(IllegalStateException.class);
    }
}
