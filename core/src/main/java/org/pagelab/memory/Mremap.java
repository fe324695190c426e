package org.pagelab.memory;

import java.util.ArrayList;
import java.util.List;
import org.pagelab.desc.PageTablePage;
import org.pagelab.filemap.Errno;
import org.pagelab.pgtable.PageTable;
import org.pagelab.phys.MemSize;
import org.pagelab.vma.MapResult;
import org.pagelab.vma.Vma;

/**
 * mremap (mm/mremap.c): shrinks a mapping in place, grows it in place when the pages after it are
 * free, else moves it (MREMAP_MAYMOVE), or moves it to a given address (MREMAP_FIXED, which
 * replaces what was there). A move keeps every page: the page-table entries (present, swap and
 * poison entries alike) move to the new addresses, the new VMA keeps the old one's page offset and
 * anon_vma chain, so the reverse map still finds each page and nothing is copied or faulted.
 *
 * <p>A large folio that the moved range cuts is split first (pagelab maps a large folio's pages
 * at consecutive addresses; the kernel would keep the folio whole, its PMD split, and its pages at
 * two places). Every PMD mapping in the moved range is split too, since the entries move one by
 * one (thp_split_pmd); the kernel's move_huge_pmd keeps a PMD whole when source and destination
 * are both 2 MiB aligned.
 */
final class Mremap {
    private final Mmap mmap;
    private final HugeMemory huge;
    private final Zap zap;
    private final HugePmd pmd;

    Mremap(Mmap mmap, HugeMemory huge, Zap zap, HugePmd pmd) {
        this.mmap = mmap;
        this.huge = huge;
        this.zap = zap;
        this.pmd = pmd;
    }

    MapResult mremap(Process p, long oldAddr, long oldLen, long newLen, boolean mayMove, Long fixedAddr) {
        long page = MemSize.PAGE_SIZE;
        if (!p.alive() || (oldAddr & (page - 1)) != 0 || newLen <= 0 || oldLen < 0
                || fixedAddr != null && (!mayMove || (fixedAddr & (page - 1)) != 0)) {
            return new MapResult.MapFailed(Errno.EINVAL);
        }
        oldLen = (oldLen + page - 1) & -page;
        newLen = (newLen + page - 1) & -page;
        if (oldLen == 0) {
            return new MapResult.MapFailed(Errno.EINVAL); // duplicating a shared mapping is not modelled
        }
        if (fixedAddr != null) {
            long to = fixedAddr;
            if (to < oldAddr + oldLen && oldAddr < to + newLen) {
                return new MapResult.MapFailed(Errno.EINVAL);
            }
            if (p.mm().within(oldAddr, oldAddr + oldLen) == null) {
                return new MapResult.MapFailed(Errno.EFAULT);
            }
            MapResult r = mmap.munmap(p, to, newLen);
            if (r instanceof MapResult.MapFailed) {
                return r;
            }
            if (newLen < oldLen) {
                mmap.munmap(p, oldAddr + newLen, oldLen - newLen);
                oldLen = newLen;
            }
            return move(p, oldAddr, oldLen, to, newLen);
        }
        if (newLen <= oldLen) {
            if (newLen < oldLen) {
                MapResult r = mmap.munmap(p, oldAddr + newLen, oldLen - newLen);
                if (r instanceof MapResult.MapFailed) {
                    return r;
                }
            }
            return new MapResult.Mapped(oldAddr);
        }
        Vma v = p.mm().within(oldAddr, oldAddr + oldLen);
        if (v == null) {
            return new MapResult.MapFailed(Errno.EFAULT);
        }
        if (oldAddr + oldLen == v.end() && p.mm().rangeFree(v.end(), oldAddr + newLen)
                && p.mm().expand(v, oldAddr + newLen) instanceof MapResult.Mapped) {
            return new MapResult.Mapped(oldAddr);
        }
        if (!mayMove) {
            return new MapResult.MapFailed(Errno.ENOMEM);
        }
        long to = p.mm().unmappedArea(newLen);
        if (to < 0) {
            return new MapResult.MapFailed(Errno.ENOMEM);
        }
        return move(p, oldAddr, oldLen, to, newLen);
    }

    /** move_vma: the pages of {@code [from, from + len)} go to {@code to}, whose VMA is {@code newLen} bytes. */
    private MapResult move(Process p, long from, long len, long to, long newLen) {
        pmd.splitRange(p, from, from + len); // entries move one by one, so no PMD survives the move
        huge.splitStraddling(p, from, from + len);
        PageTable pt = p.pageTable();
        long before = pt.tablePages();
        List<long[]> entries = new ArrayList<>();
        pt.forEachPresentOrSwap(from, from + len, (addr, table, index, pte) -> entries.add(new long[] {addr, pte}));
        for (long[] e : entries) {
            if (pt.allocPteTable(to + (e[0] - from)) == null) {
                pt.freeEmptyTables(to, to + newLen);
                zap.syncTables(p, before);
                return new MapResult.MapFailed(Errno.ENOMEM);
            }
        }
        Vma moved = p.mm().startMove(from, len, to, newLen);
        if (moved == null) {
            pt.freeEmptyTables(to, to + newLen);
            zap.syncTables(p, before);
            return new MapResult.MapFailed(Errno.ENOMEM);
        }
        for (long[] e : entries) {
            long dst = to + (e[0] - from);
            pt.pteTable(e[0]).set(PageTable.pteIndex(e[0]), 0);
            PageTablePage t = pt.pteTable(dst);
            t.set(PageTable.pteIndex(dst), e[1]);
        }
        p.mm().finishMove(moved, from, len);
        pt.freeEmptyTables(from, from + len);
        zap.syncTables(p, before);
        return new MapResult.Mapped(to);
    }
}
