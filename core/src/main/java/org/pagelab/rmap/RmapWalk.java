package org.pagelab.rmap;

import org.pagelab.desc.AnonFolio;
import org.pagelab.desc.FileFolio;
import org.pagelab.desc.Folio;
import org.pagelab.vma.AnonVma;
import org.pagelab.vma.AnonVmaChain;
import org.pagelab.vma.Vma;

/**
 * rmap_walk: visits every (VMA, address) at which a folio's pages may be mapped. For an anonymous
 * folio the candidates are the VMAs chained to its anon_vma; for a file folio, the VMAs in the
 * file's i_mmap that overlap the folio's pages. A candidate is only a place to look: the caller
 * reads the PTE there and checks that it maps this folio (after fork, a COW copy may have taken
 * its place).
 */
public final class RmapWalk {
    /** One candidate mapping of page {@code subpage} of the folio at {@code addr} in {@code vma}. */
    @FunctionalInterface
    public interface Visitor {
        /** Returns false to stop the walk. */
        boolean visit(Vma vma, long addr, int subpage);
    }

    private final FileRmap files;

    public RmapWalk(FileRmap files) {
        this.files = files;
    }

    /** Walks the candidate mappings of {@code folio}; returns false if the visitor stopped it. */
    public boolean walk(Folio folio, Visitor visitor) {
        return switch (folio) {
            case AnonFolio a -> walkAnon(a, visitor);
            case FileFolio f -> walkFile(f, visitor);
        };
    }

    private static boolean walkAnon(AnonFolio folio, Visitor visitor) {
        if (!(folio.anonMapping() instanceof AnonVma av)) {
            return true;
        }
        for (AnonVmaChain c : av.chains().toArray(new AnonVmaChain[0])) {
            if (!visitRange(c.vma(), folio.linearIndex(), folio.nrPages(), visitor)) {
                return false;
            }
        }
        return true;
    }

    private boolean walkFile(FileFolio folio, Visitor visitor) {
        if (!(folio.mapping() instanceof org.pagelab.filemap.FileCache<?> fc) || fc.host() == null) {
            return true; // a shmem folio on its way through the swap cache is mapped by no one
        }
        long first = folio.index();
        for (Vma v : files.overlapping(fc.host(), first, first + folio.nrPages() - 1)) {
            if (!visitRange(v, first, folio.nrPages(), visitor)) {
                return false;
            }
        }
        return true;
    }

    private static boolean visitRange(Vma v, long firstIndex, int nr, Visitor visitor) {
        for (int k = 0; k < nr; k++) {
            long addr = v.addressOf(firstIndex + k);
            if (addr >= 0 && !visitor.visit(v, addr, k)) {
                return false;
            }
        }
        return true;
    }
}
