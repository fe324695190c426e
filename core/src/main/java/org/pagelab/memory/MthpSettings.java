package org.pagelab.memory;

import java.util.Arrays;
import java.util.Objects;
import org.pagelab.vma.Vma;
import org.pagelab.vma.VmFlags;

/**
 * The per-size transparent huge page settings and counters of Linux 6.8 and later ("mTHP"):
 * {@code /sys/kernel/mm/transparent_hugepage/hugepages-<N>kB/enabled} and its {@code stats/}
 * directory, for N = 16, 32, ..., 2048 (orders {@value #MIN_ORDER} to {@value #MAX_ORDER}).
 *
 * <p>Which orders an anonymous VMA allows (thp_vma_allowable_orders with sysfs enforced): none
 * when the VMA is file-backed, shared or marked MADV_NOHUGEPAGE; otherwise the sizes set to
 * {@code always}, plus those set to {@code madvise} when the VMA is marked MADV_HUGEPAGE, plus
 * those set to {@code inherit} when the top-level setting is {@code always}, or {@code madvise}
 * and the VMA is marked. 2048 kB starts as {@code inherit} and every smaller size as
 * {@code never}, as the kernel boots, so by default only PMD-sized folios are used.
 *
 * <p>A fault at an address may use an allowed order only when the naturally aligned range of
 * that order around the address lies inside the VMA (thp_vma_suitable_order).
 */
public final class MthpSettings {
    /** The smallest large anonymous order (16 KiB): order 1 is never used for anonymous memory. */
    public static final int MIN_ORDER = 2;
    /** The largest: a PMD-sized folio (2 MiB). */
    public static final int MAX_ORDER = HugeMemory.HPAGE_PMD_ORDER;

    private final MthpEnabled[] enabled = new MthpEnabled[MAX_ORDER + 1];
    private final long[][] stats = new long[MAX_ORDER + 1][MthpStat.values().length];
    /** Where reclaim counts thp_swpout and thp_swpout_fallback, which are the 2 MiB size's swpout files. */
    private final org.pagelab.stat.VmStat vmstat;

    MthpSettings(org.pagelab.stat.VmStat vmstat) {
        this.vmstat = vmstat;
        Arrays.fill(enabled, MIN_ORDER, MAX_ORDER, MthpEnabled.NEVER);
        enabled[MAX_ORDER] = MthpEnabled.INHERIT;
    }

    /** The size in KiB of a folio of {@code order}: 16 for order 2, 2048 for order 9. */
    public static int sizeKb(int order) {
        return 4 << order;
    }

    /**
     * The order of the size directory {@code hugepages-<kb>kB}; throws naming the size when it is
     * not one of 16, 32, 64, 128, 256, 512, 1024, 2048.
     */
    public static int orderOfKb(int kb) {
        for (int o = MIN_ORDER; o <= MAX_ORDER; o++) {
            if (sizeKb(o) == kb) {
                return o;
            }
        }
        throw new IllegalArgumentException("no transparent huge page size " + kb
                + " kB: expected 16, 32, 64, 128, 256, 512, 1024 or 2048");
    }

    /** The setting of {@code order}'s size. Requires: MIN_ORDER &lt;= order &lt;= MAX_ORDER. */
    public MthpEnabled enabled(int order) {
        return enabled[checkOrder(order)];
    }

    /** Sets {@code order}'s size to {@code e}. */
    public void setEnabled(int order, MthpEnabled e) {
        enabled[checkOrder(order)] = Objects.requireNonNull(e);
    }

    /**
     * thp_vma_allowable_orders for an anonymous fault or collapse in {@code vma} under top-level
     * setting {@code global}: a bit per allowed order.
     */
    int allowableOrders(Vma vma, TransparentHugepage global) {
        if (vma.file() != null || vma.isShared() || vma.test(VmFlags.VM_NOHUGEPAGE)) {
            return 0;
        }
        boolean madvised = vma.test(VmFlags.VM_HUGEPAGE);
        boolean inherit = global == TransparentHugepage.ALWAYS || madvised && global == TransparentHugepage.MADVISE;
        int orders = 0;
        for (int o = MIN_ORDER; o <= MAX_ORDER; o++) {
            boolean on = switch (enabled[o]) {
                case ALWAYS -> true;
                case MADVISE -> madvised;
                case INHERIT -> inherit;
                case NEVER -> false;
            };
            if (on) {
                orders |= 1 << o;
            }
        }
        return orders;
    }

    /**
     * thp_vma_suitable_orders: the orders of {@code orders} whose naturally aligned range around
     * {@code addr} lies inside {@code vma}.
     */
    static int suitableOrders(Vma vma, long addr, int orders) {
        int out = 0;
        for (int o = MIN_ORDER; o <= MAX_ORDER; o++) {
            long size = (long) org.pagelab.pgtable.PageTable.PAGE_SIZE << o;
            long start = addr & -size;
            if ((orders & 1 << o) != 0 && start >= vma.start() && start + size <= vma.end()) {
                out |= 1 << o;
            }
        }
        return out;
    }

    /**
     * count_mthp_stat: adds one to counter {@code s} of {@code order}'s size.
     */
    public void count(int order, MthpStat s) {
        stats[checkOrder(order)][s.ordinal()]++;
    }

    /**
     * The counter {@code s} of {@code order}'s size. Reclaim swaps out whole only PMD-sized folios
     * (Linux 6.1; it splits smaller ones first): the 2 MiB size's swpout and swpout_fallback are
     * thp_swpout and thp_swpout_fallback of /proc/vmstat, which reclaim counts (its package cannot
     * reach this one).
     */
    public long stat(int order, MthpStat s) {
        if (order == MAX_ORDER && s == MthpStat.SWPOUT) {
            return stats[order][s.ordinal()] + vmstat.get(org.pagelab.stat.VmItem.THP_SWPOUT);
        }
        if (order == MAX_ORDER && s == MthpStat.SWPOUT_FALLBACK) {
            return stats[order][s.ordinal()] + vmstat.get(org.pagelab.stat.VmItem.THP_SWPOUT_FALLBACK);
        }
        return stats[checkOrder(order)][s.ordinal()];
    }

    private static int checkOrder(int order) {
        if (order < MIN_ORDER || order > MAX_ORDER) {
            throw new IllegalArgumentException("no transparent huge page size of order " + order);
        }
        return order;
    }
}
