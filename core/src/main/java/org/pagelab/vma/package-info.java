/**
 * Virtual memory areas: the VMA set of an address space and the kernel's mmap, munmap and
 * mprotect rules at the VMA level (mm/mmap.c, mm/vma.c, mm/mprotect.c).
 *
 * <h2>The model</h2>
 * An address space is a set of non-overlapping, page-aligned {@link org.pagelab.vma.Vma}s between
 * {@code mmap_min_addr} (64 KiB) and {@code TASK_SIZE} (2^47 less one page), kept in address
 * order. Each VMA has protection and sharing flags with the kernel's bit values
 * ({@link org.pagelab.vma.VmFlags}), and either a file and the file page of its first page, or
 * nothing (anonymous; its page offset is then its linear page number, as the kernel sets it).
 * Each VMA is a vm_area_struct slab object, so Slab counts them. An {@link org.pagelab.vma.Mm.Observer}
 * sees every VMA enter and leave the set, which is how the files' reverse maps follow them.
 *
 * <p>The rules implemented, with the kernel's errors:
 * <ul>
 *   <li>mmap: length rounded up to pages, zero length or a misaligned offset EINVAL; MAP_FIXED
 *       needs an aligned address (EINVAL) at or above mmap_min_addr (EACCES) and replaces what
 *       was there; otherwise a free hint is used as is, else the highest free gap below the mmap
 *       base (top-down placement), else ENOMEM.</li>
 *   <li>munmap: aligned address (EINVAL), length rounded up, VMAs split at both ends; unmapping
 *       a hole succeeds.</li>
 *   <li>mprotect: aligned address (EINVAL), the whole range must be mapped (ENOMEM), split at the
 *       ends, then adjacent compatible VMAs merge again.</li>
 *   <li>Merging (vma_merge): neighbours with equal flags, the same file, contiguous page
 *       offsets and compatible anon_vmas (the same one, or only one has one and did not inherit
 *       it through fork) become one VMA.</li>
 *   <li>anon_vmas ({@link org.pagelab.vma.AnonVma}, with {@link org.pagelab.vma.AnonVmaChain}
 *       links): prepared at a VMA's first anonymous folio, cloned onto both pieces of a split,
 *       forked with the address space, unlinked with the VMA, moved to the survivor of a merge
 *       ({@code AnonVmas}, which {@code Mm} calls from each VMA operation); see
 *       {@code org.pagelab.rmap}.</li>
 *   <li>Commit accounting: private writable mappings carry VM_ACCOUNT and count in
 *       Committed_AS; making a private mapping writable accounts it. The machine's
 *       {@link org.pagelab.vma.Overcommit} (vm.overcommit_memory 0/1/2) judges each new
 *       commitment first, as __vm_enough_memory does in mmap_region, mprotect_fixup and
 *       dup_mmap, and keeps vm_committed_as.</li>
 * </ul>
 * Page tables are not this package's: each piece leaving the set or changing protection is given
 * to a callback, so the fault code zaps or write-protects its PTEs.
 *
 * <h2>Invariants</h2>
 * Recomputed by {@link org.pagelab.vma.Mm#check()}:
 * <pre>
 *   mmap_min_addr &lt;= v.start &lt; v.end &lt;= TASK_SIZE, both page aligned
 *   v[i].end &lt;= v[i+1].start;  no two adjacent VMAs mergeable
 *   totalVm   == sum of v.pages;  committed == sum of v.pages with VM_ACCOUNT
 *   vm_committed_as (Overcommit) == sum of committed over live address spaces (Machine.check)
 *   v.anonVma == null  iff  v's chain is empty; v's chain links v to v.anonVma and to live anon_vmas
 * </pre>
 *
 * <h2>Order of calls</h2>
 * <pre>
 * Mm.mmap     KmemCache.alloc (vm_area_struct); for MAP_FIXED, Mm.munmap first
 * Mm.munmap   split (KmemCache.alloc), Unmapper.unmap (caller zaps PTEs), KmemCache.free
 * Mm.mprotect split, ProtChanger.changed (caller write-protects PTEs), merge
 * </pre>
 *
 * <h2>References</h2>
 * mm/mmap.c (do_mmap, get_unmapped_area, vm_unmapped_area), mm/mprotect.c (mprotect_fixup),
 * Documentation/admin-guide/mm/overcommit-accounting.rst (Committed_AS).
 */
package org.pagelab.vma;
