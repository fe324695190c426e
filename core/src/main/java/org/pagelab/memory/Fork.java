package org.pagelab.memory;

import org.pagelab.desc.AnonFolio;
import org.pagelab.desc.FileFolio;
import org.pagelab.desc.Folio;
import org.pagelab.desc.FolioFlags.Flag;
import org.pagelab.desc.PageTablePage;
import org.pagelab.pgtable.PageTable;
import org.pagelab.pgtable.Pte;
import org.pagelab.vma.Vma;
import org.pagelab.vma.VmFlags;

/**
 * The page-table half of fork (copy_page_range, copy_present_pte): what the child's PTEs hold
 * for each of the parent's, VMA by VMA. Private anonymous pages are shared copy-on-write, both
 * sides write-protected and the folio no longer exclusive; a possibly pinned exclusive page is
 * copied at once instead (copy_present_page); swap entries gain a reference; shared and file
 * pages are mapped as they are.
 */
final class Fork {
    private final MemoryManager mm;

    Fork(MemoryManager mm) {
        this.mm = mm;
    }

    /** Copies the PTEs of {@code vma} of {@code parent} into {@code child}; false when memory or a swap count runs out. */
    boolean copyPtes(Process parent, Process child, Vma vma) {
        boolean[] ok = {true};
        long before = child.pageTable().tablePages();
        parent.pageTable().forEachPresentOrSwap(vma.start(), vma.end(), (addr, table, index, pte) -> {
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
            if (Pte.isSwap(pte)) {
                if (!mm.machine.swap().duplicate(pte)) {
                    ok[0] = false; // the kernel would add a count-continuation page; pagelab fails the fork
                    return;
                }
                child.addSwapEnts(1);
            }
            if (!Pte.isPresent(pte)) {
                ct.set(PageTable.pteIndex(addr), pte);
                return;
            }
            if (!Pte.special(pte) && !vma.isShared() && mm.phys.memmap().raw(Pte.pfn(pte)) instanceof AnonFolio pinned
                    && pinned.test(Flag.ANON_EXCLUSIVE) && MemoryManager.maybeDmaPinned(pinned)) {
                // copy_present_page: a possibly pinned exclusive page is copied for the child at
                // once, so the pin keeps seeing the parent's writes and the parent's page stays its own
                if (!child.mm().anonVmaPrepare(child.mm().find(addr))) {
                    ok[0] = false;
                    return;
                }
                if (mm.mapNewAnon(child, child.mm().find(addr), addr, ct, PageTable.pteIndex(addr), pinned) != Access.OK
                        || mm.retryFault || !parent.alive()) {
                    mm.retryFault = false;
                    ok[0] = false;
                    return;
                }
                long c = ct.get(PageTable.pteIndex(addr));
                ct.set(PageTable.pteIndex(addr), Pte.mkOld(vma.test(VmFlags.VM_WRITE) ? c : Pte.wrprotect(c)));
                return;
            }
            long shared = Pte.special(pte) || vma.isShared() ? pte : Pte.wrprotect(pte);
            if (!Pte.special(pte)) {
                Folio f = (Folio) mm.phys.memmap().raw(Pte.pfn(pte));
                f.mapcountAdd(1);
                f.refAdd(1);
                switch (f) {
                    case AnonFolio a -> {
                        a.clear(Flag.ANON_EXCLUSIVE);
                        child.addRssAnon(1);
                    }
                    case FileFolio ff -> MemoryManager.addRssFile(child, ff, 1);
                }
                table.set(index, shared);
            }
            ct.set(PageTable.pteIndex(addr), Pte.mkOld(shared));
        });
        mm.syncTables(child, before);
        return ok[0];
    }

}
