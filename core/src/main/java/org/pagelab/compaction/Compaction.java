package org.pagelab.compaction;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.pagelab.desc.Folio;
import org.pagelab.desc.FolioFlags.Flag;
import org.pagelab.desc.FreeBlock;
import org.pagelab.desc.MemDesc;
import org.pagelab.lruvec.LruVec;
import org.pagelab.phys.AllocRequest;
import org.pagelab.phys.CompactResult;
import org.pagelab.phys.CompactionHook;
import org.pagelab.phys.DescFactory;
import org.pagelab.phys.MigrateType;
import org.pagelab.phys.PageAllocator;
import org.pagelab.phys.Watermark;
import org.pagelab.phys.Zone;
import org.pagelab.phys.ZoneType;
import org.pagelab.stat.VmItem;
import org.pagelab.stat.VmStat;

/**
 * Memory compaction of the node's zones (mm/compaction.c): the migrate and free scanners, the
 * suitability test, deferral, direct compaction for the allocator and the whole-node compaction of
 * /proc/sys/vm/compact_memory. The model and its deviations are in the package comment.
 */
public final class Compaction implements CompactionHook {
    /** COMPACT_CLUSTER_MAX: folios the migrate scanner isolates per round. */
    static final int COMPACT_CLUSTER_MAX = 32;
    /** COMPACT_MAX_DEFER_SHIFT: a zone is skipped for at most 2^6 requests after failures. */
    static final int COMPACT_MAX_DEFER_SHIFT = 6;
    /** vm.extfrag_threshold's default: a costly order is compacted for only above this fragmentation index. */
    static final int EXTFRAG_THRESHOLD = 500;
    /**
     * COMPACTION_HPAGE_ORDER: the order proactive compaction measures fragmentation against, a PMD's
     * (x86-64's 2 MiB; also user-mode Linux's, whose PMD maps 2 MiB too).
     */
    public static final int COMPACTION_HPAGE_ORDER = 9;
    /** vm.compaction_proactiveness's default and bounds. */
    public static final int DEFAULT_PROACTIVENESS = 20;
    public static final int MAX_PROACTIVENESS = 100;

    /** How hard a run tries (the kernel's migrate_mode for compaction). */
    public enum Mode {
        /** The allocator's: only movable pageblocks are emptied; folios under writeback are passed over. */
        ASYNC,
        /** kcompactd's: every pageblock's movable folios move. */
        SYNC_LIGHT,
        /** compact_memory's. */
        SYNC
    }

    /** What one zone remembers between runs: the scanners' cached positions and the deferral state. */
    private static final class ZoneState {
        /** compact_cached_migrate_pfn[async, sync]. */
        final int[] cachedMigrate = new int[2];
        int cachedFree;
        int considered;
        int deferShift;
        int orderFailed;
    }

    private final PageAllocator phys;
    private final VmStat vmstat;
    private final Migrate migrate;
    private final Function<Folio, LruVec> lruvecOf;
    private final ZoneState[] state;

    /** Compaction of {@code phys}'s zones, moving folios with {@code migrate}. */
    public Compaction(PageAllocator phys, VmStat vmstat, Migrate migrate, Function<Folio, LruVec> lruvecOf) {
        this.phys = phys;
        this.vmstat = vmstat;
        this.migrate = migrate;
        this.lruvecOf = lruvecOf;
        List<Zone> zones = phys.zones();
        this.state = new ZoneState[zones.size()];
        for (int i = 0; i < state.length; i++) {
            state[i] = new ZoneState();
            resetCachedPositions(zones.get(i), state[i]);
        }
    }

    public Migrate migrate() {
        return migrate;
    }

    // ---- suitability and the fragmentation indexes ----

    /** Free pages, free blocks and free blocks of at least {@code order} (in units of 2^order) of {@code z}: fill_contig_page_info. */
    private static long[] contigInfo(Zone z, int order) {
        long freePages = 0;
        long blocks = 0;
        long suitable = 0;
        for (int o = 0; o <= MemDesc.MAX_ORDER; o++) {
            long n = z.nrFree(o);
            blocks += n;
            freePages += n << o;
            if (o >= order) {
                suitable += n << (o - order);
            }
        }
        return new long[] {freePages, blocks, suitable};
    }

    /**
     * fragmentation_index: -1000 when a block of {@code order} is free, 0 with nothing free,
     * else {@code 1000 - (1000 + 1000 * free / 2^order) / blocks}, in thousandths.
     */
    public static int fragmentationIndex(Zone z, int order) {
        long[] info = contigInfo(z, order);
        if (info[1] == 0) {
            return 0;
        }
        if (info[2] > 0) {
            return -1000;
        }
        return (int) (1000 - (1000 + info[0] * 1000 / (1L << order)) / info[1]);
    }

    /** unusable_free_index: thousandths of the free pages in blocks smaller than 2^order (1000 with nothing free). */
    public static int unusableIndex(Zone z, int order) {
        long[] info = contigInfo(z, order);
        if (info[0] == 0) {
            return 1000;
        }
        return (int) ((info[0] - (info[2] << order)) * 1000 / info[0]);
    }

    /**
     * fragmentation_score_zone (extfrag_for_order at {@value #COMPACTION_HPAGE_ORDER}): the percentage
     * of the zone's free pages in blocks too small for a huge page; 0 with nothing free.
     */
    public static int fragmentationScore(Zone z) {
        long[] info = contigInfo(z, COMPACTION_HPAGE_ORDER);
        if (info[0] == 0) {
            return 0;
        }
        return (int) ((info[0] - (info[2] << COMPACTION_HPAGE_ORDER)) * 100 / info[0]);
    }

    /**
     * fragmentation_score_node: the sum of each zone's score weighted by its share of the node's
     * present pages (present * score / (node present + 1), rounded down), so a small zone counts
     * little; 0..100.
     */
    public int nodeFragmentationScore() {
        long nodePresent = 0;
        for (Zone z : phys.zones()) {
            nodePresent += z.presentPages();
        }
        long score = 0;
        for (Zone z : phys.zones()) {
            score += z.presentPages() * fragmentationScore(z) / (nodePresent + 1);
        }
        return (int) score;
    }

    /**
     * fragmentation_score_wmark: proactive compaction starts above the high mark
     * (min(low + 10, 100)) and stops at the low one (max(100 - proactiveness, 5)).
     */
    public static int fragmentationScoreWmark(int proactiveness, boolean low) {
        int wmarkLow = Math.max(100 - proactiveness, 5);
        return low ? wmarkLow : Math.min(wmarkLow + 10, 100);
    }

    /**
     * proactive_compact_node: compacts every populated zone whole, synchronously but without
     * waiting on writeback, with no order, until the zone's fragmentation score is at most the low
     * mark for {@code proactiveness}, the scanners meet, or kswapd runs ({@code kswapdRunning}).
     * Counts compact_migrate_scanned, compact_free_scanned and compact_isolated, not the daemon's
     * counters (kcompactd_do_work alone counts those).
     */
    public void proactiveCompactNode(int proactiveness, java.util.function.BooleanSupplier kswapdRunning) {
        Proactive p = new Proactive(fragmentationScoreWmark(proactiveness, true), kswapdRunning);
        for (Zone z : phys.zones()) {
            if (z.managedPages() > 0) {
                resetCachedPositions(z, state[z.index()]); // whole_zone: both scanners start at the zone's ends
                compactZone(z, -1, z.type(), Mode.SYNC_LIGHT, false, new long[2], p);
            }
        }
    }

    /** A proactive run's stop conditions: the zone's score at most {@code wmarkLow}, or kswapd running. */
    private record Proactive(int wmarkLow, java.util.function.BooleanSupplier kswapdRunning) {
    }

    /**
     * compaction_suitable for an order-{@code order} request that may use zones up to
     * {@code highest}: SUCCESS, SKIPPED or CONTINUE as the package comment tabulates (a zone short
     * of memory rather than fragmented is SKIPPED). An order below 0 (compact_memory) is CONTINUE.
     */
    public static CompactResult suitable(Zone z, int order, ZoneType highest) {
        if (order < 0) {
            return CompactResult.CONTINUE;
        }
        if (z.watermarkOk(order, z.watermark(Watermark.MIN), highest)) {
            return CompactResult.SUCCESS;
        }
        long mark = z.watermark(order > AllocRequest.COSTLY_ORDER ? Watermark.LOW : Watermark.MIN) + (2L << order);
        if (!z.watermarkOk(0, mark, highest)) {
            return CompactResult.SKIPPED;
        }
        if (order > AllocRequest.COSTLY_ORDER) {
            int fi = fragmentationIndex(z, order);
            if (fi >= 0 && fi <= EXTFRAG_THRESHOLD) {
                return CompactResult.SKIPPED; // COMPACT_NOT_SUITABLE_ZONE, reported as skipped
            }
        }
        return CompactResult.CONTINUE;
    }

    // ---- deferral ----

    /** compaction_deferred: whether {@code z} skips this request of {@code order}; counts the request. */
    boolean deferred(Zone z, int order) {
        ZoneState s = state[z.index()];
        if (order < s.orderFailed) {
            return false;
        }
        int limit = 1 << s.deferShift;
        if (++s.considered >= limit) {
            s.considered = limit;
            return false;
        }
        return true;
    }

    /** defer_compaction: a run for {@code order} failed on {@code z}. */
    void defer(Zone z, int order) {
        ZoneState s = state[z.index()];
        s.considered = 0;
        s.deferShift = Math.min(COMPACT_MAX_DEFER_SHIFT, s.deferShift + 1);
        s.orderFailed = Math.min(s.orderFailed, order);
    }

    /** compaction_defer_reset: {@code order} succeeded on {@code z} (and an allocation with it when {@code allocated}). */
    void deferReset(Zone z, int order, boolean allocated) {
        ZoneState s = state[z.index()];
        if (allocated) {
            s.considered = 0;
            s.deferShift = 0;
        }
        if (order >= s.orderFailed) {
            s.orderFailed = order + 1;
        }
    }

    /** The zone's compact_defer_shift (for tests and dumps). */
    public int deferShift(Zone z) {
        return state[z.index()].deferShift;
    }

    // ---- direct compaction ----

    @Override
    public Outcome directCompact(AllocRequest req, Supplier<Zone> retry) {
        CompactResult r = tryToCompactPages(req.order(), req.highestZone(), Mode.ASYNC);
        if (r == CompactResult.SKIPPED) {
            return new Outcome(null, r);
        }
        vmstat.inc(VmItem.COMPACT_STALL);
        Zone z = retry.get();
        if (z != null) {
            deferReset(z, req.order(), true);
            vmstat.inc(VmItem.COMPACT_SUCCESS);
        } else {
            vmstat.inc(VmItem.COMPACT_FAIL);
        }
        return new Outcome(z, r);
    }

    /**
     * try_to_compact_pages: compacts each zone of the zonelist (highest first) that is not deferred,
     * stopping at the first that succeeds; a failed synchronous run defers its zone. Returns the
     * furthest outcome.
     */
    CompactResult tryToCompactPages(int order, ZoneType highest, Mode mode) {
        CompactResult rc = CompactResult.SKIPPED;
        List<Zone> zones = phys.zones();
        for (int i = highest.ordinal(); i >= 0; i--) {
            Zone z = zones.get(i);
            if (z.managedPages() == 0) {
                continue;
            }
            if (mode != Mode.SYNC && deferred(z, order)) {
                rc = CompactResult.max(rc, CompactResult.DEFERRED);
                continue;
            }
            CompactResult status = compactZone(z, order, highest, mode, true, new long[2]);
            rc = CompactResult.max(rc, status);
            if (status == CompactResult.SUCCESS) {
                deferReset(z, order, false);
                break;
            }
            if (mode != Mode.ASYNC && (status == CompactResult.COMPLETE || status == CompactResult.PARTIAL_SKIPPED)) {
                defer(z, order);
            }
        }
        return rc;
    }

    /**
     * /proc/sys/vm/compact_memory (compact_node): every populated zone compacted whole,
     * synchronously, with no order: the scanners run until they meet.
     */
    public void compactNode() {
        for (Zone z : phys.zones()) {
            if (z.managedPages() > 0) {
                resetCachedPositions(z, state[z.index()]);
                compactZone(z, -1, z.type(), Mode.SYNC, false, new long[2]);
            }
        }
    }

    // ---- one run over a zone ----

    /**
     * compact_zone: compacts {@code z} for an order-{@code order} request (below 0: until the
     * scanners meet) that may use zones up to {@code highest}. {@code scanned} receives the pfns
     * the migrate and free scanners visited. Returns SUCCESS, SKIPPED, COMPLETE or PARTIAL_SKIPPED.
     */
    CompactResult compactZone(Zone z, int order, ZoneType highest, Mode mode, boolean direct, long[] scanned) {
        return compactZone(z, order, highest, mode, direct, scanned, null);
    }

    private CompactResult compactZone(Zone z, int order, ZoneType highest, Mode mode, boolean direct, long[] scanned,
                                      Proactive proactive) {
        CompactResult ret = suitable(z, order, highest);
        if (ret == CompactResult.SUCCESS || ret == CompactResult.SKIPPED) {
            return ret;
        }
        Run run = new Run(z, state[z.index()], order, mode, direct, proactive);
        try {
            runs:
            while ((ret = run.finished(highest)) == CompactResult.CONTINUE) {
                List<Folio> isolated = run.isolateMigratepages();
                if (isolated.isEmpty()) {
                    continue;
                }
                boolean failed = false;
                for (int i = 0; i < isolated.size(); i++) {
                    Folio f = isolated.get(i);
                    Migrate.Outcome o = migrate.migrateIsolated(f, run::takeFreeFrame);
                    if (o == Migrate.Outcome.SUCCESS) {
                        continue;
                    }
                    failed = true;
                    migrate.putbackIsolated(f);
                    if (o == Migrate.Outcome.NO_TARGET) {
                        for (int j = i + 1; j < isolated.size(); j++) {
                            migrate.putbackIsolated(isolated.get(j));
                        }
                        if (!run.scannersMet()) {
                            // migrate_pages' -ENOMEM while the free scanner still had ground to
                            // cover: it gave up at the min watermark, and the run ends there
                            ret = CompactResult.CONTENDED;
                            break runs;
                        }
                        break;
                    }
                }
                if (failed && direct && mode == Mode.ASYNC && order > 0) {
                    run.skipOrderBlock(); // a failure in this order-aligned block: the rest of it is passed over
                }
            }
        } finally {
            run.save();
            vmstat.add(VmItem.COMPACT_MIGRATE_SCANNED, run.migrateScanned);
            vmstat.add(VmItem.COMPACT_FREE_SCANNED, run.freeScanned);
            scanned[0] += run.migrateScanned;
            scanned[1] += run.freeScanned;
        }
        return ret;
    }

    /**
     * Checks each zone's remembered state: the cached scanner positions inside the zone (the free
     * scanner's at a pageblock start), the defer shift in 0..{@value #COMPACT_MAX_DEFER_SHIFT}
     * and the requests considered at most 2^shift. Throws {@link IllegalStateException}.
     */
    public void check() {
        for (Zone z : phys.zones()) {
            ZoneState s = state[z.index()];
            String name = z.type().kernelName();
            for (int m : s.cachedMigrate) {
                if (z.managedPages() > 0 && (m < z.startPfn() || m > z.endPfn())) {
                    throw new IllegalStateException(name + ": compact_cached_migrate_pfn " + m + " outside the zone");
                }
            }
            if (z.managedPages() > 0 && (s.cachedFree < pageblockStart(z, z.startPfn()) || s.cachedFree >= z.endPfn()
                    || s.cachedFree != pageblockStart(z, s.cachedFree))) {
                throw new IllegalStateException(name + ": compact_cached_free_pfn " + s.cachedFree
                        + " is not a pageblock of the zone");
            }
            if (s.deferShift < 0 || s.deferShift > COMPACT_MAX_DEFER_SHIFT || s.considered < 0
                    || s.considered > 1 << s.deferShift) {
                throw new IllegalStateException(name + ": compact_defer_shift " + s.deferShift + ", compact_considered "
                        + s.considered);
            }
        }
    }

    private static void resetCachedPositions(Zone z, ZoneState s) {
        s.cachedMigrate[0] = z.startPfn();
        s.cachedMigrate[1] = z.startPfn();
        s.cachedFree = pageblockStart(z, z.endPfn() - 1);
    }

    private static int pageblockStart(Zone z, int pfn) {
        return pfn & -(1 << z.pageblockOrder());
    }

    /** One compact_control: the two scanners' positions over one zone during one run. */
    private final class Run {
        final Zone z;
        final ZoneState s;
        final int order;
        final Mode mode;
        final boolean direct;
        final int pageblock;
        final boolean wholeZone;
        final Proactive proactive;
        int migratePfn;
        /** First pfn of the pageblock the free scanner is in, and the next pfn it looks at there. */
        int freeBlock;
        int freePfn;
        long migrateScanned;
        long freeScanned;

        Run(Zone z, ZoneState s, int order, Mode mode, boolean direct, Proactive proactive) {
            this.z = z;
            this.proactive = proactive;
            this.s = s;
            this.order = order;
            this.mode = mode;
            this.direct = direct;
            this.pageblock = 1 << z.pageblockOrder();
            this.migratePfn = s.cachedMigrate[mode == Mode.ASYNC ? 0 : 1];
            this.freeBlock = s.cachedFree;
            if (freeBlock < z.startPfn() || freeBlock >= z.endPfn()) {
                freeBlock = pageblockStart(z, z.endPfn() - 1);
            }
            if (migratePfn < z.startPfn() || migratePfn >= z.endPfn()) {
                migratePfn = z.startPfn();
            }
            this.freePfn = Math.max(freeBlock, z.startPfn());
            this.wholeZone = migratePfn == z.startPfn();
        }

        /** compact_scanners_met: the free scanner's pageblock is at or below the migrate scanner's. */
        boolean scannersMet() {
            return freeBlock >> z.pageblockOrder() <= migratePfn >> z.pageblockOrder();
        }

        /** __compact_finished. */
        CompactResult finished(ZoneType highest) {
            if (scannersMet()) {
                resetCachedPositions(z, s);
                migratePfn = z.startPfn();
                freeBlock = s.cachedFree;
                freePfn = freeBlock;
                return wholeZone ? CompactResult.COMPLETE : CompactResult.PARTIAL_SKIPPED;
            }
            if (proactive != null) {
                if (proactive.kswapdRunning().getAsBoolean()) {
                    return CompactResult.PARTIAL_SKIPPED;
                }
                return fragmentationScore(z) > proactive.wmarkLow() ? CompactResult.CONTINUE : CompactResult.SUCCESS;
            }
            if (order < 0 || !z.watermarkOk(order, z.watermark(Watermark.MIN), highest)) {
                return CompactResult.CONTINUE;
            }
            return CompactResult.SUCCESS;
        }

        /**
         * isolate_migratepages: from the migrate scanner's position, the next suitable pageblock
         * (asynchronous direct compaction takes only movable ones) is scanned and its movable
         * order-0 LRU folios isolated, at most {@value #COMPACT_CLUSTER_MAX}; the position moves on.
         */
        List<Folio> isolateMigratepages() {
            List<Folio> out = new ArrayList<>();
            while (!scannersMet()) {
                int blockEnd = Math.min(pageblockStart(z, migratePfn) + pageblock, z.endPfn());
                if (mode == Mode.ASYNC && direct && z.blockType(migratePfn) != MigrateType.MOVABLE) {
                    migratePfn = blockEnd; // suitable_migration_source
                    continue;
                }
                int p = migratePfn;
                while (p < blockEnd && out.size() < COMPACT_CLUSTER_MAX) {
                    MemDesc d = phys.owner(p);
                    migrateScanned++;
                    if (d instanceof Folio f && isolatable(f)) {
                        lruvecOf.apply(f).isolate(f);
                        out.add(f);
                    }
                    p = Math.max(p + 1, d.endPfn()); // a free block or a large descriptor is passed in one step
                }
                migratePfn = Math.min(p, blockEnd);
                vmstat.add(VmItem.COMPACT_ISOLATED, out.size());
                return out;
            }
            return out;
        }

        /** The checks of isolate_migratepages_block before folio_isolate_lru. */
        private boolean isolatable(Folio f) {
            if (f.order() > 0 || !f.test(Flag.LRU) || f.isDead()) {
                return false; // compound pages are passed over; off-LRU folios are someone else's
            }
            if (f.mapping() == null && f.refcount() > f.mapcount()) {
                return false; // an anonymous page with references beyond its mappings: pinned, or in use
            }
            return mode != Mode.ASYNC || !f.test(Flag.WRITEBACK) && !f.test(Flag.LOCKED);
        }

        /** After a failed migration in asynchronous direct compaction: the migrate scanner skips to the end of the order-aligned block. */
        void skipOrderBlock() {
            int size = 1 << Math.min(order, 30);
            migratePfn = Math.min(z.endPfn(), ((migratePfn - 1) & -size) + size);
        }

        /**
         * compaction_alloc: the next free frame of the free scanner, which walks pageblocks down
         * from the top of the zone and, within one, frames up; only movable pageblocks that are not
         * wholly free (suitable_migration_target), and never at or below the migrate scanner's
         * pageblock. Returns null when the scanners have met, or when the free block it found
         * would take the zone below min plus the block's size (the high-atomic reserve not counted
         * as free), as __isolate_free_page refuses it.
         */
        <F extends Folio> F takeFreeFrame(int ord, DescFactory<F> factory) {
            if (ord != 0) {
                return null;
            }
            while (!scannersMet()) {
                int blockEnd = Math.min(freeBlock + pageblock, z.endPfn());
                if (freePfn == Math.max(freeBlock, z.startPfn()) && !suitableTarget()) {
                    nextFreeBlock();
                    continue;
                }
                while (freePfn < blockEnd) {
                    MemDesc d = phys.owner(freePfn);
                    freeScanned++;
                    if (d instanceof FreeBlock fb) {
                        // __isolate_free_page takes a buddy block only if the zone stays above its
                        // min watermark, the high-atomic reserve not counted as free; when it
                        // refuses, isolate_freepages stops ("isolation failed early")
                        if (!z.watermarkOk(0, z.watermark(Watermark.MIN) + (1L << fb.order()), z.type())) {
                            return null;
                        }
                        F f = phys.allocFreeFrame(freePfn, factory);
                        vmstat.inc(VmItem.COMPACT_ISOLATED);
                        freePfn++;
                        return f;
                    }
                    freePfn = Math.max(freePfn + 1, d.endPfn());
                }
                nextFreeBlock();
            }
            return null;
        }

        private boolean suitableTarget() {
            int start = Math.max(freeBlock, z.startPfn());
            if (phys.owner(start) instanceof FreeBlock fb && fb.order() >= z.pageblockOrder()) {
                return false;
            }
            return z.blockType(start) == MigrateType.MOVABLE;
        }

        private void nextFreeBlock() {
            freeBlock -= pageblock;
            freePfn = Math.max(freeBlock, z.startPfn());
        }

        /** Leaves the scanners' positions for the next run. */
        void save() {
            s.cachedMigrate[mode == Mode.ASYNC ? 0 : 1] = migratePfn;
            s.cachedFree = freeBlock;
        }
    }
}
