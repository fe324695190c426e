package org.pagelab.memory;

import org.pagelab.desc.AnonFolio;
import org.pagelab.desc.FileFolio;
import org.pagelab.desc.Folio;
import org.pagelab.desc.FolioFlags.Flag;
import org.pagelab.desc.Memmap;
import org.pagelab.desc.PageTablePage;
import org.pagelab.pgtable.PageTable;
import org.pagelab.pgtable.Pte;
import org.pagelab.swap.SwapSpace;
import org.pagelab.vma.Vma;
import org.pagelab.vma.VmFlags;

/**
 * fork as far as memory goes (kernel/fork.c dup_mm, mm/memory.c copy_page_range and
 * copy_present_pte): a child with a copy of the parent's VMAs, and what the child's PTEs hold for
 * each of the parent's, VMA by VMA. Private anonymous pages are shared copy-on-write, both sides
 * write-protected and the folio no longer exclusive; a possibly pinned exclusive page is copied
 * at once instead (copy_present_page); swap entries gain a reference; shared and file pages are
 * mapped as they are. A PMD mapping is copied whole (copy_huge_pmd): the child's table is huge too.
 */
final class Fork {
    private final ProcessTable table;
    private final Fault fault;
    private final Zap zap;
    private final Memmap memmap;
    private final SwapSpace swap;
    private final HugePmd pmd;

    Fork(ProcessTable table, Fault fault, Zap zap, Memmap memmap, SwapSpace swap, HugePmd pmd) {
        this.table = table;
        this.fault = fault;
        this.zap = zap;
        this.memmap = memmap;
        this.swap = swap;
        this.pmd = pmd;
    }

    /**
     * fork: a child with a copy of the parent's VMAs whose private anonymous pages are shared
     * copy-on-write (both sides write-protected, the folios no longer exclusive), as
     * copy_present_pte does. Returns null, with nothing left behind, when memory runs out.
     */
    Process fork(Process parent) {
        if (!parent.alive()) {
            return null;
        }
        Process child = table.spawn(parent.name());
        if (child == null) {
            return null;
        }
        child.setOomScoreAdj(parent.oomScoreAdj());
        child.setMemcgId(parent.memcgId());
        // copying charges the child's page tables, and the OOM killer that charge may call can
        // choose the parent or the child itself: then the copy stops, and the half-made child goes
        boolean copied = parent.mm().dupInto(child.mm(), (pv, cv) -> child.alive()
                && copyPtes(parent, child, pv) && parent.alive() && child.alive());
        if (!child.alive()) {
            // the OOM killer chose the child: its teardown took the VMAs it had; one linked after
            // its death holds no PTEs
            child.mm().destroy(piece -> { });
            return null;
        }
        if (!copied) {
            table.exit(child);
            return null;
        }
        return child;
    }

    /** Copies the PTEs of {@code vma} of {@code parent} into {@code child}; false when memory or a swap count runs out. */
    boolean copyPtes(Process parent, Process child, Vma vma) {
        boolean[] ok = {true};
        long before = child.pageTable().tablePages();
        parent.pageTable().forEachPresentOrSwap(vma.start(), vma.end(), (addr, table, index, seen) -> {
            if (!ok[0]) {
                return;
            }
            PageTablePage ct = child.pageTable().allocPteTable(addr);
            if (ct == null || !parent.alive()) {
                // no table; or its charge called the OOM killer, which chose the parent and tore
                // its address space down under this walk: nothing more may be read from it
                ok[0] = false;
                return;
            }
            // copy_pte_range reads the PTEs under the table lock after allocating the child's table:
            // that allocation may have reclaimed, and swapped out (or freed), the page seen before it
            long pte = table.isDead() ? 0 : table.get(index);
            if (pte == 0) {
                return;
            }
            if (table.huge() && (index != 0 || copyHugePmd(child, table, ct))) {
                return; // the PMD was copied whole at its first entry
            }
            if (Pte.isSwap(pte)) {
                if (!swap.duplicate(Pte.swapEntry(pte))) {
                    ok[0] = false; // the kernel would add a count-continuation page; pagelab fails the fork
                    return;
                }
                child.addSwapEnts(1);
            }
            if (!Pte.isPresent(pte)) {
                ct.set(PageTable.pteIndex(addr), pte);
                return;
            }
            Folio f = PageTable.normalFolio(memmap, pte);
            if (!vma.isShared() && f instanceof AnonFolio pinned
                    && pinned.pageExclusive(Pte.pfn(pte) - pinned.pfn()) && pinned.maybeDmaPinned()) {
                // copy_present_page: a possibly pinned exclusive page is copied for the child at
                // once, so the pin keeps seeing the parent's writes and the parent's page stays its own
                if (!child.mm().anonVmaPrepare(child.mm().find(addr))) {
                    ok[0] = false;
                    return;
                }
                if (fault.mapNewAnon(child, child.mm().find(addr), addr, ct, PageTable.pteIndex(addr), pinned) != Access.OK
                        || fault.retryFault || !parent.alive()) {
                    fault.retryFault = false;
                    ok[0] = false;
                    return;
                }
                long c = ct.get(PageTable.pteIndex(addr));
                ct.set(PageTable.pteIndex(addr), Pte.mkOld(vma.test(VmFlags.VM_WRITE) ? c : Pte.wrprotect(c)));
                return;
            }
            long shared = Pte.special(pte) || vma.isShared() ? pte : Pte.wrprotect(pte);
            if (f != null) {
                f.mapcountAdd(1);
                f.refAdd(1);
                switch (f) {
                    case AnonFolio a -> {
                        a.clearPageExclusive(Pte.pfn(pte) - a.pfn());
                        child.addRssAnon(1);
                    }
                    case FileFolio ff -> Zap.addRssFile(child, ff, 1);
                }
                table.set(index, shared);
            }
            ct.set(PageTable.pteIndex(addr), Pte.mkOld(shared));
        });
        if (child.alive()) {
            zap.syncTables(child, before); // a child the OOM killer ended here had its tables counted out at its death
        }
        return ok[0] && child.alive();
    }

    /**
     * copy_huge_pmd: the child's table {@code ct} becomes a PMD mapping of what huge table
     * {@code table} of the parent maps, both write-protected, the child's old; the folio's pages
     * lose their exclusive marks and gain a mapping and a reference each, and its entire mapcount
     * one. The huge zero page is mapped again; a page-cache folio's PMD is not copied at all (the
     * child's range stays empty, as copy_huge_pmd leaves a file VMA's). A possibly pinned exclusive folio is not shared:
     * the parent's PMD is split and false returned, and the PTE-level copy goes on (which copies
     * each such page for the child, as copy_present_page does).
     */
    private boolean copyHugePmd(Process child, PageTablePage table, PageTablePage ct) {
        long first = table.get(0);
        if (Pte.special(first)) {
            for (int k = 0; k < PageTablePage.ENTRIES; k++) {
                ct.set(k, Pte.mkOld(table.get(k)));
            }
            pmd.mapZero(ct);
            return true;
        }
        if (!(PageTable.normalFolio(memmap, first) instanceof AnonFolio f)) {
            return true; // a file PMD is not copied: the child faults the pages in from the page cache
        }
        if (f.pageExclusive(0) && f.maybeDmaPinned()) {
            pmd.split(table);
            return false;
        }
        for (int k = 0; k < PageTablePage.ENTRIES; k++) {
            long shared = Pte.wrprotect(table.get(k));
            table.set(k, shared);
            ct.set(k, Pte.mkOld(shared));
            f.clearPageExclusive(k);
        }
        f.mapcountAdd(PageTablePage.ENTRIES);
        f.refAdd(PageTablePage.ENTRIES);
        child.addRssAnon(PageTablePage.ENTRIES);
        pmd.mapFolio(ct, f);
        return true;
    }
}
