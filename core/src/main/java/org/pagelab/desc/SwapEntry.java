package org.pagelab.desc;

/**
 * A swap entry (the kernel's swp_entry_t): slot {@code offset} of the swap area of type
 * {@code type}. It names a page that lives on swap: the swap map counts the entries that refer to
 * a slot, the swap cache is indexed by them, and a shmem file's cache slot holds one while its
 * page is swapped out.
 *
 * <p>Page tables keep the entry packed inside a non-present PTE word (the type and offset fields of
 * {@code org.pagelab.pgtable.Pte}, whose widths are {@link #TYPE_BITS} and {@link #OFFSET_BITS});
 * everywhere else it travels as this value. There is no "no entry" value: an API that may have no
 * entry to give returns null and says so. Immutable; two entries are equal when they name the same
 * slot.
 *
 * @param type   the swap area, 0 .. {@link #MAX_TYPES} - 1
 * @param offset the slot on it, 0 .. {@link #MAX_OFFSET} - 1
 */
public record SwapEntry(int type, long offset) implements CacheEntry {
    /** Width of the type field: 32 swap areas (MAX_SWAPFILES_SHIFT). */
    public static final int TYPE_BITS = 5;
    /** Width of the offset field. */
    public static final int OFFSET_BITS = 50;
    /** Number of swap types (areas) an entry can name. */
    public static final int MAX_TYPES = 1 << TYPE_BITS;
    /** One past the largest slot offset an entry can hold. */
    public static final long MAX_OFFSET = 1L << OFFSET_BITS;

    /** Requires: {@code 0 <= type < MAX_TYPES}, {@code 0 <= offset < MAX_OFFSET}; else {@link IllegalArgumentException}. */
    public SwapEntry {
        if (type < 0 || type >= MAX_TYPES) {
            throw new IllegalArgumentException("swap type out of range: " + type);
        }
        if (offset < 0 || offset >= MAX_OFFSET) {
            throw new IllegalArgumentException("swap offset out of range: 0x" + Long.toHexString(offset));
        }
    }

    /** The entry {@code n} slots further on the same area (the entries of a large folio's pages). */
    public SwapEntry plus(long n) {
        return new SwapEntry(type, offset + n);
    }

    @Override
    public String toString() {
        return "swap[type=" + type + " offset=" + offset + "]";
    }
}
