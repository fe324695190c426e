package org.pagelab.reclaim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pagelab.desc.AnonFolio;
import org.pagelab.desc.FileFolio;
import org.pagelab.desc.PageCacheFolio;
import org.pagelab.desc.Folio;
import org.pagelab.desc.FolioFlags.Flag;
import org.pagelab.lruvec.LruList;
import org.pagelab.lruvec.LruVec;

/** isolateForReclaim, shrinkActive, activation after a check, putback, deactivate and rotate. */
class LruScanTest {
    private final LruEventCounts events = new LruEventCounts();
    private final TwoListPolicy policy = new TwoListPolicy(events);
    private final LruVec lruvec = new LruVec("node0");
    private int nextPfn;

    @AfterEach
    void invariantsHold() {
        lruvec.check();
    }

    private FileFolio file(boolean active) {
        FileFolio f = new PageCacheFolio(nextPfn++, 0);
        if (active) {
            f.set(Flag.ACTIVE);
        }
        policy.onAdd(lruvec, f);
        return f;
    }

    private static List<Folio> listOf(Iterable<Folio> it) {
        List<Folio> out = new ArrayList<>();
        it.forEach(out::add);
        return out;
    }

    @Test
    void isolationTakesFromTheTailUntilEnoughPagesAreScanned() {
        FileFolio a = file(false);
        FileFolio b = file(false);
        FileFolio c = file(false);
        IsolateResult r = policy.isolateForReclaim(lruvec, IsolateRequest.any(true, 2));
        assertThat(r.folios()).containsExactly(a, b);
        assertThat(r.nrScanned()).isEqualTo(2);
        assertThat(r.nrTaken()).isEqualTo(2);
        assertThat(listOf(lruvec.folios(LruList.INACTIVE_FILE))).containsExactly(c);
        assertThat(a.refcount()).isEqualTo(2);
        assertThat(policy.isolateForReclaim(lruvec, IsolateRequest.any(false, 10)).folios()).isEmpty();
        assertThat(policy.putback(lruvec, r.folios())).isEmpty();
        assertThat(listOf(lruvec.folios(LruList.INACTIVE_FILE))).containsExactly(b, a, c);
    }

    @Test
    void ineligibleFoliosAreSkippedUncountedAndKeepTheirOrderAtTheHead() {
        FileFolio a = file(false);
        FileFolio b = file(false);
        FileFolio c = file(false);
        FileFolio d = file(false);
        IsolateResult r = policy.isolateForReclaim(lruvec,
                new IsolateRequest(true, 1, f -> f == c, true));
        assertThat(r.folios()).containsExactly(c);
        assertThat(r.nrScanned()).isEqualTo(1);
        assertThat(listOf(lruvec.folios(LruList.INACTIVE_FILE))).containsExactly(b, a, d);
    }

    @Test
    void mappedFoliosRotateWhenUnmappingIsNotAllowed() {
        FileFolio a = file(false);
        FileFolio b = file(false);
        a.mapcountAdd(1);
        IsolateResult r = policy.isolateForReclaim(lruvec, new IsolateRequest(true, 2, f -> true, false));
        assertThat(r.folios()).containsExactly(b);
        assertThat(r.nrScanned()).isEqualTo(2);
        assertThat(listOf(lruvec.folios(LruList.INACTIVE_FILE))).containsExactly(a);
        a.mapcountAdd(-1);
        policy.putback(lruvec, r.folios());
    }

    @Test
    void shrinkActiveDeactivatesEvenReferencedFoliosButKeepsExecutableFileText() {
        FileFolio text = file(true);
        FileFolio data = file(true);
        FileFolio idle = file(true);
        ReferenceHarvester rmap = f -> f == text ? new RmapReferences(1, true, false)
                : f == data ? RmapReferences.ptes(3) : RmapReferences.NONE;
        ShrinkActiveResult r = policy.shrinkActive(lruvec, IsolateRequest.any(true, 10), rmap);
        assertThat(r.nrScanned()).isEqualTo(3);
        assertThat(r.nrActivate()).isEqualTo(1);
        assertThat(r.nrDeactivate()).isEqualTo(2);
        assertThat(r.released()).isEmpty();
        assertThat(listOf(lruvec.folios(LruList.ACTIVE_FILE))).containsExactly(text);
        assertThat(listOf(lruvec.folios(LruList.INACTIVE_FILE))).containsExactly(idle, data);
        assertThat(data.test(Flag.WORKINGSET)).isTrue();
        assertThat(text.test(Flag.WORKINGSET)).isFalse();
        assertThat(events.get(LruEvent.PGREFILL)).isEqualTo(3);
        assertThat(events.get(LruEvent.PGDEACTIVATE)).isEqualTo(2);
        assertThat(lruvec.nonresidentAge()).as("active putback ages the clock").isEqualTo(1);
    }

    @Test
    void executableAnonFoliosAreDeactivated() {
        AnonFolio a = new AnonFolio(64, 0);
        a.set(Flag.ACTIVE);
        policy.onAdd(lruvec, a);
        policy.shrinkActive(lruvec, IsolateRequest.any(false, 1), f -> new RmapReferences(1, true, false));
        assertThat(LruVec.folioLru(a)).isEqualTo(LruList.INACTIVE_ANON);
    }

    @Test
    void foliosFreedWhileIsolatedAreHandedBack() {
        FileFolio gone = file(true);
        ShrinkActiveResult r = policy.shrinkActive(lruvec, IsolateRequest.any(true, 1), f -> {
            f.refSub(1);
            return RmapReferences.NONE;
        });
        assertThat(r.released()).containsExactly(gone);
        assertThat(r.nrDeactivate()).isZero();
        assertThat(gone.refcount()).isZero();
        assertThat(gone.list()).isNull();
        gone.markDead();
    }

    @Test
    void activatedFoliosReturnToTheActiveList() {
        FileFolio f = file(false);
        IsolateResult r = policy.isolateForReclaim(lruvec, IsolateRequest.any(true, 1));
        assertThat(policy.checkReferences(f, RmapReferences.ptes(2))).isEqualTo(FolioReferences.ACTIVATE);
        policy.activateIsolated(f);
        policy.putback(lruvec, r.folios());
        assertThat(LruVec.folioLru(f)).isEqualTo(LruList.ACTIVE_FILE);
        assertThat(events.get(LruEvent.PGACTIVATE)).isEqualTo(1);
    }

    @Test
    void deactivateMovesAnActiveFolioAndForgetsItsReference() {
        FileFolio f = file(true);
        f.set(Flag.REFERENCED);
        FileFolio g = file(false);
        policy.deactivate(lruvec, f);
        policy.deactivate(lruvec, g);
        assertThat(listOf(lruvec.folios(LruList.INACTIVE_FILE))).containsExactly(f, g);
        assertThat(f.test(Flag.REFERENCED)).isFalse();
        assertThat(events.get(LruEvent.PGDEACTIVATE)).isEqualTo(1);
    }

    @Test
    void rotationMovesACleanFolioToTheInactiveTail() {
        FileFolio a = file(false);
        FileFolio b = file(true);
        FileFolio dirty = file(false);
        dirty.set(Flag.DIRTY);
        policy.rotateReclaimable(lruvec, b);
        policy.rotateReclaimable(lruvec, dirty);
        assertThat(listOf(lruvec.folios(LruList.INACTIVE_FILE))).containsExactly(dirty, a, b);
        assertThat(events.get(LruEvent.PGROTATED)).isEqualTo(1);
    }
}
