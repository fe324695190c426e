package org.pagelab.reclaim;

import java.util.ArrayList;
import java.util.List;
import org.pagelab.desc.AnonFolio;
import org.pagelab.desc.Folio;
import org.pagelab.desc.FolioFlags.Flag;
import org.pagelab.desc.Shadow;
import org.pagelab.filemap.AddressSpace;
import org.pagelab.filemap.LruHook;
import org.pagelab.lruvec.LruList;
import org.pagelab.lruvec.LruVec;
import org.pagelab.rmap.Rmap;
import org.pagelab.phys.AllocRequest;
import org.pagelab.phys.ReclaimHooks;
import org.pagelab.phys.Watermark;
import org.pagelab.phys.Zone;
import org.pagelab.phys.ZoneType;
import org.pagelab.stat.VmItem;
import org.pagelab.stat.VmStat;
import org.pagelab.vma.VmFlags;

/**
 * The reclaim driver of one node (mm/vmscan.c): kswapd, direct reclaim, memory-cgroup reclaim and
 * shrink_folio_list over the lruvecs of the node's memory cgroups, with the folio-level decisions
 * delegated to a {@link ReclaimPolicy}.
 *
 * <p>kswapd is a kernel thread of the simulator: an allocation that finds a zone below its low
 * watermark wakes it, and each of its steps ({@link #kswapdStep()}) reclaims one batch towards the
 * high watermarks (balance_pgdat), lowering its priority when a pass falls short, and may sleep
 * throttled when folios cycle through the LRU faster than their writeback ends.
 * {@link #runKswapd()} runs it to the end for callers outside simulated time. An allocation that
 * finds every zone below min reclaims directly, in the allocating task,
 * {@value #SWAP_CLUSTER_MAX} pages at a time (try_to_free_pages); before each round and each
 * retry the task reschedules (the slow path's cond_resched), so a kswapd it woke runs its turn
 * first, and a retry that finds the pages kswapd freed reclaims no more. A charge over a
 * cgroup's memory.max or memory.high reclaims from that cgroup's subtree
 * ({@link #tryToFreeMemcgPages}, the {@link org.pagelab.memcg.ReclaimDriver} the controller is
 * given).
 *
 * <p>What a pass does (shrink_node, shrink_lruvec, shrink_list): the scan target of each of the
 * four evictable lists is its size shifted right by the priority, from 12 down to 0, balanced
 * between anon and file as {@link ScanControl} decides (get_scan_count: file only without free
 * swap or in cache-trim mode, anon only when file is tiny, both equally at priority 0, otherwise
 * by swappiness and the recent cost of each). The lists are scanned a batch each in turn
 * until their targets are spent; once enough is reclaimed the smaller kind stops and the other's
 * target shrinks in proportion, except in global direct reclaim at the first priority, which
 * scans its whole target. An active list's batch ages it (shrink_active_list) only when its kind
 * may be deactivated; an inactive list's batch is isolated from the tail and each folio decided
 * by {@link ShrinkFolioList}: references harvested through rmap, swap slots for anonymous and
 * shmem folios, unmapping, asynchronous writeback (dirty file folios are left to the flusher
 * except for kswapd's second meeting with them, which it wakes when they are not being written),
 * and a shadow entry for what leaves a cache.
 *
 * <p>The deviations: one node, its zones balanced together (no per-zone LRU balancing); no slab
 * shrinking (reclaimable slab is freed only by drop_caches).
 */
public final class Vmscan implements ReclaimHooks, LruHook, org.pagelab.memcg.ReclaimDriver {
    /** Pages reclaimed per direct-reclaim call and per kswapd batch. */
    public static final int SWAP_CLUSTER_MAX = org.pagelab.memcg.ReclaimDriver.SWAP_CLUSTER_MAX;
    /** The lowest priority: scan lru_size >> 12 pages first. */
    public static final int DEF_PRIORITY = 12;

    private final ReclaimHost machine;
    private final VmStat vmstat;
    private final org.pagelab.memcg.MemoryCgroups memcg;
    private final LruVec lruvec;
    private final ReclaimPolicy policy;
    private final org.pagelab.workingset.Workingset workingset;
    private boolean kswapdWoken;
    private boolean inKswapd;
    private final Shrinkers shrinkers = new Shrinkers();
    private final GenerationalShrink genShrink;

    /**
     * The reclaim driver of {@code machine}, with the policy registered as {@code policyName};
     * large anonymous folios go to swap split by {@code split}.
     */
    public Vmscan(ReclaimHost machine, String policyName, LargeFolioSplit split) {
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
        this.shrinkList = new ShrinkFolioList(this, machine, policy, workingset, split);
        this.genShrink = new GenerationalShrink(machine, shrinkList, this::countReclaim);
        if (policy.generational() != null) {
            policy.generational().attach(machine, workingset);
        }
        machine.writebackIo().setEndHook(this::written);
    }

    private final ShrinkFolioList shrinkList;

    /** The shrinkers that shrink_slab asks after each cgroup's lruvec in a reclaim pass. */
    public Shrinkers shrinkers() {
        return shrinkers;
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
            policy.onRefault(evicted, own, f, shadow.word(), swapAvailable(evicted == null ? own : evicted), workingset);
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
        if (kswapdFailures >= MAX_RECLAIM_RETRIES) {
            return; // hopeless until some reclaim succeeds again (wakeup_kswapd)
        }
        kswapdWoken = true;
        machine.sim().wake(machine.kswapdTask());
    }

    /** Whether an allocation has woken kswapd since it last ran. */
    public boolean kswapdWoken() {
        return kswapdWoken;
    }

    /** Whether kswapd is in the middle of balancing the node (balance_pgdat has not returned). */
    public boolean kswapdBusy() {
        return kswapdBusy;
    }

    @Override
    public boolean inReclaim() {
        return inKswapd || inDirect;
    }

    /**
     * A preemption point of an allocation: I/O that has completed by the allocating task's time
     * completes, and kswapd, when it is runnable by then, runs its steps now (as the scheduler
     * gives the CPU to a woken kswapd, or kswapd runs on another CPU meanwhile). Nothing happens
     * inside reclaim or outside a process's step.
     */
    @Override
    public void preempt() {
        var sim = machine.sim();
        if (inReclaim()) {
            return;
        }
        if (sim.current() == null) {
            sim.drainTimers(); // no simulated time: what was in flight has completed by now
            return;
        }
        machine.preempt();
    }

    private boolean inDirect;

    @Override
    public void kswapdCatchUp() {
        if (machine.sim().current() == null && !inReclaim()) {
            runKswapd(); // no simulated time: kswapd, woken for the boost, has run to the end by now
        }
    }

    @Override
    public long directReclaim(AllocRequest request) {
        if (inReclaim()) {
            return 0;
        }
        vmstat.inc(request.allocstallItem());
        inDirect = true;
        machine.sim().beginStall(org.pagelab.sim.StallKind.DIRECT_RECLAIM);
        try {
            long got = doTryToFreePages(memcg.root(), SWAP_CLUSTER_MAX, false);
            if (got == 0 && machine.writebackIo().inFlight() > 0) {
                // should_reclaim_retry: no progress while writes are pending: wait for some to
                // complete (reclaim_throttle), then try again with the folios they freed up
                throttleOnWriteback();
                got = doTryToFreePages(memcg.root(), SWAP_CLUSTER_MAX, false);
            }
            return got;
        } finally {
            inDirect = false;
            machine.sim().endStall();
        }
    }

    /**
     * reclaim_throttle(VMSCAN_THROTTLE_WRITEBACK) for the current task: it sleeps until
     * {@value #SWAP_CLUSTER_MAX} more writes in flight complete, at most
     * {@link #WRITEBACK_THROTTLE_NS}, and the completions run; outside a step they all complete.
     */
    private void throttleOnWriteback() {
        var sim = machine.sim();
        if (sim.current() == null) {
            sim.drainTimers();
            return;
        }
        long until = machine.writebackIo().completedBy(SWAP_CLUSTER_MAX);
        sim.sleepFor(Math.max(0, Math.min(WRITEBACK_THROTTLE_NS, until - sim.now())));
        sim.runTimersDue();
    }

    // ---- kswapd ----

    /** Failed balance_pgdat runs after which kswapd gives up until reclaim succeeds again (MAX_RECLAIM_RETRIES). */
    static final int MAX_RECLAIM_RETRIES = 16;
    /** reclaim_throttle(VMSCAN_THROTTLE_WRITEBACK)'s longest sleep: HZ/10. */
    static final long WRITEBACK_THROTTLE_NS = 100_000_000L;

    private boolean kswapdBusy;
    private int kswapdPriority;
    private long kswapdReclaimed;
    private boolean kswapdLowReclaim;
    private boolean kswapdLowSkipped;
    private int kswapdFailures;
    /** PGDAT_WRITEBACK: kswapd found only folios under writeback at the tail of the LRU. */
    private boolean nodeWriteback;
    /** PGDAT_DIRTY: kswapd found only dirty file folios not queued for writeback at the tail. */
    private boolean nodeDirty;

    /**
     * One step of kswapd0 (one turn of balance_pgdat's loop): when woken or in the middle of
     * balancing, one kswapd_shrink_node at the current priority, reclaiming at least the high
     * watermark of each zone (and {@value #SWAP_CLUSTER_MAX}); the priority falls when the pass
     * scanned less than that. A balanced node ends the run and clears its flags; a run that got to
     * priority 1 without balancing starts again, and after {@value #MAX_RECLAIM_RETRIES} runs that
     * reclaimed nothing kswapd gives up until reclaim succeeds again. Returns the nanoseconds
     * kswapd must then sleep, throttled because folios cycle through the LRU faster than their
     * writeback completes (reclaim_throttle: until {@value #SWAP_CLUSTER_MAX} more writes end, at
     * most {@link #WRITEBACK_THROTTLE_NS}); 0 when not throttled.
     */
    public long kswapdStep() {
        if (!kswapdWoken && !kswapdBusy) {
            return 0;
        }
        if (!kswapdBusy) {
            startBalance();
        }
        kswapdWoken = false;
        boolean balanced = balanced();
        if (!balanced && boostReclaim > 0) {
            // the node is short of its (boosted) high watermark: reclaim as usual, swap included
            boostReclaim = 0;
            kswapdPriority = DEF_PRIORITY;
        }
        if (balanced && boostReclaim == 0) {
            finishBalance();
            return 0;
        }
        boolean boosting = boostReclaim > 0;
        inKswapd = true;
        noSwapNoWrite = boosting; // boosted reclaim neither swaps nor writes (balance_pgdat)
        ShrinkFolioList.Stat stat = new ShrinkFolioList.Stat();
        long target = kswapdReclaimTarget();
        long got;
        try {
            boolean[] lowSkipped = {false};
            ageActiveAnon();
            got = shrinkNode(memcg.root(), kswapdPriority, target, true, kswapdLowReclaim, lowSkipped, false, kswapdSc, stat);
            kswapdReclaimed += got;
            kswapdLowSkipped |= lowSkipped[0];
            if (got > 0) {
                kswapdFailures = 0;
            }
            boolean raise = !(stat.scanned >= target) && !(boosting && kswapdPriority == DEF_PRIORITY - 2);
            if (raise || got == 0) {
                kswapdPriority--;
            }
        } finally {
            inKswapd = false;
            noSwapNoWrite = false;
        }
        long throttle = 0;
        if (stat.immediate > 0) {
            long now = machine.sim().now();
            long until = machine.writebackIo().completedBy(SWAP_CLUSTER_MAX);
            throttle = until < 0 ? WRITEBACK_THROTTLE_NS : Math.min(WRITEBACK_THROTTLE_NS, Math.max(0, until - now));
        }
        if (boosting) {
            boostReclaim -= Math.min(boostReclaim, got);
            if (boostReclaim > 0 && got == 0) {
                finishBalance(); // no progress for the boost: stop, IO cannot be queued for it
                return throttle;
            }
        }
        if (boostReclaim == 0 && balanced()) {
            finishBalance();
        } else if (kswapdPriority < 1) {
            // balance_pgdat returns unbalanced: kswapd runs it again at once, unless it is hopeless
            if (kswapdReclaimed == 0) {
                if (kswapdLowSkipped && !kswapdLowReclaim) {
                    kswapdLowReclaim = true; // only protected memory is left: reclaim it after all
                } else {
                    kswapdFailures++;
                }
            }
            boolean lowReclaim = kswapdLowReclaim;
            snapshotRefaults(memcg.root());
            dropBoosts();
            if (kswapdFailures >= MAX_RECLAIM_RETRIES) {
                kswapdBusy = false;
            } else {
                startBalance();
                kswapdLowReclaim = lowReclaim;
            }
        }
        return throttle;
    }

    /** The start of balance_pgdat: priority from the top, and the zones' boosts taken as this run's to reclaim. */
    private void startBalance() {
        vmstat.inc(VmItem.PAGEOUTRUN);
        kswapdSc = new ScanControl();
        kswapdBusy = true;
        kswapdPriority = DEF_PRIORITY;
        kswapdReclaimed = 0;
        kswapdLowReclaim = false;
        kswapdLowSkipped = false;
        List<Zone> zones = machine.phys().zones();
        runBoosts = new long[zones.size()];
        boostReclaim = 0;
        for (int i = 0; i < runBoosts.length; i++) {
            if (zones.get(i).managedPages() > 0) {
                runBoosts[i] = zones.get(i).watermarkBoost();
                boostReclaim += runBoosts[i];
            }
        }
    }

    /** The end of balance_pgdat: the boosts this run started with are reclaimed for and go. */
    private void dropBoosts() {
        List<Zone> zones = machine.phys().zones();
        long boosted = 0;
        for (int i = 0; i < runBoosts.length; i++) {
            zones.get(i).reduceBoost(runBoosts[i]);
            boosted += runBoosts[i];
        }
        java.util.Arrays.fill(runBoosts, 0);
        boostReclaim = 0;
        if (boosted > 0) {
            machine.boostedRunEnded(); // there is likely space now: kcompactd defragments pageblocks
        }
    }

    /** The scan balance of kswapd's current run (balance_pgdat's scan_control). */
    private ScanControl kswapdSc = new ScanControl();

    /**
     * age_active_anon: before each pass kswapd ages a batch of every cgroup's active anon list when
     * inactive anon is low, so anon pages may be referenced before they are reclaimed (swap only).
     */
    private void ageActiveAnon() {
        if (policy.generational() != null || machine.swap().devices().totalPages() == 0
                || !ScanControl.inactiveIsLow(lruvec, false)) {
            return;
        }
        for (org.pagelab.memcg.MemCgroup c : memcg.root().subtree()) {
            shrinkActiveList(c.lruvec(), false, SWAP_CLUSTER_MAX);
        }
    }

    /** The zones' watermark boosts when kswapd's balance_pgdat began (zone_boosts). */
    private long[] runBoosts = new long[0];
    /** nr_boost_reclaim: pages still to reclaim for the boost while the node is otherwise balanced. */
    private long boostReclaim;
    /** Boosted reclaim in progress: no anon scanning (may_swap 0) and no writeback (may_writepage 0). */
    private boolean noSwapNoWrite;

    /** clear_pgdat_congested: the node is balanced, kswapd's run ends and its flags go. */
    private void finishBalance() {
        machine.kswapdRunEnded(); // kswapd_try_to_sleep's wakeup_kcompactd
        snapshotRefaults(memcg.root());
        dropBoosts();
        kswapdBusy = false;
        nodeWriteback = false;
        nodeDirty = false;
    }

    /** kswapd_shrink_node's nr_to_reclaim: the high watermark of every populated zone, at least a batch each. */
    private long kswapdReclaimTarget() {
        long n = 0;
        for (Zone z : machine.phys().zones()) {
            if (z.managedPages() > 0) {
                n += Math.max(z.watermark(Watermark.HIGH), SWAP_CLUSTER_MAX);
            }
        }
        return n;
    }

    /**
     * kswapd run to completion, for drivers without simulated time (the Java API): steps until the
     * node is balanced or kswapd gives up, throttling ignored. Returns pages reclaimed.
     */
    public long runKswapd() {
        machine.sim().drainTimers();
        long before = vmstat.get(VmItem.PGSTEAL_KSWAPD);
        for (int i = 0; i < 100_000 && (kswapdWoken || kswapdBusy); i++) {
            kswapdStep();
        }
        return vmstat.get(VmItem.PGSTEAL_KSWAPD) - before;
    }

    /** Ends a writeback: a folio reclaim marked goes to the inactive tail; a swap-cache copy nothing needs goes. */
    private void written(Folio f, boolean reclaim) {
        if (reclaim && f.test(Flag.LRU)) {
            policy.rotateReclaimable(lruvecOf(f), f);
        }
        if (f.test(Flag.SWAPCACHE) && !f.mapped() && f.refcount() == f.nrPages() + 1
                && machine.swap().devices().swapCount(machine.swap().entryOf(f)) == 0) {
            machine.swap().deleteFromSwapCache(f, null); // free_swap_cache: nothing names its slot any more
        }
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
    @Override
    public long tryToFreeMemcgPages(org.pagelab.memcg.MemCgroup target, long nrPages) {
        if (inReclaim()) {
            return 0;
        }
        if (machine.sim().current() == null) {
            machine.sim().drainTimers(); // no simulated time: what was in flight has completed by now
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
        ScanControl sc = new ScanControl();
        for (;;) {
            boolean[] lowSkipped = {false};
            for (int priority = DEF_PRIORITY; priority >= 0 && reclaimed < nrToReclaim; priority--) {
                reclaimed += shrinkNode(target, priority, nrToReclaim - reclaimed, false, lowReclaim, lowSkipped, cgroupReclaim,
                        sc, new ShrinkFolioList.Stat());
            }
            snapshotRefaults(target);
            if (reclaimed > 0) {
                return reclaimed;
            }
            if (sc.skippedDeactivate) {
                // active lists were spared on the assumption that the inactive ones would do: age them all
                sc.forceDeactivate = true;
                sc.skippedDeactivate = false;
                continue;
            }
            if (lowSkipped[0] && !lowReclaim) {
                sc.forceDeactivate = false;
                lowReclaim = true;
                continue;
            }
            return reclaimed;
        }
    }

    /** snapshot_refaults: a reclaim aimed at {@code target} ends. */
    private void snapshotRefaults(org.pagelab.memcg.MemCgroup target) {
        ScanControl.snapshotRefaults(target.lruvec(), ScanControl.activations(memcg, vmstat, target));
    }

    /**
     * shrink_node_memcgs: one pass at {@code priority} over the lruvec of every cgroup in
     * {@code target}'s subtree, parents first. A cgroup within its effective memory.min is
     * skipped; one within memory.low is skipped unless {@code lowReclaim} (and then counted as a
     * low event). Returns pages reclaimed.
     */
    private long shrinkNode(org.pagelab.memcg.MemCgroup target, int priority, long nrToReclaim, boolean kswapd,
            boolean lowReclaim, boolean[] lowSkipped, boolean cgroupReclaim, ScanControl sc, ShrinkFolioList.Stat stat) {
        long reclaimed = 0;
        if (policy.generational() == null) {
            long highWmarks = 0;
            for (Zone z : machine.phys().zones()) {
                if (z.managedPages() > 0) {
                    highWmarks += z.watermark(Watermark.HIGH);
                }
            }
            sc.prepare(target.lruvec(), ScanControl.activations(memcg, vmstat, target), priority, cgroupReclaim, vmstat.get(VmItem.NR_FREE_PAGES),
                    highWmarks);
        }
        ShrinkFolioList.Pass pass = new ShrinkFolioList.Pass(kswapd, nodeWriteback, nodeDirty, !noSwapNoWrite);
        if (kswapd && policy.generational() != null) {
            // kswapd_age_node: the generational policy ages every lruvec before kswapd evicts
            List<LruVec> lruvecs = new ArrayList<>();
            target.subtree().forEach(c -> lruvecs.add(c.lruvec()));
            policy.generational().ageNode(lruvecs, priority, genSwappiness(lruvec));
        }
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
                shrinkSlab(c, priority);
                continue;
            }
            Object prev = memcg.attributeTo(c);
            try {
                long[] prot = org.pagelab.memcg.MemoryCgroups.protection(target, c);
                reclaimed += shrinkLruvec(c.lruvec(), target.lruvec(), c.usagePages(), prot, lowReclaim, lowSkipped,
                        priority, nrToReclaim, pass, cgroupReclaim, sc, stat);
                shrinkSlab(c, priority);
            } finally {
                memcg.restoreAttribution(prev);
            }
        }
        if (kswapd) {
            // shrink_node: kswapd flags the node when the tail of its LRU is all writeback or all unqueued dirty
            if (stat.writeback > 0 && stat.writeback == stat.taken) {
                nodeWriteback = true;
            }
            if (stat.unqueuedDirty == stat.fileTaken) {
                nodeDirty = true;
            }
        }
        if (reclaimed > 0) {
            kswapdFailures = 0; // reclaim works again: kswapd is no longer hopeless
        }
        return reclaimed;
    }

    /**
     * shrink_node_memcgs: shrink_slab for cgroup {@code c} after its lruvec; a folio charged to a
     * cgroup that is gone counts as the root's, as its lruvec is.
     */
    private void shrinkSlab(org.pagelab.memcg.MemCgroup c, int priority) {
        LruVec own = c.lruvec();
        LruVec rootLruvec = memcg.root().lruvec();
        shrinkers.shrinkSlab(priority, c.id(), c == memcg.root(), id -> {
            LruVec v = memcg.lruvecOfId(id);
            return (v == null ? rootLruvec : v) == own;
        });
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
            boolean[] lowSkipped, int priority, long nrToReclaim, ShrinkFolioList.Pass pass, boolean cgroupReclaim,
            ScanControl sc, ShrinkFolioList.Stat stat) {
        // blk_start_plug: the writes this pass starts reach the device together when it ends
        machine.writebackIo().plug();
        try {
            if (policy.generational() != null) {
                return genShrink.shrink(policy.generational(), lruvec, priority, genSwappiness(lruvec), nrToReclaim, pass,
                        cgroupReclaim, stat);
            }
            return shrinkLruvecPlugged(lruvec, targetLruvec, cgroupSize, prot, lowReclaim, lowSkipped, priority,
                    nrToReclaim, pass, cgroupReclaim, sc, stat);
        } finally {
            machine.writebackIo().unplug();
        }
    }

    private long shrinkLruvecPlugged(LruVec lruvec, LruVec targetLruvec, long cgroupSize, long[] prot,
            boolean lowReclaim, boolean[] lowSkipped, int priority, long nrToReclaim, ShrinkFolioList.Pass pass,
            boolean cgroupReclaim, ScanControl sc, ShrinkFolioList.Stat stat) {
        boolean kswapd = pass.kswapd();
        org.pagelab.memcg.MemCgroup owner = memcg.ofLruvec(lruvec);
        long[] nr = sc.scanCount(lruvec, targetLruvec, !noSwapNoWrite && swapAvailable(lruvec), cgroupReclaim, swappiness,
                owner == null || owner.online(), cgroupSize, prot, lowReclaim, lowSkipped, priority);
        long[] targets = nr.clone();
        // direct global reclaim at the first priority scans its whole target: kswapd is not keeping up
        boolean proportional = !cgroupReclaim && !kswapd && priority == DEF_PRIORITY;
        final int ia = LruList.INACTIVE_ANON.ordinal();
        final int inf = LruList.INACTIVE_FILE.ordinal();
        final int af = LruList.ACTIVE_FILE.ordinal();
        long reclaimed = 0;
        while (nr[ia] > 0 || nr[af] > 0 || nr[inf] > 0) {
            for (LruList lru : ScanControl.EVICTABLE) {
                int i = lru.ordinal();
                if (nr[i] == 0) {
                    continue;
                }
                long batch = Math.min(nr[i], SWAP_CLUSTER_MAX);
                nr[i] -= batch;
                reclaimed += shrinkList(lru, batch, lruvec, pass, cgroupReclaim, sc, stat);
            }
            if (reclaimed < nrToReclaim || proportional) {
                continue;
            }
            if (!ScanControl.nudge(nr, targets)) {
                break;
            }
        }
        // rebalance the anon lists even when no anon was to be evicted
        if (machine.swap().devices().totalPages() > 0 && ScanControl.inactiveIsLow(lruvec, false)) {
            shrinkActiveList(lruvec, false, SWAP_CLUSTER_MAX);
        }
        return reclaimed;
    }

    /**
     * shrink_list: {@code batch} pages of list {@code lru}. An active list is aged into its inactive
     * list only when its type may be deactivated; an inactive list's folios are isolated and
     * reclaimed. Returns pages reclaimed.
     */
    private long shrinkList(LruList lru, long batch, LruVec lruvec, ShrinkFolioList.Pass pass, boolean cgroupReclaim,
            ScanControl sc, ShrinkFolioList.Stat stat) {
        boolean file = lru.isFile();
        if (lru.isActive()) {
            if (sc.mayDeactivate[file ? ScanControl.FILE : ScanControl.ANON]) {
                shrinkActiveList(lruvec, file, batch);
            } else {
                sc.skippedDeactivate = true;
            }
            return 0;
        }
        boolean kswapd = pass.kswapd();
        machine.sim().runTimersDue(); // writes that completed while this reclaimer scanned end now
        IsolateResult iso = policy.isolateForReclaim(lruvec, IsolateRequest.any(file, batch));
        machine.sim().cpu(org.pagelab.sim.CpuEvent.RECLAIM_SCAN, iso.nrScanned());
        if (iso.nrScanned() == 0) {
            return 0;
        }
        countReclaim(kswapd ? VmItem.PGSCAN_KSWAPD : VmItem.PGSCAN_DIRECT, iso.nrTaken(), cgroupReclaim);
        vmstat.add(file ? VmItem.PGSCAN_FILE : VmItem.PGSCAN_ANON, iso.nrTaken());
        stat.scanned += iso.nrScanned();
        ShrinkFolioList.Stat batchStat = new ShrinkFolioList.Stat();
        long got = shrinkList.shrink(lruvec, iso.folios(), pass, batchStat);
        stat.add(batchStat);
        if (file && batchStat.unqueuedDirty > 0 && batchStat.unqueuedDirty == batchStat.taken) {
            machine.vfs().flusher().wakeForReclaim(); // the flushers are not keeping up: nudge them
        }
        countReclaim(kswapd ? VmItem.PGSTEAL_KSWAPD : VmItem.PGSTEAL_DIRECT, got, cgroupReclaim);
        vmstat.add(file ? VmItem.PGSTEAL_FILE : VmItem.PGSTEAL_ANON, got);
        return got;
    }

    /** shrink_active_list: ages {@code batch} pages of the active list of the type into its inactive list. */
    private void shrinkActiveList(LruVec lruvec, boolean file, long batch) {
        machine.sim().runTimersDue();
        ShrinkActiveResult r = policy.shrinkActive(lruvec, IsolateRequest.any(file, batch), this::harvest);
        machine.sim().cpu(org.pagelab.sim.CpuEvent.RECLAIM_SCAN, r.nrScanned());
        r.released().forEach(machine.phys()::free);
    }

    /**
     * get_swappiness for the generational scan: 0 (file only) without swap space for
     * {@code lruvec}'s cgroup or during boosted reclaim, else vm.swappiness.
     */
    private int genSwappiness(LruVec lruvec) {
        return noSwapNoWrite || !swapAvailable(lruvec) ? 0 : swappiness;
    }

    /** vm.swappiness: the relative cost of swapping anon pages against dropping file pages (default 60). */
    private int swappiness = 60;

    public void setSwappiness(int s) {
        if (s < 0 || s > 200) {
            throw new IllegalArgumentException("swappiness " + s + " not in 0..200");
        }
        swappiness = s;
    }

    RmapReferences harvest(Folio f) {
        Rmap.Referenced r = machine.rmap().folioReferenced(f);
        return new RmapReferences(r.referenced(), (r.vmFlags() & VmFlags.VM_EXEC) != 0, false);
    }

    /**
     * reclaim_pages for MADV_PAGEOUT: reclaims {@code folios} (on the LRU, each mapped by the
     * calling process alone) regardless of their references ({@link ShrinkFolioList#reclaimPages}).
     * Returns pages freed.
     */
    public long reclaimPages(List<Folio> folios) {
        return shrinkList.reclaimPages(folios);
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

    /** Recomputes the LRU invariants: the lists, and every live folio with LRU set is on them. */
    public void check() {
        for (org.pagelab.memcg.MemCgroup c : memcg.all()) {
            c.lruvec().check();
        }
    }
}
