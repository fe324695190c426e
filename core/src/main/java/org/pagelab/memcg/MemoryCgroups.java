package org.pagelab.memcg;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.pagelab.desc.Folio;
import org.pagelab.desc.MemDesc;
import org.pagelab.desc.PageTablePage;
import org.pagelab.lruvec.LruVec;
import org.pagelab.phys.AllocRequest;
import org.pagelab.phys.ChargeHook;
import org.pagelab.psi.PsiGroup;
import org.pagelab.stat.VmItem;

/**
 * The memory controller of one machine (mm/memcontrol.c): the entry points the rest of the
 * machine calls, each handed to the part that holds that concern. See the
 * {@linkplain org.pagelab.memcg package essay}, whose ordering table names the parts:
 * {@link MemcgHierarchy} (the cgroups), {@link MemcgLimits} (writes to memory.*),
 * {@link MemcgCharge} (try_charge), {@link MemcgHigh} (memory.high throttling),
 * {@link MemcgOom} (the cgroup OOM killer), {@link ObjCgroups} (kernel memory),
 * {@link SwapCgroup} (swap slots), {@link MemcgProtection} (effective min and low),
 * {@link MemcgEvents} (event counts) and {@link MemcgChecker} (the invariants). This class alone
 * knows the machine, as a {@link MemcgHost}: it wires each part to the narrow view of the machine
 * it needs.
 */
public final class MemoryCgroups implements ChargeHook {
    /** The kernel's MAX_RECLAIM_RETRIES. */
    static final int MAX_RECLAIM_RETRIES = 16;

    /** The value of "max" for {@link #set}. */
    public static final long UNLIMITED = PageCounter.MAX;

    /** The memory.* files that take a value, by their names. */
    public enum Knob { MAX, HIGH, LOW, MIN, SWAP_MAX, OOM_GROUP }

    private final MemcgHost machine;
    private final MemcgHierarchy hierarchy;
    private final ActiveMemcg active;
    private final MemcgEvents events;
    private final MemcgOom oom;
    private final MemcgHigh high;
    private final MemcgCharge charge;
    private final ObjCgroups kmem;
    private final SwapCgroup swap;
    private final MemcgLimits limits;

    public MemoryCgroups(MemcgHost machine) {
        this.machine = machine;
        MemcgTasks tasks = new MemcgTasks() {
            @Override
            public MemcgTask current() {
                return currentProcess();
            }

            @Override
            public Collection<? extends MemcgTask> all() {
                return machine.tasks();
            }

            @Override
            public MemcgTask byPid(int pid) {
                return machine.task(pid);
            }

            @Override
            public void moved(MemcgTask p) {
                machine.psi().moveTask(machine.taskOf(p), machine.sim().now());
            }
        };
        MemcgReclaim reclaim = new MemcgReclaim(machine.sim(), () -> machine.vmscan().inReclaim(),
                (c, nr) -> machine.vmscan().tryToFreeMemcgPages(c, nr));
        this.hierarchy = new MemcgHierarchy(machine.psi(), tasks);
        this.active = new ActiveMemcg(hierarchy, tasks);
        this.events = new MemcgEvents(active);
        this.oom = new MemcgOom(hierarchy, tasks, events, () -> machine.swap().devices().totalPages(), new MemcgOom.Kill() {
            @Override
            public long badness(MemcgTask q, long totalPages) {
                return machine.oomBadness(q, totalPages);
            }

            @Override
            public void kill(MemcgTask victim, String header, boolean now) {
                machine.oomKill(victim, header, now);
            }
        });
        this.high = new MemcgHigh(hierarchy, tasks, reclaim, events, machine.sim());
        this.charge = new MemcgCharge(hierarchy, active, tasks, reclaim, high, oom, events);
        this.kmem = new ObjCgroups(hierarchy, active, charge);
        this.swap = new SwapCgroup(hierarchy, events);
        this.limits = new MemcgLimits(reclaim, oom, events);
        machine.vmstat().setEventListener(events::countVmEvent);
    }

    /** The process on whose behalf memory is being allocated now, or null (kswapd, the test API). */
    private MemcgTask currentProcess() {
        MemcgTask p = machine.faultingTask();
        if (p != null) {
            return p;
        }
        var t = machine.sim().current();
        if (t == null || t.kthread()) {
            return null;
        }
        return machine.task(t.pid());
    }

    // ---- the hierarchy ----

    public MemCgroup root() {
        return hierarchy.root();
    }

    /** The online cgroup at {@code path} ("/" or "/a/b"), or null. */
    public MemCgroup byPath(String path) {
        return hierarchy.byPath(path);
    }

    /** The cgroup with id {@code id}, online or offline, or null once it is gone. */
    public MemCgroup byId(int id) {
        return hierarchy.byId(id);
    }

    /** Every cgroup that still exists, online or not, parents first. */
    public List<MemCgroup> all() {
        return hierarchy.all();
    }

    /** The online cgroups by path, in creation order. */
    public Map<String, MemCgroup> online() {
        return hierarchy.online();
    }

    /**
     * The pressure group of {@code c} (its memory.pressure and io.pressure): the system's for the
     * root; null for a cgroup already released.
     */
    public PsiGroup psiGroup(MemCgroup c) {
        return hierarchy.psiGroup(c);
    }

    /**
     * mkdir: creates the cgroup at {@code path}, whose parent must exist. Throws
     * IllegalArgumentException naming the path when it is malformed, exists, or has no parent.
     */
    public MemCgroup create(String path) {
        MemCgroup c = hierarchy.create(path);
        kmem.online(c);
        return c;
    }

    /**
     * rmdir: removes the cgroup at {@code path}. Refused (IllegalArgumentException) while it has
     * live processes or online children, as the kernel refuses with EBUSY. Pages still charged to
     * it keep it as an offline cgroup, reclaimable, until they are freed; its kernel-memory
     * charges move to the parent at once, as the kernel reparents them.
     */
    public void remove(String path) {
        MemCgroup c = hierarchy.offline(path);
        kmem.reparent(c);
        hierarchy.releaseIfEmpty(c);
    }

    /** The cgroup process {@code p} belongs to. */
    public MemCgroup memcgOf(MemcgTask p) {
        return hierarchy.memcgOf(p);
    }

    /** Moves process {@code p} into the online cgroup at {@code path}; its charges stay where they are. */
    public void attach(MemcgTask p, String path) {
        hierarchy.attach(p, path);
    }

    // ---- limits ----

    /**
     * Writes {@code value} (pages; {@link #UNLIMITED} for "max"; 0 or 1 for memory.oom.group) to
     * {@code knob} of {@code c}. Lowering memory.max below the usage reclaims down to it and runs
     * the cgroup's OOM killer if reclaim cannot (memory_max_write); lowering memory.high reclaims
     * down to it once (memory_high_write).
     */
    public void set(MemCgroup c, Knob knob, long value) {
        limits.write(c, knob, value);
    }

    // ---- charging ----

    /**
     * Makes the next charges go to the cgroup swap entry {@code entry} was charged to, if it is
     * still online (mem_cgroup_swapin_charge_folio), else to the current process's. Returns the
     * previous setting, for {@link #restoreActive}.
     */
    public Object activateForSwapin(org.pagelab.desc.SwapEntry entry) {
        return active.set(swap.onlineOwner(entry));
    }

    /**
     * set_active_memcg to the cgroup of {@code p}: the next charges go there (khugepaged charges
     * a collapsed folio to the address space's owner). Returns the previous setting, for
     * {@link #restoreActive}.
     */
    public Object activateFor(MemcgTask p) {
        return active.set(memcgOf(p));
    }

    public void restoreActive(Object previous) {
        active.set((MemCgroup) previous);
    }

    @Override
    public boolean charge(MemDesc d, AllocRequest req) {
        return switch (d) {
            case Folio f -> charge.chargeFolio(f, req.mayReclaim());
            case PageTablePage t -> kmem.chargePageTable(t, req.mayReclaim());
            default -> throw new IllegalStateException("charging a descriptor that is not charged: " + d);
        };
    }

    @Override
    public void uncharge(MemDesc d) {
        switch (d) {
            case Folio f -> charge.unchargeFolio(f);
            case PageTablePage t -> kmem.unchargePageTable(t);
            default -> {
            }
        }
    }

    /** Whether the last charge failed (consumed by the fault's OOM path). */
    public boolean chargeFailed() {
        return charge.chargeFailed();
    }

    /**
     * mem_cgroup_handle_over_high, run when {@code p} returns to user space after charging above
     * a memory.high: reclaims the excess from each cgroup over its high, then throttles the task
     * for a time that grows with the square of the overage (calculate_high_delay), at most two
     * seconds, not at all below 10 ms, and not while reclaim still makes progress.
     */
    public void handleOverHigh(MemcgTask p) {
        high.handleOverHigh(p);
    }

    /** calculate_high_delay over the largest memory overage of {@code c} and its ancestors. */
    static long highDelayJiffies(MemCgroup c, long nr) {
        return MemcgHigh.highDelayJiffies(c, nr);
    }

    /**
     * What the machine does when process {@code p} returns to user space: a pending OOM kill
     * takes effect, then memory.high's reclaim and throttling.
     */
    public void returnToUser(MemcgTask p) {
        if (machine.reapIfOomKilled(p)) {
            return;
        }
        high.handleOverHigh(p);
    }

    /** The accounting of objects of SLAB_ACCOUNT caches, for the slab allocator. */
    public org.pagelab.slab.ObjCharge objCharge() {
        return kmem;
    }

    // ---- swap ----

    /**
     * mem_cgroup_try_charge_swap: charges the {@code nr} slots from {@code entry}, just allocated
     * for folio {@code f}, to the folio's cgroup; each slot's charge ends when it is freed. Returns false, counting max and fail events, when the
     * cgroup or an ancestor is at memory.swap.max; the caller then gives the slot back.
     */
    public boolean chargeSwap(Folio f, org.pagelab.desc.SwapEntry entry, int nr) {
        return swap.chargeSwap(f, entry, nr);
    }

    /** The slot of {@code entry} became free: its swap charge goes (mem_cgroup_uncharge_swap). */
    public void unchargeSwap(org.pagelab.desc.SwapEntry entry) {
        swap.unchargeSwap(entry);
    }

    /**
     * mem_cgroup_get_nr_swap_pages: swap slots the cgroup of {@code lruvec} may still take (the
     * smallest headroom up its path), or a large number when it has no limit.
     */
    public long swapHeadroom(LruVec lruvec) {
        MemCgroup c = hierarchy.lookup(lruvec.memcgId());
        if (c == null) {
            return Long.MAX_VALUE;
        }
        return c.swap.margin();
    }

    // ---- lruvecs ----

    /** The lruvec folio {@code f} belongs on: its cgroup's, or the root's. */
    public LruVec lruvecOf(Folio f) {
        MemCgroup c = hierarchy.lookup(f.memcgId());
        return (c == null ? hierarchy.root() : c).lruvec;
    }

    /** The lruvec of cgroup {@code id}, or null when that cgroup is gone (a shadow outliving it). */
    public LruVec lruvecOfId(int id) {
        MemCgroup c = hierarchy.lookup(id);
        return c == null ? null : c.lruvec;
    }

    /** The lruvec's cgroup, for {@link #attributeTo}. */
    public MemCgroup ofLruvec(LruVec v) {
        MemCgroup c = hierarchy.lookup(v.memcgId());
        return c == null ? hierarchy.root() : c;
    }

    // ---- protection, for reclaim ----

    /**
     * mem_cgroup_calculate_protection: the effective memory.min and memory.low of {@code c} for a
     * reclaim aimed at {@code target}, from its settings, its parent's effective protection and
     * how much of it its siblings claim (memory_recursiveprot off, the kernel's default).
     */
    public void calculateProtection(MemCgroup target, MemCgroup c) {
        MemcgProtection.calculate(target, c);
    }

    /** Whether {@code c} is within its effective memory.min (reclaim must skip it). */
    public static boolean belowMin(MemCgroup c) {
        return MemcgProtection.belowMin(c);
    }

    /** Whether {@code c} is within its effective memory.low (skipped while others have memory to give). */
    public static boolean belowLow(MemCgroup c) {
        return MemcgProtection.belowLow(c);
    }

    /** Effective (min, low) protection of {@code c}, in pages, as the last calculation left it. */
    public static long[] protection(MemCgroup target, MemCgroup c) {
        return MemcgProtection.protection(target, c);
    }

    // ---- events ----

    /** Counts {@code e} in {@code c} and (memory.events is hierarchical) its ancestors below the root. */
    public void event(MemCgroup c, MemcgEvent e) {
        events.event(c, e);
    }

    /** Makes vmstat events count for {@code c} until {@link #restoreAttribution}; returns the previous one. */
    public Object attributeTo(MemCgroup c) {
        return events.attributeTo(c);
    }

    public void restoreAttribution(Object previous) {
        events.attributeTo((MemCgroup) previous);
    }

    /**
     * Counts event {@code item} for the cgroup being reclaimed (or the current one) without the
     * machine-wide counter: the kernel counts pgscan and pgsteal of cgroup reclaim only in the cgroup.
     */
    public void countLocal(VmItem item, long n) {
        events.countVmEvent(item, n);
    }

    /** The vmstat event {@code item} counted for {@code c} and its descendants. */
    public long vmEvents(MemCgroup c, VmItem item) {
        return MemcgEvents.vmEvents(c, item);
    }

    // ---- checker ----

    /**
     * Recomputes every charge from the descriptors that hold it: each cgroup's memory usage must
     * equal the pages of live folios and page tables charged to it plus its slab pages plus its
     * children's usage; its swap usage the slots recorded for it plus its children's; every folio
     * on an LRU list must be on its own cgroup's lruvec; nothing may be charged to a cgroup that
     * is gone, and an offline cgroup must still hold something.
     */
    public void check() {
        new MemcgChecker(hierarchy, kmem, swap, machine.phys().memmap(),
                e -> machine.swap().devices().swapCount(e) != 0 || machine.swap().lookup(e) != null).check();
    }
}
