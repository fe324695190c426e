package org.pagelab.memcg;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pagelab.desc.Folio;
import org.pagelab.desc.MemDesc;
import org.pagelab.desc.PageTablePage;
import org.pagelab.machine.Machine;
import org.pagelab.memory.Process;
import org.pagelab.phys.AllocRequest;
import org.pagelab.phys.ChargeHook;
import org.pagelab.reclaim.LruVec;
import org.pagelab.sim.StallKind;
import org.pagelab.stat.VmItem;

/**
 * The memory controller of one machine (mm/memcontrol.c): the cgroup v2 hierarchy, charging and
 * uncharging, memory.max reclaim and the cgroup OOM killer, memory.high throttling, swap
 * accounting, and the per-cgroup counters. See the {@linkplain org.pagelab.memcg package essay}.
 */
public final class MemoryCgroups implements ChargeHook {
    /** The kernel's MAX_RECLAIM_RETRIES. */
    static final int MAX_RECLAIM_RETRIES = 16;
    /** PAGE_ALLOC_COSTLY_ORDER: charges up to 2^3 pages retry while reclaim makes progress. */
    static final int COSTLY_PAGES = 8;
    /** The kernel tick rate assumed for memory.high's penalty (Debian's CONFIG_HZ_250). */
    static final long HZ = 250;
    /** MEMCG_CHARGE_BATCH: the nominal charge the penalty is scaled against. */
    static final long CHARGE_BATCH = 64;
    static final int DELAY_PRECISION_SHIFT = 20;
    static final int DELAY_SCALING_SHIFT = 14;

    private final Machine machine;
    private final MemCgroup root;
    /**
     * The cgroups that still exist, indexed by id (ids are small and never reused): an array,
     * since every LRU operation and every counted event looks a cgroup up by id.
     */
    private MemCgroup[] ids = new MemCgroup[16];
    private int liveIds;
    private final Map<String, MemCgroup> byPath = new LinkedHashMap<>();
    /** Kernel-memory charges name an object cgroup that moves to the parent when its cgroup goes offline. */
    private final Map<Integer, MemCgroup> objcgOwner = new HashMap<>();
    /** swap_cgroup: the cgroup each allocated swap slot is charged to, by swap entry. */
    private final Map<Long, Integer> swapOwner = new HashMap<>();
    private int nextId = 1;
    /** set_active_memcg: charges go here while set (swap-in charges the page's old cgroup). */
    private MemCgroup active;
    /** Whose events the vmstat counters count while set (reclaim of one lruvec, a refault). */
    private MemCgroup attribution;
    private boolean chargeFailed;
    private boolean inHighReclaim;

    public MemoryCgroups(Machine machine) {
        this.machine = machine;
        this.root = newGroup("", null);
        byPath.put("/", root);
        machine.vmstat().setEventListener(this::countEvent);
        machine.psi().setGroupsOf(this::psiGroupsOf);
    }

    private MemCgroup newGroup(String name, MemCgroup parent) {
        if (nextId > org.pagelab.workingset.ShadowWord.MEMCG_ID_MASK) {
            throw new IllegalStateException("out of memory cgroup ids");
        }
        MemCgroup c = new MemCgroup(nextId++, name, parent);
        putId(c);
        objcgOwner.put(c.id, c);
        if (parent != null) {
            psiGroups.put(c, machine.psi().createGroup(c.path()));
        }
        return c;
    }

    /** Each cgroup's pressure accounting but the root's, which is the system's. */
    private final Map<MemCgroup, org.pagelab.psi.PsiGroup> psiGroups = new HashMap<>();

    /**
     * The pressure group of {@code c} (its memory.pressure and io.pressure): the system's for the
     * root; null for a cgroup already released.
     */
    public org.pagelab.psi.PsiGroup psiGroup(MemCgroup c) {
        return c.isRoot() ? machine.psi().system() : psiGroups.get(c);
    }

    /** The pressure groups a task counts in besides the system's: its cgroup's and every ancestor's but the root's. */
    private List<org.pagelab.psi.PsiGroup> psiGroupsOf(org.pagelab.sim.SimTask t) {
        if (t.kthread()) {
            return List.of();
        }
        Process p = machine.memory().processes().get(t.pid());
        if (p == null) {
            return List.of();
        }
        List<org.pagelab.psi.PsiGroup> out = new ArrayList<>();
        for (MemCgroup c = memcgOf(p); c != null && !c.isRoot(); c = c.parent) {
            org.pagelab.psi.PsiGroup g = psiGroups.get(c);
            if (g != null) {
                out.add(g);
            }
        }
        return out;
    }

    private MemCgroup lookup(int id) {
        return id >= 0 && id < ids.length ? ids[id] : null;
    }

    private void putId(MemCgroup c) {
        if (c.id >= ids.length) {
            ids = java.util.Arrays.copyOf(ids, Math.max(ids.length * 2, c.id + 1));
        }
        ids[c.id] = c;
        liveIds++;
    }

    private void removeId(MemCgroup c) {
        ids[c.id] = null;
        liveIds--;
    }

    // ---- the hierarchy ----

    public MemCgroup root() {
        return root;
    }

    /** The online cgroup at {@code path} ("/" or "/a/b"), or null. */
    public MemCgroup byPath(String path) {
        return byPath.get(normalize(path));
    }

    /** The cgroup with id {@code id}, online or offline, or null once it is gone. */
    public MemCgroup byId(int id) {
        return lookup(id == 0 ? root.id : id);
    }

    /** Every cgroup that still exists, online or not, parents first. */
    public List<MemCgroup> all() {
        return root.subtree();
    }

    /** The online cgroups by path, in creation order. */
    public Map<String, MemCgroup> online() {
        return java.util.Collections.unmodifiableMap(byPath);
    }

    private static String normalize(String path) {
        if (path == null) {
            return null;
        }
        String p = path.trim();
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    /**
     * mkdir: creates the cgroup at {@code path}, whose parent must exist. Throws
     * IllegalArgumentException naming the path when it is malformed, exists, or has no parent.
     */
    public MemCgroup create(String path) {
        String p = normalize(path);
        if (p == null || !p.startsWith("/") || p.equals("/") || p.contains("//")) {
            throw new IllegalArgumentException("cgroup path '" + path + "' must look like /name or /a/b");
        }
        if (byPath.containsKey(p)) {
            throw new IllegalArgumentException("cgroup " + p + " already exists");
        }
        int slash = p.lastIndexOf('/');
        String name = p.substring(slash + 1);
        if (!name.matches("[A-Za-z0-9_.:-]+") || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("cgroup name '" + name + "' in " + p + " is not a valid directory name");
        }
        MemCgroup parent = byPath.get(slash == 0 ? "/" : p.substring(0, slash));
        if (parent == null) {
            throw new IllegalArgumentException("cgroup " + p + ": parent " + (slash == 0 ? "/" : p.substring(0, slash))
                    + " does not exist");
        }
        MemCgroup c = newGroup(name, parent);
        byPath.put(p, c);
        return c;
    }

    /**
     * rmdir: removes the cgroup at {@code path}. Refused (IllegalArgumentException) while it has
     * live processes or online children, as the kernel refuses with EBUSY. Pages still charged to
     * it keep it as an offline cgroup, reclaimable, until they are freed; its kernel-memory
     * charges move to the parent at once, as the kernel reparents them.
     */
    public void remove(String path) {
        String p = normalize(path);
        MemCgroup c = byPath.get(p);
        if (c == null || c.isRoot()) {
            throw new IllegalArgumentException("cannot remove cgroup '" + path + "': " + (c == null ? "no such cgroup" : "it is the root"));
        }
        for (MemCgroup k : c.children) {
            if (k.online) {
                throw new IllegalArgumentException("cannot remove cgroup " + p + ": it has child " + k.path() + " (EBUSY)");
            }
        }
        for (Process q : machine.memory().processes().values()) {
            if (q.alive() && memcgOf(q) == c) {
                throw new IllegalArgumentException("cannot remove cgroup " + p + ": process " + q.pid() + " ("
                        + q.name() + ") is in it (EBUSY)");
            }
        }
        byPath.remove(p);
        c.online = false;
        reparentKmem(c);
        releaseIfEmpty(c);
    }

    private void reparentKmem(MemCgroup c) {
        long kmem = c.pagetablePages + c.slabPages;
        if (kmem > 0) {
            // the pages stay charged at the parent and above; only this level lets go of them
            c.memory.usage -= kmem;
            c.memory.propagateProtected();
            c.parent.pagetablePages += c.pagetablePages;
            c.parent.slabPages += c.slabPages;
            c.parent.slabReclaimableBytes += c.slabReclaimableBytes;
            c.parent.slabStock += c.slabStock;
            c.slabStock = 0;
            if (c.parent.slabStock >= PAGE) {
                // two partial stocks made a whole page: it is no longer needed
                c.parent.slabStock -= PAGE;
                c.parent.slabPages--;
                c.parent.memory.uncharge(1);
            }
            c.parent.slabUnreclaimableBytes += c.slabUnreclaimableBytes;
            c.pagetablePages = 0;
            c.slabPages = 0;
            c.slabReclaimableBytes = 0;
            c.slabUnreclaimableBytes = 0;
        }
        for (Map.Entry<Integer, MemCgroup> e : objcgOwner.entrySet()) {
            if (e.getValue() == c) {
                e.setValue(c.parent);
            }
        }
    }

    /** An offline cgroup with nothing charged and no children left is released; its id becomes invalid. */
    private void releaseIfEmpty(MemCgroup c) {
        while (c != null && !c.online && c.memory.usage == 0 && c.swap.usage == 0 && c.children.isEmpty()) {
            c.parent.children.remove(c);
            removeId(c);
            psiGroups.remove(c);
            c = c.parent;
        }
    }

    /** The cgroup process {@code p} belongs to. */
    public MemCgroup memcgOf(Process p) {
        MemCgroup c = lookup(p.memcgId());
        return c == null ? root : c;
    }

    /** Moves process {@code p} into the online cgroup at {@code path}; its charges stay where they are. */
    public void attach(Process p, String path) {
        MemCgroup c = byPath(path);
        if (c == null) {
            throw new IllegalArgumentException("no cgroup " + path + " to move process " + p.pid() + " into");
        }
        if (p.memcgId() != c.id) {
            p.setMemcgId(c.id);
            machine.psi().moveTask(machine.taskOf(p), machine.sim().now());
        }
    }

    // ---- limits ----

    /** The memory.* files that take a value, by their names. */
    public enum Knob { MAX, HIGH, LOW, MIN, SWAP_MAX, OOM_GROUP }

    /**
     * Writes {@code value} (pages; {@link #UNLIMITED} for "max"; 0 or 1 for memory.oom.group) to
     * {@code knob} of {@code c}. Lowering memory.max below the usage reclaims down to it and runs
     * the cgroup's OOM killer if reclaim cannot (memory_max_write); lowering memory.high reclaims
     * down to it once (memory_high_write).
     */
    public void set(MemCgroup c, Knob knob, long value) {
        if (c.isRoot()) {
            throw new IllegalArgumentException("the root cgroup has no memory." + knob.name().toLowerCase() + " file");
        }
        if (value < 0) {
            throw new IllegalArgumentException("negative value " + value + " for memory." + knob.name().toLowerCase());
        }
        long v = Math.min(value, PageCounter.MAX);
        switch (knob) {
            case MAX -> {
                c.memory.max = v;
                int retries = MAX_RECLAIM_RETRIES;
                while (c.memory.usage > v) {
                    if (retries > 0) {
                        long got = reclaim(c, c.memory.usage - v);
                        if (got == 0) {
                            retries--;
                        }
                        continue;
                    }
                    event(c, MemcgEvent.OOM);
                    if (!outOfMemory(c)) {
                        break;
                    }
                }
            }
            case HIGH -> {
                c.memory.high = v;
                int retries = MAX_RECLAIM_RETRIES;
                while (c.memory.usage > v) {
                    if (reclaim(c, c.memory.usage - v) == 0 && retries-- <= 0) {
                        break;
                    }
                }
            }
            case LOW -> {
                c.memory.low = v;
                c.memory.propagateProtected();
            }
            case MIN -> {
                c.memory.min = v;
                c.memory.propagateProtected();
            }
            case SWAP_MAX -> c.swap.max = v;
            case OOM_GROUP -> c.oomGroup = value != 0;
        }
    }

    /** The value of "max" for {@link #set}. */
    public static final long UNLIMITED = PageCounter.MAX;

    // ---- whom to charge ----

    /** The process on whose behalf memory is being allocated now, or null (kswapd, the test API). */
    private Process currentProcess() {
        Process p = machine.memory().faultingProcess();
        if (p != null) {
            return p;
        }
        var t = machine.sim().current();
        if (t == null || t.kthread()) {
            return null;
        }
        return machine.memory().processes().get(t.pid());
    }

    /** The cgroup a new charge goes to: the active cgroup, else the current process's, else the root. */
    private MemCgroup target() {
        if (active != null) {
            return active;
        }
        Process p = currentProcess();
        return p == null ? root : memcgOf(p);
    }

    /**
     * Makes the next charges go to the cgroup swap entry {@code entry} was charged to, if it is
     * still online (mem_cgroup_swapin_charge_folio), else to the current process's. Returns the
     * previous setting, for {@link #restoreActive}.
     */
    public Object activateForSwapin(long entry) {
        MemCgroup prev = active;
        Integer id = swapOwner.get(entry);
        MemCgroup c = id == null ? null : lookup(id);
        active = c != null && c.online ? c : null;
        return prev;
    }

    public void restoreActive(Object previous) {
        active = (MemCgroup) previous;
    }

    // ---- charging ----

    @Override
    public boolean charge(MemDesc d, AllocRequest req) {
        MemCgroup c = target();
        int nr = d.nrPages();
        chargeFailed = false;
        if (!tryCharge(c, nr, req.mayReclaim())) {
            chargeFailed = true;
            return false;
        }
        switch (d) {
            case Folio f -> f.setMemcgId(c.id);
            case PageTablePage t -> {
                t.setMemcgId(c.id);
                c.pagetablePages += nr;
            }
            default -> throw new IllegalStateException("charging a descriptor that is not charged: " + d);
        }
        return true;
    }

    @Override
    public void uncharge(MemDesc d) {
        switch (d) {
            case Folio f -> {
                if (f.memcgId() != 0) {
                    MemCgroup c = requireId(f.memcgId(), f);
                    f.setMemcgId(0);
                    c.memory.uncharge(f.nrPages());
                    releaseIfEmpty(c);
                }
            }
            case PageTablePage t -> {
                if (t.memcgId() != 0) {
                    MemCgroup c = objcgOwner.get(t.memcgId());
                    if (c == null) {
                        throw new IllegalStateException("page table charged to unknown object cgroup " + t.memcgId() + ": " + t);
                    }
                    t.setMemcgId(0);
                    c.pagetablePages -= 1;
                    c.memory.uncharge(1);
                    releaseIfEmpty(c);
                }
            }
            default -> {
            }
        }
    }

    private MemCgroup requireId(int id, Object what) {
        MemCgroup c = lookup(id);
        if (c == null) {
            throw new IllegalStateException("charged to memory cgroup " + id + ", which no longer exists: " + what);
        }
        return c;
    }

    /** Whether the last charge failed (consumed by the fault's OOM path). */
    public boolean chargeFailed() {
        boolean f = chargeFailed;
        chargeFailed = false;
        return f;
    }

    /**
     * try_charge_memcg: charges {@code nr} pages to {@code c} and its ancestors. When a level is
     * at its memory.max, reclaims from that level's subtree, retrying while reclaim makes
     * progress and then up to {@value #MAX_RECLAIM_RETRIES} times more, then runs that level's
     * OOM killer and tries again for as long as it kills. Charges made while reclaiming are
     * forced (PF_MEMALLOC). Above memory.high the charge succeeds and the current process is
     * marked to reclaim and be throttled on its way back to user space.
     */
    boolean tryCharge(MemCgroup c, long nr, boolean mayReclaim) {
        int retries = MAX_RECLAIM_RETRIES;
        boolean raisedMax = false;
        boolean passedOom = false;
        for (;;) {
            PageCounter failed = c.memory.tryCharge(nr);
            if (failed == null) {
                noteHigh(c, nr, mayReclaim);
                return true;
            }
            MemCgroup over = ownerOf(c, failed);
            if (machine.vmscan().inReclaim() || inHighReclaim) {
                if (!raisedMax) {
                    event(over, MemcgEvent.MAX);
                }
                c.memory.charge(nr);
                return true;
            }
            if (!mayReclaim) {
                return false;
            }
            if (!raisedMax) {
                event(over, MemcgEvent.MAX);
                raisedMax = true;
            }
            long reclaimed = reclaim(over, nr);
            if (over.memory.margin() >= nr) {
                continue;
            }
            if (reclaimed > 0 && nr <= COSTLY_PAGES) {
                continue;
            }
            if (retries-- > 0) {
                continue;
            }
            Process cur = currentProcess();
            if (passedOom && cur != null && (cur.oomKillPending() || !cur.alive())) {
                return false;
            }
            event(over, MemcgEvent.OOM);
            if (outOfMemory(over)) {
                passedOom = true;
                retries = MAX_RECLAIM_RETRIES;
                Process now = currentProcess();
                if (now != null && now.oomKillPending()) {
                    return false; // the allocating process itself was chosen: it unwinds and dies
                }
                continue;
            }
            return false;
        }
    }

    private static MemCgroup ownerOf(MemCgroup c, PageCounter counter) {
        for (MemCgroup m = c; m != null; m = m.parent) {
            if (m.memory == counter) {
                return m;
            }
        }
        throw new IllegalStateException("page counter not on the path of " + c);
    }

    private void noteHigh(MemCgroup c, long nr, boolean mayReclaim) {
        boolean over = false;
        for (MemCgroup m = c; m != null && !m.isRoot(); m = m.parent) {
            if (m.memory.usage > m.memory.high) {
                over = true;
                break;
            }
        }
        if (!over) {
            return;
        }
        Process p = currentProcess();
        if (p == null || memcgOf(p) != c) {
            return;
        }
        p.setPagesOverHigh(p.pagesOverHigh() + nr);
        if (p.pagesOverHigh() > CHARGE_BATCH && mayReclaim && !machine.vmscan().inReclaim() && !inHighReclaim) {
            handleOverHigh(p); // do not let one long step run far past memory.high
        }
    }

    /** Reclaims about {@code nr} pages from {@code c}'s subtree, as a memory stall; returns pages reclaimed. */
    private long reclaim(MemCgroup c, long nr) {
        boolean stall = machine.sim().current() != null;
        if (stall) {
            machine.sim().beginStall(StallKind.DIRECT_RECLAIM);
        }
        try {
            return machine.vmscan().tryToFreeMemcgPages(c, nr);
        } finally {
            if (stall) {
                machine.sim().endStall();
            }
        }
    }

    /**
     * mem_cgroup_handle_over_high, run when {@code p} returns to user space after charging above
     * a memory.high: reclaims the excess from each cgroup over its high, then throttles the task
     * for a time that grows with the square of the overage (calculate_high_delay), at most two
     * seconds, not at all below 10 ms, and not while reclaim still makes progress.
     */
    public void handleOverHigh(Process p) {
        long nr = p.pagesOverHigh();
        if (nr == 0 || !p.alive()) {
            return;
        }
        p.setPagesOverHigh(0);
        MemCgroup c = memcgOf(p);
        int retries = MAX_RECLAIM_RETRIES;
        boolean inRetry = false;
        inHighReclaim = true;
        try {
            for (;;) {
                long reclaimed = 0;
                for (MemCgroup m = c; m != null && !m.isRoot(); m = m.parent) {
                    if (m.memory.usage <= m.memory.high) {
                        continue;
                    }
                    event(m, MemcgEvent.HIGH);
                    inHighReclaim = false;
                    reclaimed += reclaim(m, inRetry ? org.pagelab.reclaim.Vmscan.SWAP_CLUSTER_MAX : nr);
                    inHighReclaim = true;
                }
                long penalty = Math.min(highDelayJiffies(c, nr), 2 * HZ);
                if (penalty <= HZ / 100) {
                    return;
                }
                if (reclaimed > 0 || retries-- > 0) {
                    inRetry = true;
                    continue;
                }
                var sim = machine.sim();
                if (sim.current() != null) {
                    sim.beginStall(StallKind.MEMCG_THROTTLE);
                    sim.sleepFor(penalty * (1_000_000_000L / HZ));
                    sim.endStall();
                }
                return;
            }
        } finally {
            inHighReclaim = false;
        }
    }

    /** calculate_high_delay over the largest memory overage of {@code c} and its ancestors. */
    static long highDelayJiffies(MemCgroup c, long nr) {
        long maxOverage = 0;
        for (MemCgroup m = c; m != null && !m.isRoot(); m = m.parent) {
            long high = Math.max(m.memory.high, 1);
            if (m.memory.usage > high) {
                long overage = ((m.memory.usage - high) << DELAY_PRECISION_SHIFT) / high;
                maxOverage = Math.max(maxOverage, overage);
            }
        }
        if (maxOverage == 0) {
            return 0;
        }
        long penalty = maxOverage * maxOverage * HZ;
        penalty >>= DELAY_PRECISION_SHIFT;
        penalty >>= DELAY_SCALING_SHIFT;
        return penalty * nr / CHARGE_BATCH;
    }

    /**
     * What the machine does when process {@code p} returns to user space: a pending OOM kill
     * takes effect, then memory.high's reclaim and throttling.
     */
    public void returnToUser(Process p) {
        if (machine.memory().oomKiller().reapIfKilled(p)) {
            return;
        }
        handleOverHigh(p);
    }

    // ---- the cgroup OOM killer ----

    /**
     * mem_cgroup_out_of_memory: kills the process of {@code c}'s subtree with the highest badness
     * (against the cgroup's memory.max plus its swap), and with it every process of the highest
     * cgroup between the victim's and {@code c} that has memory.oom.group set. Returns whether it
     * killed anything.
     */
    boolean outOfMemory(MemCgroup c) {
        var mm = machine.memory();
        Process victim = null;
        long best = Long.MIN_VALUE;
        long total = Math.max(1, Math.min(c.memory.max, PageCounter.MAX)
                + Math.min(c.swap.max, machine.swap().devices().totalPages()));
        for (Process q : mm.processes().values()) {
            if (!q.alive() || q.oomKillPending() || q.oomScoreAdj() == -1000 || !memcgOf(q).isDescendantOf(c)) {
                continue;
            }
            long points = org.pagelab.memory.OomKiller.badness(q, total);
            if (points > best) {
                best = points;
                victim = q;
            }
        }
        if (victim == null) {
            return false;
        }
        MemCgroup group = null;
        for (MemCgroup m = memcgOf(victim); m != null; m = m.parent) {
            if (m.oomGroup) {
                group = m;
            }
            if (m == c) {
                break;
            }
        }
        kill(victim);
        if (group != null) {
            event(group, MemcgEvent.OOM_GROUP_KILL);
            for (Process q : new ArrayList<>(mm.processes().values())) {
                if (q != victim && q.alive() && !q.oomKillPending() && q.oomScoreAdj() != -1000
                        && memcgOf(q).isDescendantOf(group)) {
                    kill(q);
                }
            }
        }
        return true;
    }

    private void kill(Process q) {
        event(memcgOf(q), MemcgEvent.OOM_KILL);
        machine.memory().oomKiller().kill(q, "Memory cgroup out of memory", q != currentProcess());
    }

    // ---- slab objects ----

    /** The accounting of objects of SLAB_ACCOUNT caches, for the slab allocator. */
    public org.pagelab.slab.ObjCharge objCharge() {
        return new org.pagelab.slab.ObjCharge() {
            @Override
            public int charge(org.pagelab.slab.KmemCache cache, int bytes) {
                return chargeObject(cache, bytes);
            }

            @Override
            public void uncharge(int objcg, org.pagelab.slab.KmemCache cache, int bytes) {
                unchargeObject(objcg, cache, bytes);
            }
        };
    }

    /**
     * obj_cgroup_charge: charges {@code bytes} to the current cgroup, from its stock of bytes
     * already charged in whole pages when it has enough, else charging the pages it lacks (which
     * may reclaim and fail). Returns the object cgroup's id, or -1 when refused.
     */
    private int chargeObject(org.pagelab.slab.KmemCache cache, int bytes) {
        MemCgroup c = target();
        if (c.slabStock < bytes) {
            long need = (bytes - c.slabStock + PAGE - 1) / PAGE;
            if (!tryCharge(c, need, true)) {
                return -1;
            }
            c.slabPages += need;
            c.slabStock += need * PAGE;
        }
        c.slabStock -= bytes;
        if (cache.reclaimable()) {
            c.slabReclaimableBytes += bytes;
        } else {
            c.slabUnreclaimableBytes += bytes;
        }
        return c.id;
    }

    /** obj_cgroup_uncharge: the bytes go back to the stock; whole pages of stock are uncharged. */
    private void unchargeObject(int objcg, org.pagelab.slab.KmemCache cache, int bytes) {
        if (objcg == 0) {
            return; // allocated before the controller existed (boot): never charged
        }
        MemCgroup c = objcgOwner.get(objcg);
        if (c == null) {
            throw new IllegalStateException("slab object of " + cache.name() + " charged to unknown object cgroup " + objcg);
        }
        if (cache.reclaimable()) {
            c.slabReclaimableBytes -= bytes;
        } else {
            c.slabUnreclaimableBytes -= bytes;
        }
        c.slabStock += bytes;
        long pages = c.slabStock / PAGE;
        if (pages > 0) {
            c.slabStock -= pages * PAGE;
            c.slabPages -= pages;
            c.memory.uncharge(pages);
            releaseIfEmpty(c);
        }
    }

    private static final long PAGE = 4096;

    // ---- swap ----

    /**
     * mem_cgroup_try_charge_swap: charges the slot of {@code entry}, just allocated for folio
     * {@code f}, to the folio's cgroup. Returns false, counting max and fail events, when the
     * cgroup or an ancestor is at memory.swap.max; the caller then gives the slot back.
     */
    public boolean chargeSwap(Folio f, long entry, int nr) {
        MemCgroup c = lookup(f.memcgId());
        if (c == null) {
            c = root;
        }
        PageCounter failed = c.swap.tryCharge(nr);
        if (failed != null) {
            for (MemCgroup m = c; m != null; m = m.parent) {
                if (m.swap == failed) {
                    event(m, MemcgEvent.SWAP_MAX);
                    break;
                }
            }
            event(c, MemcgEvent.SWAP_FAIL);
            return false;
        }
        swapOwner.put(entry, c.id);
        return true;
    }

    /** The slot of {@code entry} became free: its swap charge goes (mem_cgroup_uncharge_swap). */
    public void unchargeSwap(long entry) {
        Integer id = swapOwner.remove(entry);
        if (id == null) {
            return;
        }
        MemCgroup c = requireId(id, "swap entry 0x" + Long.toHexString(entry));
        c.swap.uncharge(1);
        releaseIfEmpty(c);
    }

    /**
     * mem_cgroup_get_nr_swap_pages: swap slots the cgroup of {@code lruvec} may still take (the
     * smallest headroom up its path), or a large number when it has no limit.
     */
    public long swapHeadroom(LruVec lruvec) {
        MemCgroup c = lookup(lruvec.memcgId());
        if (c == null) {
            return Long.MAX_VALUE;
        }
        return c.swap.margin();
    }

    /** The cgroup id whose lruvec folio {@code f} belongs on. */
    public LruVec lruvecOf(Folio f) {
        MemCgroup c = lookup(f.memcgId());
        return (c == null ? root : c).lruvec;
    }

    /** The lruvec of cgroup {@code id}, or null when that cgroup is gone (a shadow outliving it). */
    public LruVec lruvecOfId(int id) {
        MemCgroup c = lookup(id);
        return c == null ? null : c.lruvec;
    }

    // ---- protection, for reclaim ----

    /**
     * mem_cgroup_calculate_protection: the effective memory.min and memory.low of {@code c} for a
     * reclaim aimed at {@code target}, from its settings, its parent's effective protection and
     * how much of it its siblings claim (memory_recursiveprot off, the kernel's default).
     */
    public void calculateProtection(MemCgroup target, MemCgroup c) {
        if (c == target || c.isRoot()) {
            c.memory.emin = 0;
            c.memory.elow = 0;
            return;
        }
        long usage = c.memory.usage;
        if (usage == 0) {
            return;
        }
        MemCgroup parent = c.parent;
        if (parent == target || parent.isRoot()) {
            c.memory.emin = c.memory.min;
            c.memory.elow = c.memory.low;
            return;
        }
        c.memory.emin = effective(usage, c.memory.min, parent.memory.emin, parent.memory.childrenMinUsage);
        c.memory.elow = effective(usage, c.memory.low, parent.memory.elow, parent.memory.childrenLowUsage);
    }

    private static long effective(long usage, long setting, long parentEffective, long siblingsProtected) {
        long prot = Math.min(usage, setting);
        if (siblingsProtected > parentEffective) {
            return prot * parentEffective / siblingsProtected;
        }
        return prot;
    }

    /** Whether {@code c} is within its effective memory.min (reclaim must skip it). */
    public static boolean belowMin(MemCgroup c) {
        return !c.isRoot() && c.memory.emin >= c.memory.usage;
    }

    /** Whether {@code c} is within its effective memory.low (skipped while others have memory to give). */
    public static boolean belowLow(MemCgroup c) {
        return !c.isRoot() && c.memory.elow >= c.memory.usage;
    }

    /** Effective (min, low) protection of {@code c}, in pages, as the last calculation left it. */
    public static long[] protection(MemCgroup target, MemCgroup c) {
        if (c == target) {
            return new long[] {0, 0};
        }
        return new long[] {c.memory.emin, c.memory.elow};
    }

    /** Counts {@code e} in {@code c} and (memory.events is hierarchical) its ancestors below the root. */
    public void event(MemCgroup c, MemcgEvent e) {
        c.eventsLocal[e.ordinal()]++;
        for (MemCgroup m = c; m != null && !m.isRoot(); m = m.parent) {
            m.events[e.ordinal()]++;
        }
    }

    // ---- events ----

    /** Makes vmstat events count for {@code c} until {@link #restoreAttribution}; returns the previous one. */
    public Object attributeTo(MemCgroup c) {
        MemCgroup prev = attribution;
        attribution = c;
        return prev;
    }

    /** The lruvec's cgroup, for {@link #attributeTo}. */
    public MemCgroup ofLruvec(LruVec v) {
        MemCgroup c = lookup(v.memcgId());
        return c == null ? root : c;
    }

    public void restoreAttribution(Object previous) {
        attribution = (MemCgroup) previous;
    }

    private void countEvent(VmItem item, long delta) {
        MemCgroup c = attribution != null ? attribution : target();
        c.vmEvents[item.ordinal()] += delta;
    }

    /**
     * Counts event {@code item} for the cgroup being reclaimed (or the current one) without the
     * machine-wide counter: the kernel counts pgscan and pgsteal of cgroup reclaim only in the cgroup.
     */
    public void countLocal(VmItem item, long n) {
        MemCgroup c = attribution != null ? attribution : target();
        c.vmEvents[item.ordinal()] += n;
    }

    /** The vmstat event {@code item} counted for {@code c} and its descendants. */
    public long vmEvents(MemCgroup c, VmItem item) {
        long n = 0;
        for (MemCgroup m : c.subtree()) {
            n += m.vmEvents[item.ordinal()];
        }
        return n;
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
        Map<Integer, Long> local = new HashMap<>();
        Map<Integer, Long> tables = new HashMap<>();
        var memmap = machine.phys().memmap();
        for (int pfn = 0; pfn < memmap.nrFrames(); ) {
            MemDesc d = memmap.raw(pfn);
            if (d == null) {
                pfn++;
                continue;
            }
            switch (d) {
                case Folio f -> {
                    if (f.memcgId() == 0) {
                        throw new IllegalStateException("live folio charged to no memory cgroup: " + f);
                    }
                    MemCgroup c = lookup(f.memcgId());
                    if (c == null) {
                        throw new IllegalStateException("folio charged to a released memory cgroup: " + f);
                    }
                    local.merge(c.id, (long) f.nrPages(), Long::sum);
                    if (f.test(org.pagelab.desc.FolioFlags.Flag.LRU) && !c.lruvec.contains(f)) {
                        throw new IllegalStateException("folio with LRU is not on its cgroup's lruvec (" + c.path() + "): " + f);
                    }
                }
                case PageTablePage t -> {
                    MemCgroup c = objcgOwner.get(t.memcgId());
                    if (t.memcgId() == 0 || c == null || lookup(c.id) == null) {
                        throw new IllegalStateException("page table charged to no live memory cgroup: " + t);
                    }
                    local.merge(c.id, 1L, Long::sum);
                    tables.merge(c.id, 1L, Long::sum);
                }
                default -> {
                }
            }
            pfn += d.nrPages();
        }
        Map<Integer, Long> swapLocal = new HashMap<>();
        for (Map.Entry<Long, Integer> e : swapOwner.entrySet()) {
            if (lookup(e.getValue()) == null) {
                throw new IllegalStateException("swap entry 0x" + Long.toHexString(e.getKey()) + " charged to released memcg " + e.getValue());
            }
            if (machine.swap().devices().swapCount(e.getKey()) == 0 && machine.swap().lookup(e.getKey()) == null) {
                throw new IllegalStateException("swap charge of free slot 0x" + Long.toHexString(e.getKey()));
            }
            swapLocal.merge(e.getValue(), 1L, Long::sum);
        }
        for (MemCgroup c : all()) {
            long mem = local.getOrDefault(c.id, 0L) + c.slabPages;
            long sw = swapLocal.getOrDefault(c.id, 0L);
            for (MemCgroup k : c.children) {
                mem += k.memory.usage;
                sw += k.swap.usage;
            }
            if (c.memory.usage != mem) {
                throw new IllegalStateException(c + ": memory.current " + c.memory.usage + " pages but charges add up to " + mem);
            }
            if (c.swap.usage != sw) {
                throw new IllegalStateException(c + ": memory.swap.current " + c.swap.usage + " pages but swap charges add up to " + sw);
            }
            if (c.slabPages * PAGE != c.slabReclaimableBytes + c.slabUnreclaimableBytes + c.slabStock
                    || c.slabStock < 0 || c.slabStock >= PAGE) {
                throw new IllegalStateException(c + ": " + c.slabPages + " slab pages charged but objects hold "
                        + (c.slabReclaimableBytes + c.slabUnreclaimableBytes) + " bytes with a stock of " + c.slabStock);
            }
            if (c.pagetablePages != tables.getOrDefault(c.id, 0L)) {
                throw new IllegalStateException(c + ": pagetables " + c.pagetablePages + " but " + tables.getOrDefault(c.id, 0L) + " table pages charged");
            }
            if (!c.online && c.memory.usage == 0 && c.swap.usage == 0 && c.children.isEmpty()) {
                throw new IllegalStateException(c + ": offline with nothing charged, yet not released");
            }
            if (lookup(c.id) != c) {
                throw new IllegalStateException(c + ": in the hierarchy but not by id");
            }
            long childMin = 0;
            long childLow = 0;
            for (MemCgroup k : c.children) {
                childMin += Math.min(k.memory.usage, k.memory.min);
                childLow += Math.min(k.memory.usage, k.memory.low);
            }
            if (childMin != c.memory.childrenMinUsage || childLow != c.memory.childrenLowUsage) {
                throw new IllegalStateException(c + ": children's protected usage " + c.memory.childrenMinUsage + "/"
                        + c.memory.childrenLowUsage + " but recomputed " + childMin + "/" + childLow);
            }
            c.lruvec.check();
        }
        if (liveIds != all().size()) {
            throw new IllegalStateException("memory cgroups by id " + liveIds + " but " + all().size() + " in the hierarchy");
        }
    }
}
