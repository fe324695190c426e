package org.pagelab.memcg;

/**
 * The protection maths of memory.min and memory.low (mem_cgroup_calculate_protection,
 * effective_protection, with memory_recursiveprot off, the kernel's default): each cgroup's
 * effective protection for one reclaim, from its setting, its parent's effective protection and
 * its siblings' claims.
 */
final class MemcgProtection {
    private MemcgProtection() {
    }

    /** See {@link MemoryCgroups#calculateProtection}. */
    static void calculate(MemCgroup target, MemCgroup c) {
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
    static boolean belowMin(MemCgroup c) {
        return !c.isRoot() && c.memory.emin >= c.memory.usage;
    }

    /** Whether {@code c} is within its effective memory.low (skipped while others have memory to give). */
    static boolean belowLow(MemCgroup c) {
        return !c.isRoot() && c.memory.elow >= c.memory.usage;
    }

    /** Effective (min, low) protection of {@code c}, in pages, as the last calculation left it. */
    static long[] protection(MemCgroup target, MemCgroup c) {
        if (c == target) {
            return new long[] {0, 0};
        }
        return new long[] {c.memory.emin, c.memory.elow};
    }
}
