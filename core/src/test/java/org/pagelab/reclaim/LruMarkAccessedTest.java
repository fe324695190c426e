package org.pagelab.reclaim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pagelab.desc.FileFolio;
import org.pagelab.desc.PageCacheFolio;
import org.pagelab.desc.FolioFlags.Flag;
import org.pagelab.lruvec.LruList;
import org.pagelab.lruvec.LruVec;

/** folio_mark_accessed as a state machine on (list, REFERENCED). */
class LruMarkAccessedTest {
    private final LruEventCounts events = new LruEventCounts();
    private final TwoListPolicy policy = new TwoListPolicy(events);
    private final LruVec lruvec = new LruVec("node0");
    private final FileFolio folio = new PageCacheFolio(8, 1);

    @AfterEach
    void invariantsHold() {
        lruvec.check();
    }

    @Test
    void firstAccessOfAnInactiveFolioOnlyMarksItReferenced() {
        policy.onAdd(lruvec, folio);
        policy.onAccess(lruvec, folio);
        assertThat(LruVec.folioLru(folio)).isEqualTo(LruList.INACTIVE_FILE);
        assertThat(folio.test(Flag.REFERENCED)).isTrue();
        assertThat(events.get(LruEvent.PGACTIVATE)).isZero();
    }

    @Test
    void secondAccessActivatesAndClearsReferenced() {
        policy.onAdd(lruvec, folio);
        policy.onAccess(lruvec, folio);
        policy.onAccess(lruvec, folio);
        assertThat(lruvec.peekHead(LruList.ACTIVE_FILE)).isSameAs(folio);
        assertThat(lruvec.nrPages(LruList.INACTIVE_FILE)).isZero();
        assertThat(folio.test(Flag.REFERENCED)).isFalse();
        assertThat(events.get(LruEvent.PGACTIVATE)).isEqualTo(2);
        assertThat(lruvec.nonresidentAge()).as("activation ages the non-resident clock").isEqualTo(2);
    }

    @Test
    void accessOfAnActiveFolioMarksItReferencedAndStaysActive() {
        policy.onAdd(lruvec, folio);
        policy.onAccess(lruvec, folio);
        policy.onAccess(lruvec, folio);
        policy.onAccess(lruvec, folio);
        assertThat(LruVec.folioLru(folio)).isEqualTo(LruList.ACTIVE_FILE);
        assertThat(folio.test(Flag.REFERENCED)).isTrue();
        policy.onAccess(lruvec, folio);
        assertThat(LruVec.folioLru(folio)).isEqualTo(LruList.ACTIVE_FILE);
        assertThat(folio.test(Flag.REFERENCED)).isTrue();
        assertThat(events.get(LruEvent.PGACTIVATE)).isEqualTo(2);
    }

    @Test
    void unevictableFoliosNeverMove() {
        folio.set(Flag.MLOCKED);
        policy.onAdd(lruvec, folio);
        for (int i = 0; i < 3; i++) {
            policy.onAccess(lruvec, folio);
        }
        assertThat(LruVec.folioLru(folio)).isEqualTo(LruList.UNEVICTABLE);
        assertThat(folio.test(Flag.REFERENCED)).isTrue();
        assertThat(lruvec.nonresidentAge()).isZero();
    }

    @Test
    void anIsolatedReferencedFolioIsNotActivatedButLosesReferenced() {
        policy.onAdd(lruvec, folio);
        policy.onAccess(lruvec, folio);
        lruvec.isolate(folio);
        policy.onAccess(lruvec, folio);
        assertThat(folio.test(Flag.ACTIVE)).isFalse();
        assertThat(folio.test(Flag.REFERENCED)).isFalse();
        assertThat(lruvec.nonresidentAge()).isEqualTo(2);
        policy.putback(lruvec, java.util.List.of(folio));
        assertThat(LruVec.folioLru(folio)).isEqualTo(LruList.INACTIVE_FILE);
    }

    @Test
    void activationPutsTheFolioAtTheHeadOfTheActiveList() {
        FileFolio older = new PageCacheFolio(0, 0);
        older.set(Flag.ACTIVE);
        policy.onAdd(lruvec, older);
        policy.onAdd(lruvec, folio);
        policy.onAccess(lruvec, folio);
        policy.onAccess(lruvec, folio);
        assertThat(lruvec.peekHead(LruList.ACTIVE_FILE)).isSameAs(folio);
        assertThat(lruvec.peekTail(LruList.ACTIVE_FILE)).isSameAs(older);
    }
}
