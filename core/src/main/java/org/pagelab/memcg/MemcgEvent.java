package org.pagelab.memcg;

/** The events of memory.events, in the kernel's order, and of memory.swap.events. */
public enum MemcgEvent {
    /** Reclaimed although under memory.low, because nothing unprotected was left. */
    LOW("low"),
    /** Over memory.high: reclaimed and throttled on the way back to user space. */
    HIGH("high"),
    /** A charge hit memory.max and had to reclaim. */
    MAX("max"),
    /** The cgroup ran out of memory and its OOM killer was invoked. */
    OOM("oom"),
    /** A process of the cgroup was killed by an OOM killer. */
    OOM_KILL("oom_kill"),
    /** The cgroup (memory.oom.group) was killed as a whole. */
    OOM_GROUP_KILL("oom_group_kill"),
    /** memory.swap.events: a swap charge hit memory.swap.high. */
    SWAP_HIGH("high"),
    /** memory.swap.events: a swap charge hit memory.swap.max. */
    SWAP_MAX("max"),
    /** memory.swap.events: a swap-out failed for want of swap in the cgroup. */
    SWAP_FAIL("fail");

    private final String fileName;

    MemcgEvent(String fileName) {
        this.fileName = fileName;
    }

    /** The name in memory.events or memory.swap.events. */
    public String fileName() {
        return fileName;
    }

    /** Whether it is printed in memory.swap.events rather than memory.events. */
    public boolean swap() {
        return ordinal() >= SWAP_HIGH.ordinal();
    }
}
