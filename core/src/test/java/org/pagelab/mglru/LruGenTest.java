package org.pagelab.mglru;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pagelab.desc.AnonFolio;
import org.pagelab.desc.FileFolio;
import org.pagelab.desc.PageCacheFolio;
import org.pagelab.desc.Folio;
import org.pagelab.desc.FolioFlags.Flag;
import org.pagelab.lruvec.LruGen;
import org.pagelab.lruvec.LruList;
import org.pagelab.lruvec.LruVec;
import org.pagelab.reclaim.GenerationalScan;
import org.pagelab.reclaim.LruEvent;
import org.pagelab.reclaim.LruEventCounts;
import org.pagelab.reclaim.ReclaimPolicies;

/**
 * The generations of one lruvec under {@link MglruPolicy}, without a machine: where folios enter,
 * how the sequence numbers move, what the eviction takes and keeps, and that the checker sees
 * every kind of corruption. The lruvec's checker (which runs the generations') runs after each test.
 */
class LruGenTest {
    private final LruEventCounts events = new LruEventCounts();
    private final MglruPolicy policy = new MglruPolicy(events);
    private final LruVec lruvec = new LruVec("node0");
    private int nextPfn;

    @AfterEach
    void invariantsHold() {
        lruvec.check();
    }

    private AnonFolio anon() {
        AnonFolio f = new AnonFolio(nextPfn, 0);
        nextPfn += 16;
        return f;
    }

    private FileFolio file() {
        FileFolio f = new PageCacheFolio(nextPfn, 0);
        nextPfn += 16;
        return f;
    }

    private LruGen g() {
        return lruvec.lrugen();
    }

    @Test
    void theRegistryNamesMglru() {
        assertThat(ReclaimPolicies.names()).containsExactly("twolist", "mglru");
        assertThat(ReclaimPolicies.create("mglru", org.pagelab.reclaim.LruEventSink.NONE)).isInstanceOf(MglruPolicy.class);
    }

    @Test
    void faultedAnonJoinsTheYoungestAndReadFileTheSecondOldest() {
        AnonFolio a = anon();
        FileFolio f = file();
        policy.onAdd(lruvec, a);
        policy.onAdd(lruvec, f);
        assertThat(g().maxSeq()).isEqualTo(3);
        assertThat(LruGen.folioGen(a)).isEqualTo(LruGen.genFromSeq(3));
        // min_seq 0 + MIN_NR_GENS < max_seq 3: a read file folio goes to min_seq + 1
        assertThat(LruGen.folioGen(f)).isEqualTo(LruGen.genFromSeq(1));
        assertThat(a.test(Flag.ACTIVE)).as("ACTIVE is clear on a generation list").isFalse();
        assertThat(lruvec.nrPages(LruList.ACTIVE_ANON)).isEqualTo(1);
        assertThat(lruvec.nrPages(LruList.INACTIVE_FILE)).isEqualTo(1);
        assertThat(lruvec.contains(a)).isTrue();
    }

    @Test
    void accessesThroughFileDescriptorsClimbTheTiers() {
        FileFolio f = file();
        policy.onAdd(lruvec, f);
        int[] tiers = new int[6];
        for (int i = 0; i < tiers.length; i++) {
            tiers[i] = LruGen.tierFromRefs(LruGen.folioRefs(f));
            policy.onAccess(lruvec, f);
        }
        // 0: none; REFERENCED: still tier 0; WORKINGSET: refs 1 -> tier 1; counter 1, 2, 3 -> tiers 2, 2, 3
        assertThat(tiers).containsExactly(0, 0, 1, 2, 2, 3);
        assertThat(LruGen.folioRefsField(f)).isEqualTo(LruGen.REFS_MASK);
    }

    @Test
    void agingShiftsTheActiveCountsAndRetiresTheOldestWhenTheWindowIsFull() {
        List<AnonFolio> young = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            AnonFolio a = anon();
            policy.onAdd(lruvec, a);
            young.add(a);
        }
        assertThat(lruvec.nrPages(LruList.ACTIVE_ANON)).isEqualTo(5);
        assertThat(g().nrGens(LruGen.ANON)).as("a new lruvec's window is full").isEqualTo(LruGen.MAX_NR_GENS);
        g().incMaxSeq(lruvec, true, 10); // so the oldest generation (empty) retires first
        assertThat(g().maxSeq()).isEqualTo(4);
        assertThat(g().minSeq(LruGen.ANON)).isEqualTo(1);
        assertThat(lruvec.nrPages(LruList.ACTIVE_ANON)).as("generation 3 is now the second youngest").isEqualTo(5);
        g().incMaxSeq(lruvec, true, 20);
        assertThat(lruvec.nrPages(LruList.INACTIVE_ANON)).as("generation 3 is old now").isEqualTo(5);
        assertThat(lruvec.nrPages(LruList.ACTIVE_ANON)).isZero();
        lruvec.check();
        g().incMaxSeq(lruvec, true, 30);
        assertThat(g().minSeq(LruGen.ANON)).as("the folios' generation is the oldest now").isEqualTo(3);
        assertThat(g().timestamp(LruGen.genFromSeq(6))).isEqualTo(30);
        assertThat(g().tryToIncMinSeq(true)).as("the oldest generation is not empty").isFalse();
        lruvec.check();
        for (AnonFolio a : young) {
            policy.remove(lruvec, a);
        }
        assertThat(g().tryToIncMinSeq(true)).as("empty oldest generations are skipped").isTrue();
        assertThat(g().minSeq(LruGen.ANON)).as("down to MIN_NR_GENS generations").isEqualTo(5);
        assertThat(g().minSeq(LruGen.FILE)).isEqualTo(5);
    }

    /** Ten file folios read in, two of them read four more times (tier 2); returns them. */
    private List<FileFolio> tenFilesTwoHot() {
        List<FileFolio> files = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            FileFolio f = file();
            policy.onAdd(lruvec, f);
            files.add(f);
        }
        for (int i = 0; i < 4; i++) {
            policy.onAccess(lruvec, files.get(3));
            policy.onAccess(lruvec, files.get(7));
        }
        assertThat(LruGen.tierFromRefs(LruGen.folioRefs(files.get(3)))).isEqualTo(2);
        return files;
    }

    /** Isolates file folios until a batch has some (the first retires the empty oldest generation). */
    private GenerationalScan.Batch isolateFile() {
        for (int i = 0; i < LruGen.MAX_NR_GENS; i++) {
            GenerationalScan.Batch b = policy.isolate(lruvec, 0);
            if (!b.result().folios().isEmpty()) {
                assertThat(b.file()).isTrue();
                return b;
            }
        }
        throw new AssertionError("no file folio isolated: " + g());
    }

    @Test
    void withoutRefaultEvidenceEveryTierIsEvicted() {
        List<FileFolio> files = tenFilesTwoHot();
        GenerationalScan.Batch b = isolateFile();
        assertThat(b.result().folios()).containsExactlyInAnyOrderElementsOf(files);
        assertThat(policy.putback(lruvec, b.result().folios())).isEmpty();
    }

    @Test
    void aTierThatRefaultsMoreThanTwiceTheFirstIsProtected() {
        List<FileFolio> files = tenFilesTwoHot();
        // tier 0: 4000 evicted, no refault; tier 2: 400 evicted, all refaulted (halved into the
        // moving averages when the empty oldest generation retires, still above MIN_LRU_BATCH)
        g().countEvicted(LruGen.FILE, 0, 4000);
        g().countEvicted(LruGen.FILE, 2, 400);
        g().countRefaulted(LruGen.FILE, 2, 400);
        assertThat(Feedback.tierIdx(g(), LruGen.FILE)).isEqualTo(1);
        GenerationalScan.Batch b = isolateFile();
        assertThat(b.result().folios()).hasSize(8).doesNotContain(files.get(3), files.get(7));
        // the two protected pages count in tier 2's total; the emptied generation retired, so
        // they are in its moving average now: (400 / 2 + 2) / 2
        assertThat(g().minSeq(LruGen.FILE)).isEqualTo(2);
        assertThat(g().avgTotal(LruGen.FILE, 2)).isEqualTo(101);
        assertThat(files.get(3).test(Flag.WORKINGSET)).as("protection starts the tier again").isFalse();
        assertThat(LruGen.folioGen(files.get(3))).as("one generation younger: seq 2").isEqualTo(LruGen.genFromSeq(2));
        assertThat(policy.putback(lruvec, b.result().folios())).isEmpty();
    }

    @Test
    void theShadowTokenCountsARefaultOnlyWhileItsGenerationIsTheOldest() {
        FileFolio f = file();
        policy.onAdd(lruvec, f);
        policy.onAccess(lruvec, f);
        policy.onAccess(lruvec, f); // WORKINGSET: refs 1, tier 1
        policy.remove(lruvec, f);
        f.set(Flag.WORKINGSET); // remove keeps the flags a shadow is made from
        org.pagelab.workingset.Workingset ws = new org.pagelab.workingset.Workingset(1 << 16, (e, n) -> { });
        long word = policy.shadowOnEviction(lruvec, f, ws);
        assertThat(org.pagelab.workingset.ShadowWord.workingset(word)).isTrue();
        assertThat(g().evicted(LruGen.FILE, 1)).isEqualTo(1);
        FileFolio again = file();
        policy.onRefault(lruvec, lruvec, again, word, false, ws);
        assertThat(g().refaulted(LruGen.FILE, 1)).isEqualTo(1);
        // after the oldest generation moves on, the token is stale
        g().incMaxSeq(lruvec, false, 1);
        g().incMaxSeq(lruvec, false, 2);
        assertThat(g().minSeq(LruGen.FILE)).isPositive();
        policy.onRefault(lruvec, lruvec, file(), word, false, ws);
        assertThat(g().refaulted(LruGen.FILE, 1)).isZero();
    }

    @Test
    void theCheckerFindsAFolioOnTheWrongGeneration() {
        FileFolio f = file();
        policy.onAdd(lruvec, f);
        int gen = LruGen.folioGen(f);
        f.setGen((gen + 1) % LruGen.MAX_NR_GENS + 1);
        assertThatThrownBy(lruvec::check).isInstanceOf(IllegalStateException.class).hasMessageContaining("generation");
        f.setGen(gen + 1);
    }

    @Test
    void theCheckerFindsAnActiveFolioOnAGeneration() {
        AnonFolio a = anon();
        policy.onAdd(lruvec, a);
        a.set(Flag.ACTIVE);
        assertThatThrownBy(lruvec::check).isInstanceOf(IllegalStateException.class).hasMessageContaining("active");
        a.clear(Flag.ACTIVE);
    }

    @Test
    void randomOperationsKeepTheInvariants() {
        SplittableRandom rnd = new SplittableRandom(20261205L);
        List<Folio> on = new ArrayList<>();
        long now = 0;
        for (int step = 0; step < 20_000; step++) {
            int op = rnd.nextInt(100);
            if (op < 30 || on.isEmpty()) {
                Folio f = rnd.nextBoolean() ? anon() : file();
                policy.onAdd(lruvec, f);
                on.add(f);
            } else if (op < 55) {
                policy.onAccess(lruvec, on.get(rnd.nextInt(on.size())));
            } else if (op < 65) {
                Folio f = on.remove(rnd.nextInt(on.size()));
                policy.remove(lruvec, f);
            } else if (op < 72) {
                policy.deactivate(lruvec, on.get(rnd.nextInt(on.size())));
            } else if (op < 80) {
                g().incMaxSeq(lruvec, rnd.nextBoolean(), now += 1000);
            } else if (op < 88) {
                g().tryToIncMinSeq(rnd.nextBoolean());
            } else {
                GenerationalScan.Batch b = policy.isolate(lruvec, rnd.nextInt(201));
                List<Folio> back = new ArrayList<>();
                for (Folio f : b.result().folios()) {
                    if (rnd.nextInt(3) == 0) {
                        f.refSub(1); // the isolation reference
                        f.clear(Flag.ACTIVE);
                        f.setGen(0);
                        on.remove(f); // reclaimed
                    } else {
                        back.add(f);
                    }
                }
                assertThat(policy.putback(lruvec, back)).isEmpty();
            }
            if (step % 100 == 0) {
                lruvec.check();
            }
        }
        long pages = 0;
        for (int gen = 0; gen < LruGen.MAX_NR_GENS; gen++) {
            pages += g().nrPages(gen, LruGen.ANON) + g().nrPages(gen, LruGen.FILE);
        }
        assertThat(pages).isEqualTo(on.size());
        assertThat(events.get(LruEvent.PGDEACTIVATE)).isPositive();
    }
}
