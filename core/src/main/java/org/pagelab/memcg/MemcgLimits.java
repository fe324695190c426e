package org.pagelab.memcg;

import org.pagelab.memcg.MemoryCgroups.Knob;

/**
 * The write side of the memory.* files that take a value (memory_max_write, memory_high_write,
 * memory_low_write, memory_min_write, swap_max_write, memory_oom_group_write): a limit lowered
 * below the usage reclaims down to it, and memory.max runs the cgroup's OOM killer when reclaim
 * cannot.
 */
final class MemcgLimits {
    private final MemcgReclaim reclaim;
    private final MemcgOom oom;
    private final MemcgEvents events;

    MemcgLimits(MemcgReclaim reclaim, MemcgOom oom, MemcgEvents events) {
        this.reclaim = reclaim;
        this.oom = oom;
        this.events = events;
    }

    /** See {@link MemoryCgroups#set}. */
    void write(MemCgroup c, Knob knob, long value) {
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
                int retries = MemoryCgroups.MAX_RECLAIM_RETRIES;
                while (c.memory.usage > v) {
                    if (retries > 0) {
                        long got = reclaim.reclaim(c, c.memory.usage - v);
                        if (got == 0) {
                            retries--;
                        }
                        continue;
                    }
                    events.event(c, MemcgEvent.OOM);
                    if (!oom.outOfMemory(c)) {
                        break;
                    }
                }
            }
            case HIGH -> {
                c.memory.high = v;
                int retries = MemoryCgroups.MAX_RECLAIM_RETRIES;
                while (c.memory.usage > v) {
                    if (reclaim.reclaim(c, c.memory.usage - v) == 0 && retries-- <= 0) {
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
}
