package org.pagelab.memory;

import org.pagelab.desc.AnonFolio;
import org.pagelab.desc.Memmap;
import org.pagelab.filemap.Errno;
import org.pagelab.pgtable.PageTable;
import org.pagelab.pgtable.Pte;
import org.pagelab.vma.MapResult;
import org.pagelab.vma.Vma;
import org.pagelab.vma.VmFlags;

/**
 * mprotect (mm/mprotect.c): {@link org.pagelab.vma.Mm#mprotect} changes the VMAs; this class
 * rewrites the PTEs of each changed piece (change_pte_range). Write permission goes from every
 * PTE and comes back, without a fault, only for an exclusive anonymous page
 * (can_change_pte_writable); PROT_NONE clears the user bit; accessed and dirty bits stay.
 */
final class Mprotect {
    private final Memmap memmap;

    Mprotect(Memmap memmap) {
        this.memmap = memmap;
    }

    /** mprotect; PTEs of the range lose write (and user access under PROT_NONE) as the VMA does. */
    MapResult mprotect(Process p, long addr, long len, int prot) {
        if (!p.alive()) {
            return new MapResult.MapFailed(Errno.EINVAL);
        }
        return p.mm().mprotect(addr, len, prot, (piece, old) -> protect(p, piece));
    }

    private void protect(Process p, Vma piece) {
        boolean read = piece.test(VmFlags.VM_READ) || piece.test(VmFlags.VM_WRITE);
        p.pageTable().forEachPresentOrSwap(piece.start(), piece.end(), (addr, table, index, pte) -> {
            if (!Pte.isPresent(pte)) {
                return;
            }
            boolean writable = false;
            if (piece.test(VmFlags.VM_WRITE) && PageTable.normalFolio(memmap, pte) instanceof AnonFolio f
                    && f.pageExclusive(Pte.pfn(pte) - f.pfn()) && (f.mapcount() == 1 || f.nrPages() > 1)) {
                writable = true;
            }
            long n = Pte.special(pte) ? Pte.presentSpecial(Pte.pfn(pte)) : Pte.present(Pte.pfn(pte), writable, true);
            if (Pte.accessed(pte)) {
                n = Pte.mkYoung(n);
            } else {
                n = Pte.mkOld(n);
            }
            if (Pte.dirty(pte)) {
                n = Pte.mkDirty(n);
            }
            if (!read) {
                n &= ~Pte.USER;
            }
            table.set(index, n);
        });
    }
}
