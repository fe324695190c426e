package org.pagelab.desc;

/**
 * Frames the allocator never manages: firmware areas and the memory that holds the memmap itself.
 * These are present but not managed pages, so they count in neither MemTotal nor MemFree.
 */
public final class ReservedBlock extends MemDesc {
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
