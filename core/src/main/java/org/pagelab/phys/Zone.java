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
 * </pre>
 */
public final class Zone {
    private final ZoneType type;
    private final int startPfn;
    private final int endPfn;
    private final Memmap memmap;
    private final VmStat vmstat;
    @SuppressWarnings("unchecked")
    private final DescList<FreeBlock>[] freeArea = new DescList[MemDesc.MAX_ORDER + 1];
    private final long[] watermark = new long[Watermark.values().length];
    private final long[] lowmemReserve = new long[ZoneType.values().length];
    private long presentPages;
    private long managedPages;
    private long freePages;

    Zone(ZoneType type, int startPfn, int endPfn, Memmap memmap, VmStat vmstat) {
        this.type = type;
        this.startPfn = startPfn;
        this.endPfn = endPfn;
        this.memmap = memmap;
        this.vmstat = vmstat;
        this.presentPages = endPfn - startPfn;
        for (int o = 0; o <= MemDesc.MAX_ORDER; o++) {
            freeArea[o] = new DescList<>(type.kernelName() + ".free_area[" + o + "]");
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

    /** Number of free blocks of {@code order}. */
    public long nrFree(int order) {
        return freeArea[order].size();
    }

    /** The free list of {@code order} (read-only use). */
    public DescList<FreeBlock> freeList(int order) {
        return freeArea[order];
    }

    public long watermark(Watermark w) {
        return watermark[w.ordinal()];
    }

    void setWatermark(Watermark w, long pages) {
        watermark[w.ordinal()] = pages;
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
        for (int o = order; o <= MemDesc.MAX_ORDER; o++) {
            if (!freeArea[o].isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code pfn} lies in this zone. */
    public boolean contains(int pfn) {
        return pfn >= startPfn && pfn < endPfn;
    }

    /**
     * Takes a block of 2^order frames off the free lists, splitting a larger one when needed
     * (the kernel's __rmqueue_smallest and expand), and returns its first pfn.
     * Requires: {@link #hasFreeBlock(int)}, which a passed watermark check implies.
     */
    int rmqueue(int order) {
        for (int o = order; o <= MemDesc.MAX_ORDER; o++) {
            FreeBlock b = freeArea[o].pollHead();
            if (b == null) {
                continue;
            }
            int pfn = b.pfn();
            memmap.clear(b);
            b.markDead();
            while (o > order) {
                o--;
                FreeBlock upper = new FreeBlock(pfn + (1 << o), o, index());
                memmap.installFree(upper);
                freeArea[o].addHead(upper);
            }
            freePages -= 1L << order;
            vmstat.add(VmItem.NR_FREE_PAGES, -(1L << order));
            return pfn;
        }
        throw new IllegalStateException(type.kernelName() + ": no free block of order >= " + order);
    }

    /**
     * take_page_off_buddy: removes the single frame {@code pfn} from the free block {@code b} that
     * holds it, giving the rest of the block back as smaller free blocks. Requires: {@code b} is a
     * free block of this zone containing {@code pfn}.
     */
    void takeFrame(FreeBlock b, int pfn) {
        if (!b.contains(pfn) || !freeArea[b.order()].contains(b)) {
            throw new IllegalStateException("frame " + pfn + " is not in free block " + b);
        }
        freeArea[b.order()].remove(b);
        memmap.clear(b);
        b.markDead();
        int start = b.pfn();
        int o = b.order();
        while (o > 0) {
            o--;
            int lower = start;
            int upper = start + (1 << o);
            int other = pfn < upper ? upper : lower;
            FreeBlock half = new FreeBlock(other, o, index());
            memmap.installFree(half);
            freeArea[o].addHead(half);
            start = pfn < upper ? lower : upper;
        }
        freePages -= 1;
        vmstat.add(VmItem.NR_FREE_PAGES, -1);
    }

    /** Whether a block of at least {@code order} is free. */
    boolean hasFreeBlock(int order) {
        for (int o = order; o <= MemDesc.MAX_ORDER; o++) {
            if (!freeArea[o].isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Returns frames {@code [pfn, pfn + 2^order)} to the free lists, merging with free buddies
     * as long as they exist (the kernel's __free_one_page). Requires: the frames have no owner in
     * the memmap.
     */
    void freeOne(int pfn, int order) {
        long added = 1L << order;
        while (order < MemDesc.MAX_ORDER) {
            int buddy = pfn ^ (1 << order);
            if (buddy < startPfn || buddy + (1 << order) > endPfn) {
                break;
            }
            if (!(memmap.raw(buddy) instanceof FreeBlock fb) || fb.order() != order) {
                break;
            }
            freeArea[order].remove(fb);
            memmap.clear(fb);
            fb.markDead();
            pfn = Math.min(pfn, buddy);
            order++;
        }
        FreeBlock b = new FreeBlock(pfn, order, index());
        memmap.installFree(b);
        freeArea[order].addHead(b);
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
}
