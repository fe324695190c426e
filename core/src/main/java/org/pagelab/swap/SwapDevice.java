package org.pagelab.swap;

import java.util.NoSuchElementException;
import java.util.PrimitiveIterator;
import org.pagelab.phys.FrameContents;

/**
 * One swap area, the kernel's swap_info_struct: a swap map of one usage byte per slot, the
 * cluster bookkeeping the slot allocator runs on, and the backend that stores the pages.
 *
 * <p>The usage byte of a slot (swap_map[offset]):
 * <pre>
 *    7   6            5 .. 0
 *  +---+-------------+-------------------------------------------+
 *  | S | HAS_CACHE   | count: swap entries referring to the slot |
 *  +---+-------------+-------------------------------------------+
 *   S (0x80): the slot's one reference is a shmem file's index slot (SHMEM_OWNED)
 *   HAS_CACHE (0x40): a swap-cache folio holds the slot
 *   count 0 .. SWAP_MAP_MAX (0x3e); 0x3f is SWAP_MAP_BAD, used only for the header slot 0
 * </pre>
 * The kernel of this model's era (6.1) records a shmem owner by storing the count value
 * SWAP_MAP_SHMEM (swap_shmem_alloc); here the owner is a bit beside a count of one, which keeps
 * swp_swapcount's arithmetic plain. Bit 7 is the kernel's COUNT_CONTINUED, which this model never
 * needs (no continuation pages), so it is free for the marker. Knowing the owner matters because a
 * slot read into the swap cache before anyone asks for it (swap readahead) must become the kind
 * of folio its owner takes back: a file folio for shmem, an anonymous one for a page table.
 * A slot is free exactly when its byte is 0. A new slot is born with the byte
 * {@code SWAP_HAS_CACHE} (get_swap_pages allocates for the swap cache); each page table or shmem
 * entry that then records it adds one with {@link #duplicate}, and {@link #free} drops one; the
 * cache bit is taken with {@link #cachePrepare} and dropped with {@link #cacheClear}.
 *
 * <h2>Clusters</h2>
 * Slots are grouped into clusters of {@link #SWAPFILE_CLUSTER} slots, or of
 * {@link #SWAPFILE_CLUSTER_NO_THP_SWAP} in an area swapped on as by a kernel without THP_SWAP
 * ({@link SwapDevices#setThpSwap}). A cluster's count is the number of
 * its slots whose byte is non-zero, plus the header slot for cluster 0 and the slots past the end
 * of the area for the last cluster, so those two are never wholly free. Clusters of count 0 are on
 * a FIFO free list, first filled in the kernel's column order (cluster 0, 64, 128, ..., then 1, 65,
 * ...), freed clusters appended at the tail. The allocator is the kernel's solid-state one for a
 * single CPU (scan_swap_map_try_ssd_cluster): it takes slots next-fit inside its current cluster;
 * when that is exhausted it takes the head of the free list; when no cluster is free it scans the
 * whole map from the slot after the last one allocated, wrapping around, for any free slot.
 *
 * <p>A large folio takes a run of slots at once ({@link #allocRun}). One of a whole cluster's size
 * takes the head of the free list entire (swap_alloc_cluster); when no cluster is free it gets
 * nothing, and reclaim splits the folio. A smaller run, which kernels from 6.10 allocate for mTHP
 * folios, is taken aligned from the current cluster, or from the head of the free list, which
 * becomes the current cluster; never from a scan of the map.
 *
 * <p>Left out: the rotational-disk allocator, discard, bad pages other than the header, the
 * cluster's HUGE flag (a huge cluster here is one whose slots were allocated together, nothing
 * more), the per-CPU swap slots cache, reuse of cache-only slots when swap is full
 * (vm_swap_full), lowest_bit/highest_bit search bounds, and count continuation pages.
 */
public final class SwapDevice {
    /**
     * Slots per cluster (SWAPFILE_CLUSTER) in a kernel built with CONFIG_THP_SWAP (the x86-64
     * default with THP): HPAGE_PMD_NR, so that one free cluster holds a PMD-sized folio whole.
     */
    public static final int SWAPFILE_CLUSTER = 512;
    /**
     * Slots per cluster in a kernel built without THP_SWAP (such as user-mode Linux, which has no
     * THP); such a kernel never allocates a run for a large folio.
     */
    public static final int SWAPFILE_CLUSTER_NO_THP_SWAP = 256;
    /** Usage bit: a swap-cache folio holds the slot (SWAP_HAS_CACHE). */
    public static final int SWAP_HAS_CACHE = 0x40;
    /** Largest reference count a usage byte holds (SWAP_MAP_MAX). */
    public static final int SWAP_MAP_MAX = 0x3e;
    /** Usage byte of an unusable slot (SWAP_MAP_BAD); here only the header slot 0. */
    public static final int SWAP_MAP_BAD = 0x3f;
    /** Usage bit: the slot's one reference is a shmem file's (this model's SWAP_MAP_SHMEM). */
    public static final int SHMEM_OWNED = 0x80;
    /** Offset meaning "no slot"; slot 0 is the header and is never handed out. */
    public static final long NO_SLOT = 0;
    /** Largest area in pages: the swap map is one Java byte array. */
    public static final long MAX_PAGES = Integer.MAX_VALUE - 8;
    /** Clusters per column of the initial free list (SWAP_CLUSTER_COLS for one CPU). */
    static final int SWAP_CLUSTER_COLS = 64;

    private static final int NIL = -1;
    private static final int COUNT_MASK = 0x3f;

    private final SwapDevices owner;
    private final int type;
    private final String name;
    private final SwapBackend backend;
    private boolean rotational;
    private final int max;
    /** Slots per cluster of this area: {@link #SWAPFILE_CLUSTER}, or {@link #SWAPFILE_CLUSTER_NO_THP_SWAP}. */
    private final int cluster;
    private final byte[] swapMap;
    private int priority;
    private boolean writeok;
    private int inusePages;

    private final int nrClusters;
    private final int[] clusterCount;
    private final boolean[] clusterFree;
    private final int[] clusterNext;
    private int freeHead = NIL;
    private int freeTail = NIL;

    private int percpuCluster = NIL;
    private int percpuNext;
    private int scanNext = 1;

    private long pswpin;
    private long pswpout;

    /** Requires: {@code 2 <= backend.pages() <= MAX_PAGES}; checked by {@link SwapDevices#swapon}. */
    SwapDevice(SwapDevices owner, int type, String name, int priority, SwapBackend backend) {
        long pages = backend.pages();
        if (pages < 2 || pages > MAX_PAGES) {
            throw new IllegalArgumentException("swap area size out of range: " + pages + " pages");
        }
        this.owner = owner;
        this.type = type;
        this.name = name;
        this.priority = priority;
        this.backend = backend;
        this.max = (int) pages;
        this.cluster = owner.thpSwap() ? SWAPFILE_CLUSTER : SWAPFILE_CLUSTER_NO_THP_SWAP;
        this.swapMap = new byte[max];
        this.nrClusters = (max + cluster - 1) / cluster;
        this.clusterCount = new int[nrClusters];
        this.clusterFree = new boolean[nrClusters];
        this.clusterNext = new int[nrClusters];
        swapMap[0] = (byte) SWAP_MAP_BAD;
        clusterCount[0]++;
        clusterCount[nrClusters - 1] += nrClusters * cluster - max;
        for (int col = 0; col < SWAP_CLUSTER_COLS; col++) {
            for (int idx = col; idx < nrClusters; idx += SWAP_CLUSTER_COLS) {
                if (clusterCount[idx] == 0) {
                    clusterFree[idx] = true;
                    freeListAddTail(idx);
                }
            }
        }
        this.writeok = true;
    }

    // ---- identity ----

    /** The type number: index in the swap_info table and the type field of swap entries. */
    public int type() {
        return type;
    }

    /** The name given at swapon, shown in /proc/swaps. */
    public String name() {
        return name;
    }

    /** The priority: higher is used first; defaults are negative. */
    public int priority() {
        return priority;
    }

    void setPriority(int priority) {
        this.priority = priority;
    }

    /**
     * Whether the device is rotational (a disk, not solid-state: no SWP_SOLIDSTATE). While one is
     * on, swap-ins read ahead by cluster rather than by VMA ({@link SwapReadahead}).
     */
    public boolean rotational() {
        return rotational;
    }

    void setRotational(boolean rotational) {
        this.rotational = rotational;
    }

    /** The backend storing the pages. */
    public SwapBackend backend() {
        return backend;
    }

    /** Whether slots may be allocated here (SWP_WRITEOK): false once swapoff has begun. */
    public boolean writeok() {
        return writeok;
    }

    void setWriteok(boolean writeok) {
        this.writeok = writeok;
    }

    // ---- sizes ----

    /** Size of the area in slots, header included (si->max). */
    public long maxPages() {
        return max;
    }

    /** Usable slots: all but the header (si->pages). */
    public long pages() {
        return max - 1L;
    }

    /** Slots in use: usage byte non-zero (si->inuse_pages). */
    public long inusePages() {
        return inusePages;
    }

    /**
     * Slots per cluster: {@link #SWAPFILE_CLUSTER} when the area was swapped on by a kernel with
     * THP_SWAP, else {@link #SWAPFILE_CLUSTER_NO_THP_SWAP} ({@link SwapDevices#setThpSwap}).
     */
    public int clusterSize() {
        return cluster;
    }

    /** Free slots: {@code pages() - inusePages()}. */
    public long freePages() {
        return pages() - inusePages;
    }

    /** Pages read from this area (pswpin). */
    public long pswpin() {
        return pswpin;
    }

    /** Pages written to this area (pswpout). */
    public long pswpout() {
        return pswpout;
    }

    // ---- slot allocation ----

    /**
     * Allocates a free slot for the swap cache (scan_swap_map_slots with usage SWAP_HAS_CACHE):
     * its usage byte becomes {@link #SWAP_HAS_CACHE}. Returns the offset, or {@link #NO_SLOT} when
     * the area is full or swapoff has begun.
     */
    public long allocSlot() {
        if (!writeok || inusePages == max - 1) {
            return NO_SLOT;
        }
        int offset = scanCluster();
        if (offset == 0) {
            offset = scanAnyFree();
        }
        if (offset == 0) {
            throw broken("free slots counted but none found");
        }
        swapMap[offset] = (byte) SWAP_HAS_CACHE;
        incCluster(offset);
        inusePages++;
        if (inusePages == max - 1) {
            owner.availDel(this);
        }
        scanNext = offset + 1 < max ? offset + 1 : 1;
        return offset;
    }

    /**
     * Allocates {@code nr} contiguous slots, the first aligned to {@code nr}, for a large folio in
     * the swap cache: each usage byte becomes {@link #SWAP_HAS_CACHE}. A run of a whole cluster is
     * the head of the free cluster list (swap_alloc_cluster); a shorter one comes from the current
     * cluster or, when that has no aligned free run, the head of the free list, which becomes the
     * current cluster. Returns the first offset, or {@link #NO_SLOT} when no such run is free or
     * swapoff has begun, or always without THP_SWAP (swap_alloc_cluster fails there). Requires:
     * {@code nr} a power of two, {@code 2 <= nr <= SWAPFILE_CLUSTER}.
     */
    public long allocRun(int nr) {
        if (nr < 2 || nr > SWAPFILE_CLUSTER || Integer.bitCount(nr) != 1) {
            throw new IllegalArgumentException("swap slot run of " + nr + " slots");
        }
        if (!writeok || freePages() < nr || cluster != SWAPFILE_CLUSTER) {
            return NO_SLOT;
        }
        int offset = nr == cluster ? (freeHead == NIL ? 0 : freeHead * cluster) : scanClusterRun(nr);
        if (offset == 0) {
            return NO_SLOT;
        }
        for (int k = 0; k < nr; k++) {
            if (swapMap[offset + k] != 0) {
                throw broken("run " + offset + "+" + nr + " handed out with slot " + (offset + k) + " in use");
            }
            swapMap[offset + k] = (byte) SWAP_HAS_CACHE;
            incCluster(offset + k);
        }
        inusePages += nr;
        if (inusePages == max - 1) {
            owner.availDel(this);
        }
        return offset;
    }

    /** An aligned free run of {@code nr} slots in the current cluster, or the head of the free list made current; 0 if neither. */
    private int scanClusterRun(int nr) {
        if (percpuCluster != NIL && !(clusterFree[percpuCluster] && percpuCluster != freeHead)) {
            int end = Math.min(max, (percpuCluster + 1) * cluster);
            for (int run = (percpuNext + nr - 1) & -nr; run + nr <= end; run += nr) {
                if (runFree(run, nr)) {
                    percpuNext = run + nr;
                    return run;
                }
            }
        }
        if (freeHead == NIL) {
            return 0;
        }
        percpuCluster = freeHead;
        percpuNext = freeHead * cluster + nr;
        return freeHead * cluster;
    }

    private boolean runFree(int first, int nr) {
        for (int k = 0; k < nr; k++) {
            if (swapMap[first + k] != 0) {
                return false;
            }
        }
        return true;
    }

    /** Next-fit in the current cluster, moving to the head of the free list as needed; 0 if no cluster is free. */
    private int scanCluster() {
        while (true) {
            if (percpuCluster == NIL) {
                if (freeHead == NIL) {
                    return 0;
                }
                percpuCluster = freeHead;
                percpuNext = freeHead * cluster;
            }
            if (clusterFree[percpuCluster] && percpuCluster != freeHead) {
                // the current cluster emptied and was queued behind others: taking it would break the list
                percpuCluster = NIL;
                continue;
            }
            int end = Math.min(max, (percpuCluster + 1) * cluster);
            int tmp = percpuNext;
            while (tmp < end && swapMap[tmp] != 0) {
                tmp++;
            }
            if (tmp >= end) {
                percpuCluster = NIL;
                continue;
            }
            percpuNext = tmp + 1;
            return tmp;
        }
    }

    /** Any free slot, searching from the slot after the last allocation and wrapping; 0 if none. */
    private int scanAnyFree() {
        for (int i = scanNext; i < max; i++) {
            if (swapMap[i] == 0) {
                return i;
            }
        }
        for (int i = 1; i < scanNext; i++) {
            if (swapMap[i] == 0) {
                return i;
            }
        }
        return 0;
    }

    // ---- references ----

    /**
     * Adds one swap-entry reference to slot {@code offset} (swap_duplicate). Fails with
     * {@link SwapResult#ENOENT} when the slot is free, {@link SwapResult#COUNT_MAX} when the count
     * is already {@link #SWAP_MAP_MAX}. Requires: {@code 0 < offset < maxPages()}.
     */
    public SwapResult duplicate(long offset) {
        int off = slot(offset);
        int usage = swapMap[off] & 0xff;
        if (usage == 0) {
            return SwapResult.ENOENT;
        }
        if ((usage & COUNT_MASK) >= SWAP_MAP_MAX) {
            return SwapResult.COUNT_MAX;
        }
        if ((usage & SHMEM_OWNED) != 0) {
            throw broken("swap_duplicate of shmem-owned slot " + off);
        }
        swapMap[off] = (byte) (usage + 1);
        return SwapResult.OK;
    }

    /**
     * Gives slot {@code offset}, just allocated for the swap cache, its one reference as a shmem
     * file's (swap_shmem_alloc). Throws {@link IllegalStateException} when the slot is not a
     * fresh cache-only slot. Requires: {@code 0 < offset < maxPages()}.
     */
    public void shmemAlloc(long offset) {
        int off = slot(offset);
        int usage = swapMap[off] & 0xff;
        if (usage != SWAP_HAS_CACHE) {
            throw broken("swap_shmem_alloc of slot " + off + " with usage 0x" + Integer.toHexString(usage));
        }
        swapMap[off] = (byte) (SWAP_HAS_CACHE | SHMEM_OWNED | 1);
    }

    /** Whether slot {@code offset}'s reference is a shmem file's. */
    public boolean isShmem(long offset) {
        return (swapMap[slot(offset)] & SHMEM_OWNED) != 0;
    }

    /**
     * Takes the swap-cache bit of slot {@code offset} before reading it in (swapcache_prepare).
     * Fails with {@link SwapResult#EEXIST} when a swap-cache folio already holds it,
     * {@link SwapResult#ENOENT} when no entry refers to it. Requires: {@code 0 < offset < maxPages()}.
     */
    public SwapResult cachePrepare(long offset) {
        int off = slot(offset);
        int usage = swapMap[off] & 0xff;
        if ((usage & SWAP_HAS_CACHE) != 0) {
            return SwapResult.EEXIST;
        }
        if (usage == 0) {
            return SwapResult.ENOENT;
        }
        swapMap[off] = (byte) (usage | SWAP_HAS_CACHE);
        return SwapResult.OK;
    }

    /**
     * Drops one swap-entry reference to slot {@code offset} (swap_free), freeing the slot when
     * nothing is left. Returns whether the slot became free. Throws {@link IllegalStateException}
     * when the slot has no reference. Requires: {@code 0 < offset < maxPages()}.
     */
    public boolean free(long offset) {
        int off = slot(offset);
        int usage = swapMap[off] & 0xff;
        if ((usage & COUNT_MASK) == 0) {
            throw broken("swap_free of slot " + off + " with usage 0x" + Integer.toHexString(usage));
        }
        int left = usage - 1;
        return setUsage(off, (left & COUNT_MASK) == 0 ? left & ~SHMEM_OWNED : left);
    }

    /**
     * Drops the swap-cache bit of slot {@code offset} (put_swap_folio, swapcache_clear), freeing
     * the slot when no entry refers to it. Returns whether the slot became free. Throws
     * {@link IllegalStateException} when the bit is not set. Requires: {@code 0 < offset < maxPages()}.
     */
    public boolean cacheClear(long offset) {
        int off = slot(offset);
        int usage = swapMap[off] & 0xff;
        if ((usage & SWAP_HAS_CACHE) == 0) {
            throw broken("swap cache bit cleared on slot " + off + " with usage 0x" + Integer.toHexString(usage));
        }
        return setUsage(off, usage & ~SWAP_HAS_CACHE);
    }

    private boolean setUsage(int off, int usage) {
        swapMap[off] = (byte) usage;
        if (usage != 0) {
            return false;
        }
        decCluster(off);
        boolean wasFull = inusePages == max - 1;
        inusePages--;
        if (wasFull && writeok) {
            owner.availAdd(this);
        }
        return true;
    }

    // ---- queries ----

    /** Swap-entry references to slot {@code offset}, cache bit excluded (swp_swapcount). */
    public int swapCount(long offset) {
        return swapMap[slot(offset)] & COUNT_MASK;
    }

    /** Whether a swap-cache folio holds slot {@code offset}. */
    public boolean hasCache(long offset) {
        return (swapMap[slot(offset)] & SWAP_HAS_CACHE) != 0;
    }

    /** The raw usage byte of slot {@code offset}, 0 to 0xff; slot 0 reads {@link #SWAP_MAP_BAD}. */
    public int usage(long offset) {
        if (offset < 0 || offset >= max) {
            throw new IllegalArgumentException("swap offset out of range: " + offset + " of " + max + " slots");
        }
        return swapMap[(int) offset] & 0xff;
    }

    /** Whether slot {@code offset} is free (usage byte 0). */
    public boolean isFree(long offset) {
        return swapMap[slot(offset)] == 0;
    }

    /**
     * The first slot in use after {@code prev} (find_next_to_unuse), or {@link #NO_SLOT}. Slots
     * held only by the swap cache count as in use. Requires: {@code 0 <= prev < maxPages()}.
     */
    public long findNextInUse(long prev) {
        if (prev < 0 || prev >= max) {
            throw new IllegalArgumentException("swap offset out of range: " + prev + " of " + max + " slots");
        }
        for (int i = (int) prev + 1; i < max; i++) {
            if (swapMap[i] != 0) {
                return i;
            }
        }
        return NO_SLOT;
    }

    /**
     * The slots in use, in ascending order. The iterator looks up each next slot when asked, so
     * the caller may free the slot it was just given (as swapoff does) while iterating.
     */
    public PrimitiveIterator.OfLong usedSlots() {
        return new PrimitiveIterator.OfLong() {
            private long next = findNextInUse(0);

            @Override
            public boolean hasNext() {
                return next != NO_SLOT;
            }

            @Override
            public long nextLong() {
                if (next == NO_SLOT) {
                    throw new NoSuchElementException();
                }
                long cur = next;
                next = findNextInUse(cur);
                return cur;
            }
        };
    }

    // ---- I/O ----

    /**
     * Writes frame {@code pfn} to slot {@code offset} (swap_writepage) and counts one pswpout.
     * Returns false when the host failed. Requires: the slot is in use.
     */
    public boolean writePage(long offset, FrameContents contents, int pfn) {
        int off = slotInUse(offset);
        pswpout++;
        return backend.writePage(off, contents, pfn);
    }

    /**
     * Reads slot {@code offset} into frame {@code pfn} (swap_readpage) and counts one pswpin.
     * Returns false when the host failed. Requires: the slot is in use.
     */
    public boolean readPage(long offset, FrameContents contents, int pfn) {
        int off = slotInUse(offset);
        pswpin++;
        return backend.readPage(off, contents, pfn);
    }

    // ---- clusters ----

    private void incCluster(int offset) {
        int idx = offset / cluster;
        if (clusterFree[idx]) {
            if (freeHead != idx) {
                throw broken("allocating in free cluster " + idx + " which is not the head of the free list");
            }
            freeHead = clusterNext[idx];
            if (freeHead == NIL) {
                freeTail = NIL;
            }
            clusterFree[idx] = false;
        }
        clusterCount[idx]++;
    }

    private void decCluster(int offset) {
        int idx = offset / cluster;
        if (clusterCount[idx] == 0) {
            throw broken("cluster " + idx + " count underflow");
        }
        if (--clusterCount[idx] == 0) {
            clusterFree[idx] = true;
            freeListAddTail(idx);
        }
    }

    private void freeListAddTail(int idx) {
        clusterNext[idx] = NIL;
        if (freeTail == NIL) {
            freeHead = idx;
        } else {
            clusterNext[freeTail] = idx;
        }
        freeTail = idx;
    }

    // ---- checks ----

    private int slot(long offset) {
        if (offset <= 0 || offset >= max) {
            throw new IllegalArgumentException("swap offset out of range: " + offset + " of " + max + " slots");
        }
        return (int) offset;
    }

    private int slotInUse(long offset) {
        int off = slot(offset);
        if (swapMap[off] == 0) {
            throw broken("I/O on free slot " + off);
        }
        return off;
    }

    /**
     * Recomputes the accounting from the swap map and throws {@link IllegalStateException} with a
     * dump when it disagrees:
     * <pre>
     *   swap_map[0] == SWAP_MAP_BAD; every other count &lt;= SWAP_MAP_MAX
     *   SHMEM_OWNED set  =&gt;  count == 1
     *   inuse_pages == number of slots 1 .. max-1 with a non-zero byte
     *   cluster count[c] == non-zero bytes in c (+ header for c = 0, + slots past max for the last)
     *   cluster c free  iff  count[c] == 0  iff  c is on the free list (once, tail last)
     * </pre>
     */
    public void check() {
        if ((swapMap[0] & 0xff) != SWAP_MAP_BAD) {
            throw broken("header slot usage 0x" + Integer.toHexString(swapMap[0] & 0xff));
        }
        int[] expect = new int[nrClusters];
        expect[0] = 1;
        expect[nrClusters - 1] += nrClusters * cluster - max;
        int inuse = 0;
        for (int i = 1; i < max; i++) {
            int usage = swapMap[i] & 0xff;
            if (usage == 0) {
                continue;
            }
            if ((usage & COUNT_MASK) > SWAP_MAP_MAX || (usage & SHMEM_OWNED) != 0 && (usage & COUNT_MASK) != 1) {
                throw broken("slot " + i + " usage 0x" + Integer.toHexString(usage));
            }
            inuse++;
            expect[i / cluster]++;
        }
        if (inuse != inusePages) {
            throw broken("inuse_pages " + inusePages + " but " + inuse + " slots in use");
        }
        int nrFree = 0;
        for (int c = 0; c < nrClusters; c++) {
            if (clusterCount[c] != expect[c]) {
                throw broken("cluster " + c + " count " + clusterCount[c] + " but " + expect[c] + " used");
            }
            if (clusterFree[c] != (expect[c] == 0)) {
                throw broken("cluster " + c + " free flag " + clusterFree[c] + " with count " + expect[c]);
            }
            if (clusterFree[c]) {
                nrFree++;
            }
        }
        boolean[] seen = new boolean[nrClusters];
        int listed = 0;
        int last = NIL;
        for (int c = freeHead; c != NIL; c = clusterNext[c]) {
            if (c < 0 || c >= nrClusters || seen[c] || !clusterFree[c]) {
                throw broken("free cluster list corrupt at " + c);
            }
            seen[c] = true;
            listed++;
            last = c;
        }
        if (listed != nrFree || last != freeTail) {
            throw broken("free cluster list holds " + listed + " of " + nrFree + " free clusters, tail " + freeTail);
        }
        if (percpuCluster != NIL && (percpuCluster < 0 || percpuCluster >= nrClusters
                || percpuNext < percpuCluster * cluster
                || percpuNext > (percpuCluster + 1) * cluster)) {
            throw broken("current cluster " + percpuCluster + " next " + percpuNext);
        }
        if (scanNext < 1 || scanNext >= max) {
            throw broken("scan hint " + scanNext);
        }
    }

    private IllegalStateException broken(String what) {
        return new IllegalStateException(what + ": " + describe());
    }

    /** A one-line dump of the device for failure messages. */
    public String describe() {
        StringBuilder free = new StringBuilder("[");
        int shown = 0;
        for (int c = freeHead; c != NIL && shown < 16; c = clusterNext[c], shown++) {
            free.append(shown == 0 ? "" : ",").append(c);
        }
        free.append(shown == 16 ? ",...]" : "]");
        return "swap type " + type + " '" + name + "' prio " + priority + (writeok ? "" : " !writeok")
                + " max " + max + " inuse " + inusePages + " clusters " + nrClusters + " free " + free
                + " current " + (percpuCluster == NIL ? "none" : percpuCluster + " next " + percpuNext)
                + " scan " + scanNext;
    }

    @Override
    public String toString() {
        return describe();
    }
}
