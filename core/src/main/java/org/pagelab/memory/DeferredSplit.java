package org.pagelab.memory;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.IntPredicate;
import org.pagelab.desc.AnonFolio;
import org.pagelab.desc.FolioFlags.Flag;
import org.pagelab.reclaim.Shrinker;
import org.pagelab.rmap.Rmap;
import org.pagelab.stat.VmItem;
import org.pagelab.stat.VmStat;

/**
 * The deferred-split queue (mm/huge_memory.c: deferred_split_huge_page, deferred_split_count,
 * deferred_split_scan): large anonymous folios that an unmap left partly mapped. Their unmapped
 * pages stay allocated and charged until the folio is split: by this queue's shrinker under memory
 * pressure, global or in the folio's memory cgroup (or drop_caches), or when reclaim takes the folio (it splits large folios before swap).
 * A split frees every page nothing maps or holds.
 *
 * <p>A folio is queued once (thp_deferred_split_page counts the first time) when, after one of
 * its mappings went, it is still mapped but some page of it is mapped nowhere: the kernel 6.1
 * decides this per page (page_remove_rmap queues when a page's own map count drops to zero while
 * the folio stays mapped, page_remove_anon_compound_rmap when the last PMD goes and some pages are
 * not PTE-mapped). pagelab keeps one map count per folio, so it decides from the folio when it can
 * (a PMD mapping left means every page is mapped; fewer mappings than pages means some page is
 * not) and otherwise counts per page through the reverse map. 6.1 also queued a PTE-mapped folio on
 * its way to being wholly unmapped; later kernels (6.8 on) queue only a folio left partly mapped,
 * which is what pagelab does.
 *
 * <p>Invariant (checked by {@link #check}): every queued folio is a live large anonymous folio,
 * mapped, with some page mapped nowhere. A folio leaves the queue when it is split, when its last
 * mapping goes, or, migrated, when its new folio takes its place.
 */
final class DeferredSplit implements Shrinker {
    private final VmStat vmstat;
    private final Rmap rmap;
    private final HugeMemory huge;
    /** The queued folios, oldest first, as deferred_split_scan walks its list. */
    private final LinkedHashSet<Key> queue = new LinkedHashSet<>();

    /** A queued folio, by identity. */
    private record Key(AnonFolio f) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.f == f;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(f);
        }
    }

    DeferredSplit(VmStat vmstat, Rmap rmap, HugeMemory huge) {
        this.vmstat = vmstat;
        this.rmap = rmap;
        this.huge = huge;
    }

    /** Number of queued folios (split_queue_len). */
    int size() {
        return queue.size();
    }

    /** Whether {@code f} is queued. */
    boolean queued(AnonFolio f) {
        return queue.contains(new Key(f));
    }

    /**
     * After a mapping of large folio {@code f} went: queues it when it is now partly mapped
     * (deferred_split_huge_page), or dequeues it when nothing maps it any more.
     */
    void mappingRemoved(AnonFolio f) {
        if (f.nrPages() == 1 || f.isDead()) {
            return;
        }
        if (!f.mapped()) {
            remove(f);
            return;
        }
        if (queued(f) || f.test(Flag.SWAPCACHE) || !partlyMapped(f)) {
            return;
        }
        queue.add(new Key(f));
        vmstat.inc(VmItem.THP_DEFERRED_SPLIT_PAGE);
    }

    /**
     * After one mapping of page {@code k} of large folio {@code f} went (a COW copy took its
     * place): queues the folio when that page is now mapped nowhere. A folio left partly mapped
     * before is queued already, so only this page needs a look.
     */
    void pageUnmapped(AnonFolio f, int k) {
        if (f.nrPages() == 1 || f.isDead() || !f.mapped() || queued(f) || f.entireMapcount() > 0
                || f.test(Flag.SWAPCACHE)) {
            return;
        }
        if (f.mapcount() < f.nrPages() || rmap.pageMapcount(f, k) == 0) {
            queue.add(new Key(f));
            vmstat.inc(VmItem.THP_DEFERRED_SPLIT_PAGE);
        }
    }

    /** Whether mapped large folio {@code f} has a page that no PTE maps. */
    private boolean partlyMapped(AnonFolio f) {
        if (f.entireMapcount() > 0) {
            return false;
        }
        if (f.mapcount() < f.nrPages()) {
            return true;
        }
        for (int c : rmap.pageMapcounts(f)) {
            if (c == 0) {
                return true;
            }
        }
        return false;
    }

    /** Takes {@code f} off the queue (it is split, freed or wholly unmapped); nothing if it is not queued. */
    void remove(AnonFolio f) {
        queue.remove(new Key(f));
    }

    /** A migration replaced queued folio {@code src} by {@code dst}: the new folio takes its place. */
    void replace(AnonFolio src, AnonFolio dst) {
        if (queue.remove(new Key(src))) {
            queue.add(new Key(dst));
        }
    }

    @Override
    public String name() {
        return "thp-deferred_split";
    }

    /** The queue is kept per memory cgroup in the kernel (memcg->deferred_split_queue). */
    @Override
    public boolean memcgAware() {
        return true;
    }

    /** deferred_split_count: queued folios charged to a cgroup {@code inMemcg} accepts. */
    @Override
    public long countObjects(IntPredicate inMemcg) {
        long n = 0;
        for (Key k : queue) {
            if (inMemcg.test(k.f().memcgId())) {
                n++;
            }
        }
        return n;
    }

    /**
     * deferred_split_scan: splits up to {@code nrToScan} queued folios, oldest first; the split
     * frees their unmapped pages and takes them off the queue. One that cannot be split now (a
     * GUP reference holds it, or reclaim has it isolated) goes to the tail. Returns folios split.
     */
    @Override
    public long scanObjects(long nrToScan, IntPredicate inMemcg) {
        List<AnonFolio> batch = new ArrayList<>();
        for (Key k : queue) {
            if (batch.size() >= nrToScan) {
                break;
            }
            if (inMemcg.test(k.f().memcgId())) {
                batch.add(k.f());
            }
        }
        long split = 0;
        for (AnonFolio f : batch) {
            if (!queued(f)) {
                continue; // an earlier split in this batch freed or split it
            }
            if (f.test(Flag.LRU) && huge.split(f, 0, 0) != null) {
                split++;
            } else {
                queue.remove(new Key(f));
                queue.add(new Key(f));
            }
        }
        return split;
    }

    /** Checks the invariant of the class comment; throws naming the first folio that breaks it. */
    void check() {
        for (Key k : queue) {
            AnonFolio f = k.f();
            if (f.isDead() || f.nrPages() == 1 || !f.mapped() || !partlyMapped(f)) {
                throw new IllegalStateException("deferred split queue holds a folio that is not a live, partly mapped"
                        + " large folio: " + f);
            }
        }
    }
}
