package org.pagelab.reclaim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pagelab.desc.AnonFolio;
import org.pagelab.desc.FileFolio;
import org.pagelab.desc.PageCacheFolio;
import org.pagelab.desc.ShmemFolio;
import org.pagelab.desc.Folio;
import org.pagelab.desc.FolioFlags.Flag;
import org.pagelab.lruvec.LruList;
import org.pagelab.lruvec.LruVec;

class LruVecTest {
    private final LruEventCounts events = new LruEventCounts();
    private final TwoListPolicy policy = new TwoListPolicy(events);
    private final LruVec lruvec = new LruVec("node0");
    private int nextPfn;

    @AfterEach
    void invariantsHold() {
        lruvec.check();
    }

    private AnonFolio anon(int order) {
        AnonFolio f = new AnonFolio(nextPfn, order);
        nextPfn += 1 << 4;
        return f;
    }

    private FileFolio file(int order) {
        FileFolio f = new PageCacheFolio(nextPfn, order);
        nextPfn += 1 << 4;
        return f;
    }

    private FileFolio shmem(int order) {
        FileFolio f = new ShmemFolio(nextPfn, order);
        nextPfn += 1 << 4;
        return f;
    }

    private static List<Folio> listOf(Iterable<Folio> it) {
        List<Folio> out = new ArrayList<>();
        it.forEach(out::add);
        return out;
    }

    @Test
    void listNamesAreTheKernelCounters() {
        assertThat(LruList.values()).extracting(LruList::kernelName).containsExactly(
                "nr_inactive_anon", "nr_active_anon", "nr_inactive_file", "nr_active_file", "nr_unevictable");
        assertThat(LruEvent.values()).extracting(LruEvent::kernelName).containsExactly(
                "pgactivate", "pgdeactivate", "pgrefill", "pgrotated",
                "unevictable_pgs_culled", "unevictable_pgs_rescued");
        assertThat(LruList.ACTIVE_FILE.isFile()).isTrue();
        assertThat(LruList.ACTIVE_FILE.isActive()).isTrue();
        assertThat(LruList.INACTIVE_ANON.isFile()).isFalse();
        assertThat(LruList.UNEVICTABLE.isActive()).isFalse();
        assertThat(LruList.UNEVICTABLE.isEvictable()).isFalse();
        for (LruList l : LruList.values()) {
            if (l.isEvictable()) {
                assertThat(LruList.of(l.isFile(), l.isActive())).isSameAs(l);
            }
        }
    }

    @Test
    void anonFoliosGoToTheInactiveAnonList() {
        AnonFolio a = anon(0);
        policy.onAdd(lruvec, a);
        assertThat(listOf(lruvec.folios(LruList.INACTIVE_ANON))).containsExactly(a);
        assertThat(a.test(Flag.LRU)).isTrue();
    }

    @Test
    void pageCacheFoliosGoToTheInactiveFileList() {
        FileFolio f = file(0);
        policy.onAdd(lruvec, f);
        assertThat(listOf(lruvec.folios(LruList.INACTIVE_FILE))).containsExactly(f);
    }

    @Test
    void shmemFoliosAreFileFoliosOnTheAnonLists() {
        FileFolio s = shmem(0);
        policy.onAdd(lruvec, s);
        assertThat(listOf(lruvec.folios(LruList.INACTIVE_ANON))).containsExactly(s);
        assertThat(lruvec.nrPages(LruList.INACTIVE_FILE)).isZero();
    }

    @Test
    void foliosArrivingActiveGoToTheActiveList() {
        FileFolio f = file(0);
        f.set(Flag.ACTIVE);
        AnonFolio a = anon(0);
        a.set(Flag.ACTIVE);
        policy.onAdd(lruvec, f);
        policy.onAdd(lruvec, a);
        assertThat(listOf(lruvec.folios(LruList.ACTIVE_FILE))).containsExactly(f);
        assertThat(listOf(lruvec.folios(LruList.ACTIVE_ANON))).containsExactly(a);
    }

    @Test
    void mlockedFoliosAreCulledToTheUnevictableListAndLoseActive() {
        FileFolio f = file(1);
        f.set(Flag.MLOCKED);
        f.set(Flag.ACTIVE);
        policy.onAdd(lruvec, f);
        assertThat(listOf(lruvec.folios(LruList.UNEVICTABLE))).containsExactly(f);
        assertThat(f.test(Flag.ACTIVE)).isFalse();
        assertThat(f.test(Flag.UNEVICTABLE)).isTrue();
        assertThat(events.get(LruEvent.UNEVICTABLE_PGS_CULLED)).isEqualTo(2);
    }

    @Test
    void munlockedFoliosAreRescuedOnPutback() {
        AnonFolio a = anon(0);
        a.set(Flag.MLOCKED);
        policy.onAdd(lruvec, a);
        lruvec.isolate(a);
        a.clear(Flag.MLOCKED);
        assertThat(policy.putback(lruvec, List.of(a))).isEmpty();
        assertThat(listOf(lruvec.folios(LruList.INACTIVE_ANON))).containsExactly(a);
        assertThat(a.test(Flag.UNEVICTABLE)).isFalse();
        assertThat(events.get(LruEvent.UNEVICTABLE_PGS_RESCUED)).isEqualTo(1);
    }

    @Test
    void countsArePagesNotFolios() {
        policy.onAdd(lruvec, file(2));
        policy.onAdd(lruvec, file(0));
        policy.onAdd(lruvec, anon(3));
        assertThat(lruvec.nrPages(LruList.INACTIVE_FILE)).isEqualTo(5);
        assertThat(lruvec.nrFolios(LruList.INACTIVE_FILE)).isEqualTo(2);
        assertThat(lruvec.nrPages(LruList.INACTIVE_ANON)).isEqualTo(8);
        assertThat(lruvec.nrEvictablePages()).isEqualTo(13);
    }

    @Test
    void addPutsAtTheHeadAndAddTailAtTheTail() {
        FileFolio a = file(0);
        FileFolio b = file(0);
        FileFolio c = file(0);
        lruvec.add(a);
        lruvec.add(b);
        lruvec.addTail(c);
        assertThat(listOf(lruvec.folios(LruList.INACTIVE_FILE))).containsExactly(b, a, c);
        lruvec.moveToTail(b);
        assertThat(listOf(lruvec.folios(LruList.INACTIVE_FILE))).containsExactly(a, c, b);
        lruvec.moveToHead(c);
        assertThat(listOf(lruvec.folios(LruList.INACTIVE_FILE))).containsExactly(c, a, b);
        assertThat(lruvec.peekTail(LruList.INACTIVE_FILE)).isSameAs(b);
    }

    @Test
    void isolationTakesAReferenceAndClearsOnlyLru() {
        FileFolio f = file(0);
        f.set(Flag.REFERENCED);
        lruvec.add(f);
        lruvec.isolate(f);
        assertThat(f.refcount()).isEqualTo(2);
        assertThat(f.test(Flag.LRU)).isFalse();
        assertThat(f.test(Flag.REFERENCED)).isTrue();
        assertThat(f.test(Flag.ISOLATED)).isFalse();
        assertThat(f.list()).isNull();
        assertThat(lruvec.nrPages(LruList.INACTIVE_FILE)).isZero();
        assertThat(lruvec.putback(f)).isEqualTo(LruVec.Putback.ON_LRU);
        assertThat(f.refcount()).isEqualTo(1);
        assertThat(f.test(Flag.LRU)).isTrue();
    }

    @Test
    void putbackOfTheLastReferenceReleasesTheFolio() {
        FileFolio f = file(0);
        f.set(Flag.ACTIVE);
        lruvec.add(f);
        lruvec.isolate(f);
        f.refSub(1);
        assertThat(lruvec.putback(f)).isEqualTo(LruVec.Putback.RELEASED);
        assertThat(f.refcount()).isZero();
        assertThat(f.list()).isNull();
        assertThat(f.test(Flag.LRU)).isFalse();
        assertThat(f.test(Flag.ACTIVE)).isFalse();
    }

    @Test
    void removeTakesAFreedFolioOffForGood() {
        AnonFolio a = anon(0);
        a.set(Flag.ACTIVE);
        policy.onAdd(lruvec, a);
        policy.remove(lruvec, a);
        assertThat(a.flagWord() & (Flag.LRU.bit() | Flag.ACTIVE.bit() | Flag.UNEVICTABLE.bit())).isZero();
        assertThat(lruvec.nrEvictablePages()).isZero();
        a.refSub(1);
        a.markDead();
    }

    @Test
    void misuseIsRejected() {
        FileFolio f = file(0);
        assertThatThrownBy(() -> lruvec.del(f)).hasMessageContaining("not marked LRU");
        lruvec.add(f);
        assertThatThrownBy(() -> lruvec.add(f)).hasMessageContaining("already on a list");
        LruVec other = new LruVec("node1");
        assertThatThrownBy(() -> other.del(f)).hasMessageContaining("not on list node1:inactive_file");
    }

    @Test
    void checkFindsAFlagChangedBehindTheListsBack() {
        FileFolio f = file(0);
        lruvec.add(f);
        f.set(Flag.ACTIVE);
        assertThatThrownBy(lruvec::check).hasMessageContaining("ACTIVE disagrees");
        f.clear(Flag.ACTIVE);
        f.set(Flag.SWAPBACKED);
        assertThatThrownBy(lruvec::check).hasMessageContaining("SWAPBACKED disagrees");
        f.clear(Flag.SWAPBACKED);
        f.clear(Flag.LRU);
        assertThatThrownBy(lruvec::check).hasMessageContaining("without LRU");
        f.set(Flag.LRU);
    }

    @Test
    void nonresidentAgeAndCostsAreKept() {
        lruvec.ageNonresident(3);
        assertThat(lruvec.nonresidentAge()).isEqualTo(3);
        for (int i = 0; i < 16; i++) {
            policy.onAdd(lruvec, file(0));
        }
        lruvec.noteCost(true, 2);
        lruvec.noteCost(false, 1);
        assertThat(lruvec.fileCost()).isEqualTo(2);
        assertThat(lruvec.anonCost()).isEqualTo(1);
        lruvec.noteCost(true, 2);
        assertThat(lruvec.fileCost()).as("5 > 16/4 halves both").isEqualTo(2);
        assertThat(lruvec.anonCost()).isZero();
    }

    @Test
    void policiesAreFoundByName() {
        assertThat(ReclaimPolicies.names()).contains(ReclaimPolicies.DEFAULT);
        assertThat(ReclaimPolicies.create("twolist", LruEventSink.NONE)).isInstanceOf(TwoListPolicy.class);
        assertThatThrownBy(() -> ReclaimPolicies.create("arc", LruEventSink.NONE)).hasMessageContaining("'arc'");
    }
}
