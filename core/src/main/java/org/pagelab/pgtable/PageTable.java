package org.pagelab.pgtable;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.pagelab.desc.Folio;
import org.pagelab.desc.MemDesc;
import org.pagelab.desc.Memmap;
import org.pagelab.desc.PageTablePage;
import org.pagelab.phys.AllocRequest;
import org.pagelab.phys.MemSize;
import org.pagelab.phys.PageAllocator;

/**
 * The four-level page table of one address space: a PGD page and the PUD, PMD and PTE pages
 * below it, each a {@link PageTablePage} allocated from the buddy allocator.
 *
 * <p>A 48-bit virtual address splits as
 * <pre>
 *   47      39 38      30 29      21 20      12 11        0
 *  +----------+----------+----------+----------+-----------+
 *  | PGD (9)  | PUD (9)  | PMD (9)  | PTE (9)  | offset(12)|
 *  +----------+----------+----------+----------+-----------+
 * </pre>
 * and only user addresses, below {@link #USER_END} = 2^47, are accepted. Upper entries are
 * {@link Pte#table(int)} words naming the frame of the next table; the descriptor of that table is
 * the memmap's owner of the frame.
 *
 * <p>Invariants, recomputed by {@link #check()}:
 * <pre>
 *   table.used == number of non-zero entries of table
 *   upper entry e != 0  =&gt;  e == Pte.table(pfn) and memmap[pfn] is a live PageTablePage of level - 1
 *   tablePages == number of tables reachable from the PGD (PGD included)
 * </pre>
 * Requires for every method: {@link #destroy()} has not been called.
 */
public final class PageTable {
    /** Bits of a virtual address translated by one table level. */
    public static final int LEVEL_BITS = 9;
    /** Number of levels: PGD, PUD, PMD, PTE. */
    public static final int LEVELS = 4;
    /** log2 of the page size. */
    public static final int PAGE_SHIFT = MemSize.PAGE_SHIFT;
    /** Bytes in a page. */
    public static final long PAGE_SIZE = MemSize.PAGE_SIZE;
    /** Shift of the PMD index: bytes covered by one PTE table. */
    public static final int PMD_SHIFT = PAGE_SHIFT + LEVEL_BITS;
    /** Shift of the PUD index: bytes covered by one PMD table. */
    public static final int PUD_SHIFT = PMD_SHIFT + LEVEL_BITS;
    /** Shift of the PGD index: bytes covered by one PUD table. */
    public static final int PGDIR_SHIFT = PUD_SHIFT + LEVEL_BITS;
    /** Width of a virtual address. */
    public static final int VA_BITS = PGDIR_SHIFT + LEVEL_BITS;
    /** One past the highest user address: the lower half of the 48-bit space. */
    public static final long USER_END = 1L << (VA_BITS - 1);

    private static final int INDEX_MASK = (1 << LEVEL_BITS) - 1;

    static {
        if (1 << LEVEL_BITS != PageTablePage.ENTRIES || VA_BITS != 48) {
            throw new ExceptionInInitializerError("page table geometry does not match PageTablePage");
        }
    }

    private final PageAllocator phys;
    private PageTablePage pgd;
    private long tablePages;

    private PageTable(PageAllocator phys, PageTablePage pgd) {
        this.phys = phys;
        this.pgd = pgd;
        this.tablePages = 1;
    }

    /**
     * vm_normal_folio: the folio whose page PTE word {@code pte} maps, found in {@code memmap};
     * null for a PTE that maps no folio (empty, a swap or poison entry, or a special PTE such as
     * the zero page's). A normal present PTE whose frame no folio owns is a broken invariant.
     */
    public static Folio normalFolio(Memmap memmap, long pte) {
        if (!Pte.isPresent(pte) || Pte.special(pte)) {
            return null;
        }
        MemDesc d = memmap.raw(Pte.pfn(pte));
        if (d instanceof Folio f) {
            return f;
        }
        throw new IllegalStateException("present PTE " + Pte.describe(pte) + " maps " + d + ", not a folio");
    }

    /** A page table with an empty PGD allocated from {@code phys}, or null when no page is free. */
    public static PageTable create(PageAllocator phys) {
        PageTablePage pgd = allocTable(phys, LEVELS);
        return pgd == null ? null : new PageTable(phys, pgd);
    }

    private static PageTablePage allocTable(PageAllocator phys, int level) {
        return phys.alloc(AllocRequest.pageTable(), (pfn, order) -> new PageTablePage(pfn, level));
    }

    /** The root table. */
    public PageTablePage pgd() {
        return pgd;
    }

    /** Number of table pages of this address space, the PGD included (its nr_page_table_pages). */
    public long tablePages() {
        return tablePages;
    }

    /** Index of {@code addr} in a table of {@code level} (1 = PTE ... 4 = PGD). */
    public static int index(long addr, int level) {
        return (int) (addr >>> (PAGE_SHIFT + LEVEL_BITS * (level - 1))) & INDEX_MASK;
    }

    /** Index of {@code addr} in its PTE table (pte_index). */
    public static int pteIndex(long addr) {
        return (int) (addr >>> PAGE_SHIFT) & INDEX_MASK;
    }

    /** Bytes of address space covered by one entry of a table of {@code level}. */
    public static long entrySpan(int level) {
        return 1L << (PAGE_SHIFT + LEVEL_BITS * (level - 1));
    }

    // ---- walks ----

    /**
     * The PTE table covering {@code addr}, or null when a level on the way is absent. Allocates
     * nothing: the MMU's walk on a memory access.
     */
    public PageTablePage pteTable(long addr) {
        checkAddr(addr);
        final PageTablePage pgdTable = pgd;
        final long pgdEntry = pgdTable.get(index(addr, 4));
        if (pgdEntry == 0) {
            return null;
        }
        final long pudEntry = child(pgdEntry).get(index(addr, 3));
        if (pudEntry == 0) {
            return null;
        }
        final long pmdEntry = child(pudEntry).get(index(addr, 2));
        if (pmdEntry == 0) {
            return null;
        }
        return child(pmdEntry);
    }

    /**
     * The PTE table covering {@code addr}, allocating the missing PUD, PMD and PTE tables on the way
     * (__pte_alloc and its upper-level siblings). Returns null when a table page cannot be had;
     * tables allocated before the failure stay linked and empty, to be freed by
     * {@link #freeEmptyTables}.
     */
    public PageTablePage allocPteTable(long addr) {
        checkAddr(addr);
        PageTablePage t = pgd;
        for (int level = LEVELS; level > 1; level--) {
            int i = index(addr, level);
            long e = t.get(i);
            if (e == 0) {
                PageTablePage c = allocTable(phys, level - 1);
                if (c == null) {
                    return null;
                }
                tablePages++;
                t.set(i, Pte.table(c.pfn()));
                t = c;
            } else {
                t = child(e);
            }
        }
        return t;
    }

    /** The PTE for {@code addr}; 0 when it or its table is absent. */
    public long getPte(long addr) {
        PageTablePage t = pteTable(addr);
        return t == null ? 0 : t.get(pteIndex(addr));
    }

    /**
     * Stores {@code pte} as the entry for {@code addr}; 0 clears it.
     * Requires: the PTE table covering {@code addr} exists ({@link #allocPteTable}).
     */
    public void setPte(long addr, long pte) {
        PageTablePage t = pteTable(addr);
        if (t == null) {
            throw new IllegalStateException("no PTE table covers 0x" + Long.toHexString(addr));
        }
        t.set(pteIndex(addr), pte);
    }

    /**
     * Calls {@code v} for every non-empty PTE of the page-aligned range {@code [start, end)}, in
     * address order, skipping absent tables. Requires: {@code 0 <= start <= end <= USER_END}.
     */
    public void forEachPresentOrSwap(long start, long end, PteVisitor v) {
        checkRange(start, end);
        if (start < end) {
            walk(pgd, LEVELS, 0, start, end, v);
        }
    }

    private void walk(PageTablePage t, int level, long base, long start, long end, PteVisitor v) {
        final long span = entrySpan(level);
        final int from = index(Math.max(start, base), level);
        final long last = Math.min(end, base + span * PageTablePage.ENTRIES) - 1;
        final int to = index(last, level);
        final long[] entries = t.entries();
        for (int i = from; i <= to; i++) {
            final long e = entries[i];
            if (e == 0) {
                continue;
            }
            final long addr = base + i * span;
            if (level == 1) {
                v.visit(addr, t, i, e);
            } else {
                walk(child(e), level - 1, addr, start, end, v);
            }
        }
    }

    /**
     * Frees the PTE, PMD and PUD tables meeting {@code [start, end)} that hold no non-zero entry,
     * clearing the entries that pointed at them, bottom up so that a parent emptied by the walk
     * goes too (free_pgtables). The PGD stays. An empty table holds nothing, so freeing one that
     * also covers addresses outside the range loses nothing.
     * Requires: {@code 0 <= start <= end <= USER_END}.
     */
    public void freeEmptyTables(long start, long end) {
        checkRange(start, end);
        if (start < end) {
            freeEmpty(pgd, LEVELS, 0, start, end);
        }
    }

    private void freeEmpty(PageTablePage t, int level, long base, long start, long end) {
        final long span = entrySpan(level);
        final int from = index(Math.max(start, base), level);
        final int to = index(Math.min(end, base + span * PageTablePage.ENTRIES) - 1, level);
        for (int i = from; i <= to; i++) {
            long e = t.get(i);
            if (e == 0) {
                continue;
            }
            PageTablePage c = child(e);
            if (level > 2) {
                freeEmpty(c, level - 1, base + i * span, start, end);
            }
            if (c.used() == 0) {
                t.set(i, 0);
                freeTable(c);
            }
        }
    }

    /**
     * Frees every table, the PGD included; the page table is unusable afterwards.
     * Requires: every PTE is already cleared (otherwise throws, naming the first address, and
     * frees nothing).
     */
    public void destroy() {
        forEachPresentOrSwap(0, USER_END, (addr, table, index, pte) -> {
            throw new IllegalStateException("destroying a page table that still maps 0x"
                    + Long.toHexString(addr) + ": " + Pte.describe(pte));
        });
        freeEmptyTables(0, USER_END);
        if (pgd.used() != 0 || tablePages != 1) {
            throw new IllegalStateException("page table not empty after freeing its tables: " + pgd
                    + " tablePages=" + tablePages);
        }
        freeTable(pgd);
        pgd = null;
    }

    private void freeTable(PageTablePage t) {
        phys.free(t);
        tablePages--;
    }

    /** The table an upper entry points at. */
    private PageTablePage child(long entry) {
        return (PageTablePage) phys.memmap().raw(Pte.pfn(entry));
    }

    // ---- checking ----

    /** Recomputes the invariants of the class comment; throws IllegalStateException on the first broken one. */
    public void check() {
        if (pgd == null) {
            throw new IllegalStateException("page table used after destroy");
        }
        Set<PageTablePage> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        checkTable(pgd, LEVELS, 0, seen);
        if (seen.size() != tablePages) {
            throw new IllegalStateException("tablePages=" + tablePages + " but " + seen.size()
                    + " tables are reachable");
        }
    }

    private void checkTable(PageTablePage t, int level, long base, Set<PageTablePage> seen) {
        if (t.level() != level) {
            throw new IllegalStateException("table at 0x" + Long.toHexString(base) + " should be level "
                    + level + ": " + t);
        }
        if (t.isDead() || phys.memmap().raw(t.pfn()) != t) {
            throw new IllegalStateException("table at 0x" + Long.toHexString(base)
                    + " does not own its frame: " + t);
        }
        if (!seen.add(t)) {
            throw new IllegalStateException("table reachable twice: " + t);
        }
        final long span = entrySpan(level);
        int nonZero = 0;
        for (int i = 0; i < PageTablePage.ENTRIES; i++) {
            long e = t.get(i);
            if (e == 0) {
                continue;
            }
            nonZero++;
            long addr = base + i * span;
            if (level == LEVELS && addr >= USER_END) {
                throw new IllegalStateException("PGD entry " + i + " maps kernel space: " + Pte.describe(e));
            }
            if (!Pte.isValid(e)) {
                throw new IllegalStateException("malformed entry at 0x" + Long.toHexString(addr) + " level "
                        + level + ": " + Pte.describe(e));
            }
            if (level == 1) {
                continue;
            }
            if (!Pte.isPresent(e) || e != Pte.table(Pte.pfn(e))) {
                throw new IllegalStateException("upper entry at 0x" + Long.toHexString(addr) + " level " + level
                        + " is not a table entry: " + Pte.describe(e));
            }
            int pfn = Pte.pfn(e);
            MemDesc d = pfn < phys.memmap().nrFrames() ? phys.memmap().raw(pfn) : null;
            if (!(d instanceof PageTablePage c)) {
                throw new IllegalStateException("upper entry at 0x" + Long.toHexString(addr) + " level " + level
                        + " points at " + d + " instead of a page table");
            }
            checkTable(c, level - 1, addr, seen);
        }
        if (nonZero != t.used()) {
            throw new IllegalStateException("table at 0x" + Long.toHexString(base) + " has " + nonZero
                    + " non-zero entries but used() is " + t.used() + ": " + t);
        }
    }

    // ---- argument checks ----

    private static void checkAddr(long addr) {
        if (addr < 0 || addr >= USER_END) {
            throw new IllegalArgumentException("not a user address: 0x" + Long.toHexString(addr));
        }
    }

    private static void checkRange(long start, long end) {
        if (start < 0 || end > USER_END || start > end) {
            throw new IllegalArgumentException("bad user range [0x" + Long.toHexString(start) + ", 0x"
                    + Long.toHexString(end) + ")");
        }
    }
}
