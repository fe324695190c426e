/**
 * Page tables: the four-level x86-64 translation tree of one address space and the packed entry
 * words it holds.
 *
 * <h2>The model</h2>
 * A user address space is translated by a tree of page-sized tables of 512 eight-byte entries:
 * PGD (level 4) to PUD (3) to PMD (2) to PTE (1). Each level consumes 9 bits of a 48-bit virtual
 * address; the low 12 bits are the offset in a 4 KiB page. User addresses are the lower half,
 * below 2^47. A table is a {@link org.pagelab.desc.PageTablePage} allocated from the buddy
 * allocator with {@code AllocRequest.pageTable()}, so page tables cost real frames and can fail
 * to allocate under memory pressure, as they do in the kernel.
 *
 * <p>{@link org.pagelab.pgtable.PageTable} owns one tree. Levels are allocated on first use
 * ({@code allocPteTable}, the kernel's {@code __pte_alloc} and its upper-level siblings) and
 * freed when empty ({@code freeEmptyTables}, the kernel's {@code free_pgtables}); the MMU's walk
 * ({@code pteTable}) only reads. An upper entry names its child by frame number, and the child's
 * descriptor is found through the memmap, as {@code pmd_page()} finds a struct page.
 * No PMD- or PUD-level leaf entry exists: a 2 MiB huge mapping is a PTE table marked
 * {@linkplain org.pagelab.desc.PageTablePage#huge() huge} whose 512 entries map one aligned block
 * uniformly (the kernel's pmd_trans_huge entry together with the PTE table it deposits for a
 * split). Walks see its 512 entries like any others; the memory manager
 * ({@code org.pagelab.memory.HugePmd}) keeps the mark's meaning and splits it before anything
 * changes part of such a table. This package only stores the mark; the table's invariants are the
 * memory manager's (uniform entries, inside one VMA).
 *
 * <h2>Entries</h2>
 * {@link org.pagelab.pgtable.Pte} packs an entry; its Javadoc has the full bit diagram. In short:
 * <pre>
 *   0                            none (pte_none)
 *   bit 0 = 1                    present: pfn in bits 12..51, W U A D S(pecial) NX flags
 *   bit 0 = 0, kind in bits 1..2 non-present: SWAP (type 3..7, offset 8..57),
 *                                POISON (pfn in 8..57), MIGRATION (pfn in 8..57, kept PTE bits in 3..7; only inside a migration)
 *   upper-level entry            Pte.table(pfn) = present | W | U | A | D | pfn
 * </pre>
 * A swap PTE holds a {@link org.pagelab.desc.SwapEntry} packed: {@code Pte.swap(entry)} packs it
 * (swp_entry_to_pte) and {@code Pte.swapEntry(pte)} unpacks it (pte_to_swp_entry); outside this
 * package a swap entry travels as that value, never as a raw word, and the swap map, the swap
 * cache and shmem take only the value.
 *
 * <h2>Invariants</h2>
 * Recomputed by {@link org.pagelab.pgtable.PageTable#check()}:
 * <pre>
 *   table.used == count of i with table.entries[i] != 0                 for every reachable table
 *   upper.entries[i] != 0  =&gt;  upper.entries[i] == Pte.table(pfn)
 *                          and memmap[pfn] is a live PageTablePage with level == upper.level - 1
 *   tablePages == number of tables reachable from the PGD, PGD included
 *   every non-zero entry is a word Pte can produce (Pte.isValid)
 * </pre>
 * The machine-wide checker ({@code MemoryChecker}) sees each table as a frame owned by its
 * page-table descriptor, so a leaked or doubly freed table breaks the frame-ownership invariant of
 * the memmap as well.
 *
 * <h2>Order of calls</h2>
 * <pre>
 *   fault / mapping code (future vma, memory)
 *     PageTable.allocPteTable
 *       PageAllocator.alloc(AllocRequest.pageTable())     one per missing level
 *     PageTable.setPte / getPte / pteTable
 *   unmapping (zap)
 *     PageTable.forEachPresentOrSwap                         visitor clears entries
 *     PageTable.freeEmptyTables
 *       PageAllocator.free                                   one per emptied table
 *   address-space teardown
 *     PageTable.destroy                                      after every PTE is cleared
 *       PageAllocator.free                                   remaining tables and the PGD
 * </pre>
 * This package calls only {@code desc} and {@code phys}.
 *
 * <h2>References</h2>
 * <ol>
 *   <li>arch/x86/include/asm/pgtable_types.h: the _PAGE_* bits and _PAGE_TABLE.</li>
 *   <li>arch/x86/include/asm/pgtable_64.h: the swap entry layout of x86-64.</li>
 *   <li>mm/memory.c: __pte_alloc, __pmd_alloc, __pud_alloc, free_pgtables, free_pgd_range.</li>
 *   <li>Intel SDM volume 3A, chapter 4.5, "4-Level Paging".</li>
 * </ol>
 */
package org.pagelab.pgtable;
