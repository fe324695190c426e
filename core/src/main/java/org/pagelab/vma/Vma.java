package org.pagelab.vma;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.pagelab.filemap.Inode;
import org.pagelab.phys.MemSize;
import org.pagelab.slab.SlabObject;

/**
 * A virtual memory area: a page-aligned range {@code [start, end)} of one address space with one
 * protection and one backing, the kernel's vm_area_struct. Each is a slab object of the
 * vm_area_struct cache while it exists.
 *
 * <p>For a file mapping, page {@code addr} maps file page {@code pgoff + (addr - start) / 4096}.
 * For an anonymous mapping {@code pgoff} is {@code start / 4096}, as the kernel sets it, so that
 * split pieces keep their linear offsets.
 */
public final class Vma {
    private long start;
    private long end;
    private int flags;
    private final Inode file;
    private long pgoff;
    private SlabObject slabObject;
    private final Mm mm;
    private AnonVma anonVma;
    private final List<AnonVmaChain> chain = new ArrayList<>(1);
    private long swapReadaheadInfo;

    Vma(Mm mm, long start, long end, int flags, Inode file, long pgoff, SlabObject slabObject) {
        this.mm = mm;
        this.start = start;
        this.end = end;
        this.flags = flags;
        this.file = file;
        this.pgoff = pgoff;
        this.slabObject = slabObject;
    }

    public long start() {
        return start;
    }

    public long end() {
        return end;
    }

    /** Length in bytes. */
    public long length() {
        return end - start;
    }

    /** Pages covered. */
    public long pages() {
        return (end - start) >>> MemSize.PAGE_SHIFT;
    }

    /** The {@link VmFlags} word. */
    public int flags() {
        return flags;
    }

    public boolean test(int flag) {
        return (flags & flag) != 0;
    }

    /** The mapped file, or null for anonymous memory. */
    public Inode file() {
        return file;
    }

    public boolean isAnonymous() {
        return file == null;
    }

    /** Whether writes are shared with other mappings (MAP_SHARED). */
    public boolean isShared() {
        return test(VmFlags.VM_SHARED);
    }

    /** File page (or linear page) of the mapping's first page. */
    public long pgoff() {
        return pgoff;
    }

    /** File page that address {@code addr} maps. Requires: {@code start <= addr < end}. */
    public long pgoffOf(long addr) {
        return pgoff + ((addr - start) >>> MemSize.PAGE_SHIFT);
    }

    public boolean contains(long addr) {
        return addr >= start && addr < end;
    }

    /** The address space this VMA belongs to (vm_mm). */
    public Mm mm() {
        return mm;
    }

    /**
     * The anon_vma that anonymous folios created in this VMA attach to, or null until the first
     * one is created ({@link Mm#anonVmaPrepare}).
     */
    public AnonVma anonVma() {
        return anonVma;
    }

    /** This VMA's links to every anon_vma whose folios it may map (vma->anon_vma_chain). */
    public List<AnonVmaChain> anonVmaChain() {
        return Collections.unmodifiableList(chain);
    }

    /**
     * The swap readahead state of this VMA (swap_readahead_info), a word that
     * {@link org.pagelab.swap.SwapReadahead} packs; 0 until the first swap fault.
     */
    public long swapReadaheadInfo() {
        return swapReadaheadInfo;
    }

    /** Sets the swap readahead state of this VMA. */
    public void setSwapReadaheadInfo(long word) {
        this.swapReadaheadInfo = word;
    }

    /** The address at which this VMA maps linear page {@code index}, or -1 when outside it (vma_address). */
    public long addressOf(long index) {
        if (index < pgoff || index - pgoff >= pages()) {
            return -1;
        }
        return start + ((index - pgoff) << MemSize.PAGE_SHIFT);
    }

    void setAnonVma(AnonVma a) {
        this.anonVma = a;
    }

    List<AnonVmaChain> chainList() {
        return chain;
    }

    SlabObject slabObject() {
        return slabObject;
    }

    void setSlabObject(SlabObject o) {
        this.slabObject = o;
    }

    void setFlags(int flags) {
        this.flags = flags;
    }

    void setStart(long start) {
        this.pgoff += (start - this.start) >> MemSize.PAGE_SHIFT;
        this.start = start;
    }

    void setEnd(long end) {
        this.end = end;
    }

    @Override
    public String toString() {
        return String.format("%012x-%012x %s %08x %s", start, end, VmFlags.describe(flags), pgoff << MemSize.PAGE_SHIFT,
                file == null ? "" : file.name());
    }
}
