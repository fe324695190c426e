package org.pagelab.mglru;

import java.util.IdentityHashMap;
import java.util.Map;
import org.pagelab.desc.Folio;
import org.pagelab.desc.FolioFlags.Flag;
import org.pagelab.desc.PageTablePage;
import org.pagelab.lruvec.LruGen;
import org.pagelab.lruvec.LruVec;
import org.pagelab.pgtable.PageTable;
import org.pagelab.pgtable.Pte;
import org.pagelab.reclaim.ReclaimHost;
import org.pagelab.vma.Vma;

/**
 * The aging of the multi-generational LRU (try_to_inc_max_seq, walk_mm and inc_max_seq): walks the
 * page tables of the address spaces the lruvec's cgroup owns that ran since their last walk,
 * clears the accessed bit of each young PTE that maps a folio of the lruvec and moves that folio
 * to the youngest generation, then starts a new generation.
 * PTE tables go through the lruvec's {@link BloomFilters}: after the first walk, only tables that
 * had enough young entries last time are walked again.
 */
final class Aging {
    /** A PTE table is worth walking next time when at least one entry in this many was young (suitable_to_scan). */
    static final int YOUNG_DENSITY = 8;

    /** The walk counters of one lruvec's last walk, in the kernel's mm_stats order (LOYNFA). */
    enum MmStat {
        LEAF_TOTAL, LEAF_OLD, LEAF_YOUNG, NONLEAF_TOTAL, NONLEAF_FOUND, NONLEAF_ADDED
    }

    /** Per lruvec: its filters, the last sequence number a walk finished, and that walk's counters. */
    static final class WalkState {
        final BloomFilters filters = new BloomFilters();
        long seq = LruGen.MIN_NR_GENS;
        final long[] stats = new long[MmStat.values().length];
        /** Address spaces of the lruvec's cgroup the last walk visited and skipped. */
        long mmWalked;
        long mmSkipped;
        /** Look-arounds run, and the young PTEs they found and cleared, since the lruvec's first. */
        long lookArounds;
        long lookAroundYoung;
    }

    private final Map<LruVec, WalkState> states = new IdentityHashMap<>();
    private ReclaimHost host;

    void attach(ReclaimHost host) {
        this.host = host;
    }

    /** The counters of {@code lruvec}'s last walk; zeros before its first. */
    long[] stats(LruVec lruvec) {
        WalkState st = states.get(lruvec);
        return st == null ? new long[MmStat.values().length] : st.stats.clone();
    }

    WalkState state(LruVec lruvec) {
        return states.computeIfAbsent(lruvec, v -> new WalkState());
    }

    /**
     * try_to_inc_max_seq: walks the address spaces on {@code lruvec}'s list that
     * {@link #shouldSkipMm} keeps (file folios only unless {@code canSwap}), then creates a new
     * generation. Returns whether it did; false when a walk
     * for this sequence number already ran.
     */
    boolean tryToIncMaxSeq(LruVec lruvec, boolean canSwap, boolean forceScan) {
        LruGen g = lruvec.lrugen();
        WalkState st = state(lruvec);
        long maxSeq = g.maxSeq();
        if (maxSeq <= st.seq) {
            return false;
        }
        if (host != null) {
            java.util.Arrays.fill(st.stats, 0);
            st.filters.reset(maxSeq + 1);
            st.mmWalked = 0;
            st.mmSkipped = 0;
            for (ReclaimHost.MmTables mt : host.mmList()) {
                if (mt.owner() != lruvec) {
                    continue; // on another cgroup's mm_list
                }
                if (shouldSkipMm(mt, canSwap, forceScan)) {
                    st.mmSkipped++;
                    continue;
                }
                st.mmWalked++;
                walkMm(lruvec, g, mt, st, maxSeq, canSwap, forceScan);
            }
        }
        st.seq = maxSeq;
        g.incMaxSeq(lruvec, canSwap, now());
        return true;
    }

    /**
     * should_skip_mm: an address space on the lruvec's list is skipped unless it was used since
     * its last walk (or {@code forceScan}; the test clears the mark either way) and holds at least
     * {@value MglruPolicy#MIN_LRU_BATCH} resident pages of the types this walk may age.
     */
    private static boolean shouldSkipMm(ReclaimHost.MmTables mt, boolean canSwap, boolean forceScan) {
        if (!mt.mm().lruGenTestAndClearUsed() && !forceScan) {
            return true;
        }
        long size = mt.filePages() + (canSwap ? mt.anonPages() : 0);
        return size < MglruPolicy.MIN_LRU_BATCH;
    }

    long now() {
        return host == null ? 0 : host.sim().now();
    }

    private void walkMm(LruVec lruvec, LruGen g, ReclaimHost.MmTables mt, WalkState st, long maxSeq, boolean canSwap,
            boolean forceScan) {
        int newGen = LruGen.genFromSeq(maxSeq);
        var memmap = host.phys().memmap();
        for (Vma v : mt.mm().vmas()) {
            if (!canSwap && v.isAnonymous()) {
                continue; // should_skip_vma: anon memory cannot be evicted anyway
            }
            long pmdSpan = PageTable.entrySpan(2);
            for (long addr = v.start(); addr < v.end(); ) {
                long next = Math.min(v.end(), (addr & -pmdSpan) + pmdSpan);
                PageTablePage t = mt.pageTable().pteTable(addr);
                if (t != null) {
                    walkPteTable(lruvec, g, t, addr, next, memmap, st, maxSeq, newGen, canSwap, forceScan);
                }
                addr = next;
            }
        }
    }

    private void walkPteTable(LruVec lruvec, LruGen g, PageTablePage t, long start, long end,
            org.pagelab.desc.Memmap memmap, WalkState st, long maxSeq, int newGen, boolean canSwap, boolean forceScan) {
        st.stats[MmStat.NONLEAF_TOTAL.ordinal()]++;
        if (!forceScan && !st.filters.test(maxSeq, t.pfn())) {
            return;
        }
        st.stats[MmStat.NONLEAF_FOUND.ordinal()]++;
        int total = 0;
        int young = 0;
        for (long addr = start; addr < end; addr += PageTable.PAGE_SIZE) {
            total++;
            st.stats[MmStat.LEAF_TOTAL.ordinal()]++;
            int i = PageTable.pteIndex(addr);
            long pte = t.get(i);
            Folio f = PageTable.normalFolio(memmap, pte);
            if (f == null) {
                continue;
            }
            if (!Pte.accessed(pte)) {
                st.stats[MmStat.LEAF_OLD.ordinal()]++;
                continue;
            }
            if (host.memcg().lruvecOf(f) != lruvec || !canSwap && !LruVec.isFileLru(f)) {
                continue; // get_pfn_folio: another cgroup's folio, or one this walk may not age
            }
            t.set(i, Pte.mkOld(pte));
            young++;
            st.stats[MmStat.LEAF_YOUNG.ordinal()]++;
            updateGen(lruvec, g, f, newGen);
        }
        host.sim().cpu(org.pagelab.sim.CpuEvent.PTE_WALK, total);
        if (young * YOUNG_DENSITY >= total) {
            st.stats[MmStat.NONLEAF_ADDED.ordinal()]++;
            st.filters.add(maxSeq + 1, t.pfn());
        }
    }

    /**
     * lru_gen_look_around: the rmap walk of eviction found {@code folio} mapped young at
     * {@code addr}; the PTEs around it in the same table are likely young too (spatial locality),
     * so they are aged here at the cost of one more cache line or so instead of one rmap walk each.
     * The window is {@value MglruPolicy#MIN_LRU_BATCH} PTEs, centred on {@code addr} where the
     * table's stretch inside the VMA allows, and never outside that stretch. Each young PTE there
     * that maps a folio of the same lruvec (and of the file LRU unless {@code canSwap}) is made old
     * and its folio moves to the youngest generation (an isolated one is marked REFERENCED). When
     * at least one PTE in {@value #YOUNG_DENSITY} of the window was young, the table goes into the
     * Bloom filter the next aging reads: the eviction's feedback to the page-table walk.
     */
    void lookAround(Folio folio, Vma vma, long addr, PageTablePage t, boolean canSwap) {
        LruVec lruvec = host.memcg().lruvecOf(folio);
        LruGen g = lruvec.lrugen();
        if (g == null) {
            return;
        }
        long maxSeq = g.maxSeq();
        int newGen = LruGen.genFromSeq(maxSeq);
        long pmdSpan = PageTable.entrySpan(2);
        long start = Math.max(addr & -pmdSpan, vma.start());
        long end = Math.min(addr | (pmdSpan - 1), vma.end() - 1) + 1;
        long window = (long) MglruPolicy.MIN_LRU_BATCH * PageTable.PAGE_SIZE;
        if (end - start > window) {
            if (addr - start < window / 2) {
                end = start + window;
            } else if (end - addr < window / 2) {
                start = end - window;
            } else {
                start = addr - window / 2;
                end = addr + window / 2;
            }
        }
        var memmap = host.phys().memmap();
        int total = 0;
        int young = 0;
        for (long a = start; a != end; a += PageTable.PAGE_SIZE) {
            total++;
            int i = PageTable.pteIndex(a);
            long pte = t.get(i);
            Folio f = PageTable.normalFolio(memmap, pte);
            if (f == null || !Pte.accessed(pte)) {
                continue;
            }
            if (host.memcg().lruvecOf(f) != lruvec || !canSwap && !LruVec.isFileLru(f)) {
                continue; // get_pfn_folio: another cgroup's folio, or one this eviction may not age
            }
            t.set(i, Pte.mkOld(pte));
            young++;
            int old = LruGen.folioGen(f);
            if (old < 0 || !f.test(Flag.LRU)) {
                f.set(Flag.REFERENCED);
            } else if (old != newGen) {
                g.promote(lruvec, f, newGen);
            }
        }
        host.sim().cpu(org.pagelab.sim.CpuEvent.PTE_WALK, total);
        WalkState st = state(lruvec);
        st.lookArounds++;
        st.lookAroundYoung += young;
        if (young * YOUNG_DENSITY >= total) {
            st.filters.add(maxSeq, t.pfn());
        }
    }

    /**
     * folio_update_gen: a folio on a generation moves to {@code gen}; an isolated one (reclaim has
     * it) is marked REFERENCED for shrink_folio_list to see.
     */
    private static void updateGen(LruVec lruvec, LruGen g, Folio f, int gen) {
        int old = LruGen.folioGen(f);
        if (old < 0 || !f.test(Flag.LRU)) {
            f.set(Flag.REFERENCED);
            return;
        }
        if (old != gen) {
            g.promote(lruvec, f, gen);
        } else {
            f.clear(Flag.REFERENCED);
            f.clear(Flag.WORKINGSET);
            LruGen.setFolioRefsField(f, 0);
        }
    }
}
