package org.pagelab.phys;

import org.pagelab.desc.DescList;
import org.pagelab.desc.FreeBlock;
import org.pagelab.desc.MemDesc;
import org.pagelab.desc.Memmap;
import org.pagelab.stat.VmItem;
import org.pagelab.stat.VmStat;

/**
 * A zone: a contiguous range of frames with its own buddy free lists and watermarks.
 *
 * <p>Invariants (checked by {@link PageAllocator#check()}):
 * <pre>
 *   nrFree(o)  == length of freeArea[o]                 for o in 0..MAX_ORDER
 *   freePages  == sum over o of 2^o * nrFree(o)
 *   every block on freeArea[o] has order o, lies in [startPfn, endPfn), is 2^o aligned
 *   no two free buddies of the same order are both free (they would have merged)
 *   nrFree(o, t) == length of freeArea[o][t]; a block's recorded list type is the list it is on
 *   watermark(w) == base watermark(w) + boost, 0 <= boost <= max(pageblock, high * boost_factor / 10000)
 * </pre>
 *
 * <p>Anti-fragmentation (mm/page_alloc.c): every pageblock of 2^pageblock_order frames has a
 * {@link MigrateType}, all movable at boot. A freed block goes on the free list of its
 * pageblock's type. An allocation takes the smallest block of its own type; when there is none
 * it falls back (__rmqueue_fallback) to the largest block of the next type in
 * {@link MigrateType#fallbacks()}, stealing the whole pageblock when the allocation is unmovable
 * or reclaimable or the block is at least half a pageblock (its free blocks move to the stealing
 * type's lists, and the pageblock changes type when at least half of it is then free or alike),
 * else only that block; a movable allocation that cannot steal takes the smallest such block
 * instead. A fallback that does not take a whole free pageblock boosts the watermarks
 * (boost_watermark) by a pageblock, up to max(pageblock, high * watermark_boost_factor / 10000),
 * on a zone of at least four pageblocks; the allocator then wakes kswapd, which reclaims to the
 * boosted high watermark and drops the boost when it is done (balance_pgdat).
 */
public final class Zone {
    private static final int NR_TYPES = MigrateType.values().length;

    private final ZoneType type;
    private final int startPfn;
    private final int endPfn;
    private final Memmap memmap;
    private final VmStat vmstat;
    private final int pageblockOrder;
    /** The migratetype of every pageblock the zone overlaps, from the one holding startPfn. */
    private final byte[] blockType;
    @SuppressWarnings("unchecked")
    private final DescList<FreeBlock>[][] freeArea = new DescList[MemDesc.MAX_ORDER + 1][NR_TYPES];
    private final long[] watermark = new long[Watermark.values().length];
    private final long[] lowmemReserve = new long[ZoneType.values().length];
    private long presentPages;
    private long managedPages;
    private long freePages;
    /** zone->watermark_boost: pages added to every watermark after fragmenting fallbacks. */
    private long boost;
    /** ZONE_BOOSTED_WATERMARK: a fallback boosted the watermarks and kswapd is to be woken. */
    private boolean boostedFlag;
    /** vm.watermark_boost_factor, in units of 1/10000 of the high watermark; 0 disables boosting. */
    private int boostFactor = 15000;

    Zone(ZoneType type, int startPfn, int endPfn, Memmap memmap, VmStat vmstat, int pageblockOrder) {
        this.type = type;
        this.startPfn = startPfn;
        this.endPfn = endPfn;
        this.memmap = memmap;
        this.vmstat = vmstat;
        this.pageblockOrder = pageblockOrder;
        this.presentPages = endPfn - startPfn;
        int blocks = endPfn > startPfn ? ((endPfn - 1) >> pageblockOrder) - (startPfn >> pageblockOrder) + 1 : 0;
        this.blockType = new byte[blocks];
        java.util.Arrays.fill(blockType, (byte) MigrateType.MOVABLE.ordinal()); // memmap_init: all movable
        for (int o = 0; o <= MemDesc.MAX_ORDER; o++) {
            for (MigrateType t : MigrateType.values()) {
                freeArea[o][t.ordinal()] = new DescList<>(type.kernelName() + ".free_area[" + o + "]." + t.kernelName());
            }
        }
    }

    public ZoneType type() {
        return type;
    }

    /** Index of the zone in the node, as in {@code zone_idx}. */
    public int index() {
        return type.ordinal();
    }

    public int startPfn() {
        return startPfn;
    }

    public int endPfn() {
        return endPfn;
    }

    /** Frames the zone spans. */
    public long spannedPages() {
        return endPfn - startPfn;
    }

    /** Frames that exist (no holes here, so equal to spanned). */
    public long presentPages() {
        return presentPages;
    }

    /** Frames the buddy allocator manages: present less reserved. */
    public long managedPages() {
        return managedPages;
    }

    void setManagedPages(long managed) {
        this.managedPages = managed;
    }

    public long freePages() {
        return freePages;
    }

    /** Number of free blocks of {@code order}, every type. */
    public long nrFree(int order) {
        long n = 0;
        for (DescList<FreeBlock> l : freeArea[order]) {
            n += l.size();
        }
        return n;
    }

    /** Number of free blocks of {@code order} on the free list of type {@code t}. */
    public long nrFree(int order, MigrateType t) {
        return freeArea[order][t.ordinal()].size();
    }

    /** The free list of {@code order} and type {@code t} (read-only use). */
    public DescList<FreeBlock> freeList(int order, MigrateType t) {
        return freeArea[order][t.ordinal()];
    }

    /** log2 of the frames of a pageblock. */
    public int pageblockOrder() {
        return pageblockOrder;
    }

    /** The migratetype of the pageblock holding {@code pfn} (get_pageblock_migratetype). */
    public MigrateType blockType(int pfn) {
        return MigrateType.of(blockType[blockIndex(pfn)]);
    }

    /** Pageblocks of type {@code t} that overlap the zone (the counts of /proc/pagetypeinfo). */
    public long nrBlocks(MigrateType t) {
        long n = 0;
        for (byte b : blockType) {
            if (b == t.ordinal()) {
                n++;
            }
        }
        return n;
    }

    private int blockIndex(int pfn) {
        return (pfn >> pageblockOrder) - (startPfn >> pageblockOrder);
    }

    /** The watermark {@code w} with the current boost added (the kernel's wmark_pages). */
    public long watermark(Watermark w) {
        return watermark[w.ordinal()] + boost;
    }

    /** The watermark {@code w} as set at boot, without boost (zone->_watermark[w]). */
    public long baseWatermark(Watermark w) {
        return watermark[w.ordinal()];
    }

    void setWatermark(Watermark w, long pages) {
        watermark[w.ordinal()] = pages;
    }

    /** zone->watermark_boost. */
    public long watermarkBoost() {
        return boost;
    }

    /** Takes away {@code pages} of the boost, as kswapd does for the boost it balanced against. */
    public void reduceBoost(long pages) {
        boost -= Math.min(boost, pages);
    }

    void setBoostFactor(int factor) {
        this.boostFactor = factor;
    }

    /** Tests and clears ZONE_BOOSTED_WATERMARK: whether a fallback boosted since the last call. */
    boolean takeBoostedFlag() {
        boolean b = boostedFlag;
        boostedFlag = false;
        return b;
    }

    /** Pages kept back from allocations whose highest usable zone is {@code highest}. */
    public long lowmemReserve(ZoneType highest) {
        return lowmemReserve[highest.ordinal()];
    }

    void setLowmemReserve(ZoneType highest, long pages) {
        lowmemReserve[highest.ordinal()] = pages;
    }

    /**
     * The kernel's __zone_watermark_ok: whether an order-{@code order} allocation that may use zones
     * up to {@code highest} leaves this zone above {@code mark}.
     */
    public boolean watermarkOk(int order, long mark, ZoneType highest) {
        long free = freePages - ((1L << order) - 1);
        if (free <= mark + lowmemReserve[highest.ordinal()]) {
            return false;
        }
        if (order == 0) {
            return true;
        }
        return hasFreeBlock(order);
    }

    /** Whether {@code pfn} lies in this zone. */
    public boolean contains(int pfn) {
        return pfn >= startPfn && pfn < endPfn;
    }

    private void addFree(FreeBlock b, int t) {
        b.setListType(t);
        memmap.installFree(b);
        freeArea[b.order()][t].addHead(b);
    }

    /**
     * Takes a block of 2^order frames of type {@code mt} off the free lists (__rmqueue): the
     * smallest of its own type, split as needed (__rmqueue_smallest and expand); when there is
     * none, after a fallback stole one from another type. Returns its first pfn.
     * Requires: {@link #hasFreeBlock(int)}, which a passed watermark check implies.
     */
    int rmqueue(int order, MigrateType mt) {
        int pfn = rmqueueSmallest(order, mt.ordinal());
        if (pfn < 0) {
            if (!rmqueueFallback(order, mt)) {
                throw new IllegalStateException(type.kernelName() + ": no free block of order >= " + order);
            }
            pfn = rmqueueSmallest(order, mt.ordinal());
        }
        freePages -= 1L << order;
        vmstat.add(VmItem.NR_FREE_PAGES, -(1L << order));
        return pfn;
    }

    /** Kept for callers without a type: a movable allocation. */
    int rmqueue(int order) {
        return rmqueue(order, MigrateType.MOVABLE);
    }

    private int rmqueueSmallest(int order, int t) {
        for (int o = order; o <= MemDesc.MAX_ORDER; o++) {
            FreeBlock b = freeArea[o][t].pollHead();
            if (b == null) {
                continue;
            }
            int pfn = b.pfn();
            memmap.clear(b);
            b.markDead();
            while (o > order) {
                o--;
                addFree(new FreeBlock(pfn + (1 << o), o, index()), t); // expand: the halves stay on this list
            }
            return pfn;
        }
        return -1;
    }

    /** find_suitable_fallback: the first fallback type with a free block of {@code order}, or null. */
    private MigrateType suitableFallback(int order, MigrateType start) {
        for (MigrateType f : start.fallbacks()) {
            if (!freeArea[order][f.ordinal()].isEmpty()) {
                return f;
            }
        }
        return null;
    }

    /** can_steal_fallback: whether an allocation of {@code start} may take the whole pageblock. */
    private boolean canSteal(int order, MigrateType start) {
        return order >= pageblockOrder || order >= pageblockOrder / 2 || start != MigrateType.MOVABLE;
    }

    /** __rmqueue_fallback: moves a block of another type to {@code start}'s lists; false when there is none. */
    private boolean rmqueueFallback(int order, MigrateType start) {
        for (int o = MemDesc.MAX_ORDER; o >= order; o--) {
            MigrateType f = suitableFallback(o, start);
            if (f == null) {
                continue;
            }
            boolean steal = canSteal(o, start);
            if (!steal && start == MigrateType.MOVABLE && o > order) {
                // find_smallest: a movable allocation that cannot take the pageblock takes the smallest block
                for (int s = order; s <= MemDesc.MAX_ORDER; s++) {
                    MigrateType g = suitableFallback(s, start);
                    if (g != null) {
                        stealFallback(freeArea[s][g.ordinal()].peekHead(), start, canSteal(s, start));
                        return true;
                    }
                }
            }
            stealFallback(freeArea[o][f.ordinal()].peekHead(), start, steal);
            return true;
        }
        return false;
    }

    /** steal_suitable_fallback: takes free block {@code b} (or its whole pageblock) for type {@code start}. */
    private void stealFallback(FreeBlock b, MigrateType start, boolean wholeBlock) {
        MigrateType old = blockType(b.pfn());
        if (b.order() >= pageblockOrder) {
            for (int p = b.pfn(); p < b.endPfn(); p += 1 << pageblockOrder) {
                blockType[blockIndex(p)] = (byte) start.ordinal();
            }
            moveToList(b, start.ordinal());
            return;
        }
        if (boostWatermark()) {
            boostedFlag = true;
        }
        if (!wholeBlock) {
            moveToList(b, start.ordinal());
            return;
        }
        int blockStart = b.pfn() & ~((1 << pageblockOrder) - 1);
        int blockEnd = blockStart + (1 << pageblockOrder);
        if (blockStart < startPfn || blockEnd > endPfn) {
            moveToList(b, start.ordinal()); // the pageblock straddles the zone: move_freepages_block gives up
            return;
        }
        long free = 0;
        long movable = 0;
        int p = blockStart;
        while (p < blockEnd) {
            MemDesc d = memmap.raw(p);
            if (d instanceof FreeBlock fb) {
                moveToList(fb, start.ordinal());
                free += fb.nrPages();
                p = fb.endPfn();
            } else if (d != null) {
                if (d instanceof org.pagelab.desc.Folio folio && folio.test(org.pagelab.desc.FolioFlags.Flag.LRU)) {
                    movable += Math.min(d.endPfn(), blockEnd) - p;
                }
                p = Math.min(d.endPfn(), blockEnd);
            } else {
                p++;
            }
        }
        long alike;
        if (start == MigrateType.MOVABLE) {
            alike = movable;
        } else if (old == MigrateType.MOVABLE) {
            alike = (1L << pageblockOrder) - (free + movable);
        } else {
            alike = 0;
        }
        if (free > 0 && free + alike >= 1L << (pageblockOrder - 1)) {
            blockType[blockIndex(blockStart)] = (byte) start.ordinal();
        }
    }

    private void moveToList(FreeBlock b, int t) {
        if (b.listType() == t) {
            return;
        }
        freeArea[b.order()][b.listType()].remove(b);
        b.setListType(t);
        freeArea[b.order()][t].addHead(b);
    }

    /** boost_watermark: raises the boost by a pageblock, up to its limit; false when this zone does not boost. */
    private boolean boostWatermark() {
        if (boostFactor == 0 || (4L << pageblockOrder) > managedPages) {
            return false;
        }
        long max = watermark[Watermark.HIGH.ordinal()] * boostFactor / 10000;
        if (max == 0) {
            return false;
        }
        max = Math.max(1L << pageblockOrder, max);
        boost = Math.min(boost + (1L << pageblockOrder), max);
        return true;
    }

    /**
     * Marks every pageblock of {@code [start, end)} as type {@code t} and moves the free blocks
     * inside to its lists: boot-time kernel memory, whose pageblocks are unmovable.
     */
    void setBlockRange(int start, int end, MigrateType t) {
        for (int p = start & ~((1 << pageblockOrder) - 1); p < end; p += 1 << pageblockOrder) {
            if (contains(p) || contains(Math.min(end - 1, p + (1 << pageblockOrder) - 1))) {
                blockType[blockIndex(Math.max(p, startPfn))] = (byte) t.ordinal();
            }
        }
        int p = Math.max(start, startPfn);
        while (p < Math.min(end, endPfn)) {
            MemDesc d = memmap.raw(p);
            if (d instanceof FreeBlock fb) {
                moveToList(fb, blockType(fb.pfn()).ordinal());
                p = fb.endPfn();
            } else {
                p = d == null ? p + 1 : d.endPfn();
            }
        }
    }

    /**
     * take_page_off_buddy: removes the single frame {@code pfn} from the free block {@code b} that
     * holds it, giving the rest of the block back as smaller free blocks. Requires: {@code b} is a
     * free block of this zone containing {@code pfn}.
     */
    void takeFrame(FreeBlock b, int pfn) {
        if (!b.contains(pfn) || !freeArea[b.order()][b.listType()].contains(b)) {
            throw new IllegalStateException("frame " + pfn + " is not in free block " + b);
        }
        int t = b.listType();
        freeArea[b.order()][t].remove(b);
        memmap.clear(b);
        b.markDead();
        int start = b.pfn();
        int o = b.order();
        while (o > 0) {
            o--;
            int lower = start;
            int upper = start + (1 << o);
            int other = pfn < upper ? upper : lower;
            addFree(new FreeBlock(other, o, index()), t);
            start = pfn < upper ? lower : upper;
        }
        freePages -= 1;
        vmstat.add(VmItem.NR_FREE_PAGES, -1);
    }

    /** Whether a block of at least {@code order} is free, of any type. */
    boolean hasFreeBlock(int order) {
        for (int o = order; o <= MemDesc.MAX_ORDER; o++) {
            for (DescList<FreeBlock> l : freeArea[o]) {
                if (!l.isEmpty()) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Returns frames {@code [pfn, pfn + 2^order)} to the free lists, merging with free buddies
     * as long as they exist (the kernel's __free_one_page); the merged block goes on the list of
     * the freed frames' pageblock type. Requires: the frames have no owner in the memmap.
     */
    void freeOne(int pfn, int order) {
        long added = 1L << order;
        int t = blockType(pfn).ordinal();
        while (order < MemDesc.MAX_ORDER) {
            int buddy = pfn ^ (1 << order);
            if (buddy < startPfn || buddy + (1 << order) > endPfn) {
                break;
            }
            if (!(memmap.raw(buddy) instanceof FreeBlock fb) || fb.order() != order) {
                break;
            }
            freeArea[order][fb.listType()].remove(fb);
            memmap.clear(fb);
            fb.markDead();
            pfn = Math.min(pfn, buddy);
            order++;
        }
        addFree(new FreeBlock(pfn, order, index()), t);
        freePages += added;
        vmstat.add(VmItem.NR_FREE_PAGES, added);
    }

    /** Adds a boot-time range of free frames as maximal aligned blocks, without merging checks. */
    void addFreeRange(int start, int end) {
        int p = start;
        while (p < end) {
            int o = MemDesc.MAX_ORDER;
            while (o > 0 && ((p & ((1 << o) - 1)) != 0 || p + (1 << o) > end)) {
                o--;
            }
            freeOne(p, o);
            p += 1 << o;
        }
    }

    /**
     * Recomputes this zone's free-list invariants: each list's links, every block on the list of
     * its recorded type, the boost within its limit. Throws {@link IllegalStateException}.
     */
    void checkLists() {
        for (int o = 0; o <= MemDesc.MAX_ORDER; o++) {
            for (int t = 0; t < NR_TYPES; t++) {
                freeArea[o][t].check();
                for (FreeBlock b : freeArea[o][t]) {
                    if (b.listType() != t || b.order() != o) {
                        throw new IllegalStateException(b + " (list type " + b.listType() + ") is on "
                                + freeArea[o][t].name());
                    }
                }
            }
        }
        long max = Math.max(1L << pageblockOrder, watermark[Watermark.HIGH.ordinal()] * boostFactor / 10000);
        if (boost < 0 || boost > max) {
            throw new IllegalStateException(type.kernelName() + ": watermark boost " + boost + " outside 0.." + max);
        }
    }

    /** Whether {@code b} is on the free list of its order and recorded type. */
    boolean onFreeList(FreeBlock b) {
        return freeArea[b.order()][b.listType()].contains(b);
    }
}
