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
 *   reservedHighatomic == pageblock frames * pageblocks of type HIGHATOMIC
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
 *
 * <p>The high-atomic reserve (reserve_highatomic_pageblock): pageblocks of type HIGHATOMIC that only
 * atomic allocations take from; a watermark check for any other request counts their frames as not
 * free.
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
    /** zone->nr_reserved_highatomic: frames of the pageblocks reserved for high-order atomic allocations. */
    private long reservedHighatomic;

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
     * The kernel's __zone_watermark_ok for a request without access to the reserves: whether an
     * order-{@code order} allocation that may use zones up to {@code highest} leaves this zone above
     * {@code mark}, the high-atomic reserve not counted as free.
     */
    public boolean watermarkOk(int order, long mark, ZoneType highest) {
        return watermarkOk(order, mark, highest, false);
    }

    /**
     * __zone_watermark_ok; with {@code atomic} (ALLOC_MIN_RESERVE and ALLOC_NON_BLOCK) the request
     * may go down to {@code mark} less a half and a quarter of the rest, the high-atomic reserve
     * counts as free, and its free lists as a place for a high-order block.
     */
    boolean watermarkOk(int order, long mark, ZoneType highest, boolean atomic) {
        long free = freePages - ((1L << order) - 1) - (atomic ? 0 : reservedHighatomic);
        long min = mark;
        if (atomic) {
            min -= min / 2;
            min -= min / 4;
        }
        if (free <= min + lowmemReserve[highest.ordinal()]) {
            return false;
        }
        if (order == 0) {
            return true;
        }
        return hasFreeBlock(order, atomic);
    }

    /** zone->nr_reserved_highatomic: frames in pageblocks reserved for high-order atomic allocations. */
    public long reservedHighatomic() {
        return reservedHighatomic;
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
        return rmqueue(order, mt, false);
    }

    /**
     * As {@link #rmqueue(int, MigrateType)}; with {@code reserves} (an atomic request past the fast
     * path, rmqueue_buddy) a high-order block comes from the high-atomic reserve first, and any
     * block from it when nothing else is left.
     */
    int rmqueue(int order, MigrateType mt, boolean reserves) {
        int ha = MigrateType.HIGHATOMIC.ordinal();
        int pfn = reserves && order > 0 ? rmqueueSmallest(order, ha) : -1;
        if (pfn < 0) {
            pfn = rmqueueSmallest(order, mt.ordinal());
        }
        if (pfn < 0 && rmqueueFallback(order, mt)) {
            pfn = rmqueueSmallest(order, mt.ordinal());
        }
        if (pfn < 0 && reserves) {
            pfn = rmqueueSmallest(order, ha);
        }
        if (pfn < 0) {
            throw new IllegalStateException(type.kernelName() + ": no free block of order >= " + order);
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
        long[] moved = moveFreepagesBlock(blockStart, start.ordinal());
        long free = moved[0];
        long movable = moved[1];
        if (free == 0) {
            moveToList(b, start.ordinal()); // the pageblock straddles the zone: move_freepages_block gives up
            return;
        }
        long alike;
        if (start == MigrateType.MOVABLE) {
            alike = movable;
        } else if (old == MigrateType.MOVABLE) {
            alike = (1L << pageblockOrder) - (free + movable);
        } else {
            alike = 0;
        }
        if (free + alike >= 1L << (pageblockOrder - 1)) {
            blockType[blockIndex(blockStart)] = (byte) start.ordinal();
        }
    }

    /**
     * move_freepages_block: moves every free block of the pageblock starting at {@code blockStart} to
     * the lists of type {@code t}; returns the frames moved and the frames of LRU folios met (the
     * movable ones), or zeros when the pageblock does not lie wholly in the zone.
     */
    private long[] moveFreepagesBlock(int blockStart, int t) {
        int blockEnd = blockStart + (1 << pageblockOrder);
        long free = 0;
        long movable = 0;
        if (blockStart < startPfn || blockEnd > endPfn) {
            return new long[] {0, 0};
        }
        int p = blockStart;
        while (p < blockEnd) {
            MemDesc d = memmap.raw(p);
            if (d instanceof FreeBlock fb) {
                moveToList(fb, t);
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
        return new long[] {free, movable};
    }

    /**
     * reserve_highatomic_pageblock: after a high-order atomic allocation at {@code pfn} succeeded
     * past the fast path, the pageblock holding it becomes high-atomic, its free blocks with it,
     * while the zone's reserve is under 1 % of its managed pages plus a pageblock.
     */
    void reserveHighatomic(int pfn) {
        long pb = 1L << pageblockOrder;
        if (reservedHighatomic >= managedPages / 100 + pb || blockType(pfn) == MigrateType.HIGHATOMIC) {
            return;
        }
        int blockStart = pfn & ~((1 << pageblockOrder) - 1);
        reservedHighatomic += pb;
        blockType[blockIndex(pfn)] = (byte) MigrateType.HIGHATOMIC.ordinal();
        moveFreepagesBlock(blockStart, MigrateType.HIGHATOMIC.ordinal());
    }

    /**
     * unreserve_highatomic_pageblock for this zone: gives the pageblock of the first free block on
     * the high-atomic lists back to type {@code to}, its free blocks with it, unless (without
     * {@code force}) the reserve is a single pageblock. Returns whether free frames moved.
     */
    boolean unreserveHighatomic(boolean force, MigrateType to) {
        long pb = 1L << pageblockOrder;
        if (!force && reservedHighatomic <= pb) {
            return false;
        }
        for (int o = 0; o <= MemDesc.MAX_ORDER; o++) {
            FreeBlock b = freeArea[o][MigrateType.HIGHATOMIC.ordinal()].peekHead();
            if (b == null) {
                continue;
            }
            if (blockType(b.pfn()) == MigrateType.HIGHATOMIC) {
                reservedHighatomic -= Math.min(pb, reservedHighatomic);
            }
            blockType[blockIndex(b.pfn())] = (byte) to.ordinal();
            if (moveFreepagesBlock(b.pfn() & ~((1 << pageblockOrder) - 1), to.ordinal())[0] > 0) {
                return true;
            }
        }
        return false;
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

    /** Whether a block of at least {@code order} is free outside the high-atomic reserve. */
    boolean hasFreeBlock(int order) {
        return hasFreeBlock(order, false);
    }

    /** Whether a block of at least {@code order} is free, on the high-atomic lists too when {@code highatomic}. */
    private boolean hasFreeBlock(int order, boolean highatomic) {
        for (int o = order; o <= MemDesc.MAX_ORDER; o++) {
            for (MigrateType t : MigrateType.values()) {
                if ((highatomic || t != MigrateType.HIGHATOMIC) && !freeArea[o][t.ordinal()].isEmpty()) {
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
        if (reservedHighatomic != nrBlocks(MigrateType.HIGHATOMIC) << pageblockOrder) {
            throw new IllegalStateException(type.kernelName() + ": nr_reserved_highatomic " + reservedHighatomic
                    + " but " + nrBlocks(MigrateType.HIGHATOMIC) + " high-atomic pageblocks");
        }
    }

    /** Whether {@code b} is on the free list of its order and recorded type. */
    boolean onFreeList(FreeBlock b) {
        return freeArea[b.order()][b.listType()].contains(b);
    }
}
