package org.pagelab.reclaim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.pagelab.desc.AnonFolio;
import org.pagelab.desc.FileFolio;
import org.pagelab.desc.PageCacheFolio;
import org.pagelab.desc.Folio;
import org.pagelab.desc.FolioFlags.Flag;
import org.pagelab.desc.ShmemFolio;

/** folio_check_references: one test per rule of the decision. */
class LruCheckReferencesTest {
    private final TwoListPolicy policy = new TwoListPolicy(LruEventSink.NONE);

    private static Folio file(boolean referenced) {
        Folio f = new PageCacheFolio(0, 0);
        if (referenced) {
            f.set(Flag.REFERENCED);
        }
        return f;
    }

    private static Folio anon(boolean referenced) {
        Folio f = new AnonFolio(0, 0);
        if (referenced) {
            f.set(Flag.REFERENCED);
        }
        return f;
    }

    private static Folio shmem(boolean referenced) {
        Folio f = new ShmemFolio(0, 0);
        if (referenced) {
            f.set(Flag.REFERENCED);
        }
        return f;
    }

    @Test
    void aFolioInALockedVmaIsActivatedWhateverElseIsTrue() {
        Folio f = file(false);
        assertThat(policy.checkReferences(f, new RmapReferences(0, false, true))).isEqualTo(FolioReferences.ACTIVATE);
        assertThat(f.test(Flag.REFERENCED)).isFalse();
    }

    @Test
    void oneMappedReferenceAloneEarnsAnotherTripAndTheMark() {
        for (Folio f : new Folio[] {file(false), anon(false), shmem(false)}) {
            assertThat(policy.checkReferences(f, RmapReferences.ptes(1))).as(f.toString()).isEqualTo(FolioReferences.KEEP);
            assertThat(f.test(Flag.REFERENCED)).isTrue();
        }
    }

    @Test
    void aMappedReferenceAfterAnEarlierMarkActivates() {
        Folio f = anon(true);
        assertThat(policy.checkReferences(f, RmapReferences.ptes(1))).isEqualTo(FolioReferences.ACTIVATE);
        assertThat(f.test(Flag.REFERENCED)).as("the mark stays on activated folios").isTrue();
    }

    @Test
    void twoMappedReferencesActivate() {
        Folio f = anon(false);
        assertThat(policy.checkReferences(f, RmapReferences.ptes(2))).isEqualTo(FolioReferences.ACTIVATE);
        assertThat(f.test(Flag.REFERENCED)).isTrue();
    }

    @Test
    void executableFilePagesActivateOnTheirFirstMappedReference() {
        Folio f = file(false);
        assertThat(policy.checkReferences(f, new RmapReferences(1, true, false))).isEqualTo(FolioReferences.ACTIVATE);
    }

    @Test
    void executableAnonAndShmemPagesGetNoSuchFavour() {
        assertThat(policy.checkReferences(anon(false), new RmapReferences(1, true, false))).isEqualTo(FolioReferences.KEEP);
        assertThat(policy.checkReferences(shmem(false), new RmapReferences(1, true, false))).isEqualTo(FolioReferences.KEEP);
    }

    @Test
    void anUnreferencedFolioIsReclaimed() {
        for (Folio f : new Folio[] {file(false), anon(false), shmem(false)}) {
            assertThat(policy.checkReferences(f, RmapReferences.NONE)).as(f.toString()).isEqualTo(FolioReferences.RECLAIM);
        }
    }

    @Test
    void aFilePageUsedOnlyThroughSystemCallsIsReclaimedOnlyIfClean() {
        Folio f = file(true);
        assertThat(policy.checkReferences(f, RmapReferences.NONE)).isEqualTo(FolioReferences.RECLAIM_CLEAN);
        assertThat(f.test(Flag.REFERENCED)).as("the mark is consumed").isFalse();
        assertThat(policy.checkReferences(f, RmapReferences.NONE)).as("and the next time it is plain reclaim")
                .isEqualTo(FolioReferences.RECLAIM);
    }

    @Test
    void swapBackedPagesUsedOnlyThroughSystemCallsAreReclaimed() {
        assertThat(policy.checkReferences(anon(true), RmapReferences.NONE)).isEqualTo(FolioReferences.RECLAIM);
        assertThat(policy.checkReferences(shmem(true), RmapReferences.NONE)).isEqualTo(FolioReferences.RECLAIM);
    }

    @Test
    void keptFoliosActivateOnTheNextMappedReference() {
        Folio f = anon(false);
        assertThat(policy.checkReferences(f, RmapReferences.ptes(1))).isEqualTo(FolioReferences.KEEP);
        assertThat(policy.checkReferences(f, RmapReferences.ptes(1))).isEqualTo(FolioReferences.ACTIVATE);
    }
}
