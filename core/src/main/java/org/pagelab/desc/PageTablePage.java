package org.pagelab.desc;

/**
 * One page of page table: 512 entries of one level (PTE, PMD, PUD or PGD), the kernel's ptdesc.
 * Entries are packed words whose encoding belongs to the page-table code; this descriptor only
 * holds them and counts the non-empty ones so an empty table can be freed.
 */
public final class PageTablePage extends MemDesc {
    /** Entries per table page. */
    public static final int ENTRIES = 512;

    private final int level;
    private final long[] entries = new long[ENTRIES];
    private int used;
    private int memcgId;
    /** Whether this PTE table stands for one PMD entry mapping 2 MiB (pmd_trans_huge); see {@link #huge()}. */
    private boolean huge;

    /** A zeroed table of {@code level} (1 = PTE ... 4 = PGD). */
    public PageTablePage(int pfn, int level) {
        super(pfn, 0);
        if (level < 1 || level > 5) {
            throw new IllegalArgumentException("page table level " + level);
        }
        this.level = level;
    }

    public int level() {
        return level;
    }

    /**
     * Whether this PTE table stands for a huge PMD entry (pmd_trans_huge): its 512 entries map
     * the 512 pages of one PMD-sized block, uniformly, and the table is the one the kernel keeps
     * deposited for the day it splits that PMD. The page-table code keeps the meaning; this
     * descriptor only holds the mark.
     */
    public boolean huge() {
        return huge;
    }

    /** Marks or unmarks this table as a huge PMD mapping. Requires: a PTE table (level 1). */
    public void setHuge(boolean huge) {
        if (level != 1) {
            throw new IllegalStateException("only a PTE table stands for a huge PMD: " + this);
        }
        this.huge = huge;
    }

    /** The memory cgroup this table page is charged to as kernel memory (pagetables), 0 for none. */
    public int memcgId() {
        return memcgId;
    }

    public void setMemcgId(int id) {
        this.memcgId = id;
    }

    /** The entry array itself; writers must keep {@link #used()} right through {@link #set}. */
    public long[] entries() {
        return entries;
    }

    public long get(int i) {
        return entries[i];
    }

    /** Stores {@code value} at {@code i}, keeping the count of non-zero entries. */
    public void set(int i, long value) {
        long old = entries[i];
        if (old == 0 && value != 0) {
            used++;
        } else if (old != 0 && value == 0) {
            used--;
        }
        entries[i] = value;
    }

    /** Number of non-zero entries. */
    public int used() {
        return used;
    }

    @Override
    public String kind() {
        return "pagetable";
    }

    @Override
    protected String describeState() {
        return " level=" + level + " used=" + used + (huge ? " huge" : "");
    }
}
