package org.pagelab.memory;

import org.pagelab.desc.AnonFolio;
import org.pagelab.desc.Folio;
import org.pagelab.desc.FolioFlags.Flag;
import org.pagelab.desc.Memmap;
import org.pagelab.pgtable.PageTable;
import org.pagelab.pgtable.Pte;
import org.pagelab.vma.Vma;

/**
 * /proc/PID/clear_refs (fs/proc/task_mmu.c): writing 1 clears the accessed bits and referenced
 * marks of every page the process maps, 2 of its anonymous pages only, 3 of its file pages only;
 * writing 4 clears the soft-dirty bits, which write-protects every present entry so that the next
 * write to each page faults (and then reuses an exclusive anonymous page in place, or copies a
 * shared one). An entry of a writable private page that may be pinned is left alone, as the
 * kernel leaves it (pte_is_pinned), so the pin and the process keep one page. pagelab has no
 * soft-dirty bit to read back (no /proc/PID/pagemap); the write protection is what it models.
 */
final class ClearRefs {
    private final Memmap memmap;

    ClearRefs(Memmap memmap) {
        this.memmap = memmap;
    }

    /** Writes {@code value} (1, 2, 3 or 4) to {@code p}'s clear_refs; false for another value. */
    boolean clear(Process p, int value) {
        if (value < 1 || value > 4) {
            return false;
        }
        if (!p.alive()) {
            return true;
        }
        for (Vma v : p.mm().vmas()) {
            boolean anonVma = v.file() == null && !v.isShared();
            if (value == 2 && !anonVma || value == 3 && anonVma) {
                continue;
            }
            p.pageTable().forEachPresentOrSwap(v.start(), v.end(), (addr, table, index, pte) -> {
                if (!Pte.isPresent(pte)) {
                    return;
                }
                Folio f = PageTable.normalFolio(memmap, pte);
                if (value == 4) {
                    if (Pte.writable(pte) && !v.isShared() && f instanceof AnonFolio a && a.maybeDmaPinned()) {
                        return;
                    }
                    table.set(index, Pte.wrprotect(pte));
                    return;
                }
                table.set(index, Pte.mkOld(pte));
                if (f != null) {
                    f.clear(Flag.REFERENCED);
                }
            });
        }
        return true;
    }
}
