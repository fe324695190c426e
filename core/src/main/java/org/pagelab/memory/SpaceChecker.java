package org.pagelab.memory;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.pagelab.desc.AnonFolio;
import org.pagelab.desc.FileFolio;
import org.pagelab.desc.Folio;
import org.pagelab.desc.MemDesc;
import org.pagelab.desc.PageCacheFolio;
import org.pagelab.desc.PageTablePage;
import org.pagelab.desc.ShmemFolio;
import org.pagelab.desc.SwapEntry;
import org.pagelab.pgtable.PageTable;
import org.pagelab.phys.MemSize;
import org.pagelab.pgtable.Pte;
import org.pagelab.stat.VmItem;
import org.pagelab.vma.Mm;
import org.pagelab.vma.Vma;

/**
 * The memory manager's checker: recounts mappings from every page table and checks them against
 * the folios (mapcounts), the reverse maps, the anon_vma objects, the swap slots and the
 * processes' counters; the invariants are listed in {@link MemoryManager}'s class comment.
 */
final class SpaceChecker {
    private final MemoryManager mm;

    SpaceChecker(MemoryManager mm) {
        this.mm = mm;
    }

    /** Each swap slot's count equals the PTEs and shmem slots that hold its entry (swap_map against its users). */
    private void checkSwapCounts(Map<SwapEntry, Integer> swapRefs) {
        Map<SwapEntry, Integer> left = new java.util.HashMap<>(swapRefs);
        for (var d : mm.machine.swap().devices().devices()) {
            for (var it = d.usedSlots(); it.hasNext(); ) {
                long off = it.nextLong();
                Integer refs = left.remove(new SwapEntry(d.type(), off));
                int want = refs == null ? 0 : refs;
                if (d.swapCount(off) != want) {
                    throw new IllegalStateException(d.name() + ": slot " + off + " count " + d.swapCount(off) + " but "
                            + want + " PTEs hold it");
                }
                if (want == 0 && !d.hasCache(off)) {
                    throw new IllegalStateException(d.name() + ": slot " + off + " in use by nothing (leaked)");
                }
            }
        }
        if (!left.isEmpty()) {
            throw new IllegalStateException("PTEs hold swap entries of free slots: " + left.keySet());
        }
    }

    /**
     * The reverse map must lead to every PTE: the VMA at {@code addr} is chained to the anon
     * folio's anon_vma (or, for a file folio, maps its file), and maps the folio's page
     * {@code k} exactly at {@code addr}.
     */
    private void checkRmapFinds(Process p, long addr, Folio f, int k) {
        Vma v = p.mm().find(addr);
        long expected;
        switch (f) {
            case AnonFolio a -> {
                boolean chained = false;
                for (var c : v.anonVmaChain()) {
                    chained |= c.anonVma() == a.anonMapping();
                }
                if (!chained) {
                    throw new IllegalStateException(p + ": anon folio mapped at 0x" + Long.toHexString(addr)
                            + " but its anon_vma is not on the VMA's chain: " + a + " in " + v);
                }
                expected = v.addressOf(a.linearIndex() + k);
            }
            case FileFolio ff -> {
                if (!(ff.mapping() instanceof org.pagelab.filemap.FileCache<?> fc) || fc.host() != v.file()) {
                    throw new IllegalStateException(p + ": file folio mapped at 0x" + Long.toHexString(addr)
                            + " by a VMA of another file: " + ff + " in " + v);
                }
                expected = v.addressOf(ff.index() + k);
            }
        }
        if (expected != addr) {
            throw new IllegalStateException(p + ": rmap would look for page " + k + " of " + f + " at 0x"
                    + Long.toHexString(expected) + " but it is mapped at 0x" + Long.toHexString(addr));
        }
    }

    /**
     * Every anon_vma_chain object belongs to a VMA's chain, and every anon_vma object is reachable
     * from a chain or as the parent of one that is.
     */
    private void checkAnonVmaObjects(List<Mm> live) {
        long links = 0;
        Map<org.pagelab.vma.AnonVma, Boolean> seen = new IdentityHashMap<>();
        List<org.pagelab.vma.AnonVma> todo = new ArrayList<>();
        for (Mm space : live) {
            for (Vma v : space.vmas()) {
                links += v.anonVmaChain().size();
                for (var c : v.anonVmaChain()) {
                    todo.add(c.anonVma());
                }
            }
        }
        while (!todo.isEmpty()) {
            var a = todo.removeLast();
            if (seen.put(a, Boolean.TRUE) == null && a.parent() != null) {
                todo.add(a.parent());
            }
        }
        if (mm.machine.anonVmaChainCache().objectsInUse() != links) {
            throw new IllegalStateException("anon_vma_chain holds " + mm.machine.anonVmaChainCache().objectsInUse()
                    + " objects but VMA chains have " + links + " links");
        }
        if (mm.machine.anonVmaCache().objectsInUse() != seen.size()) {
            throw new IllegalStateException("anon_vma holds " + mm.machine.anonVmaCache().objectsInUse()
                    + " objects but " + seen.size() + " anon_vmas are reachable");
        }
    }

    /**
     * A huge table of {@code p} at {@code haddr}: uniform (see {@link HugePmd}); an anonymous
     * folio's (or the huge zero page's) inside one private anonymous VMA, with one exclusive mark
     * for all its pages (the kernel keeps a PMD-mapped folio's on its head page alone); a
     * page-cache folio's inside one VMA of its file, at the offset the folio holds there. Counts it
     * per folio, or as a mapping of the huge zero page.
     */
    private void checkHugeTable(Process p, long haddr, PageTablePage t, Map<Folio, Integer> pmdMaps, long[] zeroPmds) {
        mm.pmd.checkUniform(t, haddr);
        Vma v = p.mm().find(haddr);
        Folio folio = Pte.special(t.get(0)) ? null : PageTable.normalFolio(mm.phys.memmap(), t.get(0));
        if (folio instanceof PageCacheFolio pc) {
            if (v == null || v.end() < haddr + HugeMemory.HPAGE_PMD_SIZE || v.file() == null
                    || pc.mapping() != v.file().mapping() || v.pgoffOf(haddr) != pc.index()) {
                throw new IllegalStateException(p + ": huge table at 0x" + Long.toHexString(haddr)
                        + " maps " + pc + " outside one VMA of its file at its offset: " + v);
            }
            pmdMaps.merge(pc, 1, Integer::sum);
            return;
        }
        if (v == null || v.end() < haddr + HugeMemory.HPAGE_PMD_SIZE || v.file() != null || v.isShared()) {
            throw new IllegalStateException(p + ": huge table at 0x" + Long.toHexString(haddr)
                    + " is not inside one private anonymous VMA: " + v);
        }
        if (folio == null) {
            zeroPmds[0]++;
            return;
        }
        AnonFolio f = (AnonFolio) folio;
        for (int k = 1; k < f.nrPages(); k++) {
            if (f.pageExclusive(k) != f.pageExclusive(0)) {
                throw new IllegalStateException(p + ": PMD-mapped folio with pages both exclusive and shared: " + f);
            }
        }
        pmdMaps.merge(f, 1, Integer::sum);
    }

    /**
     * Every folio's entire mapcount, anonymous or page cache, equals the huge tables that map it,
     * and the huge zero page's PMD count the huge tables that map it.
     */
    private void checkEntireMapcounts(Map<Folio, Integer> pmdMaps, long zeroPmds) {
        for (int pfn = 0; pfn < mm.phys.memmap().nrFrames(); ) {
            MemDesc d = mm.phys.memmap().raw(pfn);
            if (d instanceof Folio a && a.entireMapcount() != pmdMaps.getOrDefault(a, 0)) {
                throw new IllegalStateException("entire mapcount " + a.entireMapcount() + " but "
                        + pmdMaps.getOrDefault(a, 0) + " huge tables map " + a);
            }
            pfn = d.endPfn();
        }
        if (mm.pmd.zeroPage().pmdMaps() != zeroPmds) {
            throw new IllegalStateException("the huge zero page counts " + mm.pmd.zeroPage().pmdMaps()
                    + " PMD mappings but " + zeroPmds + " huge tables map it");
        }
    }

    /**
     * Recounts mappings from every page table: each folio's mapcount equals the PTEs that map it,
     * nr_anon_pages the mapped anon pages, each process's RssAnon its anon PTEs, and
     * nr_page_table_pages the page-table frames. Runs each address space's own checkers too.
     */
    void check() {
        Map<Folio, Integer> maps = new IdentityHashMap<>();
        long tables = 0;
        List<Mm> live = new ArrayList<>();
        for (Process p : mm.processes().values()) {
            if (p.alive()) {
                live.add(p.mm());
                if (mm.table.owners.get(p.mm()) != p) {
                    throw new IllegalStateException(p + ": address space not registered to its process");
                }
            }
        }
        if (mm.table.owners.size() != live.size()) {
            throw new IllegalStateException(mm.table.owners.size() + " address spaces registered for " + live.size() + " live processes");
        }
        mm.fileRmap.check(live);
        checkAnonVmaObjects(live);
        Map<SwapEntry, Integer> swapRefs = new java.util.HashMap<>();
        Map<Folio, Integer> pmdMaps = new IdentityHashMap<>();
        long[] zeroPmds = {0};
        for (Process p : mm.processes().values()) {
            if (!p.alive()) {
                continue;
            }
            p.mm().check();
            p.pageTable().check();
            tables += p.pageTable().tablePages();
            if (p.tablesCounted() != p.pageTable().tablePages()) {
                throw new IllegalStateException(p + ": nr_page_table_pages counts " + p.tablesCounted()
                        + " of its tables but it has " + p.pageTable().tablePages());
            }
            long[] anon = {0};
            long[] file = {0};
            long[] shmem = {0};
            long[] swapEnts = {0};
            p.pageTable().forEachPresentOrSwap(0, Mm.TASK_SIZE + MemSize.PAGE_SIZE, (addr, table, index, pte) -> {
                if (p.mm().find(addr) == null) {
                    throw new IllegalStateException(p + ": PTE outside every VMA at 0x" + Long.toHexString(addr));
                }
                if (Pte.isSwap(pte)) {
                    swapRefs.merge(Pte.swapEntry(pte), 1, Integer::sum);
                    swapEnts[0]++;
                }
                if (Pte.isMigration(pte)) {
                    // a migration runs whole inside one call: no entry may outlive it (org.pagelab.compaction)
                    throw new IllegalStateException(p + ": migration entry left at 0x" + Long.toHexString(addr) + ": "
                            + Pte.describe(pte));
                }
                if (!Pte.isPresent(pte)) {
                    return;
                }
                if (table.huge() && index == 0) {
                    checkHugeTable(p, addr, table, pmdMaps, zeroPmds);
                }
                MemDesc d = mm.phys.memmap().raw(Pte.pfn(pte));
                if (Pte.special(pte)) {
                    if (d != (table.huge() ? mm.pmd.zeroPage().current() : mm.zeroPage)) {
                        throw new IllegalStateException(p + ": special PTE not on the zero page at 0x" + Long.toHexString(addr));
                    }
                    return;
                }
                if (!(d instanceof Folio f) || f.isDead()) {
                    throw new IllegalStateException(p + ": PTE at 0x" + Long.toHexString(addr) + " maps " + d);
                }
                maps.merge(f, 1, Integer::sum);
                checkRmapFinds(p, addr, f, Pte.pfn(pte) - f.pfn());
                switch (f) {
                    case AnonFolio a -> anon[0]++;
                    case ShmemFolio s -> shmem[0]++;
                    case PageCacheFolio pc -> file[0]++;
                }
            });
            if (swapEnts[0] != p.swapEnts()) {
                throw new IllegalStateException(p + ": VmSwap " + p.swapEnts() + " pages but the page table holds "
                        + swapEnts[0] + " swap entries");
            }
            if (anon[0] != p.rssAnon() || file[0] != p.rssFile() || shmem[0] != p.rssShmem()) {
                throw new IllegalStateException(p + ": RssAnon/RssFile/RssShmem " + p.rssAnon() + "/" + p.rssFile() + "/"
                        + p.rssShmem() + " but page table maps " + anon[0] + "/" + file[0] + "/" + shmem[0]);
            }
        }
        checkEntireMapcounts(pmdMaps, zeroPmds[0]);
        mm.deferredSplit.check();
        long anonPages = 0;
        long filePages = 0;
        for (Map.Entry<Folio, Integer> e : maps.entrySet()) {
            if (e.getKey().mapcount() != e.getValue()) {
                throw new IllegalStateException("mapcount " + e.getKey().mapcount() + " but " + e.getValue() + " PTEs map " + e.getKey());
            }
            if (e.getKey().nrPages() > 1) {
                mm.rmap.pageMapcounts(e.getKey()); // the reverse map finds every PTE of a large folio
            }
            switch (e.getKey()) {
                case AnonFolio a -> anonPages += a.nrPages();
                case FileFolio ff -> filePages += ff.nrPages();
            }
        }
        int p = 0;
        long tableFrames = 0;
        long mappedFolios = 0;
        while (p < mm.phys.memmap().nrFrames()) {
            MemDesc d = mm.phys.memmap().raw(p);
            if (d instanceof PageTablePage) {
                tableFrames++;
            } else if (d instanceof Folio f && f.mapped()) {
                mappedFolios++;
            }
            p = d.endPfn();
        }
        mm.machine.vfs().forEachInode(inode -> {
            if (inode.mapping() instanceof org.pagelab.filemap.ShmemCache shm) { // only shmem holds swap entries
                shm.index().forEach(0, Long.MAX_VALUE, (i, e) -> {
                    if (e instanceof SwapEntry se) {
                        swapRefs.merge(se, 1, Integer::sum); // a swapped-out shmem page
                    }
                    return true;
                });
            }
        });
        checkSwapCounts(swapRefs);
        if (mappedFolios != maps.size()) {
            throw new IllegalStateException(mappedFolios + " folios claim mappings but page tables map " + maps.size());
        }
        if (mm.vmstat.get(VmItem.NR_ANON_PAGES) != anonPages) {
            throw new IllegalStateException("nr_anon_pages " + mm.vmstat.get(VmItem.NR_ANON_PAGES) + " but page tables map " + anonPages);
        }
        if (mm.vmstat.get(VmItem.NR_MAPPED) != filePages) {
            throw new IllegalStateException("nr_mapped " + mm.vmstat.get(VmItem.NR_MAPPED) + " but page tables map " + filePages);
        }
        if (mm.vmstat.get(VmItem.NR_PAGE_TABLE_PAGES) != tables || tables != tableFrames) {
            throw new IllegalStateException("nr_page_table_pages " + mm.vmstat.get(VmItem.NR_PAGE_TABLE_PAGES) + ", tables reachable "
                    + tables + ", page-table frames " + tableFrames);
        }
    }
}
