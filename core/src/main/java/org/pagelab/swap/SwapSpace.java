package org.pagelab.swap;

import java.io.IOException;
import java.nio.file.Path;
import org.pagelab.desc.AnonFolio;
import org.pagelab.desc.CacheEntry;
import org.pagelab.desc.Folio;
import org.pagelab.desc.FolioFlags.Flag;
import org.pagelab.desc.Shadow;
import org.pagelab.desc.ShmemFolio;
import org.pagelab.desc.SwapBacked;
import org.pagelab.desc.SwapEntry;
import org.pagelab.filemap.AddressSpace;
import org.pagelab.filemap.SwapCache;
import org.pagelab.phys.PageAllocator;
import org.pagelab.slab.KmemCache;
import org.pagelab.stat.VmItem;
import org.pagelab.stat.VmStat;

/**
 * The machine's swap: the swap areas ({@link SwapDevices}) and, for each, its swap cache, which is
 * a {@link SwapCache} indexed by slot, the same cache index the page cache uses (mm/swap_state.c,
 * mm/swapfile.c). It takes only {@link SwapBacked} folios, and {@link #lookup} hands them back
 * typed, so a caller that needs one kind switches over the two.
 *
 * <p>Both kinds of swap-backed folio enter a swap cache: anonymous folios, named afterwards by
 * the page tables' swap entries, and shmem folios leaving their file's cache, named afterwards by
 * the entry in their file's cache slot (shmem_writepage, {@link #allocForShmem}); a slot records
 * which kind owns it. The life of an anonymous folio through swap, as the kernel has it:
 * <pre>
 *   reclaim:   addToSwap        slot allocated (usage = HAS_CACHE), folio in the swap cache, dirty
 *              unmap            each PTE becomes the swap entry: duplicate (count + 1)
 *              writeOut         the device gets the bytes (pswpout), folio clean
 *              deleteFromCache  folio leaves the cache (HAS_CACHE cleared), shadow left, folio freed
 *   swap-in:   lookup           a swap-cache hit is a minor fault
 *              readIn           else a new folio joins the cache and reads the slot (pswpin)
 *              swapFree         the PTE maps the folio again (count - 1)
 *   zap:       freeSwapAndCache count - 1; at 0 an unmapped swap-cache folio is dropped too
 * </pre>
 * A slot is free when its count and cache bit are both clear; its shadow (if any) is erased then,
 * so a later user of the slot cannot be taken for a refault. A large anon folio (swapped out
 * whole) takes an aligned run of slots and the cache holds it at each; each slot keeps its own
 * count, cache bit and charge.
 *
 * <p>Invariants ({@link #check()}): each device's slot map is consistent; a slot has the cache bit
 * exactly when its swap cache holds a folio there; every folio in a swap cache is swap-backed
 * with SWAPCACHE set, not dirty-accounted, of its slot owner's kind, and a large one holds every
 * slot of its aligned run (a file folio for a slot a
 * shmem file owns, an anon folio for one page tables name); no folio outlives its owners there
 * (a slot no entry names keeps its folio only while something maps or holds it, or while it is
 * being written); nr_swapcached is the pages of those folios. The count
 * of each slot against the PTEs that hold its entry is checked by the memory manager, which owns
 * the page tables.
 */
public final class SwapSpace {
    private final PageAllocator phys;
    private final VmStat vmstat;
    private final KmemCache nodeCache;
    private final Path workdir;
    private final SwapDevices devices = new SwapDevices();
    private final java.util.List<SwapCache> caches =
            new java.util.ArrayList<>(java.util.Collections.nCopies(SwapDevices.MAX_SWAPFILES, null));
    private final org.pagelab.filemap.IoClock.Device[] timing = new org.pagelab.filemap.IoClock.Device[SwapDevices.MAX_SWAPFILES];
    private final SwapIo swapIo;
    private final SwapReadahead readahead;

    /**
     * Swap for a machine; swap files go to {@code workdir}, or are synthetic when it is null. Each
     * swap area's I/O is timed on its own device of {@code swapIo}, and fails where it says.
     */
    public SwapSpace(PageAllocator phys, VmStat vmstat, KmemCache nodeCache, Path workdir, SwapIo swapIo) {
        this.swapIo = swapIo;
        this.phys = phys;
        this.vmstat = vmstat;
        this.nodeCache = nodeCache;
        this.workdir = workdir;
        this.readahead = new SwapReadahead(this, vmstat, phys.managedPages());
    }

    public SwapDevices devices() {
        return devices;
    }

    /** Swap readahead: page-cluster, the VMA or cluster window, the hits. */
    public SwapReadahead readahead() {
        return readahead;
    }

    /** swapon of a solid-state swap area: {@link #swapon(String, long, Integer, boolean)} not rotational. */
    public SwaponResult swapon(String name, long pages, Integer priority) {
        return swapon(name, pages, priority, false);
    }

    /**
     * swapon: a swap area of {@code pages} pages (the header page included) named {@code name}: a
     * swap file under the working directory in data mode, slot counts only in metadata mode.
     * {@code priority} null takes the next default priority. {@code rotational} is what the
     * device's queue reports (a disk rather than solid-state); it selects cluster readahead.
     */
    public SwaponResult swapon(String name, long pages, Integer priority, boolean rotational) {
        SwapBackend backend;
        if (workdir == null) {
            backend = new SyntheticSwap(pages);
        } else {
            try {
                backend = SwapFile.create(workdir, name, pages);
            } catch (IOException e) {
                return new SwaponResult.Failed(SwapErrno.EINVAL, "cannot create swap file '" + name + "': "
                        + org.pagelab.filemap.HostPaths.reason(e));
            } catch (IllegalArgumentException e) {
                return new SwaponResult.Failed(SwapErrno.EINVAL, "cannot create swap file '" + name + "': " + e.getMessage());
            }
        }
        SwaponResult r = priority == null ? devices.swapon(name, backend) : devices.swapon(name, priority, backend);
        if (r instanceof SwaponResult.Ok ok) {
            ok.device().setRotational(rotational);
            caches.set(ok.device().type(), AddressSpace.swapCache("swap " + name, nodeCache, phys, vmstat));
            timing[ok.device().type()] = swapIo.device(ok.device().type(), name);
        } else {
            backend.release();
        }
        return r;
    }

    /**
     * The last step of swapoff, once no PTE holds an entry of device {@code type}: takes the
     * folios left in its swap cache out of it (unmapped ones are freed, mapped ones stay as plain
     * anonymous memory), erases its shadows,
     * removes the device and releases its file. Returns the refusal of {@link SwapDevices#swapoff}
     * if slots are still in use.
     */
    public java.util.Optional<SwapErrno> finishSwapoff(int type) {
        SwapCache c = cache(type);
        java.util.List<Folio> left = new java.util.ArrayList<>();
        c.index().forEach(0, Long.MAX_VALUE, (i, e) -> {
            if (e instanceof Folio f && i == f.index()) {
                left.add(f);
            }
            return true;
        });
        for (Folio f : left) {
            io.waitFor(f); // swapoff waits for the writes in flight to its device
            if (folioSwapped(f) || f.refcount() != f.nrPages() + f.mapcount()) {
                return java.util.Optional.of(SwapErrno.EBUSY);
            }
            deleteFromSwapCache(f, null); // mapped ones become plain anonymous memory (folio_free_swap)
        }
        java.util.Optional<SwapErrno> r = devices.swapoff(type);
        if (r.isEmpty()) {
            c.index().clear();
            caches.set(type, null);
        }
        return r;
    }

    /** Releases every swap area's backend (closing and deleting swap files) when the machine shuts down. */
    public void close() {
        for (SwapDevice d : devices.devices()) {
            d.backend().release();
        }
    }

    /** Whether any swap slot can still be allocated (get_scan_count's may-swap test). */
    public boolean hasFreeSlots() {
        return devices.freePages() > 0;
    }

    /** The swap cache of device {@code type}. */
    public SwapCache cache(int type) {
        SwapCache c = caches.get(type);
        if (c == null) {
            throw new IllegalArgumentException("no swap device of type " + type);
        }
        return c;
    }

    private SwapCache cacheOf(SwapEntry entry) {
        return cache(entry.type());
    }

    /**
     * The folio in the swap cache at {@code entry}, or null (swap_cache_get_folio): an anon or a
     * shmem folio, typed as the one it is.
     */
    public SwapBacked lookup(SwapEntry entry) {
        return cacheOf(entry).lookupSwapBacked(entry.offset());
    }

    /** What the swap cache holds at {@code entry}: a folio, a shadow, or null. */
    public CacheEntry load(SwapEntry entry) {
        return cacheOf(entry).load(entry.offset());
    }

    /** The swap entry of a folio in a swap cache. */
    public SwapEntry entryOf(Folio f) {
        if (!(f.mapping() instanceof SwapCache as)) {
            throw new IllegalArgumentException("folio not in a swap cache: " + f);
        }
        for (int t = 0; t < caches.size(); t++) {
            if (caches.get(t) == as) {
                return new SwapEntry(t, f.index());
            }
        }
        throw new IllegalStateException("swap cache of no device: " + f);
    }

    /** Whether {@code f} is in a swap cache. */
    public static boolean inSwapCache(Folio f) {
        return f.test(Flag.SWAPCACHE);
    }

    /**
     * add_to_swap: gives anon folio {@code f} a slot per page and puts it in the swap cache at
     * them, dirty (it must be written before it can be dropped). A large folio gets a contiguous
     * run aligned to its size ({@link SwapDevices#allocSwapRun}) and one cache entry per slot, as
     * the kernel's xarray holds it. Returns the entry of the first slot, or null when no slots are
     * free (for a large folio: no free run, which makes reclaim split it), the cgroup is at its
     * swap limit or the cache index cannot grow.
     */
    public SwapEntry addToSwap(AnonFolio f) {
        if (f.mapping() != null) {
            throw new IllegalStateException("folio already in a cache: " + f);
        }
        int nr = f.nrPages();
        SwapEntry entry = nr == 1 ? devices.allocSwapEntry() : devices.allocSwapRun(nr);
        if (entry == null) {
            return null;
        }
        if (!devices.charge().charge(f, entry, nr)) {
            cacheClearRun(entry, nr); // the cgroup is at memory.swap.max
            return null;
        }
        return addAllocated(f, entry) ? entry : null;
    }

    /** put_swap_folio for slots that hold no folio yet: drops the cache bit of {@code nr} slots from {@code entry}. */
    private void cacheClearRun(SwapEntry entry, int nr) {
        for (int k = 0; k < nr; k++) {
            devices.cacheClear(entry.plus(k));
        }
    }

    /**
     * The swap half of shmem_writepage: allocates a slot for shmem folio {@code f}, which the
     * shmem file's cache index will name by its entry (one count), and returns the entry, or null
     * when swap is full or the cgroup is at its swap limit. The caller then moves the folio out of
     * the shmem cache and into the swap cache with {@link #addAllocated}.
     */
    public SwapEntry allocForShmem(ShmemFolio f) {
        SwapEntry entry = devices.allocSwapEntry();
        if (entry == null) {
            return null;
        }
        if (!devices.charge().charge(f, entry, 1)) {
            devices.cacheClear(entry); // the cgroup is at memory.swap.max
            return null;
        }
        devices.shmemAlloc(entry);
        return entry;
    }

    /**
     * Puts swap-backed folio {@code f} (anon, or shmem leaving its file) in the swap cache at
     * {@code entry}, whose slots (one per page) were just allocated with their cache bit, dirty.
     * Returns false, giving the cache bits back, when the cache index cannot grow.
     */
    public boolean addAllocated(SwapBacked sb, SwapEntry entry) {
        Folio f = sb.folio();
        if (f.mapping() != null) {
            throw new IllegalStateException("not a swap-backed folio outside every cache: " + f);
        }
        SwapCache c = cacheOf(entry);
        long off = entry.offset();
        c.index().eraseRange(off, f.nrPages()); // the slots' shadows from their last users
        if (!c.tryAdd(sb, off)) {
            cacheClearRun(entry, f.nrPages());
            return false;
        }
        f.set(Flag.SWAPCACHE);
        c.markDirty(f);
        vmstat.add(VmItem.NR_SWAPCACHED, f.nrPages());
        return true;
    }

    /**
     * Puts a new folio for {@code entry} in the swap cache before it is read (the swapin half of
     * __read_swap_cache_async). Returns false when the slot already has a cache folio.
     */
    public boolean addForSwapin(SwapBacked sb, SwapEntry entry) {
        if (devices.cachePrepare(entry) != SwapResult.OK) {
            return false;
        }
        Folio f = sb.folio();
        SwapCache c = cacheOf(entry);
        if (!c.tryAdd(sb, entry.offset())) {
            devices.cacheClear(entry);
            return false;
        }
        f.set(Flag.SWAPCACHE);
        vmstat.add(VmItem.NR_SWAPCACHED, f.nrPages());
        return true;
    }

    /** Charges the running task one read request of {@code pages} pages on {@code entry}'s device. */
    public void chargeRead(SwapEntry entry, int pages) {
        swapIo.clock().io(timing[entry.type()], (long) pages * org.pagelab.phys.MemSize.PAGE_SIZE, false);
    }

    /**
     * me_swapcache_dirty: a dirty swap-cache folio whose memory failed: its contents are lost, so
     * it is neither dirty (nothing to write) nor uptodate; a fault on its entry gets SIGBUS.
     */
    public void markCleanLost(Folio f) {
        cacheOf(entryOf(f)).clearDirty(f);
        f.clear(Flag.UPTODATE);
    }

    /** Marks a swap-cache folio dirty: its slot's copy is no longer to be relied on. */
    public void markDirtyInCache(Folio f) {
        cacheOf(entryOf(f)).markDirty(f);
    }

    /**
     * Starts the write of a swap-cache folio to its slots (swap_writepage): its bytes go to the
     * device now, a large folio's in one request, and the folio is under writeback until the
     * write completes ({@link org.pagelab.filemap.WritebackIo}). pswpout counts every page, and a
     * PMD-sized folio written whole counts thp_swpout once (count_swpout_vm_event). Returns false,
     * leaving it dirty, on a host error. A folio that no swap entry names any more (a piece of a
     * split large folio that nothing mapped, put in the swap cache by reclaim) is not written: as
     * swap_writepage does through folio_free_swap, it leaves the swap cache, its slot is freed, and
     * it stays dirty, so the reclaim that isolated it frees it when it puts it back.
     */
    public boolean writeOut(Folio f) {
        if (folioFreeSwap(f)) {
            f.set(Flag.DIRTY);
            return true;
        }
        SwapEntry entry = entryOf(f);
        SwapCache c = cacheOf(entry);
        c.clearDirty(f);
        SwapDevice d = devices.device(entry);
        boolean ok = true;
        for (int k = 0; k < f.nrPages() && ok; k++) {
            ok = !swapIo.fails(entry.type(), true, entry.offset() + k)
                    && d.writePage(entry.offset() + k, phys.contents(), f.pfn() + k);
        }
        vmstat.add(VmItem.PSWPOUT, f.nrPages());
        vmstat.add(VmItem.PGPGOUT, f.nrPages() * 4L);
        if (f.nrPages() >= SwapDevice.SWAPFILE_CLUSTER) {
            vmstat.inc(VmItem.THP_SWPOUT); // folio_test_pmd_mappable: a cluster is HPAGE_PMD_NR slots
        }
        if (!ok) {
            c.markDirty(f);
            return false;
        }
        io.start(c, f, timing[entry.type()]);
        return true;
    }

    private org.pagelab.filemap.WritebackIo io;
    /** Installs the writes in flight of the machine, shared with the page cache. */
    public void setWritebackIo(org.pagelab.filemap.WritebackIo io) {
        this.io = io;
    }

    /** Reads slot {@code entry} into swap-cache folio {@code f} (swap_readpage); returns false on a host error. */
    public boolean readIn(Folio f, SwapEntry entry) {
        boolean ok = readInUntimed(f, entry);
        swapIo.clock().io(timing[entry.type()], (long) f.nrPages() * org.pagelab.phys.MemSize.PAGE_SIZE, false);
        return ok;
    }

    /**
     * Reads slot {@code entry} into {@code f} without charging time: part of a batch (swap
     * readahead) whose one request {@link #chargeRead} charges.
     */
    public boolean readInUntimed(Folio f, SwapEntry entry) {
        boolean ok = !swapIo.fails(entry.type(), false, entry.offset()) && devices.device(entry).readPage(entry.offset(), phys.contents(), f.pfn());
        vmstat.add(VmItem.PSWPIN, f.nrPages());
        vmstat.add(VmItem.PGPGIN, f.nrPages() * 4L);
        if (ok) {
            f.set(Flag.UPTODATE);
        }
        return ok;
    }

    /**
     * delete_from_swap_cache: takes {@code f} out of its swap cache (dropping the cache's
     * references), leaving {@code shadow} at its slots when not null, and releases each slot's
     * cache bit; a slot left with no user is freed and loses its shadow.
     */
    public void deleteFromSwapCache(Folio f, Shadow shadow) {
        if (f.test(Flag.WRITEBACK)) {
            throw new IllegalStateException("a folio under writeback leaves its swap cache: " + f);
        }
        SwapEntry entry = entryOf(f);
        SwapCache c = cacheOf(entry);
        c.clearDirty(f);
        f.clear(Flag.SWAPCACHE);
        vmstat.add(VmItem.NR_SWAPCACHED, -f.nrPages());
        c.remove(f, shadow);
        for (int k = 0; k < f.nrPages(); k++) {
            if (devices.cacheClear(entry.plus(k))) {
                c.index().erase(entry.offset() + k);
            }
        }
    }

    /**
     * The swap cache's half of split_huge_page for large folio {@code old}, in the swap cache at
     * its first slot: each order-0 {@code parts[k]} (SWAPCACHE set, as split copies the flag)
     * stays in the swap cache at the slot of page k; a page whose part is null (nothing maps it,
     * no swap entry names it: free_page_and_swap_cache) leaves it, and its slot, no longer held,
     * is freed. nr_swapcached drops by the pages that left. Requires: {@code old} not under
     * writeback.
     */
    public void splitInSwapCache(Folio old, SwapBacked[] parts) {
        SwapEntry entry = entryOf(old);
        cacheOf(entry).split(old, parts);
        old.clear(Flag.SWAPCACHE);
        for (int k = 0; k < parts.length; k++) {
            if (parts[k] == null) {
                vmstat.add(VmItem.NR_SWAPCACHED, -1);
                devices.cacheClear(entry.plus(k));
            }
        }
    }

    /**
     * folio_swapped: whether a swap entry still names a slot of swap-cache folio {@code f} (any
     * of a large folio's slots).
     */
    public boolean folioSwapped(Folio f) {
        SwapEntry entry = entryOf(f);
        SwapDevice d = devices.device(entry);
        for (int k = 0; k < f.nrPages(); k++) {
            if (d.swapCount(entry.offset() + k) != 0) {
                return true;
            }
        }
        return false;
    }

    /** swap_duplicate: one more PTE holds {@code entry}. Returns false when the count is at its limit. */
    public boolean duplicate(SwapEntry entry) {
        return devices.duplicate(entry) == SwapResult.OK;
    }

    /** swap_free: a PTE holding {@code entry} let go; a slot left with no user loses its shadow. */
    public void swapFree(SwapEntry entry) {
        if (devices.free(entry)) {
            cacheOf(entry).index().erase(entry.offset());
        }
    }

    /**
     * free_swap_and_cache: a PTE holding {@code entry} is gone; when no PTE holds it any more and
     * its swap-cache folio is unmapped and otherwise unused, that folio is dropped too.
     */
    public void freeSwapAndCache(SwapEntry entry) {
        swapFree(entry);
        if (devices.swapCount(entry) == 0) {
            SwapBacked f = lookup(entry);
            if (f != null) {
                dropUnused(f.folio());
            }
        }
    }

    /**
     * Drops swap-cache folio {@code f} when nothing needs it any more: no PTE holds its entry,
     * nothing maps it and nobody holds a reference but the cache (the last user of a page that a
     * get kept in memory after its process let go lets go itself). Returns whether it did.
     */
    public boolean dropUnused(Folio f) {
        if (!inSwapCache(f) || f.mapped() || f.refcount() != f.nrPages() || f.test(Flag.WRITEBACK)
                || folioSwapped(f)) {
            return false;
        }
        deleteFromSwapCache(f, null);
        return true;
    }

    /**
     * folio_free_swap: drops a mapped folio's swap-cache copy when no PTE holds its entry any more,
     * so the slot can be reused; the folio stays as plain anonymous memory. Returns whether it did.
     */
    public boolean folioFreeSwap(Folio f) {
        if (!inSwapCache(f) || f.test(Flag.WRITEBACK) || folioSwapped(f)) {
            return false;
        }
        deleteFromSwapCache(f, null);
        return true;
    }

    /** Whether more than half of swap is in use (vm_swap_full): swap-in then frees slots eagerly. */
    public boolean swapFull() {
        return devices.freePages() * 2 < devices.totalPages();
    }

    /** Pages in all swap caches. */
    public long cachedPages() {
        long n = 0;
        for (SwapCache c : caches) {
            if (c != null) {
                n += c.nrpages();
            }
        }
        return n;
    }

    /** Index nodes of all swap caches that hold only shadows (their part of workingset_nodes). */
    public long shadowOnlyNodes() {
        long n = 0;
        for (SwapCache c : caches) {
            if (c != null) {
                n += c.index().shadowOnlyNodes();
            }
        }
        return n;
    }

    /** Index nodes of all swap caches (they come from the shared radix_tree_node cache). */
    public long indexNodes() {
        long n = 0;
        for (SwapCache c : caches) {
            if (c != null) {
                n += c.index().nodes();
            }
        }
        return n;
    }

    /**
     * A large folio in swap cache {@code c} of device {@code d} covers a run of slots aligned to
     * its size, each holding it with its cache bit set (a multi-index entry).
     */
    private static void checkLargeFolioSlots(SwapDevice d, SwapCache c, Folio f) {
        long first = f.index();
        if ((first & (f.nrPages() - 1)) != 0 || first + f.nrPages() > d.maxPages()) {
            throw new IllegalStateException(d.name() + ": large swap-cache folio at unaligned slot " + first + ": " + f);
        }
        for (int k = 0; k < f.nrPages(); k++) {
            if (c.load(first + k) != f || !d.hasCache(first + k)) {
                throw new IllegalStateException(d.name() + ": slot " + (first + k) + " of large swap-cache folio " + f
                        + " holds " + c.load(first + k) + " with usage 0x" + Integer.toHexString(d.usage(first + k)));
            }
        }
    }

    /** Recomputes the invariants in the class comment; throws {@link IllegalStateException} on a break. */
    public void check() {
        devices.check();
        long cached = 0;
        for (SwapDevice d : devices.devices()) {
            SwapCache c = caches.get(d.type());
            c.check();
            long[] pages = {0};
            c.index().forEach(0, Long.MAX_VALUE, (i, e) -> {
                if (e instanceof Folio f) {
                    if (!f.test(Flag.SWAPCACHE)) {
                        throw new IllegalStateException(d.name() + ": swap cache slot " + i + " holds " + f);
                    }
                    if (!d.hasCache(i)) {
                        throw new IllegalStateException(d.name() + ": slot " + i + " cached without its cache bit: " + d.usage(i));
                    }
                    if (i == f.index() && f.nrPages() > 1) {
                        checkLargeFolioSlots(d, c, f);
                    }
                    if (i == f.index() && !folioSwapped(f) && !f.mapped() && f.refcount() == f.nrPages()
                            && !f.test(Flag.WRITEBACK)) {
                        throw new IllegalStateException(d.name() + ": slot " + i + " is held only by its own swap-cache folio,"
                                + " which nothing maps, names or holds (it outlived its owners): " + f);
                    }
                    boolean shmemKind = switch (c.lookupSwapBacked(i)) {
                        case ShmemFolio s -> true;
                        case AnonFolio a -> false;
                    };
                    if (d.isShmem(i) ? !shmemKind : d.swapCount(i) > 0 && shmemKind) {
                        throw new IllegalStateException(d.name() + ": slot " + i + (d.isShmem(i) ? " owned by shmem" : " named by page tables")
                                + " caches " + f);
                    }
                    pages[0]++;
                } else if (d.isFree(i)) {
                    throw new IllegalStateException(d.name() + ": free slot " + i + " keeps a shadow");
                }
                return true;
            });
            for (var it = d.usedSlots(); it.hasNext(); ) {
                long off = it.nextLong();
                if (d.hasCache(off) && !(c.load(off) instanceof Folio)) {
                    throw new IllegalStateException(d.name() + ": slot " + off + " has the cache bit but no folio");
                }
            }
            cached += pages[0];
        }
        if (vmstat.get(VmItem.NR_SWAPCACHED) != cached) {
            throw new IllegalStateException("nr_swapcached " + vmstat.get(VmItem.NR_SWAPCACHED) + " but swap caches hold " + cached);
        }
    }
}
