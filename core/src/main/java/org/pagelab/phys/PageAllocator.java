package org.pagelab.phys;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.pagelab.desc.Folio;
import org.pagelab.desc.FreeBlock;
import org.pagelab.desc.MemDesc;
import org.pagelab.desc.Memmap;
import org.pagelab.desc.PoisonedFrame;
import org.pagelab.desc.ReservedBlock;
import org.pagelab.desc.SlabCache;
import org.pagelab.desc.SlabPage;
import org.pagelab.slab.SlabPageSource;
import org.pagelab.stat.VmItem;
import org.pagelab.stat.VmStat;

/**
 * The node's page allocator: zones, the memmap, frame contents and the allocation path of
 * mm/page_alloc.c.
 *
 * <p>An allocation tries the zonelist (Normal, then DMA32) against the low watermark; when that
 * fails it wakes kswapd for each zone, retries against the min watermark, then, if the request may
 * reclaim, enters direct reclaim and retries while reclaim makes progress. Failure is a null
 * result, as alloc_pages returns NULL; the caller turns it into ENOMEM or the OOM path.
 */
public final class PageAllocator implements SlabPageSource {
    /** Bytes the kernel spends on one struct page; the memmap is reserved at that size. */
    public static final int STRUCT_PAGE_BYTES = 64;
    /** Frames below 1 MiB are reserved for firmware, as x86 reserves them. */
    public static final int FIRMWARE_FRAMES = 256;
    /** Direct-reclaim rounds that may free nothing before the allocation fails (MAX_RECLAIM_RETRIES). */
    private static final int DIRECT_RECLAIM_RETRIES = 16;
    /** Bound on direct-reclaim rounds that make progress without the allocation succeeding. */
    private static final int DIRECT_RECLAIM_ROUNDS = 1024;

    private final PhysConfig config;
    private final VmStat vmstat;
    private final Memmap memmap;
    private final FrameContents contents;
    private final Zone[] zones;
    private final List<ReservedBlock> reserved = new ArrayList<>();
    private final int minFreeKbytes;
    private final ReservedBlock zeroPage;
    private long totalreservePages;
    private ReclaimHooks hooks = ReclaimHooks.NONE;
    private long poisonedPages;
    private AllocClock clock = AllocClock.NONE;
    private java.util.function.Consumer<Folio> lruRelease = f -> {
        throw new IllegalStateException("folio on an LRU list with no LRU installed: " + f);
    };

    /** Boots physical memory of shape {@code config}, counting into {@code vmstat}. */
    public PageAllocator(PhysConfig config, VmStat vmstat) {
        this.config = config;
        this.vmstat = vmstat;
        int n = config.nrFrames();
        this.memmap = new Memmap(n);
        this.contents = config.dataMode() ? new DataFrames(n) : new NoFrames();
        int dmaEnd = config.dma32Frames();
        this.zones = new Zone[] {
            new Zone(ZoneType.DMA32, 0, dmaEnd, memmap, vmstat, config.pageblockOrder()),
            new Zone(ZoneType.NORMAL, dmaEnd, n, memmap, vmstat, config.pageblockOrder()),
        };
        for (Zone z : zones) {
            z.setBoostFactor(config.watermarkBoostFactor());
        }
        int memmapFrames = config.memmapFrames();
        reserveRange(0, FIRMWARE_FRAMES, "firmware");
        reserveRange(FIRMWARE_FRAMES, FIRMWARE_FRAMES + 1, "zero page");
        this.zeroPage = reserved.get(reserved.size() - 1);
        contents.zero(zeroPage.pfn(), 1);
        int kernelFrames = (int) (config.kernelBytes() / MemSize.PAGE_SIZE);
        if (kernelFrames > 0) {
            reserveRange(n - memmapFrames - kernelFrames, n - memmapFrames, "kernel");
        }
        reserveRange(n - memmapFrames, n, "memmap");
        for (Zone z : zones) {
            long reservedInZone = 0;
            for (ReservedBlock r : reserved) {
                if (z.contains(r.pfn())) {
                    reservedInZone += r.nrPages();
                }
            }
            z.setManagedPages(z.presentPages() - reservedInZone);
            int p = z.startPfn();
            while (p < z.endPfn()) {
                MemDesc owner = memmap.raw(p);
                if (owner != null) {
                    p = owner.endPfn();
                    continue;
                }
                int q = p;
                while (q < z.endPfn() && memmap.raw(q) == null) {
                    q++;
                }
                z.addFreeRange(p, q);
                p = q;
            }
        }
        this.minFreeKbytes = config.minFreeKbytes() > 0 ? config.minFreeKbytes() : computeMinFreeKbytes();
        setupWatermarks();
    }

    private void reserveRange(int start, int end, String purpose) {
        int p = start;
        while (p < end) {
            int o = MemDesc.MAX_ORDER;
            while (o > 0 && ((p & ((1 << o) - 1)) != 0 || p + (1 << o) > end)) {
                o--;
            }
            ReservedBlock r = new ReservedBlock(p, o, purpose);
            memmap.install(r);
            reserved.add(r);
            p += 1 << o;
        }
    }

    /** calculate_min_free_kbytes: sqrt(lowmem KiB * 16), clamped to [128, 262144]. */
    private int computeMinFreeKbytes() {
        long lowmemKbytes = managedPages() * (MemSize.PAGE_SIZE >> 10);
        long v = (long) Math.floor(Math.sqrt((double) lowmemKbytes * 16));
        return (int) Math.max(128, Math.min(262144, v));
    }

    /** __setup_per_zone_wmarks and setup_per_zone_lowmem_reserve. */
    private void setupWatermarks() {
        long pagesMin = minFreeKbytes >> (MemSize.PAGE_SHIFT - 10);
        long lowmem = managedPages();
        for (Zone z : zones) {
            long tmp = lowmem == 0 ? 0 : pagesMin * z.managedPages() / lowmem;
            z.setWatermark(Watermark.MIN, tmp);
            long gap = Math.max(tmp >> 2, z.managedPages() * config.watermarkScaleFactor() / 10000);
            z.setWatermark(Watermark.LOW, tmp + gap);
            z.setWatermark(Watermark.HIGH, tmp + 2 * gap);
        }
        for (int i = 0; i < zones.length; i++) {
            long upper = 0;
            int ratio = zones[i].type().lowmemReserveRatio();
            for (int j = i + 1; j < zones.length; j++) {
                upper += zones[j].managedPages();
                zones[i].setLowmemReserve(zones[j].type(), zones[i].managedPages() == 0 ? 0 : upper / ratio);
            }
        }
        totalreservePages = 0;
        for (int i = 0; i < zones.length; i++) {
            long max = 0;
            for (int j = i; j < zones.length; j++) {
                max = Math.max(max, zones[i].lowmemReserve(zones[j].type()));
            }
            max += zones[i].watermark(Watermark.HIGH);
            totalreservePages += Math.min(max, zones[i].managedPages());
        }
    }

    // ---- queries ----

    public PhysConfig config() {
        return config;
    }

    public Memmap memmap() {
        return memmap;
    }

    public FrameContents contents() {
        return contents;
    }

    public VmStat vmstat() {
        return vmstat;
    }

    /** The zones, lowest first. */
    public List<Zone> zones() {
        return List.of(zones);
    }

    public Zone zone(ZoneType t) {
        return zones[t.ordinal()];
    }

    /** The reserved blocks, in address order of creation. */
    public List<ReservedBlock> reservedBlocks() {
        return Collections.unmodifiableList(reserved);
    }

    /** The shared zero page: one reserved frame of zeros, mapped read-only wherever never-written anonymous memory is read. */
    public ReservedBlock zeroPage() {
        return zeroPage;
    }

    /** vm.min_free_kbytes in force. */
    public int minFreeKbytes() {
        return minFreeKbytes;
    }

    /** Pages the kernel treats as unavailable to user space (high watermarks plus lowmem reserves). */
    public long totalreservePages() {
        return totalreservePages;
    }

    /** Total managed pages (MemTotal). */
    public long managedPages() {
        long n = 0;
        for (Zone z : zones) {
            n += z.managedPages();
        }
        return n;
    }

    /** Free pages over all zones (MemFree). */
    public long freePages() {
        long n = 0;
        for (Zone z : zones) {
            n += z.freePages();
        }
        return n;
    }

    /** Sum of the low watermarks of all zones. */
    public long lowWatermarkPages() {
        long n = 0;
        for (Zone z : zones) {
            n += z.watermark(Watermark.LOW);
        }
        return n;
    }

    /** The descriptor owning frame {@code pfn}. Requires: {@code 0 <= pfn < nrFrames}. */
    public MemDesc owner(int pfn) {
        return memmap.owner(pfn);
    }

    /**
     * Sets what takes a folio off its LRU list when its last reference goes (the LRU part of
     * __folio_put); the reclaim subsystem installs it.
     */
    public void setChargeHook(ChargeHook hook) {
        this.chargeHook = hook;
    }

    private ChargeHook chargeHook = ChargeHook.NONE;

    public void setLruRelease(java.util.function.Consumer<Folio> release) {
        this.lruRelease = release;
    }

    /** Charges allocations and zeroing to {@code clock} (the simulated CPU of the task running). */
    public void setClock(AllocClock clock) {
        this.clock = clock == null ? AllocClock.NONE : clock;
    }

    public void setReclaimHooks(ReclaimHooks hooks) {
        this.hooks = hooks == null ? ReclaimHooks.NONE : hooks;
    }

    // ---- allocation ----

    /**
     * Allocates 2^order frames as {@code req} asks and gives them to a new descriptor made by
     * {@code factory}. Returns null when no memory can be had (after reclaim, if allowed).
     */
    public <T extends MemDesc> T alloc(AllocRequest req, DescFactory<T> factory) {
        return alloc(req, migratetypeOf(req), factory);
    }

    private <T extends MemDesc> T alloc(AllocRequest req, MigrateType mt, DescFactory<T> factory) {
        int order = req.order();
        hooks.preempt();
        Zone z = getPageFromFreelist(req, Watermark.LOW, false);
        boolean reserves = false;
        if (z == null) {
            reserves = req.atomic(); // the slow path's alloc_flags give an atomic request the reserves
            for (Zone c : zones) {
                if (req.wakeKswapd() && c.managedPages() > 0 && c.index() <= req.highestZone().ordinal()
                        && !c.watermarkOk(order, c.watermark(Watermark.LOW), req.highestZone())) {
                    kswapdOrder = Math.max(kswapdOrder, order);
                    hooks.wakeKswapd(c, order, req.highestZone());
                }
            }
            hooks.preempt(); // a woken kswapd preempts the allocating task, or runs on another CPU
            z = getPageFromFreelist(req, Watermark.MIN, reserves);
            if (z == null && hooks.inReclaim()) {
                z = getReserve(req); // ALLOC_NO_WATERMARKS replaces the atomic flags: no high-atomic reserve
                reserves = false;
            }
            if (z == null && req.mayReclaim() && !hooks.inReclaim() && req.costly()) {
                z = costlySlowPath(req);
            } else if (z == null && req.mayReclaim() && !hooks.inReclaim()) {
                int noProgress = 0;
                for (int i = 0; i < DIRECT_RECLAIM_ROUNDS && noProgress < DIRECT_RECLAIM_RETRIES && z == null; i++) {
                    if (i > 0) {
                        // should_reclaim_retry's cond_resched, then the retry's first try of the free lists
                        hooks.preempt();
                        z = getPageFromFreelist(req, Watermark.MIN, false);
                        if (z != null) {
                            break;
                        }
                    }
                    hooks.preempt(); // __perform_reclaim's cond_resched: a woken kswapd gets the CPU first
                    if (hooks.directReclaim(req) == 0) {
                        noProgress++;
                    }
                    z = getPageFromFreelist(req, Watermark.MIN, false);
                    if (z == null && unreserveHighatomic(false, mt)) {
                        z = getPageFromFreelist(req, Watermark.MIN, false); // __alloc_pages_direct_reclaim's drain
                    }
                }
                while (z == null && unreserveHighatomic(true, mt)) {
                    z = getPageFromFreelist(req, Watermark.MIN, false); // before OOM, the reserve goes
                }
            }
            if (z == null && !hooks.inReclaim() && boosted(req)) {
                hooks.kswapdCatchUp(); // kswapd drops the boost it was woken for before this task gives up
                z = getPageFromFreelist(req, Watermark.MIN, reserves);
            }
            if (z == null) {
                return null;
            }
        }
        int pfn = z.rmqueue(order, mt, reserves);
        if (reserves && order > 0) {
            z.reserveHighatomic(pfn); // a high-order atomic allocation past the fast path reserves its pageblock
        }
        if (z.takeBoostedFlag()) {
            hooks.wakeKswapd(z, 0, z.type()); // rmqueue: a fallback boosted the watermarks
        }
        vmstat.add(z.type() == ZoneType.DMA32 ? VmItem.PGALLOC_DMA32 : VmItem.PGALLOC_NORMAL, 1L << order);
        T d = factory.create(pfn, order);
        if (d.pfn() != pfn || d.order() != order) {
            throw new IllegalStateException("factory made " + d + " for pfn " + pfn + " order " + order);
        }
        memmap.install(d);
        clock.pageAllocated();
        if (req.purpose() != AllocRequest.Purpose.SLAB && req.purpose() != AllocRequest.Purpose.OTHER
                && !chargeHook.charge(d, req)) {
            // over the cgroup's limit even after its reclaim and OOM killer: give the frames back
            memmap.clear(d);
            d.markDead();
            zoneOf(pfn).freeOne(pfn, order);
            vmstat.add(VmItem.PGFREE, 1L << order);
            return null;
        }
        if (req.zero()) {
            contents.zero(pfn, 1 << order);
            clock.pagesZeroed(1L << order);
        }
        return d;
    }

    /**
     * The slow path of a costly request that may reclaim (__alloc_pages_slowpath for an order
     * above PAGE_ALLOC_COSTLY_ORDER): asynchronous direct compaction first; a __GFP_NORETRY
     * request whose compaction was skipped or deferred gives up there; otherwise one round of
     * direct reclaim and compaction once more. A costly request does not loop. Returns the zone to
     * take the block from, or null.
     */
    private Zone costlySlowPath(AllocRequest req) {
        CompactionHook.Outcome c = compaction.directCompact(req, () -> getPageFromFreelist(req, Watermark.MIN, false));
        if (c.zone() != null) {
            return c.zone();
        }
        if (req.noRetry() && (c.result() == CompactResult.SKIPPED || c.result() == CompactResult.DEFERRED)) {
            return null;
        }
        hooks.preempt();
        hooks.directReclaim(req);
        Zone z = getPageFromFreelist(req, Watermark.MIN, false);
        if (z == null) {
            z = compaction.directCompact(req, () -> getPageFromFreelist(req, Watermark.MIN, false)).zone();
        }
        return z;
    }

    /** pgdat->kswapd_order: the highest order an allocation woke kswapd for since {@link #takeKswapdOrder}. */
    private int kswapdOrder;

    /** The highest order kswapd was woken for since the last call, which resets it (kswapd_try_to_sleep). */
    public int takeKswapdOrder() {
        int o = kswapdOrder;
        kswapdOrder = 0;
        return o;
    }

    /** Installs direct compaction ({@link CompactionHook#NONE} to remove it). */
    public void setCompactionHook(CompactionHook hook) {
        this.compaction = hook == null ? CompactionHook.NONE : hook;
    }

    private CompactionHook compaction = CompactionHook.NONE;

    /**
     * Takes free frame {@code pfn} out of the buddy allocator and gives it to a new order-0
     * descriptor made by {@code factory}, uncharged and unzeroed: the compaction free scanner's
     * isolation of a free page as a migration target (isolate_freepages_block and
     * split_map_pages). Returns null when the frame is not free.
     */
    public <T extends MemDesc> T allocFreeFrame(int pfn, DescFactory<T> factory) {
        if (!(memmap.owner(pfn) instanceof FreeBlock fb)) {
            return null;
        }
        zones[fb.zone()].takeFrame(fb, pfn);
        T d = factory.create(pfn, 0);
        if (d.pfn() != pfn || d.order() != 0) {
            throw new IllegalStateException("factory made " + d + " for pfn " + pfn + " order 0");
        }
        memmap.install(d);
        return d;
    }

    /**
     * Allocates a migration target of {@code order} (a movable, uncharged block, as
     * alloc_migration_target asks for; the charge moves with the folio migrated): from the free
     * lists above the min watermark, waking kswapd but neither reclaiming nor compacting. Returns
     * null when no block is free.
     */
    public <T extends MemDesc> T allocMigrationTarget(int order, DescFactory<T> factory) {
        AllocRequest req = new AllocRequest(order, ZoneType.NORMAL, false, false, AllocRequest.Purpose.OTHER);
        return alloc(req, MigrateType.MOVABLE, factory);
    }

    /**
     * Allocates as {@link #alloc} does when the free lists can give the block above the low
     * watermark now; otherwise returns null without waking kswapd, reclaiming or compacting (a
     * transparent huge page allocation with GFP_TRANSHUGE_LIGHT alone).
     */
    public <T extends MemDesc> T allocIfFree(AllocRequest req, DescFactory<T> factory) {
        return getPageFromFreelist(req, Watermark.LOW, false) == null ? null : alloc(req, factory);
    }

    /** Whether a zone the request may use has its watermarks boosted. */
    private boolean boosted(AllocRequest req) {
        for (int i = req.highestZone().ordinal(); i >= 0; i--) {
            if (zones[i].watermarkBoost() > 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * gfp_migratetype: anonymous and page-cache memory is movable (GFP_HIGHUSER_MOVABLE, the
     * mapping's gfp mask), page tables and other kernel memory unmovable; slab unmovable, or
     * reclaimable for a cache whose objects a shrinker frees ({@link #allocSlab}).
     */
    private static MigrateType migratetypeOf(AllocRequest req) {
        return switch (req.purpose()) {
            case ANON, PAGECACHE -> MigrateType.MOVABLE;
            case SLAB, PAGETABLE, OTHER -> MigrateType.UNMOVABLE;
        };
    }

    /** ALLOC_NO_WATERMARKS: any zone with a free block of the order, for reclaim's own needs. */
    private Zone getReserve(AllocRequest req) {
        for (int i = req.highestZone().ordinal(); i >= 0; i--) {
            Zone z = zones[i];
            if (z.managedPages() > 0 && z.hasFreeBlock(req.order())) {
                return z;
            }
        }
        return null;
    }

    /** The first zone of the zonelist that passes watermark {@code mark}, with the atomic reserves when {@code reserves}. */
    private Zone getPageFromFreelist(AllocRequest req, Watermark mark, boolean reserves) {
        for (int i = req.highestZone().ordinal(); i >= 0; i--) {
            Zone z = zones[i];
            if (z.managedPages() > 0 && z.watermarkOk(req.order(), z.watermark(mark), req.highestZone(), reserves)) {
                return z;
            }
        }
        return null;
    }

    /**
     * unreserve_highatomic_pageblock: gives one high-atomic pageblock of the zonelist back to type
     * {@code to}; without {@code force} a zone keeps its last one. Returns whether one went.
     */
    private boolean unreserveHighatomic(boolean force, MigrateType to) {
        for (int i = zones.length - 1; i >= 0; i--) {
            if (zones[i].unreserveHighatomic(force, to)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Returns an allocated descriptor's frames to the buddy allocator (__free_pages). Requires: the
     * descriptor is live, on no list, and, for a folio, holds no references.
     */
    public void free(MemDesc d) {
        switch (d) {
            case FreeBlock fb -> throw new IllegalStateException("double free of " + fb);
            case ReservedBlock r -> {
                if (!r.purpose().equals(ReservedBlock.HUGE_ZERO_PAGE)) {
                    throw new IllegalStateException("reserved frames are never freed: " + r);
                }
            }
            case PoisonedFrame p -> throw new IllegalStateException("a poisoned frame is never freed, only unpoisoned: " + p);
            case Folio f -> {
                if (f.refcount() != 0 || f.mapped()) {
                    throw new IllegalStateException("freeing a folio still referenced: " + f);
                }
                if (f.test(org.pagelab.desc.FolioFlags.Flag.LRU)) {
                    lruRelease.accept(f);
                }
            }
            case SlabPage s -> {
                if (s.inuse() != 0) {
                    throw new IllegalStateException("freeing a slab with objects: " + s);
                }
            }
            case org.pagelab.desc.PageTablePage p -> {
            }
        }
        if (d.isDead() || memmap.raw(d.pfn()) != d) {
            throw new IllegalStateException("freeing a descriptor that does not own its frames: " + d);
        }
        chargeHook.uncharge(d);
        memmap.clear(d);
        d.markDead();
        zoneOf(d.pfn()).freeOne(d.pfn(), d.order());
        vmstat.add(VmItem.PGFREE, d.nrPages());
    }

    /** Frames marked hardware-poisoned (num_poisoned_pages; meminfo HardwareCorrupted). */
    public long poisonedPages() {
        return poisonedPages;
    }

    /** Counts a frame as poisoned (num_poisoned_pages_inc) or, with -1, unpoisoned. */
    public void addPoisoned(int delta) {
        poisonedPages += delta;
        if (poisonedPages < 0) {
            throw new IllegalStateException("poisoned page count below zero");
        }
    }

    /**
     * take_page_off_buddy: takes free frame {@code pfn} out of the allocator for good, owned by a
     * {@link PoisonedFrame}. Returns false when the frame is not free.
     */
    public boolean takePageOffBuddy(int pfn) {
        if (!(memmap.owner(pfn) instanceof FreeBlock fb)) {
            return false;
        }
        zones[fb.zone()].takeFrame(fb, pfn);
        memmap.install(new PoisonedFrame(pfn));
        return true;
    }

    /** Frames at the start of each spread pageblock left free in one block, as a real boot leaves a few larger free blocks. */
    public static final int FIRST_HOLE = 64;

    /** The purpose of frames held out of the allocator while the kernel's boot memory is laid out. */
    private static final String LAYOUT_HOLE = "layout hole";

    /**
     * Lays out the kernel's boot-time memory as a real boot leaves it, spread over {@code blocks}
     * unmovable pageblocks rather than packed: takes the highest {@code blocks} wholly free
     * pageblocks of the Normal zone, makes them unmovable, and holds out of the allocator every
     * frame at an offset of at least {@code used} in each aligned run of 32, and in the first
     * {@code withHole} of the pageblocks also their first {@value #FIRST_HOLE} frames, one larger
     * free block each. The unmovable allocations that follow fill the frames not held;
     * {@link #releaseLayoutHoles} then frees the held frames, leaving the pageblocks' free memory in
     * small blocks between kernel memory, as a booted machine's /proc/pagetypeinfo shows.
     *
     * <p>What the larger block is for: a movable allocation that falls back into an unmovable
     * pageblock takes all of the pageblock's free memory at once when the largest free block it
     * finds there is of at least half pageblock_order (steal_suitable_fallback with can_steal), and
     * only one small block otherwise, boosting the watermarks each time. The user-mode Linux guest
     * of docs/fidelity.md, read frame by frame through /proc/kpageflags, boots with a free block of
     * order 5 or more in every unmovable pageblock that has much memory free (three of them, 490 to
     * 780 frames free each), and its other unmovable pageblocks nearly full (50 to 150 frames free in
     * blocks of at most 16): the first movable fallback into a pageblock takes its free memory, and
     * only the nearly full ones are left to single-block fallbacks. The pageblocks past the first
     * {@code withHole} play those.
     *
     * <p>Returns the held frames; throws {@link IllegalArgumentException} when there are not
     * {@code blocks} free pageblocks, {@code withHole} is not in 0..blocks or {@code used} is not
     * in 1..32.
     */
    public int[] holdLayoutHoles(int blocks, int withHole, int used) {
        return holdLayoutHoles(blocks, withHole, used, used);
    }

    /**
     * Kernel frames per run of 32 in a nearly full pageblock of the layout: 24, so that one free
     * block of 8 frames is left in each run, 256 frames in all. The guest of docs/fidelity.md, read
     * frame by frame, had its nearly full unmovable pageblocks at 50 to 150 and 52 free frames in
     * blocks of at most 16, and 192 frames were left on its unmovable lists once movable allocations
     * had taken the other pageblocks: fewer than the low watermark, so that the movable lists run dry
     * only when free memory is at the watermarks, not whenever kswapd has balanced the node.
     */
    public static final int NEARLY_FULL_USED = 24;

    /**
     * As {@link #holdLayoutHoles(int, int, int)}, with the pageblocks past the first {@code withHole}
     * holding kernel memory at {@code fullUsed} of every run of 32 frames rather than {@code used}.
     */
    public int[] holdLayoutHoles(int blocks, int withHole, int used, int fullUsed) {
        if (withHole < 0 || withHole > blocks) {
            throw new IllegalArgumentException("pageblocks with a larger free block must be in 0.." + blocks + ": " + withHole);
        }
        if (used < 1 || used > 32 || fullUsed < 1 || fullUsed > 32) {
            throw new IllegalArgumentException("kernel frames per run of 32 must be in 1..32: " + used + ", " + fullUsed);
        }
        Zone z = zones[ZoneType.NORMAL.ordinal()];
        int pb = 1 << config.pageblockOrder();
        List<Integer> starts = new ArrayList<>();
        for (int b = (z.endPfn() & ~(pb - 1)) - pb; b >= z.startPfn() && starts.size() < blocks; b -= pb) {
            if (memmap.owner(b) instanceof FreeBlock fb && fb.pfn() <= b && fb.endPfn() >= b + pb) {
                starts.add(b);
            }
        }
        if (starts.size() < blocks) {
            throw new IllegalArgumentException("only " + starts.size() + " wholly free pageblocks, not " + blocks);
        }
        int[] holes = new int[blocks * Math.max(1, pb / 32) * 32];
        int n = 0;
        for (int k = 0; k < starts.size(); k++) {
            int b = starts.get(k);
            int firstHole = k < withHole ? FIRST_HOLE : 0;
            int u = k < withHole ? used : fullUsed;
            z.setBlockRange(b, b + pb, MigrateType.UNMOVABLE);
            for (int p = b; p < b + pb; p++) {
                if ((p & 31) >= u || (p & (pb - 1)) < firstHole) {
                    FreeBlock fb = (FreeBlock) memmap.owner(p);
                    z.takeFrame(fb, p);
                    memmap.install(new ReservedBlock(p, 0, LAYOUT_HOLE));
                    holes[n++] = p;
                }
            }
        }
        return java.util.Arrays.copyOf(holes, n);
    }

    /** Frees the frames {@link #holdLayoutHoles} held. */
    public void releaseLayoutHoles(int[] holes) {
        for (int p : holes) {
            if (!(memmap.raw(p) instanceof ReservedBlock r) || !r.purpose().equals(LAYOUT_HOLE)) {
                throw new IllegalStateException("frame " + p + " is not a layout hole: " + memmap.raw(p));
            }
            memmap.clear(r);
            r.markDead();
            zoneOf(p).freeOne(p, 0);
        }
    }

    /** Gives a frame that {@link #takePageOffBuddy} took back to the allocator (unpoison). */
    public boolean putPageBackToBuddy(int pfn) {
        if (!(memmap.raw(pfn) instanceof PoisonedFrame r)) {
            return false;
        }
        memmap.clear(r);
        r.markDead();
        zoneOf(pfn).freeOne(pfn, 0);
        return true;
    }

    /** Drops one reference to {@code f} and frees it when that was the last (folio_put). */
    public void folioPut(Folio f) {
        if (f.refSub(1) == 0) {
            free(f);
        }
    }

    /** Drops {@code n} references to {@code f}, freeing it at zero (folio_put_refs). */
    public void folioPutRefs(Folio f, int n) {
        if (f.refSub(n) == 0) {
            free(f);
        }
    }

    /** The zone holding {@code pfn}. */
    public Zone zoneOf(int pfn) {
        return pfn < zones[1].startPfn() ? zones[0] : zones[1];
    }

    // ---- SlabPageSource ----

    @Override
    public SlabPage allocSlab(SlabCache cache, int order) {
        return alloc(AllocRequest.slab(order), cache.reclaimable() ? MigrateType.RECLAIMABLE : MigrateType.UNMOVABLE,
                (p, o) -> new SlabPage(p, o, cache));
    }

    @Override
    public SlabPage allocSlabAtomic(SlabCache cache, int order) {
        return alloc(AllocRequest.atomic(order, AllocRequest.Purpose.SLAB),
                cache.reclaimable() ? MigrateType.RECLAIMABLE : MigrateType.UNMOVABLE, (p, o) -> new SlabPage(p, o, cache));
    }

    @Override
    public void freeSlab(SlabPage slab) {
        free(slab);
    }

    // ---- checker ----

    /**
     * Recomputes physical memory from the memmap and the free lists: every frame owned by exactly
     * one live descriptor; free blocks aligned, inside one zone, on the free list of their order,
     * with no free buddy of the same order beside them; list lengths and free counters equal to a
     * recount; nr_free_pages equal to the zones' sum. Throws {@link IllegalStateException} naming
     * the first frame or list that is wrong.
     */
    public void check() {
        int n = memmap.nrFrames();
        long[][] freeByOrder = new long[zones.length][MemDesc.MAX_ORDER + 1];
        int p = 0;
        while (p < n) {
            MemDesc d = memmap.raw(p);
            if (d == null) {
                throw new IllegalStateException("frame " + p + " has no owner");
            }
            if (d.pfn() != p) {
                throw new IllegalStateException("frame " + p + " is the first frame seen of " + d);
            }
            if (d.isDead()) {
                throw new IllegalStateException("frame " + p + " owned by a dead descriptor " + d);
            }
            if (d.endPfn() > n) {
                throw new IllegalStateException(d + " runs past the end of memory");
            }
            if (d instanceof FreeBlock fb) {
                Zone z = zones[fb.zone()];
                if (!z.contains(fb.pfn()) || fb.endPfn() > z.endPfn()) {
                    throw new IllegalStateException(fb + " lies outside zone " + z.type().kernelName());
                }
                if (!z.onFreeList(fb)) {
                    throw new IllegalStateException(fb + " is not on its free list");
                }
                for (int q = fb.pfn() + 1; q < fb.endPfn(); q++) {
                    if (memmap.raw(q) != null) {
                        throw new IllegalStateException("frame " + q + " inside " + fb + " is also owned by " + memmap.raw(q));
                    }
                }
                int buddy = fb.pfn() ^ fb.nrPages();
                if (fb.order() < MemDesc.MAX_ORDER && z.contains(buddy) && buddy + fb.nrPages() <= z.endPfn()
                        && memmap.raw(buddy) instanceof FreeBlock other && other.order() == fb.order()) {
                    throw new IllegalStateException("free buddies not merged: " + fb + " and " + other);
                }
                freeByOrder[fb.zone()][fb.order()]++;
            } else {
                if (zoneOf(d.pfn()) != zoneOf(d.endPfn() - 1)) {
                    throw new IllegalStateException(d + " straddles a zone boundary");
                }
                for (int q = d.pfn(); q < d.endPfn(); q++) {
                    if (memmap.raw(q) != d) {
                        throw new IllegalStateException("frame " + q + " of " + d + " is owned by " + memmap.raw(q));
                    }
                }
            }
            p = d.endPfn();
        }
        long total = 0;
        for (Zone z : zones) {
            z.checkLists();
            long free = 0;
            for (int o = 0; o <= MemDesc.MAX_ORDER; o++) {
                if (z.nrFree(o) != freeByOrder[z.index()][o]) {
                    throw new IllegalStateException(z.type().kernelName() + ": nr_free[" + o + "] = " + z.nrFree(o)
                            + " but memmap holds " + freeByOrder[z.index()][o] + " free blocks of that order");
                }
                free += freeByOrder[z.index()][o] << o;
            }
            if (free != z.freePages()) {
                throw new IllegalStateException(z.type().kernelName() + ": free pages " + z.freePages() + " but free lists hold " + free);
            }
            total += free;
        }
        if (vmstat.get(VmItem.NR_FREE_PAGES) != total) {
            throw new IllegalStateException("nr_free_pages " + vmstat.get(VmItem.NR_FREE_PAGES) + " but zones hold " + total);
        }
    }
}
