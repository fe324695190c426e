package org.pagelab.rmap;

import java.util.ArrayList;
import java.util.List;
import org.pagelab.desc.AnonFolio;
import org.pagelab.desc.FileFolio;
import org.pagelab.desc.Folio;
import org.pagelab.desc.FolioFlags.Flag;
import org.pagelab.desc.PageTablePage;
import org.pagelab.filemap.AddressSpace;
import org.pagelab.pgtable.PageTable;
import org.pagelab.pgtable.Pte;
import org.pagelab.vma.Vma;

/**
 * The actions of mm/rmap.c on the PTEs that a {@link RmapWalk} finds: folio_referenced (reclaim's
 * aging), try_to_unmap (reclaim and memory-failure), folio_mkclean (writeback), and the counts
 * the checkers and the huge-page split take from the same walk.
 *
 * <p>A candidate (VMA, address) of the walk is a place to look; each action reads the PTE there
 * in the page table of the VMA's address space and acts only when it maps the folio's page
 * ({@link #maps}). The page tables and what a removed mapping costs its process belong to the
 * memory manager: it hands them in as {@link PteOwners}, so this package knows VMAs and page
 * tables but not processes.
 */
public final class Rmap {
    /** What the walks need from whoever owns the address spaces (the memory manager). */
    public interface PteOwners {
        /** The page table of the address space that {@code vma} belongs to. */
        PageTable pageTable(Vma vma);

        /** swap_duplicate: one more reference to swap entry {@code entry}; false when its count is at its limit. */
        boolean swapDuplicate(org.pagelab.desc.SwapEntry entry);

        /**
         * One PTE of {@code vma} that mapped a page of {@code folio} was replaced: the mapping is
         * dropped from the folio and the process's counters, and its reference put
         * (page_remove_rmap, dec_mm_counter, folio_put); {@code toSwap} when the PTE now holds a
         * swap entry (inc_mm_counter(MM_SWAPENTS)). The swap cache is left alone.
         */
        void pteRemoved(Vma vma, Folio folio, boolean toSwap);

        /**
         * {@link #removeMigrationPtes} moved the mappings of {@code src} to {@code dst}, which takes
         * its place: what the owner keeps per folio beyond the PTEs (the entire mapcount of a
         * PMD-mapped folio, the deferred-split queue) moves with them.
         */
        default void folioMigrated(Folio src, Folio dst) {
        }
    }

    /**
     * What {@link #folioReferenced} found: {@code referenced} PTEs had the accessed bit (now
     * cleared), {@code mapped} PTEs map the folio, and {@code vmFlags} is the union of the flags of
     * the VMAs where it was referenced (reclaim looks for VM_EXEC).
     */
    public record Referenced(int referenced, int mapped, int vmFlags) {
    }

    /**
     * Told of each young PTE that {@link #folioReferenced} finds, before it clears that PTE's
     * accessed bit: the multi-generational LRU's look-around (lru_gen_look_around, which the
     * kernel's folio_referenced_one calls when lru_gen is enabled) ages the PTEs around it.
     */
    @FunctionalInterface
    public interface YoungPteObserver {
        /** {@code folio} is mapped young at {@code addr} of {@code vma}, through PTE table {@code table}. */
        void young(Folio folio, Vma vma, long addr, PageTablePage table);
    }

    private final RmapWalk walk;
    private final PteOwners owners;
    private YoungPteObserver lookAround;

    /** The actions over the anon_vmas and the files' reverse maps {@code files}. */
    public Rmap(FileRmap files, PteOwners owners) {
        this.walk = new RmapWalk(files);
        this.owners = owners;
    }

    /** The walk the actions use, for callers with an action of their own. */
    public RmapWalk walk() {
        return walk;
    }

    /** Whether {@code pte} maps page {@code k} of {@code folio}. */
    public static boolean maps(long pte, Folio folio, int k) {
        return Pte.isPresent(pte) && !Pte.special(pte) && Pte.pfn(pte) == folio.pfn() + k;
    }

    /** One PTE that maps page {@code k} of a folio: entry {@code i} of table {@code t} of {@code vma}. */
    @FunctionalInterface
    private interface MappingVisitor {
        /** Returns false to stop the walk. */
        boolean visit(Vma vma, PageTablePage t, int i, int k);
    }

    /** Walks the reverse map of {@code folio} and visits each PTE that really maps one of its pages. */
    private void forEachMapping(Folio folio, MappingVisitor visitor) {
        walk.walk(folio, (v, addr, k) -> {
            PageTablePage t = owners.pageTable(v).pteTable(addr);
            int i = PageTable.pteIndex(addr);
            return t == null || !maps(t.get(i), folio, k) || visitor.visit(v, t, i, k);
        });
    }

    /**
     * Installs the observer {@link #folioReferenced} tells of each young PTE (the
     * multi-generational LRU installs its look-around when it runs the machine); null for none.
     */
    public void setYoungPteObserver(YoungPteObserver observer) {
        this.lookAround = observer;
    }

    /**
     * folio_referenced: finds every PTE mapping {@code folio} through the reverse map, counts those
     * whose accessed bit is set and clears it (ptep_clear_flush_young), as reclaim does to age a
     * folio. The {@linkplain #setYoungPteObserver observer}, if any, sees each young PTE first; the
     * PTEs it clears in passing that map {@code folio} elsewhere are then not counted.
     */
    public Referenced folioReferenced(Folio folio) {
        int[] counts = new int[3];
        if (!folio.mapped()) {
            return new Referenced(0, 0, 0);
        }
        walk.walk(folio, (v, addr, k) -> {
            PageTablePage t = owners.pageTable(v).pteTable(addr);
            int i = PageTable.pteIndex(addr);
            if (t == null || !maps(t.get(i), folio, k)) {
                return true;
            }
            if (t.huge()) {
                // a PMD mapping is one entry with one accessed bit (pmdp_clear_flush_young): it
                // counts once, at its first page, young when any of its pages was touched
                if (i == 0) {
                    hugeReferenced(folio, v, addr, t, counts);
                }
                return counts[1] < folio.mapcount();
            }
            counts[1]++;
            long pte = t.get(i);
            if (Pte.accessed(pte)) {
                if (lookAround != null) {
                    lookAround.young(folio, v, addr, t);
                }
                t.set(i, Pte.mkOld(t.get(i)));
                counts[0]++;
                counts[2] |= v.flags();
            }
            return counts[1] < folio.mapcount();
        });
        return new Referenced(counts[0], counts[1], counts[2]);
    }

    /** folio_referenced_one on a huge table at {@code addr}: one reference if any entry is young; all made old. */
    private void hugeReferenced(Folio folio, Vma v, long addr, PageTablePage t, int[] counts) {
        boolean young = false;
        for (int j = 0; j < PageTablePage.ENTRIES; j++) {
            young |= Pte.accessed(t.get(j));
        }
        counts[1] += PageTablePage.ENTRIES;
        if (!young) {
            return;
        }
        if (lookAround != null) {
            lookAround.young(folio, v, addr, t);
        }
        for (int j = 0; j < PageTablePage.ENTRIES; j++) {
            t.set(j, Pte.mkOld(t.get(j)));
        }
        counts[0]++;
        counts[2] |= v.flags();
    }

    /**
     * The huge tables (PMD mappings) of {@code folio}, found through the reverse map at its
     * first page: what split_huge_page must split before the folio can be (TTU_SPLIT_HUGE_PMD).
     */
    public List<PageTablePage> hugeTables(Folio folio) {
        List<PageTablePage> out = new ArrayList<>();
        if (!folio.mapped()) {
            return out;
        }
        walk.walk(folio, (v, addr, k) -> {
            if (k == 0) {
                PageTablePage t = owners.pageTable(v).pteTable(addr);
                if (t != null && t.huge() && maps(t.get(PageTable.pteIndex(addr)), folio, 0)) {
                    out.add(t);
                }
            }
            return true;
        });
        return out;
    }

    /**
     * try_to_unmap: removes every PTE that maps {@code folio}, found through the reverse map. A
     * file folio's PTEs are cleared and their dirty bits move to the folio (the next access faults
     * it in again from the page cache); an anonymous folio's PTEs become {@code entry}'s entries,
     * which must be swap or poison entries; an exclusive anonymous folio that may be pinned for
     * DMA keeps its mappings (they are not replaced by swap entries). Returns whether the folio
     * is mapped nowhere after. Requires: no PMD maps the folio (its split, TTU_SPLIT_HUGE_PMD,
     * is the memory manager's).
     */
    public boolean tryToUnmap(Folio folio, UnmapEntry entry) {
        if (!folio.mapped()) {
            return true;
        }
        forEachMapping(folio, (v, t, i, k) -> {
            if (t.huge()) {
                // entries of a PMD mapping change only all together: the caller splits the PMD first
                throw new IllegalStateException("try_to_unmap of a PMD-mapped folio without TTU_SPLIT_HUGE_PMD: " + folio);
            }
            long pte = t.get(i);
            long replacement;
            switch (folio) {
                case AnonFolio anon -> {
                    replacement = entry.entryFor(k);
                    if (!Pte.isSwap(replacement) && !Pte.isPoison(replacement)) {
                        throw new IllegalArgumentException("an anonymous folio's PTE can only become a swap or poison entry, not "
                                + Pte.describe(replacement));
                    }
                    if (Pte.isSwap(replacement)) {
                        if (anon.pageExclusive(k) && anon.maybeDmaPinned()) {
                            // page_try_share_anon_rmap: a pinned exclusive page stays mapped, or the pin
                            // and the process would see two different pages after a swap-in
                            return false;
                        }
                        if (!owners.swapDuplicate(Pte.swapEntry(replacement))) {
                            return false; // the slot's count is at its limit: leave this mapping
                        }
                        // exclusivity does not survive in the folio once a swap entry may be copied by
                        // fork: swap-in decides it again from the slot's count
                        anon.clearPageExclusive(k);
                    }
                }
                case FileFolio file -> {
                    long e = entry.entryFor(k);
                    replacement = Pte.isPoison(e) ? e : 0; // a poisoned file page whose data is lost (TTU_HWPOISON)
                }
            }
            t.set(i, replacement);
            if (Pte.dirty(pte)) {
                if (folio.mapping() instanceof AddressSpace<?> as) {
                    as.markDirty(folio);
                } else {
                    folio.set(Flag.DIRTY); // an anon folio outside the swap cache: set_page_dirty
                }
            }
            // try_to_unmap leaves the swap cache alone: its caller (reclaim, memory failure) decides
            owners.pteRemoved(v, folio, Pte.isSwap(replacement));
            return folio.mapped();
        });
        return !folio.mapped();
    }

    /**
     * try_to_migrate: replaces every PTE that maps {@code folio}, found through the reverse map, by
     * a migration entry naming its frame and keeping its bits ({@link Pte#migration}); each drops
     * its mapping and its reference from the folio. The processes' counters stay as they are: the
     * page comes back at {@link #removeMigrationPtes}. Returns whether the folio is mapped
     * nowhere after. Requires: the caller finishes the migration before anything else runs.
     */
    public boolean tryToMigrate(Folio folio) {
        if (!folio.mapped()) {
            return true;
        }
        forEachMapping(folio, (v, t, i, k) -> {
            t.set(i, Pte.migration(t.get(i)));
            folio.mapcountAdd(-1);
            folio.refSub(1);
            return folio.mapped();
        });
        return !folio.mapped();
    }

    /**
     * remove_migration_ptes: every migration entry naming a frame of {@code src}, found through the
     * reverse map of {@code dst} (which has taken {@code src}'s place, or is {@code src} itself
     * when the migration is undone), becomes a present PTE of the matching frame of {@code dst}
     * with the bits the entry kept, taking a mapping and a reference of {@code dst}. Returns the
     * number of PTEs restored.
     */
    public int removeMigrationPtes(Folio src, Folio dst) {
        int[] restored = {0};
        walk.walk(dst, (v, addr, k) -> {
            PageTablePage t = owners.pageTable(v).pteTable(addr);
            int i = PageTable.pteIndex(addr);
            if (t == null) {
                return true;
            }
            long pte = t.get(i);
            if (Pte.isMigration(pte) && Pte.migrationPfn(pte) == src.pfn() + k) {
                t.set(i, Pte.fromMigration(pte, dst.pfn() + k));
                dst.mapcountAdd(1);
                dst.refAdd(1);
                restored[0]++;
            }
            return true;
        });
        if (src != dst) {
            owners.folioMigrated(src, dst);
        }
        return restored[0];
    }

    /**
     * folio_mkclean: write-protects and cleans every PTE that maps {@code folio}, so that a later
     * write through a shared mapping faults and dirties the folio again.
     */
    public void mkclean(Folio folio) {
        walk.walk(folio, (v, addr, k) -> {
            PageTablePage t = owners.pageTable(v).pteTable(addr);
            int i = PageTable.pteIndex(addr);
            if (t != null && maps(t.get(i), folio, k)) {
                t.set(i, Pte.mkClean(Pte.wrprotect(t.get(i))));
            }
            return true;
        });
    }

    /**
     * The VMAs in which a PTE maps a page of {@code folio}, in the walk's order, one entry per
     * such PTE (collect_procs takes the processes from them).
     */
    public List<Vma> mappingVmas(Folio folio) {
        List<Vma> out = new ArrayList<>();
        if (!folio.mapped()) {
            return out;
        }
        walk.walk(folio, (v, addr, k) -> {
            PageTablePage t = owners.pageTable(v).pteTable(addr);
            if (t != null && maps(t.get(PageTable.pteIndex(addr)), folio, k)) {
                out.add(v);
            }
            return true;
        });
        return out;
    }

    /** How many PTEs map page {@code k} of {@code f}, found through the reverse map. */
    public int pageMapcount(Folio f, int k) {
        int[] count = {0};
        if (f.mapped()) {
            walk.walk(f, (v, addr, page) -> {
                if (page == k) {
                    PageTablePage t = owners.pageTable(v).pteTable(addr);
                    if (t != null && maps(t.get(PageTable.pteIndex(addr)), f, k)) {
                        count[0]++;
                    }
                }
                return true;
            });
        }
        return count[0];
    }

    /**
     * How many PTEs map each page of {@code f}, found through the reverse map. Throws when they
     * do not add up to the folio's map count: a mapping the reverse map cannot find.
     */
    public int[] pageMapcounts(Folio f) {
        int[] counts = new int[f.nrPages()];
        int[] total = {0};
        if (f.mapped()) {
            walk.walk(f, (v, addr, k) -> {
                PageTablePage t = owners.pageTable(v).pteTable(addr);
                if (t != null && maps(t.get(PageTable.pteIndex(addr)), f, k)) {
                    counts[k]++;
                    total[0]++;
                }
                return true;
            });
        }
        if (total[0] != f.mapcount()) {
            throw new IllegalStateException("rmap finds " + total[0] + " PTEs of " + f);
        }
        return counts;
    }
}
