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
 * (can_change_pte_writable); PROT_NONE clears the user bit; accessed and dirty bits stay. A PMD
 * mapping the range covers whole keeps its PMD and changes all its entries alike (change_huge_pmd,
 * which never grants write to an anonymous PMD); one covered in part is split first.
 */
final class Mprotect {
    private final Memmap memmap;
    private final HugePmd pmd;

    Mprotect(Memmap memmap, HugePmd pmd) {
        this.memmap = memmap;
        this.pmd = pmd;
    }

    /** mprotect; PTEs of the range lose write (and user access under PROT_NONE) as the VMA does. */
    MapResult mprotect(Process p, long addr, long len, int prot) {
        if (!p.alive()) {
            return new MapResult.MapFailed(Errno.EINVAL);
        }
        pmd.splitEdgesOfCall(p, addr, len); // change_pmd_range: a PMD the range covers in part is split
        return p.mm().mprotect(addr, len, prot, (piece, old) -> protect(p, piece));
    }

    private void protect(Process p, Vma piece) {
        boolean read = piece.test(VmFlags.VM_READ) || piece.test(VmFlags.VM_WRITE);
        p.pageTable().forEachPresentOrSwap(piece.start(), piece.end(), (addr, table, index, pte) -> {
            if (!Pte.isPresent(pte)) {
                return;
            }
            boolean writable = false;
            // change_huge_pmd never makes an anonymous PMD writable: a write fault reuses the folio
            if (!table.huge() && piece.test(VmFlags.VM_WRITE) && PageTable.normalFolio(memmap, pte) instanceof AnonFolio f
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
