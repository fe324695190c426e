package org.pagelab.memory;

import java.util.ArrayList;
import java.util.List;
import org.pagelab.filemap.Errno;
import org.pagelab.filemap.Inode;
import org.pagelab.filemap.OpenFile;
import org.pagelab.filemap.Vfs;
import org.pagelab.phys.MemSize;
import org.pagelab.rmap.FileRmap;
import org.pagelab.vma.MapResult;
import org.pagelab.vma.Mm;
import org.pagelab.vma.Vma;

/**
 * The mapping system calls of mm/mmap.c as a process sees them: mmap of anonymous memory
 * (private, or shared through a new unnamed shmem object) and of files, munmap, and
 * unmap_mapping_range for truncation. The VMA rules are {@link Mm}'s; this class zaps the PTEs
 * of what a call replaces or removes, keeps the page-table count, and lets a file go when its
 * last mapping does.
 */
final class Mmap {
    private final Vfs vfs;
    private final Zap zap;
    private final ProcessTable table;
    private final FileRmap fileRmap;

    Mmap(Vfs vfs, Zap zap, ProcessTable table, FileRmap fileRmap) {
        this.vfs = vfs;
        this.zap = zap;
        this.table = table;
        this.fileRmap = fileRmap;
    }

    /**
     * mmap of anonymous memory, private or shared; see {@link Mm#mmap}. Shared anonymous memory
     * is, as in the kernel, a mapping of a new unnamed shmem object of {@code len} bytes, so fork
     * shares its pages instead of copying them.
     */
    MapResult mmapAnon(Process p, long addr, long len, int prot, boolean shared, boolean fixed) {
        if (!p.alive()) {
            return new MapResult.MapFailed(Errno.EINVAL);
        }
        Inode shmem = null;
        if (shared) {
            if (len <= 0 || len > Mm.TASK_SIZE) {
                return new MapResult.MapFailed(Errno.EINVAL);
            }
            shmem = vfs.createShmem((len + MemSize.PAGE_SIZE - 1) & -MemSize.PAGE_SIZE);
            if (shmem == null) {
                return new MapResult.MapFailed(Errno.ENOMEM);
            }
        }
        MapResult r = map(p, addr, len, prot, shared, fixed, shmem, 0);
        if (shmem != null) {
            vfs.releaseIfUnused(shmem);
        }
        return r;
    }

    /**
     * mmap of {@code len} bytes of open file {@code f} from byte {@code offset}, shared or
     * private; see {@link Mm#mmap}.
     */
    MapResult mmapFile(Process p, long addr, long len, int prot, boolean shared, boolean fixed, OpenFile f, long offset) {
        if (!p.alive() || f.isClosed()) {
            return new MapResult.MapFailed(Errno.EINVAL);
        }
        return map(p, addr, len, prot, shared, fixed, f.inode(), offset);
    }

    private MapResult map(Process p, long addr, long len, int prot, boolean shared, boolean fixed, Inode inode,
                          long offset) {
        long before = p.pageTable().tablePages();
        List<Inode> files = fixed ? filesOf(p.mm(), addr, addr + Math.max(len, 0)) : List.of();
        MapResult r = p.mm().mmap(addr, len, prot, shared, fixed, inode, offset, piece -> zap.zap(p, piece));
        zap.syncTables(p, before);
        releaseFiles(vfs, files);
        return r;
    }

    /** munmap; the pages of the range are unmapped and freed when no longer used. */
    MapResult munmap(Process p, long addr, long len) {
        if (!p.alive()) {
            return new MapResult.MapFailed(Errno.EINVAL);
        }
        long before = p.pageTable().tablePages();
        List<Inode> files = filesOf(p.mm(), addr, addr + len);
        MapResult r = p.mm().munmap(addr, len, piece -> zap.zap(p, piece));
        zap.syncTables(p, before);
        releaseFiles(vfs, files);
        return r;
    }

    /** unmap_mapping_range: zaps every mapping of {@code inode}'s pages from {@code firstPage} on, in every process. */
    void unmapMappingRange(Inode inode, long firstPage) {
        for (Vma v : fileRmap.overlapping(inode, firstPage, Long.MAX_VALUE)) {
            Process p = table.ownerOf(v);
            long before = p.pageTable().tablePages();
            long from = firstPage <= v.pgoff() ? v.start() : v.start() + ((firstPage - v.pgoff()) << MemSize.PAGE_SHIFT);
            zap.zapRange(p, from, v.end());
            zap.syncTables(p, before);
        }
    }

    /** Lets each of {@code files} go if nothing maps or opens it any more. */
    static void releaseFiles(Vfs vfs, List<Inode> files) {
        for (Inode i : files) {
            vfs.releaseIfUnused(i);
        }
    }

    /** The files mapped in {@code [start, end)} of {@code mm}, each once. */
    static List<Inode> filesOf(Mm mm, long start, long end) {
        List<Inode> out = new ArrayList<>();
        for (Vma v : mm.vmas()) {
            if (v.file() != null && v.end() > start && v.start() < end && !out.contains(v.file())) {
                out.add(v.file());
            }
        }
        return out;
    }
}
