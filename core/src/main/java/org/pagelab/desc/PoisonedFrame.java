package org.pagelab.desc;

/**
 * A free frame that a memory failure took out of the buddy allocator for good (the kernel's
 * take_page_off_buddy leaves it with PG_hwpoison and no owner). It is one frame, never allocated,
 * never freed by the allocator's normal paths; unpoison gives it back
 * ({@code PageAllocator.putPageBackToBuddy}). It counts in neither MemFree nor any cache, and
 * HardwareCorrupted counts it.
 */
public final class PoisonedFrame extends MemDesc {
    /** The poisoned frame {@code pfn}. Requires: {@code pfn >= 0}. */
    public PoisonedFrame(int pfn) {
        super(pfn, 0);
    }

    @Override
    public String kind() {
        return "hwpoison";
    }

    @Override
    protected String describeState() {
        return "";
    }
}
