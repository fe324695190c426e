package org.pagelab.desc;

/**
 * Frames the allocator never manages: firmware areas and the memory that holds the memmap itself.
 * These are present but not managed pages, so they count in neither MemTotal nor MemFree.
 *
 * <p>One kind is handed out by the allocator instead: the huge zero page
 * ({@link #HUGE_ZERO_PAGE}), an order-9 block of zeros that read faults map into PMD mappings.
 * It is no folio (no LRU, no map count, no memory cgroup), as the kernel's huge_zero_page is a
 * bare compound page; it counts in MemTotal but not MemFree, and the allocator takes it back when
 * its shrinker frees it.
 */
public final class ReservedBlock extends MemDesc {
    /** The purpose of the huge zero page's block. */
    public static final String HUGE_ZERO_PAGE = "huge zero page";

    private final String purpose;

    public ReservedBlock(int pfn, int order, String purpose) {
        super(pfn, order);
        this.purpose = purpose;
    }

    /** What the frames are reserved for ("firmware", "memmap"). */
    public String purpose() {
        return purpose;
    }

    @Override
    public String kind() {
        return "reserved";
    }

    @Override
    protected String describeState() {
        return " " + purpose;
    }
}
