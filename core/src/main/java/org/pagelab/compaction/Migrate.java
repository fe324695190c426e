package org.pagelab.compaction;

import java.util.function.Function;
import org.pagelab.desc.AnonFolio;
import org.pagelab.desc.PageCacheFolio;
import org.pagelab.desc.ShmemFolio;
import org.pagelab.desc.Folio;
import org.pagelab.desc.FolioFlags.Flag;
import org.pagelab.filemap.AddressSpace;
import org.pagelab.lruvec.LruVec;
import org.pagelab.phys.DescFactory;
import org.pagelab.phys.PageAllocator;
import org.pagelab.rmap.Rmap;
import org.pagelab.sim.CpuEvent;
import org.pagelab.sim.Sim;
import org.pagelab.stat.VmItem;
import org.pagelab.stat.VmStat;

/**
 * Page migration (mm/migrate.c): moves an isolated folio's contents and identity to a new folio
 * on other frames, redirecting its page-table entries through migration entries, its cache slots,
 * its LRU place and its memory cgroup charge. The steps and the reasons a folio is refused are in
 * the package comment.
 */
public final class Migrate {
    /** How one migration ended. */
    public enum Outcome {
        /** The folio lives on in its new frames; the old ones are free. */
        SUCCESS,
        /**
         * The folio cannot move now: a reference nothing accounts for (a pin, a get, I/O), under
         * writeback, locked, poisoned, or a mapping the reverse map cannot reach. It is left
         * isolated and unchanged.
         */
        BUSY,
        /** No target frames could be had. The folio is left isolated and unchanged. */
        NO_TARGET
    }

    /** Where a migration's new frames come from (the kernel's new_folio callback of migrate_pages). */
    @FunctionalInterface
    public interface Target {
        /** A new descriptor of {@code order} made by {@code factory} on free frames, or null when there are none. */
        <F extends Folio> F alloc(int order, DescFactory<F> factory);
    }

    private final PageAllocator phys;
    private final Rmap rmap;
    private final Function<Folio, LruVec> lruvecOf;
    private final VmStat vmstat;
    private final Sim sim;

    /**
     * Migration over the frames of {@code phys}, the reverse map {@code rmap}, and the LRU lists
     * {@code lruvecOf} gives for a folio (its memory cgroup's lruvec); each page copied costs the
     * running task a page copy on {@code sim}.
     */
    public Migrate(PageAllocator phys, Rmap rmap, Function<Folio, LruVec> lruvecOf, VmStat vmstat, Sim sim) {
        this.phys = phys;
        this.rmap = rmap;
        this.lruvecOf = lruvecOf;
        this.vmstat = vmstat;
        this.sim = sim;
    }

    /** A target that takes a free block from the allocator's free lists (alloc_migration_target). */
    public Target allocatorTarget() {
        return phys::allocMigrationTarget;
    }

    /**
     * Migrates {@code f}, which is on an LRU list, to frames from the allocator: isolates it, moves
     * it, and puts the folio that holds the contents after (the new one, or the old one on failure)
     * back on its LRU list. A folio off the LRU (isolated by someone else, or not yet added) is
     * BUSY.
     */
    public Outcome migrate(Folio f) {
        if (f.isDead() || !f.test(Flag.LRU)) {
            return count(f, Outcome.BUSY);
        }
        LruVec v = lruvecOf.apply(f);
        v.isolate(f);
        Outcome o = migrateIsolated(f, allocatorTarget());
        if (o != Outcome.SUCCESS) {
            putbackIsolated(f);
        }
        return o;
    }

    /**
     * Migrates isolated folio {@code src} (LRU clear, the caller holding its isolation reference)
     * to a new folio from {@code target} (unmap_and_move). On SUCCESS the new folio is back on the
     * LRU and {@code src} is freed; otherwise {@code src} is unchanged and still isolated, for the
     * caller to put back. Counts pgmigrate_success or pgmigrate_fail per page, and
     * thp_migration_success or thp_migration_fail for a large folio.
     */
    public Outcome migrateIsolated(Folio src, Target target) {
        if (src.isDead() || src.test(Flag.LRU)) {
            throw new IllegalStateException("migration of a folio that is not isolated: " + src);
        }
        if (!movable(src)) {
            return count(src, Outcome.BUSY);
        }
        Folio dst = switch (src) {
            case AnonFolio a -> target.alloc(a.order(), AnonFolio::new);
            case PageCacheFolio pc -> target.alloc(pc.order(), PageCacheFolio::new);
            case ShmemFolio sh -> target.alloc(sh.order(), ShmemFolio::new);
        };
        if (dst == null) {
            return count(src, Outcome.NO_TARGET);
        }
        int mapped = src.mapcount();
        if (!rmap.tryToMigrate(src)) {
            // a mapping the walk cannot find: put back what was unmapped and give the frames back
            rmap.removeMigrationPtes(src, src);
            phys.folioPut(dst);
            return count(src, Outcome.BUSY);
        }
        dst.inheritFlags(src);
        dst.setMemcgId(src.memcgId()); // mem_cgroup_migrate: the charge moves, no counter changes
        src.setMemcgId(0);
        if (src instanceof AnonFolio a) {
            ((AnonFolio) dst).takeAnonState(a);
        }
        moveMapping(src, dst);
        phys.contents().copy(src.pfn(), dst.pfn(), src.nrPages());
        sim.cpu(CpuEvent.COPY_PAGE, src.nrPages());
        int restored = rmap.removeMigrationPtes(src, dst);
        if (restored != mapped) {
            throw new IllegalStateException("migration restored " + restored + " of " + mapped + " PTEs of " + src
                    + " in " + dst);
        }
        // dst's first reference is the isolation reference taken over from src
        lruvecOf.apply(dst).putback(dst);
        src.clear(Flag.ACTIVE);
        src.clear(Flag.UNEVICTABLE);
        src.clear(Flag.SWAPCACHE);
        src.clear(Flag.DIRTY);
        phys.folioPut(src);
        return count(dst, Outcome.SUCCESS);
    }

    /**
     * Whether every reference to isolated {@code f} is accounted for by its mappings, its cache
     * and the isolation (folio_expected_refs), and nothing holds it in a state migration may not
     * break (writeback, lock, poison, a GUP pin).
     */
    static boolean movable(Folio f) {
        if (f.test(Flag.WRITEBACK) || f.test(Flag.LOCKED) || f.test(Flag.HWPOISON) || f.pincount() > 0) {
            return false;
        }
        int cacheRefs = f.mapping() == null ? 0 : f.nrPages();
        return f.refcount() == f.mapcount() + cacheRefs + 1;
    }

    /** The cache half: {@code dst} takes {@code src}'s slots in its page cache, shmem or swap cache. */
    @SuppressWarnings("unchecked")
    private static void moveMapping(Folio src, Folio dst) {
        if (src.mapping() == null) {
            return;
        }
        if (!(src.mapping() instanceof AddressSpace<?> as)) {
            throw new IllegalStateException("folio in a cache pagelab does not know: " + src);
        }
        // the cache holds folios of src's kind, and dst was made of that kind
        ((AddressSpace<Folio>) as).migrateFolio(src, dst);
    }

    /** Returns an isolated folio that did not move to its LRU list (putback_movable_pages). */
    public void putbackIsolated(Folio f) {
        if (lruvecOf.apply(f).putback(f) == LruVec.Putback.RELEASED) {
            phys.free(f);
        }
    }

    private Outcome count(Folio f, Outcome o) {
        boolean ok = o == Outcome.SUCCESS;
        vmstat.add(ok ? VmItem.PGMIGRATE_SUCCESS : VmItem.PGMIGRATE_FAIL, f.nrPages());
        if (f.nrPages() > 1) {
            vmstat.inc(ok ? VmItem.THP_MIGRATION_SUCCESS : VmItem.THP_MIGRATION_FAIL);
        }
        return o;
    }
}
