package org.pagelab.workingset;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pagelab.desc.FileFolio;
import org.pagelab.desc.PageCacheFolio;
import org.pagelab.desc.Folio;
import org.pagelab.lruvec.LruVec;
import org.pagelab.reclaim.IsolateRequest;
import org.pagelab.reclaim.IsolateResult;
import org.pagelab.reclaim.LruEventSink;
import org.pagelab.reclaim.ReferenceHarvester;
import org.pagelab.reclaim.RmapReferences;
import org.pagelab.reclaim.ShrinkActiveResult;
import org.pagelab.reclaim.TwoListPolicy;

/**
 * The case that motivated workingset detection (kernel commit a528910e12ec): a page cache of
 * {@code N} pages, a file set A of {@code 3N/4} pages read over and over until it is all active,
 * then a second set B of {@code 3N/4} pages read over and over. B would fit in memory, but without
 * detection it only ever sees the inactive list, which is too short to keep it until its next
 * read, while the stale set A keeps the active list. With detection B's refaults are activated,
 * push A out, and B's hit ratio rises within a few passes.
 */
class WorkingsetTwoFileSetsTest {
    private static final int CACHE_PAGES = 256;
    private static final int SET_PAGES = CACHE_PAGES * 3 / 4;
    private static final int PASSES_A = 4;
    private static final int PASSES_B = 8;
    private static final long BATCH = 32;

    /**
     * A page cache made of one lruvec, the two-list policy and workingset detection: a read of a
     * cached page marks it accessed; a read of a missing page reclaims while the cache is full,
     * allocates a folio, judges it against the page's shadow, adds it to the LRU and marks it
     * accessed, as filemap_read does.
     */
    private static final class PageCache {
        private final LruVec lruvec = new LruVec("node0");
        private final TwoListPolicy policy = new TwoListPolicy(LruEventSink.NONE);
        private final WorkingsetEventCounts counts = new WorkingsetEventCounts();
        private final Workingset workingset = new Workingset(CACHE_PAGES, counts);
        private final Map<Long, Folio> resident = new HashMap<>();
        private final Map<Folio, Long> pageOf = new IdentityHashMap<>();
        private final Map<Long, Long> shadows = new HashMap<>();
        private int nextPfn;

        PageCache(boolean detection) {
            workingset.setDetectionEnabled(detection);
        }

        /** Reads page {@code page}; returns whether it was cached. */
        boolean read(long page) {
            Folio f = resident.get(page);
            if (f != null) {
                policy.onAccess(lruvec, f);
                return true;
            }
            while (resident.size() >= CACHE_PAGES) {
                shrink();
            }
            f = new PageCacheFolio(nextPfn++, 0);
            Long shadow = shadows.remove(page);
            if (shadow != null) {
                workingset.refault(lruvec, f, shadow, false);
            }
            policy.onAdd(lruvec, f);
            resident.put(page, f);
            pageOf.put(f, page);
            policy.onAccess(lruvec, f);
            return false;
        }

        /** One batch of shrink_lruvec on the file lists; unmapped page cache has no rmap references. */
        private void shrink() {
            if (policy.inactiveIsLow(lruvec, true)) {
                ShrinkActiveResult r = policy.shrinkActive(lruvec, IsolateRequest.any(true, BATCH),
                        ReferenceHarvester.NONE);
                assertThat(r.released()).isEmpty();
            }
            IsolateResult iso = policy.isolateForReclaim(lruvec, IsolateRequest.any(true, BATCH));
            List<Folio> keep = new ArrayList<>();
            for (Folio f : iso.folios()) {
                switch (policy.checkReferences(f, RmapReferences.NONE)) {
                    case ACTIVATE -> {
                        policy.activateIsolated(f);
                        keep.add(f);
                    }
                    case KEEP -> keep.add(f);
                    case RECLAIM, RECLAIM_CLEAN -> evict(f);
                }
            }
            assertThat(policy.putback(lruvec, keep)).isEmpty();
        }

        private void evict(Folio f) {
            long word = workingset.eviction(lruvec, f);
            long page = pageOf.remove(f);
            resident.remove(page);
            shadows.put(page, word);
            f.refSub(2);
        }

        /** Reads pages {@code first .. first + SET_PAGES - 1} once; returns the hit ratio. */
        double pass(long first) {
            int hits = 0;
            for (long p = first; p < first + SET_PAGES; p++) {
                if (read(p)) {
                    hits++;
                }
            }
            lruvec.check();
            return (double) hits / SET_PAGES;
        }
    }

    /** Hit ratios of every pass over B after {@link #PASSES_A} passes over A. */
    private static double[] run(boolean detection) {
        PageCache cache = new PageCache(detection);
        long setA = 0;
        long setB = 1_000_000;
        StringBuilder line = new StringBuilder("detection " + (detection ? "on " : "off") + "  A:");
        for (int i = 0; i < PASSES_A; i++) {
            line.append(String.format(" %.2f", cache.pass(setA)));
        }
        double[] b = new double[PASSES_B];
        line.append("  B:");
        for (int i = 0; i < PASSES_B; i++) {
            b[i] = cache.pass(setB);
            line.append(String.format(" %.2f", b[i]));
        }
        line.append("  refault_file=").append(cache.counts.get(WorkingsetEvent.WORKINGSET_REFAULT_FILE))
                .append(" activate_file=").append(cache.counts.get(WorkingsetEvent.WORKINGSET_ACTIVATE_FILE))
                .append(" restore_file=").append(cache.counts.get(WorkingsetEvent.WORKINGSET_RESTORE_FILE));
        System.out.println(line);
        return b;
    }

    @Test
    void withDetectionTheNewSetIsCachedWithinAFewPasses() {
        double[] b = run(true);
        assertThat(b[0]).isZero();
        assertThat(b[3]).as("hit ratio on B by the fourth pass").isGreaterThan(0.5);
        assertThat(b[PASSES_B - 1]).as("hit ratio on B at the end").isGreaterThan(0.9);
    }

    @Test
    void withoutDetectionTheNewSetThrashes() {
        double[] b = run(false);
        for (double ratio : b) {
            assertThat(ratio).isLessThan(0.05);
        }
    }
}
