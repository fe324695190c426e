package org.pagelab.swap;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.pagelab.desc.SwapEntry;

/**
 * The table of swap areas (the kernel's swap_info[] with swap_active_head and swap_avail_head):
 * swapon and swapoff, and slot allocation across devices by priority.
 *
 * <p>Two lists order the devices by priority, highest first, devices of equal priority in the
 * order they joined: the active list holds every device accepting slots (SWP_WRITEOK); the avail
 * list holds those of them with a free slot. {@link #allocSwapEntry} takes the first device on the
 * avail list and first moves it behind its equal-priority siblings (plist_requeue), so equal
 * priorities take turns slot by slot, and a lower priority is used only when every higher one is
 * full. A device leaves the avail list when its last slot is taken and rejoins, behind its
 * equals, when one frees.
 *
 * <p>A swapon without a priority gets the next default, -2, -3, ... ({@code --least_priority}
 * from -1). Removing a default-priority device raises every default below it by one, so the
 * defaults stay -2 .. least_priority with no gaps.
 *
 * <p>Not modelled: NUMA nodes (the kernel boosts default-priority devices on their own node's avail
 * list; here devices have no node), and the per-CPU swap slots cache, through which the kernel
 * takes entries 64 at a time from one device, so its equal priorities alternate per batch, not per
 * slot.
 */
public final class SwapDevices {
    /** Most swap areas at once: as many as a swap entry's type field can name (MAX_SWAPFILES). */
    public static final int MAX_SWAPFILES = SwapEntry.MAX_TYPES;
    /** Highest priority swapon accepts (SWAP_FLAG_PRIO_MASK). */
    public static final int MAX_PRIORITY = 0x7fff;

    private final SwapDevice[] swapInfo = new SwapDevice[MAX_SWAPFILES];
    private final List<SwapDevice> active = new ArrayList<>();
    private final List<SwapDevice> avail = new ArrayList<>();
    private int leastPriority = -1;

    private boolean thpSwap = true;

    /** An empty table: no swap. */
    public SwapDevices() {
    }

    /**
     * Whether areas swapped on from now are run as by a kernel built with CONFIG_THP_SWAP:
     * clusters of {@link SwapDevice#SWAPFILE_CLUSTER} slots, and runs for large folios; without
     * it, clusters of {@link SwapDevice#SWAPFILE_CLUSTER_NO_THP_SWAP} and no runs. The build
     * option is fixed for a kernel's life; an area keeps the value it was swapped on with.
     */
    public void setThpSwap(boolean thpSwap) {
        this.thpSwap = thpSwap;
    }

    /** See {@link #setThpSwap}; true unless set otherwise. */
    public boolean thpSwap() {
        return thpSwap;
    }

    // ---- swapon / swapoff ----

    /** Activates {@code backend} as swap area {@code name} with the next default priority. */
    public SwaponResult swapon(String name, SwapBackend backend) {
        return enable(name, false, 0, backend);
    }

    /**
     * Activates {@code backend} as swap area {@code name} with {@code priority}
     * (0 .. {@link #MAX_PRIORITY}), as swapon(2) with SWAP_FLAG_PREFER.
     */
    public SwaponResult swapon(String name, int priority, SwapBackend backend) {
        if (priority < 0 || priority > MAX_PRIORITY) {
            return new SwaponResult.Failed(SwapErrno.EINVAL, "priority " + priority + " not in 0.." + MAX_PRIORITY);
        }
        return enable(name, true, priority, backend);
    }

    private SwaponResult enable(String name, boolean prioGiven, int priority, SwapBackend backend) {
        if (name == null || name.isEmpty()) {
            return new SwaponResult.Failed(SwapErrno.EINVAL, "empty swap area name");
        }
        if (backend.pages() < 2) {
            return new SwaponResult.Failed(SwapErrno.EINVAL, "empty swap area: " + backend.pages() + " pages");
        }
        if (backend.pages() > SwapDevice.MAX_PAGES) {
            return new SwaponResult.Failed(SwapErrno.EINVAL, "swap area too large: " + backend.pages() + " pages");
        }
        int type = -1;
        for (int t = MAX_SWAPFILES - 1; t >= 0; t--) {
            if (swapInfo[t] == null) {
                type = t;
            } else if (swapInfo[t].name().equals(name)) {
                return new SwaponResult.Failed(SwapErrno.EBUSY, "already a swap area: " + name);
            }
        }
        if (type < 0) {
            return new SwaponResult.Failed(SwapErrno.EPERM, "all " + MAX_SWAPFILES + " swap types in use");
        }
        SwapDevice si = new SwapDevice(this, type, name, prioGiven ? priority : --leastPriority, backend);
        swapInfo[type] = si;
        insertByPriority(active, si);
        insertByPriority(avail, si);
        return new SwaponResult.Ok(si);
    }

    /**
     * Stops allocation from device {@code type}, the first step of swapoff: the device leaves the
     * active and avail lists and the totals, and defaults below it move up. Returns the device.
     * Requires: a device of that type that is accepting slots.
     */
    public SwapDevice stopAllocating(int type) {
        SwapDevice si = requireType(type);
        if (!si.writeok()) {
            throw new IllegalStateException("swapoff already begun: " + si.describe());
        }
        if (si.priority() < 0) {
            for (int i = active.indexOf(si) + 1; i < active.size(); i++) {
                SwapDevice lower = active.get(i);
                lower.setPriority(lower.priority() + 1);
            }
            leastPriority++;
        }
        active.remove(si);
        avail.remove(si);
        si.setWriteok(false);
        return si;
    }

    /**
     * Puts device {@code type} back after a swapoff that could not finish (reinsert_swap_info); a
     * default priority becomes the new lowest default. Requires: {@link #stopAllocating} was called
     * for it.
     */
    public void resumeAllocating(int type) {
        SwapDevice si = requireType(type);
        if (si.writeok()) {
            throw new IllegalStateException("swapoff not begun: " + si.describe());
        }
        if (si.priority() < 0) {
            si.setPriority(--leastPriority);
        }
        si.setWriteok(true);
        insertByPriority(active, si);
        if (si.freePages() > 0) {
            insertByPriority(avail, si);
        }
    }

    /**
     * Removes device {@code type} and releases its backend (closing and deleting a swap file).
     * Refuses with {@link SwapErrno#EINVAL} when there is no such device and {@link SwapErrno#EBUSY}
     * while any slot is in use; the kernel would bring those pages back itself (try_to_unuse), here
     * the caller does: {@link #stopAllocating}, then for each of {@link SwapDevice#usedSlots} bring
     * the page in and drop the references, then swapoff. Returns empty on success.
     */
    public Optional<SwapErrno> swapoff(int type) {
        if (type < 0 || type >= MAX_SWAPFILES || swapInfo[type] == null) {
            return Optional.of(SwapErrno.EINVAL);
        }
        SwapDevice si = swapInfo[type];
        if (si.inusePages() != 0) {
            return Optional.of(SwapErrno.EBUSY);
        }
        if (si.writeok()) {
            stopAllocating(type);
        }
        swapInfo[type] = null;
        si.backend().release();
        return Optional.empty();
    }

    // ---- allocation ----

    /**
     * Allocates a slot for the swap cache on the best device (get_swap_pages for one page) and
     * returns its swap entry, or null when every device is full or there is none.
     */
    public SwapEntry allocSwapEntry() {
        if (avail.isEmpty()) {
            return null;
        }
        SwapDevice si = avail.getFirst();
        requeue(si);
        long offset = si.allocSlot();
        if (offset == SwapDevice.NO_SLOT) {
            throw new IllegalStateException("device on the avail list has no free slot: " + si.describe());
        }
        return new SwapEntry(si.type(), offset);
    }

    /**
     * Allocates {@code nr} contiguous slots, aligned to {@code nr}, for a large folio
     * (get_swap_pages with an entry size above one) and returns the entry of the first, or null.
     * As the kernel does for a cluster-sized request, only the first device on the avail list is
     * tried (after it moves behind its equals); when it has no free run the request fails and the
     * caller splits the folio. The kernel gives clusters only to block-device swap areas
     * (SWP_BLKDEV); every area here counts as one. Requires: {@code nr} a power of two,
     * {@code 2 <= nr <= SWAPFILE_CLUSTER}.
     */
    public SwapEntry allocSwapRun(int nr) {
        if (avail.isEmpty() || freePages() < nr) {
            return null;
        }
        SwapDevice si = avail.getFirst();
        requeue(si);
        long offset = si.allocRun(nr);
        return offset == SwapDevice.NO_SLOT ? null : new SwapEntry(si.type(), offset);
    }

    /** Adds a reference to the slot of swap entry {@code entry} (swap_duplicate). */
    public SwapResult duplicate(SwapEntry entry) {
        return device(entry).duplicate(entry.offset());
    }

    /** Gives the fresh slot of {@code entry} its one reference as a shmem file's (swap_shmem_alloc). */
    public void shmemAlloc(SwapEntry entry) {
        device(entry).shmemAlloc(entry.offset());
    }

    /** Whether the slot of {@code entry} is referred to by a shmem file rather than page tables. */
    public boolean isShmem(SwapEntry entry) {
        return device(entry).isShmem(entry.offset());
    }

    /** Takes the swap-cache bit of the slot of {@code entry} (swapcache_prepare). */
    public SwapResult cachePrepare(SwapEntry entry) {
        return device(entry).cachePrepare(entry.offset());
    }

    /** Drops a reference to the slot of {@code entry} (swap_free); returns whether it became free. */
    public boolean free(SwapEntry entry) {
        boolean freed = device(entry).free(entry.offset());
        if (freed) {
            charge.uncharge(entry);
        }
        return freed;
    }

    private SwapCharge charge = SwapCharge.NONE;

    /** Installs the cgroup swap accounting that learns of every slot becoming free. */
    public void setCharge(SwapCharge c) {
        this.charge = c;
    }

    SwapCharge charge() {
        return charge;
    }

    /** Drops the swap-cache bit of the slot of {@code entry} (put_swap_folio); returns whether it became free. */
    public boolean cacheClear(SwapEntry entry) {
        boolean freed = device(entry).cacheClear(entry.offset());
        if (freed) {
            charge.uncharge(entry);
        }
        return freed;
    }

    /** References to the slot of {@code entry}, cache bit excluded (swp_swapcount). */
    public int swapCount(SwapEntry entry) {
        return device(entry).swapCount(entry.offset());
    }

    // ---- lookup and totals ----

    /** The device of type {@code type}, if one is swapped on. */
    public Optional<SwapDevice> lookup(int type) {
        return type < 0 || type >= MAX_SWAPFILES ? Optional.empty() : Optional.ofNullable(swapInfo[type]);
    }

    /**
     * The device swap entry {@code entry} points into (swp_swap_info). Throws
     * {@link IllegalArgumentException} when {@code entry} names no device.
     */
    public SwapDevice device(SwapEntry entry) {
        SwapDevice si = swapInfo[entry.type()];
        if (si == null) {
            throw new IllegalArgumentException("no swap device of type " + entry.type() + " for entry " + entry);
        }
        return si;
    }

    /** All devices swapped on, by type, including those whose swapoff has begun (as /proc/swaps lists them). */
    public List<SwapDevice> devices() {
        List<SwapDevice> all = new ArrayList<>();
        for (SwapDevice si : swapInfo) {
            if (si != null) {
                all.add(si);
            }
        }
        return Collections.unmodifiableList(all);
    }

    /**
     * Rotational devices swapped on, those whose swapoff has begun included (nr_rotate_swap,
     * which swapoff lowers only once the device is gone).
     */
    public int rotationalDevices() {
        int n = 0;
        for (SwapDevice si : swapInfo) {
            if (si != null && si.rotational()) {
                n++;
            }
        }
        return n;
    }

    /** Devices accepting slots, highest priority first (swap_active_head). */
    public List<SwapDevice> activeDevices() {
        return Collections.unmodifiableList(active);
    }

    /** Usable pages of the devices accepting slots (total_swap_pages; SwapTotal in pages). */
    public long totalPages() {
        long total = 0;
        for (SwapDevice si : active) {
            total += si.pages();
        }
        return total;
    }

    /** Free pages of the devices accepting slots (nr_swap_pages; SwapFree in pages). */
    public long freePages() {
        long free = 0;
        for (SwapDevice si : active) {
            free += si.freePages();
        }
        return free;
    }

    /** Slots in use over all devices, those whose swapoff has begun included. */
    public long inusePages() {
        long inuse = 0;
        for (SwapDevice si : swapInfo) {
            if (si != null) {
                inuse += si.inusePages();
            }
        }
        return inuse;
    }

    // ---- list maintenance, called by devices ----

    void availDel(SwapDevice si) {
        avail.remove(si);
    }

    void availAdd(SwapDevice si) {
        if (!avail.contains(si)) {
            insertByPriority(avail, si);
        }
    }

    private void requeue(SwapDevice si) {
        avail.remove(si);
        insertByPriority(avail, si);
    }

    /** Inserts behind every device of the same or higher priority (plist_add). */
    private static void insertByPriority(List<SwapDevice> list, SwapDevice si) {
        int i = 0;
        while (i < list.size() && list.get(i).priority() >= si.priority()) {
            i++;
        }
        list.add(i, si);
    }

    private SwapDevice requireType(int type) {
        return lookup(type).orElseThrow(() -> new IllegalArgumentException("no swap device of type " + type));
    }

    // ---- checks ----

    /**
     * Checks every device and the lists, throwing {@link IllegalStateException} with a dump:
     * <pre>
     *   swapInfo[t].type == t; names distinct
     *   active == devices with writeok, priorities non-increasing
     *   avail  == active devices with freePages &gt; 0, in active order up to rotation among equals
     *   default (negative) priorities of active devices == {-2, ..., least_priority}, each once
     * </pre>
     */
    public void check() {
        List<SwapDevice> writeok = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int t = 0; t < MAX_SWAPFILES; t++) {
            SwapDevice si = swapInfo[t];
            if (si == null) {
                continue;
            }
            si.check();
            if (si.type() != t) {
                throw broken("device in slot " + t + " has type " + si.type());
            }
            if (names.contains(si.name())) {
                throw broken("two devices named " + si.name());
            }
            names.add(si.name());
            if (si.writeok()) {
                writeok.add(si);
            }
        }
        if (active.size() != writeok.size() || !active.containsAll(writeok)) {
            throw broken("active list is not the set of writeok devices");
        }
        checkOrder(active, "active");
        checkOrder(avail, "avail");
        for (SwapDevice si : active) {
            if ((si.freePages() > 0) != avail.contains(si)) {
                throw broken("avail list membership wrong for " + si.describe());
            }
        }
        if (avail.size() != avail.stream().distinct().count() || !active.containsAll(avail)) {
            throw broken("avail list holds duplicates or inactive devices");
        }
        int defaults = 0;
        boolean[] seen = new boolean[MAX_SWAPFILES + 2];
        for (SwapDevice si : active) {
            if (si.priority() < 0) {
                int k = -si.priority();
                if (k < 2 || k > -leastPriority || k >= seen.length || seen[k]) {
                    throw broken("default priority " + si.priority() + " outside -2.." + leastPriority + " or repeated");
                }
                seen[k] = true;
                defaults++;
            }
        }
        if (defaults != -1 - leastPriority) {
            throw broken(defaults + " default priorities but least_priority " + leastPriority);
        }
    }

    private void checkOrder(List<SwapDevice> list, String which) {
        for (int i = 1; i < list.size(); i++) {
            if (list.get(i - 1).priority() < list.get(i).priority()) {
                throw broken(which + " list out of priority order at " + i);
            }
        }
    }

    private IllegalStateException broken(String what) {
        StringBuilder dump = new StringBuilder(what).append("; least_priority ").append(leastPriority);
        for (SwapDevice si : swapInfo) {
            if (si != null) {
                dump.append("\n  ").append(si.describe()).append(avail.contains(si) ? " avail" : "");
            }
        }
        return new IllegalStateException(dump.toString());
    }
}
