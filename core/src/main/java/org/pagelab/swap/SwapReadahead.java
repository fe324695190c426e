package org.pagelab.swap;

import org.pagelab.desc.Folio;
import org.pagelab.desc.FolioFlags.Flag;
import org.pagelab.desc.PageTablePage;
import org.pagelab.desc.SwapEntry;
import org.pagelab.pgtable.Pte;
import org.pagelab.stat.VmItem;
import org.pagelab.stat.VmStat;
import org.pagelab.vma.Vma;

/**
 * Swap readahead (mm/swap_state.c): which slots a swap-in reads besides the one it needs, and how
 * many, adapting to how many of the pages read ahead before were used.
 *
 * <h2>Two ways to choose the slots</h2>
 * <ul>
 *   <li><b>VMA-based</b> (swap_vma_readahead), used while no rotational swap device is on and
 *       {@code /sys/kernel/mm/swap/vma_ra_enabled} is true (the default): the pages around the
 *       faulting address in its VMA. The window of {@code win} pages is placed after the fault when
 *       the previous swap fault of the VMA was the page just below, before it when it was the page
 *       just above, and centred on it otherwise; it is clipped to the VMA and to the page table
 *       (2 MiB) that holds the faulting PTE. Each PTE in it that holds a swap entry has its slot
 *       read, whatever the device; present, empty and poisoned PTEs are skipped.</li>
 *   <li><b>Cluster</b> (swap_cluster_readahead), used as soon as one rotational device is on
 *       (the kernel's nr_rotate_swap), and always for shmem: the aligned block of {@code win}
 *       slots around the faulting one on its device, skipping the header slot.</li>
 * </ul>
 * A slot is read only when some owner still names it (its swap count is not zero) and its page is
 * not in the swap cache already; each page so read is marked readahead and counts as swap_ra.
 *
 * <h2>The window</h2>
 * {@link #nrPages} is the kernel's __swapin_nr_pages: with {@code hits} readahead hits since the
 * last decision the window is {@code hits + 2} rounded up to a power of two, at least 4; with no
 * hits it is 2 when the fault is next to the previous one and 1 otherwise. It is capped at
 * {@code 2^page-cluster} and never shrinks below half the previous window. VMA readahead keeps
 * its state per VMA (below) and caps page-cluster at {@link #ORDER_CEILING}; cluster readahead
 * keeps one state for the machine: the hits counted since the last decision (swapin_readahead_hits,
 * 4 at boot), the offset of the last decision made without hits, and the last window
 * (last_readahead_pages). {@code page-cluster} 0 reads one page.
 *
 * <h2>A VMA's state</h2>
 * One word per VMA (vm_area_struct.swap_readahead_info), copied with the VMA on split, fork and
 * mremap; 0 is read as 4 hits and no window:
 * <pre>
 *  63                                  12 11          6 5           0
 * +--------------------------------------+-------------+-------------+
 * | page address of the last swap fault  | window      | hits        |
 * +--------------------------------------+-------------+-------------+
 * </pre>
 * A swap-cache hit of a fault in the VMA records its address and, when the page was read ahead,
 * one more hit (at most {@link #HITS_MAX}); a miss records its address and the new window with 0
 * hits. Hits of lookups without a VMA (shmem), or while cluster readahead is in use, go to the
 * machine's count.
 *
 * <p>References: mm/swap_state.c (swap_cache_get_folio, __swapin_nr_pages, swapin_nr_pages,
 * swap_cluster_readahead, swap_ra_info, swap_vma_readahead, swapin_readahead), mm/swapfile.c
 * (nr_rotate_swap), mm/swap.c (swap_setup: page-cluster 2 below 16 MiB of RAM, else 3),
 * Documentation/admin-guide/sysctl/vm.rst (page-cluster).
 */
public final class SwapReadahead {

    /**
     * Reads one slot ahead of need: puts a new folio for the entry in the swap cache, marked
     * readahead, and starts its read, leaving no folio behind when it cannot.
     */
    @FunctionalInterface
    public interface SlotReader {
        Outcome readAhead(SwapEntry entry);
    }

    /** What a {@link SlotReader} did with a slot. */
    public enum Outcome {
        /** The slot's page is in the swap cache, read ahead. */
        READ,
        /** Not read, for a reason of this slot alone (another reader took it meanwhile). */
        SKIPPED,
        /**
         * Not read: no memory without reclaim. The window ends here: pagelab reads ahead without
         * reclaiming (the kernel reclaims for each page of the window), so the later slots would
         * find no memory either.
         */
        NO_MEMORY
    }

    /** vm.page-cluster of a machine with at least 16 MiB of RAM. */
    public static final int DEFAULT_PAGE_CLUSTER = 3;
    /** The largest page-cluster accepted: the window 2^page-cluster must fit the kernel's int. */
    public static final int MAX_PAGE_CLUSTER = 31;
    /** The largest VMA window is 2^ORDER_CEILING pages (SWAP_RA_ORDER_CEILING on 64-bit). */
    public static final int ORDER_CEILING = 5;

    private static final int WIN_SHIFT = 6;
    private static final long HITS_MASK = (1L << WIN_SHIFT) - 1;
    /** The most hits a VMA's word can count. */
    public static final int HITS_MAX = (int) HITS_MASK;
    private static final long WIN_MASK = 0xfffL & ~HITS_MASK;
    private static final long ADDR_MASK = ~0xfffL;
    /** The hits a VMA or the machine starts with, so the first swap-in reads a small window. */
    static final int INITIAL_HITS = 4;

    private final SwapSpace swap;
    private final VmStat vmstat;
    private int pageCluster;
    private boolean vmaEnabled = true;
    private int clusterHits = INITIAL_HITS;
    private long prevOffset;
    private long lastReadaheadPages;

    /** The readahead of {@code swap}, with page-cluster as swap_setup sets it for {@code totalramPages}. */
    SwapReadahead(SwapSpace swap, VmStat vmstat, long totalramPages) {
        this.swap = swap;
        this.vmstat = vmstat;
        this.pageCluster = (totalramPages >> 8) < 16 ? 2 : DEFAULT_PAGE_CLUSTER;
    }

    /** vm.page-cluster: readahead reads up to 2^page-cluster pages at a time; 0 disables it. */
    public int pageCluster() {
        return pageCluster;
    }

    /** Sets vm.page-cluster. Requires: {@code 0 <= value <= MAX_PAGE_CLUSTER}. */
    public void setPageCluster(int value) {
        if (value < 0 || value > MAX_PAGE_CLUSTER) {
            throw new IllegalArgumentException("page-cluster " + value + ": must be 0.." + MAX_PAGE_CLUSTER);
        }
        this.pageCluster = value;
    }

    /** /sys/kernel/mm/swap/vma_ra_enabled. */
    public boolean vmaEnabled() {
        return vmaEnabled;
    }

    /** Sets /sys/kernel/mm/swap/vma_ra_enabled. */
    public void setVmaEnabled(boolean on) {
        this.vmaEnabled = on;
    }

    /** Whether a fault reads ahead by VMA (swap_use_vma_readahead): enabled and no rotational device on. */
    public boolean usesVmaReadahead() {
        return vmaEnabled && swap.devices().rotationalDevices() == 0;
    }

    // ---- the packed VMA word ----

    /** The VMA word for a swap fault at {@code addr} with window {@code win} and {@code hits} hits. */
    static long pack(long addr, long win, long hits) {
        return (addr & ADDR_MASK) | ((win << WIN_SHIFT) & WIN_MASK) | (hits & HITS_MASK);
    }

    static long addrOf(long word) {
        return word & ADDR_MASK;
    }

    static int winOf(long word) {
        return (int) ((word & WIN_MASK) >>> WIN_SHIFT);
    }

    static int hitsOf(long word) {
        return (int) (word & HITS_MASK);
    }

    private static long stateOf(Vma vma) {
        long w = vma.swapReadaheadInfo();
        return w != 0 ? w : INITIAL_HITS;
    }

    // ---- the window ----

    /**
     * __swapin_nr_pages: the window for a swap-in at {@code offset} when the previous decision
     * was at {@code prevOffset}, {@code hits} pages read ahead were used since, the window may be
     * at most {@code maxPages} and was {@code prevWin}.
     */
    public static long nrPages(long prevOffset, long offset, long hits, long maxPages, long prevWin) {
        long pages = hits + 2;
        if (pages == 2) {
            if (offset != prevOffset + 1 && offset != prevOffset - 1) {
                pages = 1;
            }
        } else {
            long roundup = 4;
            while (roundup < pages) {
                roundup <<= 1;
            }
            pages = roundup;
        }
        pages = Math.min(pages, maxPages);
        return Math.max(pages, prevWin / 2);
    }

    /** swapin_nr_pages: the cluster window for a swap-in at {@code offset}, consuming the machine's hits. */
    long clusterWindow(long offset) {
        long maxPages = 1L << pageCluster;
        if (maxPages <= 1) {
            return 1;
        }
        int hits = clusterHits;
        clusterHits = 0;
        long pages = nrPages(prevOffset, offset, hits, maxPages, lastReadaheadPages);
        if (hits == 0) {
            prevOffset = offset;
        }
        lastReadaheadPages = pages;
        return pages;
    }

    // ---- lookups and reads ----

    /**
     * The readahead half of swap_cache_get_folio: folio {@code f} was found in the swap cache by a
     * swap-in at {@code addr} of {@code vma} (null for shmem and other lookups without a VMA). A
     * page read ahead loses its mark and counts as swap_ra_hit and as a hit of the VMA (VMA
     * readahead) or of the machine; the VMA remembers the address either way.
     */
    public void cacheHit(Vma vma, long addr, Folio f) {
        boolean readahead = f.testAndClear(Flag.READAHEAD);
        boolean byVma = usesVmaReadahead();
        if (vma != null && byVma) {
            long w = stateOf(vma);
            int hits = readahead ? Math.min(hitsOf(w) + 1, HITS_MAX) : hitsOf(w);
            vma.setSwapReadaheadInfo(pack(addr, winOf(w), hits));
        }
        if (readahead) {
            vmstat.inc(VmItem.SWAP_RA_HIT);
            if (vma == null || !byVma) {
                clusterHits++;
            }
        }
    }

    /**
     * swapin_readahead for a fault at {@code addr} of {@code vma} on swap entry {@code entry},
     * whose PTE is entry {@code i} of page table {@code table}: reads ahead by VMA or by cluster
     * ({@link #usesVmaReadahead}) through {@code reader}, the faulting slot excepted (the caller
     * reads it). Returns the pages read ahead.
     */
    public int swapinReadahead(SwapEntry entry, Vma vma, long addr, PageTablePage table, int i, SlotReader reader) {
        return usesVmaReadahead() ? vmaReadahead(vma, addr, table, i, reader) : clusterReadahead(entry, reader);
    }

    /**
     * swap_cluster_readahead around swap entry {@code entry}: the aligned block of the cluster
     * window's slots on its device, the header slot and {@code entry} itself excepted. Returns
     * the pages read ahead.
     */
    public int clusterReadahead(SwapEntry entry, SlotReader reader) {
        long offset = entry.offset();
        long mask = clusterWindow(offset) - 1;
        if (mask == 0) {
            return 0;
        }
        long first = Math.max(1, offset & ~mask);
        long last = Math.min(offset | mask, swap.devices().device(entry).maxPages() - 1);
        int read = 0;
        for (long o = first; o <= last; o++) {
            Outcome r = o == offset ? Outcome.SKIPPED : readSlot(new SwapEntry(entry.type(), o), reader);
            if (r == Outcome.NO_MEMORY) {
                break;
            }
            read += r == Outcome.READ ? 1 : 0;
        }
        return read;
    }

    /**
     * swap_vma_readahead (with swap_ra_info) for a fault at {@code addr} of {@code vma} whose PTE
     * is entry {@code i} of {@code table}. Returns the pages read ahead.
     */
    int vmaReadahead(Vma vma, long addr, PageTablePage table, int i, SlotReader reader) {
        long maxWin = 1L << Math.min(pageCluster, ORDER_CEILING);
        if (maxWin == 1) {
            return 0;
        }
        long fpfn = addr >>> org.pagelab.phys.MemSize.PAGE_SHIFT;
        long w = stateOf(vma);
        long pfn = addrOf(w) >>> org.pagelab.phys.MemSize.PAGE_SHIFT;
        long win = nrPages(pfn, fpfn, hitsOf(w), maxWin, winOf(w));
        vma.setSwapReadaheadInfo(pack(addr, win, 0));
        if (win == 1) {
            return 0;
        }
        long lo;
        if (fpfn == pfn + 1) {
            lo = fpfn;
        } else if (pfn == fpfn + 1) {
            lo = fpfn - win + 1;
        } else {
            lo = fpfn - (win - 1) / 2;
        }
        long tableFirst = fpfn - i; // the page table maps an aligned 2 MiB: PTE j is page tableFirst + j
        long start = Math.max(lo, Math.max(vma.start() >>> org.pagelab.phys.MemSize.PAGE_SHIFT, tableFirst));
        long end = Math.min(lo + win, Math.min(vma.end() >>> org.pagelab.phys.MemSize.PAGE_SHIFT, tableFirst + PageTablePage.ENTRIES));
        int read = 0;
        for (long p = start; p < end; p++) {
            long pte = table.get((int) (p - tableFirst));
            Outcome r = p == fpfn || !Pte.isSwap(pte) ? Outcome.SKIPPED : readSlot(Pte.swapEntry(pte), reader);
            if (r == Outcome.NO_MEMORY) {
                break;
            }
            read += r == Outcome.READ ? 1 : 0;
        }
        return read;
    }

    /**
     * __read_swap_cache_async for one slot read ahead: nothing when no owner names it any more or
     * its page is in the swap cache, else {@code reader} reads it and it counts as swap_ra.
     */
    private Outcome readSlot(SwapEntry entry, SlotReader reader) {
        var devices = swap.devices();
        if (devices.lookup(entry.type()).isEmpty() || devices.swapCount(entry) == 0 || swap.lookup(entry) != null) {
            return Outcome.SKIPPED;
        }
        Outcome r = reader.readAhead(entry);
        if (r == Outcome.READ) {
            vmstat.inc(VmItem.SWAP_RA);
        }
        return r;
    }
}
