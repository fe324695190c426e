package org.pagelab.swap;

/**
 * The outcome of taking a reference on a swap slot: {@link SwapDevice#duplicate} (the kernel's
 * swap_duplicate) and {@link SwapDevice#cachePrepare} (swapcache_prepare). Each failure names the
 * errno the kernel returns in the same situation.
 */
public enum SwapResult {
    /** The reference was taken. */
    OK,
    /** The slot is not in use (-ENOENT): no count and no swap-cache folio. */
    ENOENT,
    /** A swap-cache folio already holds the slot (-EEXIST from swapcache_prepare). */
    EEXIST,
    /**
     * The count is already {@link SwapDevice#SWAP_MAP_MAX}. The kernel would chain a swap count
     * continuation page (add_swap_count_continuation) and fail with -ENOMEM only when that page
     * cannot be allocated; this model has no continuation pages and refuses here.
     */
    COUNT_MAX
}
