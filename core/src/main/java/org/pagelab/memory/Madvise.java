package org.pagelab.memory;

import org.pagelab.filemap.Errno;
import org.pagelab.phys.MemSize;
import org.pagelab.vma.MapResult;
import org.pagelab.vma.Vma;
import org.pagelab.vma.VmFlags;

/**
 * The madvise advices that change what fork copies (MADV_DONTFORK, MADV_DOFORK, MADV_WIPEONFORK,
 * MADV_KEEPONFORK) and those that fault a range in ahead of use (MADV_POPULATE_READ,
 * MADV_POPULATE_WRITE), as mm/madvise.c has them. Split from {@link MemoryManager} by concept.
 */
public final class Madvise {
    /** The advices this class handles. */
    public enum Advice { DONTFORK, DOFORK, WIPEONFORK, KEEPONFORK, POPULATE_READ, POPULATE_WRITE }

    private final MemoryManager mm;

    Madvise(MemoryManager mm) {
        this.mm = mm;
    }

    /**
     * madvise({@code advice}) over {@code [addr, addr + len)} of {@code p}: EINVAL for a misaligned
     * address or a negative length, ENOMEM when part of the range is not mapped; MADV_WIPEONFORK
     * is EINVAL on a file or shared mapping, as the kernel allows it on private anonymous memory only.
     * The populate advices fault every page in as get_user_pages does (a write one breaks COW);
     * EINVAL when the VMA's protection forbids the access.
     */
    public MapResult advise(Process p, long addr, long len, Advice advice) {
        if (!p.alive() || (addr & (MemSize.PAGE_SIZE - 1)) != 0 || len < 0) {
            return new MapResult.MapFailed(Errno.EINVAL);
        }
        long end = addr + ((len + MemSize.PAGE_SIZE - 1) & -MemSize.PAGE_SIZE);
        return switch (advice) {
            case DONTFORK -> p.mm().madviseFlags(addr, len, VmFlags.VM_DONTCOPY, 0);
            case DOFORK -> p.mm().madviseFlags(addr, len, 0, VmFlags.VM_DONTCOPY);
            case KEEPONFORK -> p.mm().madviseFlags(addr, len, 0, VmFlags.VM_WIPEONFORK);
            case WIPEONFORK -> {
                for (long a = addr; a < end; ) {
                    Vma v = p.mm().find(a);
                    if (v == null) {
                        yield new MapResult.MapFailed(Errno.ENOMEM);
                    }
                    if (v.file() != null || v.isShared()) {
                        yield new MapResult.MapFailed(Errno.EINVAL);
                    }
                    a = v.end();
                }
                yield p.mm().madviseFlags(addr, len, VmFlags.VM_WIPEONFORK, 0);
            }
            case POPULATE_READ, POPULATE_WRITE -> populate(p, addr, end, advice == Advice.POPULATE_WRITE);
        };
    }

    private MapResult populate(Process p, long addr, long end, boolean write) {
        for (long a = addr; a < end; a += MemSize.PAGE_SIZE) {
            Vma v = p.mm().find(a);
            if (v == null) {
                return new MapResult.MapFailed(Errno.ENOMEM);
            }
            if (write ? !v.test(VmFlags.VM_WRITE) : !v.test(VmFlags.VM_READ | VmFlags.VM_WRITE)) {
                return new MapResult.MapFailed(Errno.EINVAL);
            }
            if (mm.touch(p, a, write) != Access.OK) {
                return new MapResult.MapFailed(p.alive() ? Errno.ENOMEM : Errno.EFAULT);
            }
        }
        return new MapResult.Mapped(addr);
    }
}
