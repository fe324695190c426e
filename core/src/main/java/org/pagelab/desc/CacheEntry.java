package org.pagelab.desc;

/**
 * What a slot of a cache index holds when it is not empty: a resident {@link Folio}, the
 * {@link Shadow} that reclaim left behind when it evicted one (page cache, swap cache), or the
 * {@link SwapEntry} of a shmem page that went to swap (shmem only). Shadows and swap entries are
 * the index's value entries (xa_is_value): they count alike in its node statistics. Callers
 * dispatch with an exhaustive switch:
 *
 * <pre>{@code
 * switch (index.load(i)) {
 *     case null -> miss();
 *     case Folio f -> hit(f);
 *     case Shadow s -> refault(s);
 *     case SwapEntry e -> swapIn(e);
 * }
 * }</pre>
 */
public sealed interface CacheEntry permits Folio, Shadow, SwapEntry {
}
