package org.pagelab.desc;

/**
 * A memory descriptor: the typed owner of a naturally aligned block of 2^order physical frames.
 *
 * <p>Every frame of the machine is owned by exactly one descriptor at a time. A descriptor knows
 * its first frame ({@link #pfn()}) and its {@link #order()}; the frame at {@code pfn} within it is
 * subpage {@code pfn - desc.pfn()}. There are no tail-page objects.
 *
 * <p>The hierarchy is sealed so that code which must treat kinds differently does an exhaustive
 * {@code switch}. The permitted kinds:
 * <ul>
 *   <li>{@link FreeBlock}: a block on the buddy allocator's free lists;</li>
 *   <li>{@link Folio}: mappable memory, either {@link AnonFolio} or {@link FileFolio}, the latter
 *       a {@link PageCacheFolio} or a {@link ShmemFolio};</li>
 *   <li>{@link SlabPage}: frames carved into kernel objects;</li>
 *   <li>{@link PageTablePage}: one page-table level;</li>
 *   <li>{@link ReservedBlock}: frames the allocator never manages (firmware, memmap);</li>
 *   <li>{@link PoisonedFrame}: a free frame a memory failure took out of the allocator.</li>
 * </ul>
 *
 * <p>The {@code prev}/{@code next}/{@code list} links let a descriptor sit on one intrusive
 * {@link DescList} at a time: a free list, a slab partial list or an LRU list. Which kind of list is
 * decided by the descriptor's type, so the links never mean two things at once.
 */
public abstract sealed class MemDesc
        permits FreeBlock, Folio, SlabPage, PageTablePage, ReservedBlock, PoisonedFrame {

    /** Largest buddy order: blocks of up to 2^10 frames (4 MiB). */
    public static final int MAX_ORDER = 10;
    /**
     * log2 of {@link #PAGE_SIZE}: the one declaration of the page size, on the lowest floor so that
     * every package can use it; every other constant for it ({@code MemSize.PAGE_SHIFT},
     * {@code PageTable.PAGE_SHIFT}, trace's {@code Access.PAGE_SHIFT}, the classes' PAGE aliases) is this.
     */
    public static final int PAGE_SHIFT = 12;
    /** Bytes per frame (PAGE_SIZE, 4 KiB). */
    public static final int PAGE_SIZE = 1 << PAGE_SHIFT;

    private final int pfn;
    private final byte order;
    private boolean dead;

    MemDesc prev;
    MemDesc next;
    DescList<?> list;

    /**
     * Creates a descriptor for frames {@code [pfn, pfn + 2^order)}.
     * Requires: {@code pfn >= 0}, {@code 0 <= order <= MAX_ORDER}, {@code pfn} aligned to 2^order.
     */
    protected MemDesc(int pfn, int order) {
        if (order < 0 || order > MAX_ORDER) {
            throw new IllegalArgumentException("order out of range: " + order);
        }
        if (pfn < 0 || (pfn & ((1 << order) - 1)) != 0) {
            throw new IllegalArgumentException("pfn " + pfn + " not aligned to order " + order);
        }
        this.pfn = pfn;
        this.order = (byte) order;
    }

    /** First frame number owned by this descriptor. */
    public final int pfn() {
        return pfn;
    }

    /** log2 of the number of frames owned. */
    public final int order() {
        return order;
    }

    /** Number of frames owned: 2^order. */
    public final int nrPages() {
        return 1 << order;
    }

    /** One past the last frame owned. */
    public final int endPfn() {
        return pfn + (1 << order);
    }

    /** Whether {@code p} is one of this descriptor's frames. */
    public final boolean contains(int p) {
        return p >= pfn && p < pfn + (1 << order);
    }

    /** The list this descriptor is linked on, or null. */
    public final DescList<?> list() {
        return list;
    }

    /** Whether the descriptor has been given back to the allocator (its frames belong to another). */
    public final boolean isDead() {
        return dead;
    }

    /** Marks the descriptor as released; any later use is a bug the checkers report. */
    public final void markDead() {
        if (list != null) {
            throw new IllegalStateException("descriptor still on a list: " + this);
        }
        dead = true;
    }

    /** Short kind name used in dumps and reports. */
    public abstract String kind();

    @Override
    public String toString() {
        return kind() + "[pfn=" + pfn + " order=" + order + (dead ? " dead" : "") + describeState() + "]";
    }

    /** Kind-specific state for dumps, starting with a space, or empty. */
    protected String describeState() {
        return "";
    }
}
