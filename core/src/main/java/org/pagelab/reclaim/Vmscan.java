package org.pagelab.reclaim;

import java.util.ArrayList;
import java.util.List;
import org.pagelab.desc.AnonFolio;
import org.pagelab.desc.Folio;
import org.pagelab.desc.FolioFlags.Flag;
import org.pagelab.desc.Shadow;
import org.pagelab.filemap.AddressSpace;
import org.pagelab.filemap.LruHook;
import org.pagelab.machine.Machine;
import org.pagelab.memory.MemoryManager;
import org.pagelab.phys.AllocRequest;
import org.pagelab.phys.ReclaimHooks;
import org.pagelab.phys.Watermark;
import org.pagelab.phys.Zone;
import org.pagelab.phys.ZoneType;
import org.pagelab.stat.VmItem;
import org.pagelab.stat.VmStat;
import org.pagelab.vma.VmFlags;

/**
 * The reclaim driver of one node (mm/vmscan.c): kswapd, direct reclaim and shrink_folio_list over
 * the node's {@link LruVec}, with the folio-level decisions delegated to a {@link ReclaimPolicy}.
 *
 * <p>kswapd runs between the steps of the simulated processes: an allocation that finds a zone
 * below its low watermark wakes it, and {@link #runKswapd()} then reclaims until every zone is
 * above its high watermark again (balance_pgdat). An allocation that finds every zone below min
 * reclaims directly, in the allocating task, {@value #SWAP_CLUSTER_MAX} pages at a time
 * (try_to_free_pages).
 *
 * <p>What a pass does (shrink_lruvec, shrink_list, shrink_folio_list): the scan target of each
 * evictable list is its size shifted right by the priority, from 12 down to 0; when the inactive
 * list is low against its active list, the active list is aged first (shrink_active_list); then
 * folios are isolated from the inactive tail and each is decided by its references, which rmap
 * harvests from every PTE that maps it. A file folio to reclaim is unmapped from every page
 * table, written back if dirty (pageout; pagelab's writes are synchronous, so the folio is clean
 * at once and is reclaimed in the same pass, as the kernel does after a synchronous write), and
 * removed from the page cache, leaving a shadow entry holding the node's nonresident age.
 * Anonymous and shmem folios need swap, which this driver does not have yet: get_scan_count
 * scans no anon list when there is no swap space, so they stay.
 *
 * <p>The deviations: no flusher threads, so reclaim writes dirty file folios itself (the kernel
 * leaves that to the flushers and activates such folios in direct reclaim); no per-zone
 * balancing of the LRU (one node, its zones balanced together); no slab shrinking.
 */
public final class Vmscan implements ReclaimHooks, LruHook {
    /** Pages reclaimed per direct-reclaim call and per kswapd batch. */
    public static final int SWAP_CLUSTER_MAX = 32;
    /** The lowest priority: scan lru_size >> 12 pages first. */
    public static final int DEF_PRIORITY = 12;

    private final Machine machine;
    private final VmStat vmstat;
    private final org.pagelab.memcg.MemoryCgroups memcg;
    private final LruVec lruvec;
    private final ReclaimPolicy policy;
    private final org.pagelab.workingset.Workingset workingset;
    private boolean kswapdWoken;
    private boolean inKswapd;

    /** The reclaim driver of {@code machine}, with the policy registered as {@code policyName}. */
    public Vmscan(Machine machine, String policyName) {
        this.machine = machine;
        this.vmstat = machine.vmstat();
        this.memcg = machine.memcg();
        this.lruvec = memcg.root().lruvec();
        this.policy = ReclaimPolicies.create(policyName, (event, n) -> vmstat.add(VmItem.valueOf(event.name()), n));
        vmstat.bind(VmItem.NR_INACTIVE_ANON, () -> lruvec.subtreePages(LruList.INACTIVE_ANON));
        vmstat.bind(VmItem.NR_ACTIVE_ANON, () -> lruvec.subtreePages(LruList.ACTIVE_ANON));
        vmstat.bind(VmItem.NR_INACTIVE_FILE, () -> lruvec.subtreePages(LruList.INACTIVE_FILE));
        vmstat.bind(VmItem.NR_ACTIVE_FILE, () -> lruvec.subtreePages(LruList.ACTIVE_FILE));
        vmstat.bind(VmItem.NR_UNEVICTABLE, () -> lruvec.subtreePages(LruList.UNEVICTABLE));
        this.workingset = new org.pagelab.workingset.Workingset(machine.phys().managedPages(),
                (event, n) -> vmstat.add(VmItem.valueOf(event.name()), n));
        vmstat.bind(VmItem.WORKINGSET_NODES, this::shadowNodes);
        machine.phys().setLruRelease(f -> policy.remove(memcg.lruvecOf(f), f));
        machine.phys().setReclaimHooks(this);
        machine.vfs().setLruHook(this);
    }

    /** The root memory cgroup's lruvec: its own folios, and through its subtree counts the node's. */
    public LruVec lruvec() {
        return lruvec;
    }

    /** The lruvec folio {@code f} belongs on: its memory cgroup's on this node. */
    public LruVec lruvecOf(Folio f) {
        return memcg.lruvecOf(f);
    }

    public ReclaimPolicy policy() {
        return policy;
    }

    /** Refault detection; {@code workingset().setDetectionEnabled(false)} turns it off. */
    public org.pagelab.workingset.Workingset workingset() {
        return workingset;
    }

    /** workingset_nodes: index nodes of every cache that hold only shadow entries. */
    private long shadowNodes() {
        long[] n = {0};
        machine.vfs().forEachInode(i -> n[0] += i.mapping().index().shadowOnlyNodes());
        return n[0] + machine.swap().shadowOnlyNodes();
    }

    @Override
    public void refault(Folio f, Shadow shadow) {
        LruVec own = lruvecOf(f);
        LruVec evicted = memcg.lruvecOfId(org.pagelab.workingset.ShadowWord.memcgId(shadow.word()));
        Object prev = memcg.attributeTo(memcg.ofLruvec(own));
        try {
            workingset.refault(evicted, own, f, shadow.word(), swapAvailable(evicted == null ? own : evicted));
        } finally {
            memcg.restoreAttribution(prev);
        }
    }

    /** Whether anon pages of {@code v} could go to swap: free slots, and headroom under the cgroups' swap.max. */
    private boolean swapAvailable(LruVec v) {
        return machine.swap().hasFreeSlots() && memcg.swapHeadroom(v) > 0;
    }

    // ---- LRU entry points ----

    /** A new folio (anon at fault, file at cache insertion) joins the LRU (folio_add_lru). */
    @Override
    public void add(Folio f) {
        policy.onAdd(lruvecOf(f), f);
    }

    /** Takes {@code f} off the LRU for good (delete_from_lru_cache, for memory-failure). */
    public void removeFromLru(Folio f) {
        policy.remove(lruvecOf(f), f);
    }

    @Override
    public void markAccessed(Folio f) {
        policy.onAccess(lruvecOf(f), f);
    }

    // ---- ReclaimHooks ----

    @Override
    public void wakeKswapd(Zone zone, int order, ZoneType highestZone) {
        kswapdWoken = true;
        machine.sim().wake(machine.kswapdTask());
    }

    /** Whether an allocation has woken kswapd since it last ran. */
    public boolean kswapdWoken() {
        return kswapdWoken;
    }

    @Override
    public boolean inReclaim() {
        return inKswapd || inDirect;
    }

    private boolean inDirect;

    @Override
    public long directReclaim(AllocRequest request) {
        if (inReclaim()) {
            return 0;
        }
        vmstat.inc(request.highestZone() == ZoneType.DMA32 ? VmItem.ALLOCSTALL_DMA32 : VmItem.ALLOCSTALL_NORMAL);
        inDirect = true;
        machine.sim().beginStall(org.pagelab.sim.StallKind.DIRECT_RECLAIM);
        try {
            return doTryToFreePages(memcg.root(), SWAP_CLUSTER_MAX, false);
        } finally {
            inDirect = false;
            machine.sim().endStall();
        }
    }

    /**
     * kswapd (balance_pgdat): when woken, reclaims until every zone is above its high watermark or
     * a full pass at every priority makes no progress. Returns pages reclaimed.
     */
    public long runKswapd() {
        if (!kswapdWoken) {
            return 0;
        }
        kswapdWoken = false;
        inKswapd = true;
        long total = 0;
        try {
            vmstat.inc(VmItem.PAGEOUTRUN);
            int priority = DEF_PRIORITY;
            boolean lowReclaim = false;
            while (!balanced() && priority >= 0) {
                boolean[] lowSkipped = {false};
                long got = shrinkNode(memcg.root(), priority, SWAP_CLUSTER_MAX, true, lowReclaim, lowSkipped);
                total += got;
                if (got < SWAP_CLUSTER_MAX) {
                    priority--;
                    if (priority < 0 && total == 0 && lowSkipped[0] && !lowReclaim) {
                        lowReclaim = true; // only protected memory is left: reclaim it after all
                        priority = DEF_PRIORITY;
                    }
                }
            }
        } finally {
            inKswapd = false;
        }
        return total;
    }

    private boolean balanced() {
        for (Zone z : machine.phys().zones()) {
            if (z.managedPages() > 0 && !z.watermarkOk(0, z.watermark(Watermark.HIGH), z.type())) {
                return false;
            }
        }
        return true;
    }

    // ---- shrinking ----

    /**
     * try_to_free_mem_cgroup_pages: reclaims at least {@code nrPages} (and a batch of
     * {@value #SWAP_CLUSTER_MAX}) from the lruvecs of {@code target}'s subtree, for a charge that
     * hit its memory.max or memory.high. Returns pages reclaimed; 0 when called from inside reclaim.
     */
    public long tryToFreeMemcgPages(org.pagelab.memcg.MemCgroup target, long nrPages) {
        if (inReclaim()) {
            return 0;
        }
        inDirect = true;
        try {
            return doTryToFreePages(target, Math.max(nrPages, SWAP_CLUSTER_MAX), true);
        } finally {
            inDirect = false;
        }
    }

    /**
     * do_try_to_free_pages: passes over {@code target}'s subtree at falling priority until
     * {@code nrToReclaim} pages are reclaimed; if nothing came back and cgroups within their
     * memory.low were skipped, once more without respecting memory.low.
     */
    private long doTryToFreePages(org.pagelab.memcg.MemCgroup target, long nrToReclaim, boolean cgroupReclaim) {
        long reclaimed = 0;
        boolean lowReclaim = false;
        for (;;) {
            boolean[] lowSkipped = {false};
            for (int priority = DEF_PRIORITY; priority >= 0 && reclaimed < nrToReclaim; priority--) {
                reclaimed += shrinkNode(target, priority, nrToReclaim - reclaimed, false, lowReclaim, lowSkipped, cgroupReclaim);
            }
            if (reclaimed == 0 && lowSkipped[0] && !lowReclaim) {
                lowReclaim = true;
                continue;
            }
            return reclaimed;
        }
    }

    private long shrinkNode(org.pagelab.memcg.MemCgroup target, int priority, long nrToReclaim, boolean kswapd,
            boolean lowReclaim, boolean[] lowSkipped) {
        return shrinkNode(target, priority, nrToReclaim, kswapd, lowReclaim, lowSkipped, false);
    }

    /**
     * shrink_node_memcgs: one pass at {@code priority} over the lruvec of every cgroup in
     * {@code target}'s subtree, parents first. A cgroup within its effective memory.min is
     * skipped; one within memory.low is skipped unless {@code lowReclaim} (and then counted as a
     * low event). Returns pages reclaimed.
     */
    private long shrinkNode(org.pagelab.memcg.MemCgroup target, int priority, long nrToReclaim, boolean kswapd,
            boolean lowReclaim, boolean[] lowSkipped, boolean cgroupReclaim) {
        long reclaimed = 0;
        for (org.pagelab.memcg.MemCgroup c : target.subtree()) {
            memcg.calculateProtection(target, c);
            if (org.pagelab.memcg.MemoryCgroups.belowMin(c)) {
                continue;
            }
            if (org.pagelab.memcg.MemoryCgroups.belowLow(c)) {
                if (!lowReclaim) {
                    lowSkipped[0] = true;
                    continue;
                }
                memcg.event(c, org.pagelab.memcg.MemcgEvent.LOW);
            }
            if (c.lruvec().nrEvictablePages() == 0) {
                continue;
            }
            Object prev = memcg.attributeTo(c);
            try {
                long[] prot = org.pagelab.memcg.MemoryCgroups.protection(target, c);
                reclaimed += shrinkLruvec(c.lruvec(), target.lruvec(), c.usagePages(), prot, lowReclaim, lowSkipped,
                        priority, nrToReclaim, kswapd, cgroupReclaim);
            } finally {
                memcg.restoreAttribution(prev);
            }
        }
        return reclaimed;
    }

    /** Counts a reclaim event: in the cgroup only for cgroup reclaim, as the kernel counts pgscan/pgsteal. */
    private void countReclaim(VmItem item, long n, boolean cgroupReclaim) {
        if (cgroupReclaim) {
            memcg.countLocal(item, n);
        } else {
            vmstat.add(item, n);
        }
    }

    /** shrink_lruvec: one lruvec at {@code priority}; returns pages reclaimed. */
    private long shrinkLruvec(LruVec lruvec, LruVec targetLruvec, long cgroupSize, long[] prot, boolean lowReclaim,
            boolean[] lowSkipped, int priority, long nrToReclaim, boolean kswapd, boolean cgroupReclaim) {
        long reclaimed = 0;
        long[] targets = scanTargets(lruvec, targetLruvec, cgroupSize, prot, lowReclaim, lowSkipped, priority);
        for (boolean file : new boolean[] {true, false}) {
            long target = targets[file ? 1 : 0];
            if (target == 0) {
                continue;
            }
            // scan the target in batches of SWAP_CLUSTER_MAX until enough is reclaimed (shrink_lruvec)
            for (long remaining = target; remaining > 0 && reclaimed < nrToReclaim; remaining -= SWAP_CLUSTER_MAX) {
                long batch = Math.min(remaining, SWAP_CLUSTER_MAX);
                if (policy.inactiveIsLow(lruvec, file)) {
                    ShrinkActiveResult r = policy.shrinkActive(lruvec, IsolateRequest.any(file, batch), this::harvest);
                    machine.sim().cpu(org.pagelab.sim.CpuEvent.RECLAIM_SCAN, r.nrScanned());
                    r.released().forEach(machine.phys()::free);
                }
                IsolateResult iso = policy.isolateForReclaim(lruvec, IsolateRequest.any(file, batch));
                machine.sim().cpu(org.pagelab.sim.CpuEvent.RECLAIM_SCAN, iso.nrScanned());
                if (iso.nrScanned() == 0) {
                    break;
                }
                countReclaim(kswapd ? VmItem.PGSCAN_KSWAPD : VmItem.PGSCAN_DIRECT, iso.nrTaken(), cgroupReclaim);
                vmstat.add(file ? VmItem.PGSCAN_FILE : VmItem.PGSCAN_ANON, iso.nrTaken());
                long got = shrinkFolioList(lruvec, iso.folios());
                countReclaim(kswapd ? VmItem.PGSTEAL_KSWAPD : VmItem.PGSTEAL_DIRECT, got, cgroupReclaim);
                vmstat.add(file ? VmItem.PGSTEAL_FILE : VmItem.PGSTEAL_ANON, got);
                reclaimed += got;
            }
            if (reclaimed >= nrToReclaim) {
                break;
            }
        }
        return reclaimed;
    }

    /** vm.swappiness: the relative cost of swapping anon pages against dropping file pages (default 60). */
    private int swappiness = 60;

    public void setSwappiness(int s) {
        if (s < 0 || s > 200) {
            throw new IllegalArgumentException("swappiness " + s + " not in 0..200");
        }
        swappiness = s;
    }

    /**
     * get_scan_count: pages of the anon ([0]) and file ([1]) lists to scan at {@code priority}.
     * Without free swap only file pages are scanned; otherwise each list's size shifted by the
     * priority is weighted by swappiness against 200 - swappiness, each divided by the cost of its
     * recent refaults and rotations (lru_note_cost), as the kernel balances them.
     */
    long[] scanTargets(int priority) {
        return scanTargets(lruvec, lruvec, 0, new long[] {0, 0}, false, new boolean[1], priority);
    }

    /**
     * get_scan_count for {@code lruvec} in a reclaim aimed at {@code targetLruvec}'s cgroup
     * (whose costs balance anon against file). With effective protection {@code prot} (min,
     * low) the list sizes are first reduced by the protected share of the cgroup's usage
     * {@code cgroupSize}, at least {@value #SWAP_CLUSTER_MAX} pages (the kernel's proportional
     * protection), before the priority shift.
     */
    long[] scanTargets(LruVec lruvec, LruVec targetLruvec, long cgroupSize, long[] prot, boolean lowReclaim,
            boolean[] lowSkipped, int priority) {
        long anonSize = lruvec.nrPages(LruList.INACTIVE_ANON) + lruvec.nrPages(LruList.ACTIVE_ANON);
        long fileSize = lruvec.nrPages(LruList.INACTIVE_FILE) + lruvec.nrPages(LruList.ACTIVE_FILE);
        long min = prot[0];
        long low = prot[1];
        if (min > 0 || low > 0) {
            long protection;
            if (!lowReclaim && low > min) {
                protection = low;
                lowSkipped[0] = true;
            } else {
                protection = min;
            }
            long size = Math.max(cgroupSize, protection);
            anonSize = anonSize == 0 ? 0 : Math.max(anonSize - anonSize * protection / (size + 1), SWAP_CLUSTER_MAX);
            fileSize = fileSize == 0 ? 0 : Math.max(fileSize - fileSize * protection / (size + 1), SWAP_CLUSTER_MAX);
        }
        long anonScan = anonSize >> priority;
        long fileScan = fileSize >> priority;
        if (priority == 0) {
            anonScan = anonSize;
            fileScan = fileSize;
        }
        if (!swapAvailable(lruvec) || swappiness == 0 && fileSize > 0) {
            return new long[] {0, Math.max(fileScan, fileSize > 0 && priority == 0 ? 1 : 0)};
        }
        long total = targetLruvec.anonCost() + targetLruvec.fileCost();
        long anonCost = total + targetLruvec.anonCost();
        long fileCost = total + targetLruvec.fileCost();
        total = anonCost + fileCost;
        long ap = swappiness * (total + 1) / (anonCost + 1);
        long fp = (200 - swappiness) * (total + 1) / (fileCost + 1);
        long denominator = Math.max(1, ap + fp);
        return new long[] {divRoundUp(anonScan * ap, denominator), divRoundUp(fileScan * fp, denominator)};
    }

    private static long divRoundUp(long a, long b) {
        return (a + b - 1) / b;
    }

    private RmapReferences harvest(Folio f) {
        MemoryManager.Referenced r = machine.memory().folioReferenced(f);
        return new RmapReferences(r.referenced(), (r.vmFlags() & VmFlags.VM_EXEC) != 0, false);
    }

    /** shrink_folio_list: decides and frees isolated folios; returns pages freed. */
    private long shrinkFolioList(LruVec lruvec, List<Folio> folios) {
        List<Folio> keep = new ArrayList<>();
        long freed = 0;
        List<Folio> work = new ArrayList<>(folios);
        for (int n = 0; n < work.size(); n++) {
            Folio f = work.get(n);
            if (org.pagelab.memory.MemoryManager.maybeDmaPinned(f)) {
                policy.activateIsolated(f); // a pin may be writing to it: not a candidate
                keep.add(f);
                continue;
            }
            FolioReferences d = policy.checkReferences(f, harvest(f));
            switch (d) {
                case ACTIVATE -> {
                    policy.activateIsolated(f);
                    keep.add(f);
                }
                case KEEP -> keep.add(f);
                case RECLAIM, RECLAIM_CLEAN -> {
                    if (f instanceof AnonFolio large && large.nrPages() > 1) {
                        if (!splitForSwap(large, work)) {
                            policy.activateIsolated(f);
                            keep.add(f);
                        }
                        continue;
                    }
                    Outcome o = f.test(Flag.SWAPBACKED) ? reclaimAnon(f, true) : reclaimFile(f) ? Outcome.FREED : Outcome.KEEP;
                    switch (o) {
                        case FREED -> freed += f.nrPages();
                        case KEEP -> keep.add(f);
                        case ACTIVATE -> {
                            policy.activateIsolated(f);
                            keep.add(f);
                        }
                    }
                }
            }
        }
        for (Folio f : policy.putback(lruvec, keep)) {
            machine.phys().free(f);
        }
        return freed;
    }

    /**
     * reclaim_pages for MADV_PAGEOUT: reclaims {@code folios} (on the LRU, each mapped by the
     * calling process alone) regardless of their references. Clean file folios are dropped; dirty
     * ones are left for writeback, as direct reclaim leaves them. Anonymous folios are swapped out
     * and unmapped, but their write counts as still in flight, so they stay in the swap cache at
     * the tail of the inactive list until reclaim frees them or a fault maps them back. Returns
     * pages freed.
     */
    public long reclaimPages(List<Folio> folios) {
        List<Folio> keep = new ArrayList<>();
        long freed = 0;
        List<Folio> work = new ArrayList<>();
        for (Folio f : folios) {
            LruVec lruvec = lruvecOf(f);
            if (f.test(Flag.LRU) && lruvec.contains(f)) {
                lruvec.isolate(f);
                work.add(f);
            }
        }
        for (int n = 0; n < work.size(); n++) {
            Folio f = work.get(n);
            if (f instanceof AnonFolio large && large.nrPages() > 1) {
                if (!splitForSwap(large, work)) {
                    keep.add(f);
                }
                continue;
            }
            boolean gone;
            if (f.test(Flag.SWAPBACKED)) {
                gone = machine.swap().hasFreeSlots() || f.test(Flag.SWAPCACHE) ? reclaimAnon(f, false) == Outcome.FREED : false;
            } else {
                gone = !f.test(Flag.DIRTY) && reclaimFile(f);
            }
            if (gone) {
                freed += f.nrPages();
            } else {
                keep.add(f);
            }
        }
        java.util.Map<LruVec, List<Folio>> byLruvec = new java.util.LinkedHashMap<>();
        for (Folio f : keep) {
            byLruvec.computeIfAbsent(lruvecOf(f), v -> new ArrayList<>()).add(f);
        }
        for (var e : byLruvec.entrySet()) {
            for (Folio f : policy.putback(e.getKey(), e.getValue())) {
                machine.phys().free(f);
            }
        }
        for (Folio f : keep) {
            if (f.test(Flag.SWAPCACHE) && !f.mapped() && !f.isDead()) {
                policy.rotateReclaimable(lruvecOf(f), f); // the write "completes": next in line for reclaim
            }
        }
        return freed;
    }

    /**
     * Splits an isolated large anonymous folio before it goes to swap, as the kernel does when it
     * cannot get a swap cluster for it (pagelab never gives a large folio one); its pages, each
     * isolated, join {@code work}. Returns false, leaving it whole, when there is no swap or it
     * cannot be split now (pinned).
     */
    private boolean splitForSwap(AnonFolio f, List<Folio> work) {
        if (!machine.swap().hasFreeSlots()) {
            return false;
        }
        List<Folio> pages = machine.memory().splitIsolated(f);
        if (pages == null) {
            return false;
        }
        work.addAll(pages);
        return true;
    }

    /** MADV_COLD on folios mapped by the calling process alone: deactivate (lru_deactivate). */
    public void deactivate(List<Folio> folios) {
        for (Folio f : folios) {
            LruVec lruvec = lruvecOf(f);
            if (f.test(Flag.LRU) && lruvec.contains(f)) {
                f.clear(Flag.REFERENCED);
                policy.deactivate(lruvec, f);
            }
        }
    }

    /** What became of a folio shrink_folio_list tried to free. */
    enum Outcome { FREED, KEEP, ACTIVATE }

    /**
     * Swaps out an isolated anonymous folio (the anon path of shrink_folio_list): a slot and the
     * swap cache (add_to_swap), every PTE replaced by the swap entry (try_to_unmap), the bytes
     * written to the device (pageout), then out of the swap cache with a shadow and freed. With
     * {@code freeAfterWrite} false the write is treated as still in flight, as MADV_PAGEOUT sees
     * it: the folio stays in the swap cache, clean and unmapped, for a later pass to free. A
     * folio no swap entry names (an unmapped page of a huge folio split on the way) serves nobody
     * once written, so it is freed at once either way: nothing it held may outlive its owners.
     */
    Outcome reclaimAnon(Folio f, boolean freeAfterWrite) {
        var swap = machine.swap();
        if (f.test(Flag.WRITEBACK)) {
            return Outcome.KEEP;
        }
        if (!f.test(Flag.SWAPCACHE)) {
            switch (f) {
                case org.pagelab.desc.FileFolio shmem -> {
                    Outcome o = shmemWritepage(shmem);
                    if (o != null) {
                        return o;
                    }
                }
                case AnonFolio anon -> {
                    if (swap.addToSwap(anon) == 0) {
                        return Outcome.ACTIVATE; // swap is full: keep it in memory and stop looking at it
                    }
                }
            }
        }
        long entry = swap.entryOf(f);
        if (f.mapped() && !machine.memory().tryToUnmap(f, k -> entry + ((long) k << org.pagelab.pgtable.Pte.SWAP_OFFSET_SHIFT))) {
            return Outcome.KEEP;
        }
        if (f.test(Flag.DIRTY)) {
            if (!swap.writeOut(f)) {
                return Outcome.KEEP;
            }
            lruvecOf(f).noteCost(false, f.nrPages());
            if (!freeAfterWrite && swap.devices().swapCount(entry) > 0) {
                return Outcome.KEEP;
            }
        }
        if (f.refcount() != f.nrPages() + 1 || f.mapped()) {
            return Outcome.KEEP;
        }
        swap.deleteFromSwapCache(f, Shadow.of(workingset.eviction(lruvecOf(f), f)));
        machine.phys().folioPut(f);
        return Outcome.FREED;
    }

    /**
     * shmem_writepage: moves an isolated shmem folio out of its file and into the swap cache, the
     * file's cache index keeping the swap entry in its slot. The folio is unmapped first (a later
     * fault finds the entry and swaps it back in). Returns null when the folio is now in the swap
     * cache, else what to do with it.
     */
    private Outcome shmemWritepage(Folio f) {
        if (!(f.mapping() instanceof AddressSpace shm) || shm.kind() != AddressSpace.Kind.SHMEM
                || f.test(Flag.HWPOISON)) {
            return Outcome.KEEP;
        }
        if (f.mapped() && !machine.memory().tryToUnmap(f, k -> 0)) {
            return Outcome.KEEP;
        }
        if (f.refcount() != f.nrPages() + 1) {
            return Outcome.KEEP;
        }
        var swap = machine.swap();
        long entry = swap.allocForShmem(f);
        if (entry == 0) {
            return Outcome.ACTIVATE;
        }
        long index = f.index();
        shm.clearDirty(f);
        shm.remove(f, Shadow.of(entry)); // the file's slot now names the swap entry
        if (!swap.addAllocated(f, entry)) {
            // no room in the swap cache's index: put the folio back in its file
            shm.index().erase(index);
            swap.swapFree(entry);
            if (!shm.tryAdd(f, index)) {
                throw new IllegalStateException("cannot put shmem folio back at index " + index + ": " + f);
            }
            shm.markDirty(f);
            return Outcome.KEEP;
        }
        return null;
    }

    /**
     * Frees an isolated page-cache folio: unmaps it, writes it if dirty, removes it from the
     * cache with a shadow entry and drops the isolation reference. Returns false, leaving the
     * folio isolated, when it cannot go now.
     */
    private boolean reclaimFile(Folio f) {
        if (f instanceof AnonFolio || f.test(Flag.SWAPBACKED) || f.test(Flag.WRITEBACK)
                || !(f.mapping() instanceof AddressSpace as) || as.host() == null) {
            return false;
        }
        if (f.mapped() && !machine.memory().tryToUnmap(f, k -> 0)) {
            return false;
        }
        if (f.test(Flag.DIRTY)) {
            machine.vfs().pageout(f);
            if (f.test(Flag.DIRTY) || f.test(Flag.WRITEBACK)) {
                return false;
            }
            lruvecOf(f).noteCost(true, f.nrPages());
        }
        if (f.refcount() != f.nrPages() + 1 || f.mapped()) {
            return false;
        }
        as.remove(f, Shadow.of(workingset.eviction(lruvecOf(f), f)));
        machine.phys().folioPut(f);
        return true;
    }

    /** Recomputes the LRU invariants: the lists, and every live folio with LRU set is on them. */
    public void check() {
        for (org.pagelab.memcg.MemCgroup c : memcg.all()) {
            c.lruvec().check();
        }
    }
}
