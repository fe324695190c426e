package org.pagelab.memcg;

/**
 * A hierarchical page counter (mm/page_counter.c): the usage of one cgroup's memory or swap, its
 * limits, its high watermark, and the protected usage its parent sums for memory.low and
 * memory.min. A charge is made at every level up to the root and fails, with nothing changed,
 * when any level would go above its max.
 */
final class PageCounter {
    /** "max": no limit. */
    static final long MAX = Long.MAX_VALUE / 2;

    final PageCounter parent;
    long usage;
    long max = MAX;
    long high = MAX;
    long low;
    long min;
    long watermark;
    /** min(usage, low) and min(usage, min) as last propagated to the parent. */
    long lowUsage;
    long minUsage;
    long childrenLowUsage;
    long childrenMinUsage;
    /** Effective protection, recomputed by each reclaim pass (memory.elow / memory.emin). */
    long elow;
    long emin;

    PageCounter(PageCounter parent) {
        this.parent = parent;
    }

    /** Charges {@code n} at every level; returns null, or the level whose max refused it (nothing charged). */
    PageCounter tryCharge(long n) {
        for (PageCounter c = this; c != null; c = c.parent) {
            if (c.usage + n > c.max) {
                for (PageCounter u = this; u != c; u = u.parent) {
                    u.add(-n);
                }
                return c;
            }
            c.add(n);
        }
        return null;
    }

    /** Charges {@code n} at every level whatever the limits (a forced charge). */
    void charge(long n) {
        for (PageCounter c = this; c != null; c = c.parent) {
            c.add(n);
        }
    }

    void uncharge(long n) {
        for (PageCounter c = this; c != null; c = c.parent) {
            if (c.usage < n) {
                throw new IllegalStateException("page counter underflow: usage " + c.usage + ", uncharging " + n);
            }
            c.add(-n);
        }
    }

    private void add(long n) {
        usage += n;
        if (usage > watermark) {
            watermark = usage;
        }
        propagateProtected();
    }

    /** Re-sums this level's protected usage into its parent (after a charge or a limit change). */
    void propagateProtected() {
        if (parent == null) {
            return;
        }
        long p = Math.min(usage, min);
        parent.childrenMinUsage += p - minUsage;
        minUsage = p;
        p = Math.min(usage, low);
        parent.childrenLowUsage += p - lowUsage;
        lowUsage = p;
    }

    /** Pages that can still be charged before this level or an ancestor reaches its max. */
    long margin() {
        long m = Long.MAX_VALUE;
        for (PageCounter c = this; c != null; c = c.parent) {
            m = Math.min(m, Math.max(0, c.max - c.usage));
        }
        return m;
    }
}
