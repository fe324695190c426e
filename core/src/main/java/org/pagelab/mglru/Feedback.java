package org.pagelab.mglru;

import org.pagelab.lruvec.LruGen;

/**
 * The refault feedback loop of the eviction, a PID controller without its D term (read_ctrl_pos,
 * positive_ctrl_err, get_tier_idx, get_type_to_scan): compares the refault rate
 * {@code refaulted / total} of a tier, the process variable, with that of the first tier of a type,
 * the set point, each the moving average of past generations (the I term) plus the counts of the
 * current oldest generation (the P term). A tier that refaults more than the set point is protected
 * from eviction; between types, the one whose first tier refaults less, weighted by swappiness, is
 * evicted.
 */
final class Feedback {
    private Feedback() {
    }

    /** A control position: refaulted and total pages of a tier, and the gain it is weighed with. */
    record CtrlPos(long refaulted, long total, int gain) {
    }

    /** read_ctrl_pos: tier {@code tier} of {@code type} in {@code g}, weighed by {@code gain}. */
    static CtrlPos read(LruGen g, int type, int tier, int gain) {
        long refaulted = g.avgRefaulted(type, tier) + g.refaulted(type, tier);
        long total = g.avgTotal(type, tier) + g.evicted(type, tier);
        if (tier > 0) {
            total += g.protectedPages(type, tier);
        }
        return new CtrlPos(refaulted, total, gain);
    }

    /**
     * positive_ctrl_err: whether the process variable {@code pv} has too few refaults to judge, or
     * a refault rate no higher than the set point {@code sp}, each rate weighed by its gain (with
     * {@value MglruPolicy#MIN_LRU_BATCH} pages added to the set point's total as a margin).
     */
    static boolean positiveCtrlErr(CtrlPos sp, CtrlPos pv) {
        return pv.refaulted() < MglruPolicy.MIN_LRU_BATCH
                || pv.refaulted() * (sp.total() + MglruPolicy.MIN_LRU_BATCH) * sp.gain()
                        <= (sp.refaulted() + 1) * pv.total() * pv.gain();
    }

    /**
     * get_tier_idx: the highest tier of {@code type} to evict; the tiers above it refault more than
     * twice as often as the first tier (gain 1 against 2) and are protected.
     */
    static int tierIdx(LruGen g, int type) {
        CtrlPos sp = read(g, type, 0, 1);
        int tier = 1;
        for (; tier < LruGen.MAX_NR_TIERS; tier++) {
            if (!positiveCtrlErr(sp, read(g, type, tier, 2))) {
                break;
            }
        }
        return tier - 1;
    }

    /**
     * get_type_to_scan: file when its first tier refaults at a weighed rate no higher than anon's (or too little to judge)
     * (gains swappiness for anon, 200 - swappiness for file), else anon; {@code tierOut[0]} gets
     * the highest tier of that type to evict, judged against the other type's first tier.
     */
    static int typeToScan(LruGen g, int swappiness, int[] tierOut) {
        int[] gain = {swappiness, 200 - swappiness};
        CtrlPos anon = read(g, LruGen.ANON, 0, gain[LruGen.ANON]);
        CtrlPos file = read(g, LruGen.FILE, 0, gain[LruGen.FILE]);
        int type = positiveCtrlErr(anon, file) ? LruGen.FILE : LruGen.ANON;
        CtrlPos sp = read(g, 1 - type, 0, gain[1 - type]);
        int tier = 1;
        for (; tier < LruGen.MAX_NR_TIERS; tier++) {
            if (!positiveCtrlErr(sp, read(g, type, tier, gain[type]))) {
                break;
            }
        }
        tierOut[0] = tier - 1;
        return type;
    }
}
