package org.pagelab.memcg;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.pagelab.lruvec.LruVec;
import org.pagelab.stat.VmItem;

/**
 * One memory cgroup (struct mem_cgroup): its place in the hierarchy, its memory and swap page
 * counters with the limits of the memory.* files, its lruvec on the node, its kernel-memory
 * charges and its event counts. Pages are counted by the controller ({@link MemoryCgroups});
 * this class only holds the state.
 */
public final class MemCgroup {
    final int id;
    private final String name;
    final MemCgroup parent;
    final List<MemCgroup> children = new ArrayList<>();
    boolean online = true;
    final PageCounter memory;
    final PageCounter swap;
    final LruVec lruvec;
    /** Pages of page tables charged here (the pagetables line; part of kernel). */
    long pagetablePages;
    /** Bytes of slab objects charged here, reclaimable and not. */
    long slabReclaimableBytes;
    long slabUnreclaimableBytes;
    /** Pages charged for slab objects: their bytes plus {@link #slabStock}, in whole pages. */
    long slabPages;
    /** Bytes charged in whole pages but not used by an object yet (obj_cgroup's nr_charged_bytes). */
    long slabStock;
    boolean oomGroup;
    /** Events, hierarchical (memory.events) and local (memory.events.local). */
    final long[] events = new long[MemcgEvent.values().length];
    final long[] eventsLocal = new long[MemcgEvent.values().length];
    /** vmstat events of this cgroup's own tasks and lruvec, not its descendants'. */
    final long[] vmEvents = new long[VmItem.values().length];

    MemCgroup(int id, String name, MemCgroup parent) {
        this.id = id;
        this.name = name;
        this.parent = parent;
        this.memory = new PageCounter(parent == null ? null : parent.memory);
        this.swap = new PageCounter(parent == null ? null : parent.swap);
        this.lruvec = new LruVec("memcg" + id + ":node0", id, parent == null ? null : parent.lruvec);
        if (parent != null) {
            parent.children.add(this);
        }
    }

    /** The kernel's mem_cgroup id: what shadow entries and swap records name the cgroup by. */
    public int id() {
        return id;
    }

    /** The cgroup's path below the hierarchy's root: "/" for the root, "/a/b" otherwise. */
    public String path() {
        if (parent == null) {
            return "/";
        }
        return (parent.parent == null ? "" : parent.path()) + "/" + name;
    }

    public MemCgroup parent() {
        return parent;
    }

    /** Children, online and offline. */
    public List<MemCgroup> children() {
        return Collections.unmodifiableList(children);
    }

    /** False once removed (rmdir) while pages were still charged to it: a zombie until they go. */
    public boolean online() {
        return online;
    }

    public boolean isRoot() {
        return parent == null;
    }

    /** The cgroup's lruvec on the machine's node. */
    public LruVec lruvec() {
        return lruvec;
    }

    /** memory.current in pages. */
    public long usagePages() {
        return memory.usage;
    }

    /** memory.peak in pages. */
    public long peakPages() {
        return memory.watermark;
    }

    /** memory.swap.current in pages. */
    public long swapPages() {
        return swap.usage;
    }

    public long maxPages() {
        return memory.max;
    }

    public long highPages() {
        return memory.high;
    }

    public long lowPages() {
        return memory.low;
    }

    public long minPages() {
        return memory.min;
    }

    public long swapMaxPages() {
        return swap.max;
    }

    public boolean oomGroup() {
        return oomGroup;
    }

    /** The count of {@code e} in this cgroup and its descendants (memory.events). */
    public long events(MemcgEvent e) {
        return events[e.ordinal()];
    }

    /** Whether {@code this} is {@code other} or one of its descendants. */
    public boolean isDescendantOf(MemCgroup other) {
        for (MemCgroup c = this; c != null; c = c.parent) {
            if (c == other) {
                return true;
            }
        }
        return false;
    }

    /** This cgroup and every descendant, parents before children (mem_cgroup_iter's order). */
    public List<MemCgroup> subtree() {
        List<MemCgroup> out = new ArrayList<>();
        collect(this, out);
        return out;
    }

    private static void collect(MemCgroup c, List<MemCgroup> out) {
        out.add(c);
        for (MemCgroup k : c.children) {
            collect(k, out);
        }
    }

    @Override
    public String toString() {
        return "memcg " + id + " " + path() + (online ? "" : " (offline)");
    }
}
