package org.pagelab.vma;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.pagelab.filemap.Errno;
import org.pagelab.filemap.Inode;
import org.pagelab.phys.MemSize;
import org.pagelab.slab.KmemCache;
import org.pagelab.slab.SlabObject;

/**
 * The VMA set of one address space (the VMA part of the kernel's mm_struct), with the kernel's
 * rules for mmap, munmap and mprotect at the VMA level: alignment, rounding, placement, splitting,
 * merging and commit accounting. Page tables are the caller's: every range that leaves the set or
 * changes protection is handed to a callback so the caller can zap or write-protect its PTEs.
 *
 * <p>Invariants ({@link #check()}):
 * <pre>
 *   VMAs are page aligned, non-empty, non-overlapping, inside [MMAP_MIN_ADDR, TASK_SIZE)
 *   adjacent VMAs that could merge have been merged
 *   totalVm   == sum of vma.pages
 *   committed == sum of vma.pages over VMAs with VM_ACCOUNT
 *   vm_area_struct objects held == number of VMAs
 * </pre>
 */
public final class Mm {
    /** Top of user space: the last page below 2^47 is left unmapped, as on x86-64. */
    public static final long TASK_SIZE = (1L << 47) - MemSize.PAGE_SIZE;
    /** Lowest mappable address (vm.mmap_min_addr). */
    public static final long MMAP_MIN_ADDR = 0x10000;
    /** Mappings without a usable hint are placed top-down below this address. */
    public static final long MMAP_BASE = 0x7f00_0000_0000L;

    /** Called for each VMA piece leaving the set, before it goes: zap its PTEs. */
    @FunctionalInterface
    public interface Unmapper {
        void unmap(Vma piece);
    }

    /** Called for each VMA piece whose protection changed, after the change. */
    @FunctionalInterface
    public interface ProtChanger {
        void changed(Vma piece, int oldFlags);
    }

    /**
     * Told of every VMA entering and leaving the set, before and after any change of its range,
     * so a file's reverse map (i_mmap) can follow it (vma_link, unlink_file_vma).
     */
    public interface Observer {
        void linked(Vma v);

        void unlinked(Vma v);
    }

    private static final Observer NO_OBSERVER = new Observer() {
        @Override
        public void linked(Vma v) {
        }

        @Override
        public void unlinked(Vma v) {
        }
    };

    private final KmemCache vmaCache;
    private final KmemCache chainCache;
    private final AnonVmas anon;
    private Observer observer = NO_OBSERVER;
    private final TreeMap<Long, Vma> vmas = new TreeMap<>();
    /** The same VMAs for {@link #find}, in primitive arrays. */
    private final VmaIndex index = new VmaIndex();
    private Vma cached;
    private long totalVm;
    private long committed;
    private Overcommit overcommit;
    /** Whether the address space was used since the multi-generational LRU's page-table walk last visited it. */
    private boolean lruGenUsed = true;

    /**
     * An empty address space whose VMAs, anon_vmas and anon_vma chains come from the three slab
     * caches.
     */
    public Mm(KmemCache vmaCache, KmemCache anonVmaCache, KmemCache chainCache) {
        this.vmaCache = vmaCache;
        this.chainCache = chainCache;
        this.anon = new AnonVmas(anonVmaCache, chainCache);
    }

    /**
     * Makes the machine's overcommit policy judge this address space's new VM_ACCOUNT mappings
     * and count them in vm_committed_as; only while the set is empty. Without one, nothing is refused.
     */
    public void setOvercommit(Overcommit o) {
        if (!vmas.isEmpty()) {
            throw new IllegalStateException("overcommit policy set on a non-empty address space");
        }
        this.overcommit = o;
    }

    /** Whether the overcommit policy lets this address space commit {@code pages} more pages. */
    /**
     * lru_gen_use_mm: the address space was used (its process accessed memory), so the
     * multi-generational LRU's next page-table walk may find young PTEs in it. A new address space
     * counts as used until its first walk.
     */
    public void lruGenUse() {
        lruGenUsed = true;
    }

    /** Whether the address space was used since the last call, which forgets it (the walk's test and clear). */
    public boolean lruGenTestAndClearUsed() {
        boolean used = lruGenUsed;
        lruGenUsed = false;
        return used;
    }

    private boolean enoughMemory(long pages) {
        return overcommit == null || overcommit.enoughMemory(totalVm, pages);
    }

    /** Sets the observer of VMAs entering and leaving the set; only while the set is empty. */
    public void setObserver(Observer o) {
        if (!vmas.isEmpty()) {
            throw new IllegalStateException("observer set on a non-empty address space");
        }
        this.observer = o == null ? NO_OBSERVER : o;
    }

    /** The VMAs in address order. */
    public Collection<Vma> vmas() {
        return Collections.unmodifiableCollection(vmas.values());
    }

    public int vmaCount() {
        return vmas.size();
    }

    /** Pages mapped (VmSize / 4 KiB). */
    public long totalVm() {
        return totalVm;
    }

    /** Pages counted in Committed_AS. */
    public long committedPages() {
        return committed;
    }

    /** The VMA containing {@code addr}, or null (find_vma with the containment check). */
    public Vma find(long addr) {
        Vma c = cached;
        if (c != null && c.contains(addr)) {
            return c;
        }
        Vma v = index.floor(addr);
        if (v == null || !v.contains(addr)) {
            return null;
        }
        cached = v;
        return v;
    }

    private static long pageAlignUp(long len) {
        return (len + MemSize.PAGE_SIZE - 1) & -MemSize.PAGE_SIZE;
    }

    private static boolean aligned(long v) {
        return (v & (MemSize.PAGE_SIZE - 1)) == 0;
    }

    /**
     * mmap: maps {@code len} bytes (rounded up to pages) with protection {@code prot}
     * ({@link VmFlags#PROT_MASK} bits), shared or private, anonymous ({@code file == null}) or
     * of {@code file} from byte {@code offset}. With {@code fixed} the mapping goes exactly at
     * {@code addr}, replacing what was there (each replaced piece goes to {@code unmapper}); without
     * it, {@code addr} is a hint used when the range is free, else the mapping is placed top-down
     * below {@link #MMAP_BASE}.
     */
    public MapResult mmap(long addr, long len, int prot, boolean shared, boolean fixed, Inode file, long offset,
                          Unmapper unmapper) {
        if (len <= 0 || len > TASK_SIZE || (prot & ~VmFlags.PROT_MASK) != 0 || offset < 0 || !aligned(offset)) {
            return new MapResult.MapFailed(Errno.EINVAL);
        }
        len = pageAlignUp(len);
        long start;
        if (fixed) {
            if (!aligned(addr) || addr < MMAP_MIN_ADDR || addr > TASK_SIZE - len) {
                return new MapResult.MapFailed(addr < MMAP_MIN_ADDR && aligned(addr) ? Errno.EACCES : Errno.EINVAL);
            }
            start = addr;
        } else {
            long hint = addr & -MemSize.PAGE_SIZE;
            if (hint >= MMAP_MIN_ADDR && hint <= TASK_SIZE - len && rangeFree(hint, hint + len)) {
                start = hint;
            } else {
                start = findGapTopDown(len);
                if (start < 0) {
                    return new MapResult.MapFailed(Errno.ENOMEM);
                }
            }
        }
        SlabObject obj = vmaCache.alloc();
        if (obj == null) {
            return new MapResult.MapFailed(Errno.ENOMEM);
        }
        if (fixed && !rangeFree(start, start + len)) {
            MapResult r = munmap(start, len, unmapper);
            if (r instanceof MapResult.MapFailed) {
                vmaCache.free(obj);
                return r;
            }
        }
        int flags = prot | VmFlags.VM_MAYREAD | VmFlags.VM_MAYWRITE | VmFlags.VM_MAYEXEC;
        if (shared) {
            flags |= VmFlags.VM_SHARED | VmFlags.VM_MAYSHARE;
        } else if ((prot & VmFlags.VM_WRITE) != 0) {
            if (!enoughMemory(len >>> MemSize.PAGE_SHIFT)) {
                vmaCache.free(obj);
                return new MapResult.MapFailed(Errno.ENOMEM);
            }
            flags |= VmFlags.VM_ACCOUNT;
        }
        long pgoff = file == null ? start >>> MemSize.PAGE_SHIFT : offset >>> MemSize.PAGE_SHIFT;
        Vma v = new Vma(this, start, start + len, flags, file, pgoff, obj);
        insert(v);
        mergeAround(v);
        return new MapResult.Mapped(start);
    }

    /** Whether no VMA intersects {@code [start, end)}. */
    public boolean rangeFree(long start, long end) {
        Map.Entry<Long, Vma> below = vmas.lowerEntry(end);
        return below == null || below.getValue().end() <= start;
    }

    /** get_unmapped_area: where a mapping of {@code len} bytes with no hint would go, or a negative value. */
    public long unmappedArea(long len) {
        return findGapTopDown(pageAlignUp(len));
    }

    /** The highest start below {@link #MMAP_BASE} of a free gap of {@code len}, or a negative value. */
    private long findGapTopDown(long len) {
        long gapEnd = MMAP_BASE;
        for (Vma v : vmas.headMap(MMAP_BASE, false).descendingMap().values()) {
            if (v.end() <= gapEnd && gapEnd - v.end() >= len) {
                return gapEnd - len;
            }
            gapEnd = Math.min(gapEnd, v.start());
        }
        return gapEnd - MMAP_MIN_ADDR >= len ? gapEnd - len : -1;
    }

    /**
     * munmap: removes {@code [addr, addr + len)} (len rounded up), splitting VMAs at the ends; each
     * removed piece goes to {@code unmapper} first. Unmapping a hole is not an error.
     */
    public MapResult munmap(long addr, long len, Unmapper unmapper) {
        if (!aligned(addr) || len <= 0 || addr > TASK_SIZE || len > TASK_SIZE - addr + MemSize.PAGE_SIZE) {
            return new MapResult.MapFailed(Errno.EINVAL);
        }
        long end = Math.min(addr + pageAlignUp(len), TASK_SIZE);
        if (!reserveSplits(addr, end)) {
            return new MapResult.MapFailed(Errno.ENOMEM);
        }
        for (Vma v : overlapping(addr, end)) {
            Vma piece = isolate(v, addr, end);
            unmapper.unmap(piece);
            remove(piece);
            free(piece);
        }
        return new MapResult.Mapped(addr);
    }

    /**
     * mprotect: sets protection {@code prot} on {@code [addr, addr + len)}, which must be mapped
     * throughout (ENOMEM otherwise); pieces that changed go to {@code changer}.
     */
    public MapResult mprotect(long addr, long len, int prot, ProtChanger changer) {
        if (!aligned(addr) || len < 0 || (prot & ~VmFlags.PROT_MASK) != 0 || addr > TASK_SIZE) {
            return new MapResult.MapFailed(Errno.EINVAL);
        }
        long end = addr + pageAlignUp(len);
        if (end > TASK_SIZE) {
            return new MapResult.MapFailed(Errno.ENOMEM);
        }
        if (!mappedThroughout(addr, end) || !reserveSplits(addr, end)) {
            return new MapResult.MapFailed(Errno.ENOMEM);
        }
        List<Vma> pieces = new ArrayList<>();
        boolean refused = false;
        for (Vma v : overlapping(addr, end)) {
            Vma piece = isolate(v, addr, end);
            pieces.add(piece);
            int old = piece.flags();
            int flags = (old & ~VmFlags.PROT_MASK & ~VmFlags.VM_ACCOUNT) | prot;
            if (!piece.isShared() && ((prot & VmFlags.VM_WRITE) != 0 || (old & VmFlags.VM_ACCOUNT) != 0)) {
                if ((old & VmFlags.VM_ACCOUNT) == 0 && !enoughMemory(piece.pages())) {
                    refused = true; // mprotect_fixup: the pieces before this one keep their change
                    break;
                }
                flags |= VmFlags.VM_ACCOUNT;
            }
            account(piece, -1);
            piece.setFlags(flags);
            account(piece, +1);
            if (flags != old) {
                changer.changed(piece, old);
            }
        }
        for (Vma piece : pieces) {
            if (vmas.get(piece.start()) == piece) {
                mergeAround(piece);
            }
        }
        return refused ? new MapResult.MapFailed(Errno.ENOMEM) : new MapResult.Mapped(addr);
    }

    /**
     * madvise of a VMA flag (MADV_HUGEPAGE, MADV_NOHUGEPAGE): sets {@code set} and clears
     * {@code clear} on {@code [addr, addr + len)}, which must be mapped throughout (ENOMEM
     * otherwise), splitting and merging VMAs as mprotect does.
     */
    public MapResult madviseFlags(long addr, long len, int set, int clear) {
        if (!aligned(addr) || len < 0 || addr > TASK_SIZE) {
            return new MapResult.MapFailed(Errno.EINVAL);
        }
        long end = addr + pageAlignUp(len);
        if (end > TASK_SIZE || !mappedThroughout(addr, end) || !reserveSplits(addr, end)) {
            return new MapResult.MapFailed(Errno.ENOMEM);
        }
        List<Vma> pieces = new ArrayList<>();
        for (Vma v : overlapping(addr, end)) {
            Vma piece = isolate(v, addr, end);
            pieces.add(piece);
            piece.setFlags((piece.flags() & ~clear) | set);
        }
        for (Vma piece : pieces) {
            if (vmas.get(piece.start()) == piece) {
                mergeAround(piece);
            }
        }
        return new MapResult.Mapped(addr);
    }

    /**
     * The VMA that holds all of {@code [start, end)}, or null when no single VMA does (mremap's
     * EFAULT).
     */
    public Vma within(long start, long end) {
        Vma v = find(start);
        return v != null && end <= v.end() ? v : null;
    }

    /**
     * mremap growing in place (vma_expand): the VMA ending at {@code oldEnd} grows to {@code newEnd}
     * when nothing is mapped there; ENOMEM when something is or the commit policy refuses the
     * growth of a VM_ACCOUNT VMA.
     */
    public MapResult expand(Vma v, long newEnd) {
        if (newEnd <= v.end() || newEnd > TASK_SIZE || !rangeFree(v.end(), newEnd)) {
            return new MapResult.MapFailed(Errno.ENOMEM);
        }
        if (v.test(VmFlags.VM_ACCOUNT) && !enoughMemory((newEnd - v.end()) >>> MemSize.PAGE_SHIFT)) {
            return new MapResult.MapFailed(Errno.ENOMEM);
        }
        remove(v);
        v.setEnd(newEnd);
        insert(v);
        mergeAround(v);
        return new MapResult.Mapped(v.start());
    }

    /**
     * The first half of mremap's move (copy_vma): a VMA of {@code newLen} bytes at {@code newAddr}
     * for the pages of {@code [oldAddr, oldAddr + oldLen)}, which one VMA holds, with that VMA's
     * flags, file, page offset and anon_vma chain, so reverse maps find the pages once their
     * entries move. The caller moves the entries, then calls {@link #finishMove}. Returns null
     * (nothing changed) when slab memory or the commit policy refuses the growth.
     */
    public Vma startMove(long oldAddr, long oldLen, long newAddr, long newLen) {
        Vma v = within(oldAddr, oldAddr + oldLen);
        if (v == null || !rangeFree(newAddr, newAddr + newLen)) {
            throw new IllegalArgumentException("move of " + Long.toHexString(oldAddr) + "+" + oldLen + " to "
                    + Long.toHexString(newAddr) + ": needs one VMA for the source and a free target");
        }
        if (newLen > oldLen && v.test(VmFlags.VM_ACCOUNT) && !enoughMemory((newLen - oldLen) >>> MemSize.PAGE_SHIFT)
                || !reserveSplits(oldAddr, oldAddr + oldLen)) {
            return null;
        }
        SlabObject o = vmaCache.alloc();
        if (o == null) {
            return null;
        }
        long pgoff = v.pgoff() + ((oldAddr - v.start()) >>> MemSize.PAGE_SHIFT);
        Vma nv = new Vma(this, newAddr, newAddr + newLen, v.flags(), v.file(), pgoff, o);
        nv.setSwapReadaheadInfo(v.swapReadaheadInfo()); // copy_vma copies the whole VMA
        if (!anon.cloneChain(nv, v)) {
            vmaCache.free(o);
            return null;
        }
        nv.setAnonVma(v.anonVma());
        insert(nv);
        return nv;
    }

    /**
     * The second half of mremap's move: the old range, whose entries have moved, leaves the set
     * (with no unmapping), and the new VMA merges with its neighbours where it can.
     */
    public void finishMove(Vma moved, long oldAddr, long oldLen) {
        munmap(oldAddr, oldLen, piece -> { });
        if (vmas.get(moved.start()) == moved) {
            mergeAround(moved);
        }
    }

    /** Whether VMAs cover {@code [addr, end)} with no hole. */
    private boolean mappedThroughout(long addr, long end) {
        long cursor = addr;
        for (Vma v : overlapping(addr, end)) {
            if (v.start() > cursor) {
                return false;
            }
            cursor = v.end();
        }
        return cursor >= end;
    }

    /** Removes every VMA (exit_mmap), handing each to {@code unmapper}. */
    public void destroy(Unmapper unmapper) {
        for (Vma v : new ArrayList<>(vmas.values())) {
            unmapper.unmap(v);
            remove(v);
            free(v);
        }
    }

    /**
     * Copies the VMA set into {@code child} for fork (dup_mmap), calling {@code copier} for each
     * new VMA with its parent; a VM_DONTCOPY VMA is left out, a VM_WIPEONFORK one is copied empty
     * (no anon_vma, {@code copier} not called). Returns false when memory for the copy runs out
     * (the overcommit policy refuses a VM_ACCOUNT VMA, or slab objects for a VMA or its anon_vma
     * links run out). The VMAs copied before the failure stay in the child, with whatever PTEs
     * {@code copier} gave them, so that the caller's teardown (exit_mmap) unmaps those PTEs
     * through them: as in the kernel, where dup_mmap's failure leaves a partial mm for mmput to
     * tear down. Dropping them here would leave PTEs no VMA covers. {@code copier} returns false
     * to stop the copy (its own failure, or the parent killed while the copy charged for memory:
     * the parent's VMA set is then gone, which is why the loop walks a snapshot of it).
     */
    public boolean dupInto(Mm child, java.util.function.BiPredicate<Vma, Vma> copier) {
        if (child.vmaCount() != 0) {
            throw new IllegalStateException("fork into a non-empty address space");
        }
        List<Vma> wiped = new ArrayList<>();
        for (Vma v : List.copyOf(vmas.values())) {
            if (v.test(VmFlags.VM_DONTCOPY)) {
                continue; // MADV_DONTFORK: the child has nothing here
            }
            if (v.test(VmFlags.VM_ACCOUNT) && !child.enoughMemoryFor(this, v.pages())) {
                return false;
            }
            SlabObject o = child.vmaCache.alloc();
            if (o == null) {
                return false;
            }
            Vma copy = new Vma(child, v.start(), v.end(), v.flags(), v.file(), v.pgoff(), o);
            copy.setSwapReadaheadInfo(v.swapReadaheadInfo()); // vm_area_dup copies the whole VMA
            child.insert(copy);
            if (v.test(VmFlags.VM_WIPEONFORK)) {
                wiped.add(copy); // MADV_WIPEONFORK: the child's copy starts empty, with no anon_vma and no PTEs
                continue;
            }
            if (!child.anon.fork(copy, v)) {
                // nothing was copied into this one yet: it goes at once
                child.remove(copy);
                child.free(copy);
                return false;
            }
            if (!copier.test(v, copy)) {
                return false;
            }
        }
        // wiped copies have no anon_vma, so two whose parents' anon_vmas differed may now merge
        for (Vma w : wiped) {
            if (child.vmas.get(w.start()) == w) {
                child.mergeAround(w);
            }
        }
        return true;
    }

    /** dup_mmap's test of the parent's VM_ACCOUNT VMA against the policy, the child's pages so far counted. */
    private boolean enoughMemoryFor(Mm parent, long pages) {
        return overcommit == null || overcommit.enoughMemory(parent.totalVm, pages);
    }

    private List<Vma> overlapping(long start, long end) {
        List<Vma> out = new ArrayList<>();
        Map.Entry<Long, Vma> first = vmas.lowerEntry(start + 1);
        long from = first != null && first.getValue().end() > start ? first.getKey() : start;
        for (Vma v : vmas.subMap(from, true, end, false).values()) {
            if (v.end() > start) {
                out.add(v);
            }
        }
        return out;
    }

    /**
     * Checks that the slab objects the splits at {@code start} and {@code end} need exist: a VMA
     * and a copy of the anon_vma chain for each.
     */
    private boolean reserveSplits(long start, long end) {
        int need = 0;
        int links = 0;
        Vma a = find(start);
        if (a != null && a.start() < start) {
            need++;
            links += a.chainList().size();
        }
        Vma b = find(end - 1);
        if (b != null && b.end() > end) {
            need++;
            links += b.chainList().size();
        }
        List<SlabObject> got = new ArrayList<>();
        List<SlabObject> gotLinks = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < need && ok; i++) {
            SlabObject o = vmaCache.alloc();
            ok = o != null;
            if (ok) {
                got.add(o);
            }
        }
        for (int i = 0; i < links && ok; i++) {
            SlabObject o = chainCache.alloc();
            ok = o != null;
            if (ok) {
                gotLinks.add(o);
            }
        }
        got.forEach(vmaCache::free);
        gotLinks.forEach(chainCache::free);
        return ok;
    }

    /** Splits {@code v} so that the piece inside {@code [start, end)} is a VMA of its own; returns it. */
    private Vma isolate(Vma v, long start, long end) {
        if (v.start() < start) {
            v = splitAt(v, start);
        }
        if (v.end() > end) {
            splitAt(v, end);
        }
        return v;
    }

    /** Splits {@code v} at {@code addr}; returns the upper piece. */
    private Vma splitAt(Vma v, long addr) {
        SlabObject o = vmaCache.alloc();
        if (o == null) {
            throw new IllegalStateException("split without a reserved slab object at " + Long.toHexString(addr));
        }
        remove(v);
        Vma upper = new Vma(this, v.start(), v.end(), v.flags(), v.file(), v.pgoff(), o);
        upper.setSwapReadaheadInfo(v.swapReadaheadInfo()); // vm_area_dup copies the whole VMA
        upper.setStart(addr);
        v.setEnd(addr);
        if (!anon.cloneChain(upper, v)) {
            throw new IllegalStateException("split without reserved anon_vma chains at " + Long.toHexString(addr));
        }
        upper.setAnonVma(v.anonVma());
        insert(v);
        insert(upper);
        return upper;
    }

    private void insert(Vma v) {
        vmas.put(v.start(), v);
        index.insert(v);
        account(v, +1);
        observer.linked(v);
    }

    private void remove(Vma v) {
        if (vmas.remove(v.start()) != v) {
            throw new IllegalStateException("VMA not in the set: " + v);
        }
        index.remove(v);
        account(v, -1);
        if (cached == v) {
            cached = null;
        }
        observer.unlinked(v);
    }

    /** Frees a VMA that has left the set, with its anon_vma links (unlink_anon_vmas). */
    private void free(Vma v) {
        anon.unlink(v);
        vmaCache.free(v.slabObject());
    }

    // ---- anon_vma (see AnonVmas) ----

    /**
     * anon_vma_prepare: gives {@code v} an anon_vma before its first anonymous folio, reusing a
     * neighbour's when the two VMAs could merge and the neighbour's anon_vma is its own alone
     * (find_mergeable_anon_vma), so that they still can. Returns false when slab memory runs out.
     */
    public boolean anonVmaPrepare(Vma v) {
        if (v.anonVma() != null) {
            return true;
        }
        if (vmas.get(v.start()) != v) {
            throw new IllegalArgumentException("VMA not in this address space: " + v);
        }
        Map.Entry<Long, Vma> prevE = vmas.lowerEntry(v.start());
        Map.Entry<Long, Vma> nextE = vmas.higherEntry(v.start());
        return anon.prepare(v, prevE == null ? null : prevE.getValue(), nextE == null ? null : nextE.getValue());
    }

    private void account(Vma v, int sign) {
        totalVm += sign * v.pages();
        if (v.test(VmFlags.VM_ACCOUNT)) {
            committed += sign * v.pages();
            if (overcommit != null) {
                overcommit.account(sign * v.pages());
            }
        }
    }

    private static boolean canMerge(Vma a, Vma b) {
        return a.end() == b.start() && a.flags() == b.flags() && a.file() == b.file()
                && a.pgoff() + a.pages() == b.pgoff() && AnonVmas.mergeable(a, b);
    }

    /** Merges {@code v} with its neighbours where they are compatible (vma_merge). */
    private void mergeAround(Vma v) {
        Map.Entry<Long, Vma> nextE;
        while ((nextE = vmas.higherEntry(v.start())) != null && canMerge(v, nextE.getValue())) {
            Vma next = nextE.getValue();
            remove(next);
            remove(v);
            v.setEnd(next.end());
            AnonVmas.absorb(v, next);
            insert(v);
            free(next);
        }
        Map.Entry<Long, Vma> prevE;
        while ((prevE = vmas.lowerEntry(v.start())) != null && canMerge(prevE.getValue(), v)) {
            Vma prev = prevE.getValue();
            remove(v);
            remove(prev);
            prev.setEnd(v.end());
            AnonVmas.absorb(prev, v);
            insert(prev);
            free(v);
            v = prev;
        }
    }

    /** Recomputes the invariants of the VMA set; throws {@link IllegalStateException} on a break. */
    public void check() {
        index.check(vmas.values());
        long prevEnd = MMAP_MIN_ADDR;
        Vma prev = null;
        long total = 0;
        long acct = 0;
        for (Map.Entry<Long, Vma> e : vmas.entrySet()) {
            Vma v = e.getValue();
            if (e.getKey() != v.start() || !aligned(v.start()) || !aligned(v.end()) || v.end() <= v.start()
                    || v.end() > TASK_SIZE) {
                throw new IllegalStateException("malformed VMA " + v);
            }
            if (v.start() < prevEnd) {
                throw new IllegalStateException("VMA " + v + " overlaps or lies below its predecessor");
            }
            if (prev != null && canMerge(prev, v)) {
                throw new IllegalStateException("mergeable VMAs left apart: " + prev + " and " + v);
            }
            AnonVmas.checkChain(v);
            total += v.pages();
            if (v.test(VmFlags.VM_ACCOUNT)) {
                acct += v.pages();
            }
            prevEnd = v.end();
            prev = v;
        }
        if (total != totalVm || acct != committed) {
            throw new IllegalStateException("totalVm/committed " + totalVm + "/" + committed + " but VMAs sum to " + total + "/" + acct);
        }
    }
}
