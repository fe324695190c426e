package org.pagelab.mglru;

import java.util.Locale;
import org.pagelab.lruvec.LruGen;
import org.pagelab.memcg.MemCgroup;
import org.pagelab.memcg.MemoryCgroups;

/**
 * The debugfs files of the multi-generational LRU, /sys/kernel/debug/lru_gen and lru_gen_full
 * (lru_gen_seq_show in mm/vmscan.c, described in Documentation/admin-guide/mm/multigen_lru.rst):
 * for each memory cgroup on node 0, one line per live generation with its sequence number, its age
 * in milliseconds and its anon and file pages.
 * <pre>
 * memcg    ID PATH
 *  node     0
 *          SEQ     AGE_MS   ANON_PAGES  FILE_PAGES
 * </pre>
 * The brief form starts at the oldest anon generation. The full form starts
 * {@value LruGen#MAX_NR_GENS} generations back, marks with {@code x} a type's generations older
 * than its oldest, and adds under each generation one line per tier with its refault feedback
 * (for the youngest, {@code R}efaulted and {@code T}otal moving averages; for a type's oldest,
 * refaulted, evicted and protected pages of the current period, marked {@code rep}) and, under the
 * youngest, the counters of the last page-table walk ({@code L}eaf, {@code O}ld, {@code Y}oung,
 * {@code N}on-leaf, {@code F}ound in the Bloom filter, {@code A}dded to it).
 */
public final class LruGenDump {
    private static final long NANOS_PER_MS = 1_000_000L;

    private LruGenDump() {
    }

    /** The text of lru_gen ({@code full} false) or lru_gen_full ({@code full} true) at time {@code now}. */
    public static String render(MglruPolicy policy, MemoryCgroups memcg, long now, boolean full) {
        StringBuilder sb = new StringBuilder();
        for (MemCgroup c : memcg.all()) {
            sb.append(String.format(Locale.ROOT, "memcg %5d %s%n", c.id(), c.path()));
            sb.append(String.format(Locale.ROOT, " node %5d%n", 0));
            LruGen g = c.lruvec().lrugen();
            if (g == null) {
                continue; // the policy has not met this lruvec: no folio, no generation yet
            }
            long maxSeq = g.maxSeq();
            long[] minSeq = {g.minSeq(LruGen.ANON), g.minSeq(LruGen.FILE)};
            long first = !full ? minSeq[LruGen.ANON] : Math.max(0, maxSeq - LruGen.MAX_NR_GENS + 1);
            for (long seq = first; seq <= maxSeq; seq++) {
                int gen = LruGen.genFromSeq(seq);
                long ageMs = Math.max(0, now - g.timestamp(gen)) / NANOS_PER_MS;
                sb.append(String.format(Locale.ROOT, " %10d %10d", seq, ageMs));
                for (int type = 0; type < 2; type++) {
                    char mark = full && seq < minSeq[type] ? 'x' : ' ';
                    long size = seq < minSeq[type] ? 0 : Math.max(0, g.nrPages(gen, type));
                    sb.append(String.format(Locale.ROOT, " %10d%c", size, mark));
                }
                sb.append('\n');
                if (full) {
                    fullLines(sb, policy, c, g, seq, maxSeq, minSeq);
                }
            }
        }
        return sb.toString();
    }

    private static void fullLines(StringBuilder sb, MglruPolicy policy, MemCgroup c, LruGen g, long seq, long maxSeq,
            long[] minSeq) {
        for (int tier = 0; tier < LruGen.MAX_NR_TIERS; tier++) {
            sb.append(String.format(Locale.ROOT, "            %10d", tier));
            for (int type = 0; type < 2; type++) {
                String s = "   ";
                long[] n = new long[3];
                if (seq == maxSeq) {
                    s = "RT ";
                    n[0] = g.avgRefaulted(type, tier);
                    n[1] = g.avgTotal(type, tier);
                } else if (seq == minSeq[type]) {
                    s = "rep";
                    n[0] = g.refaulted(type, tier);
                    n[1] = g.evicted(type, tier);
                    n[2] = tier > 0 ? g.protectedPages(type, tier) : 0;
                }
                for (int i = 0; i < 3; i++) {
                    sb.append(String.format(Locale.ROOT, " %10d%c", n[i], s.charAt(i)));
                }
            }
            sb.append('\n');
        }
        sb.append("                      ");
        long[] stats = policy.walkStats(c.lruvec());
        String marks = "LOYNFA";
        for (int i = 0; i < stats.length; i++) {
            boolean shown = seq == maxSeq;
            sb.append(String.format(Locale.ROOT, " %10d%c", shown ? stats[i] : 0, shown ? marks.charAt(i) : ' '));
        }
        sb.append('\n');
    }
}
