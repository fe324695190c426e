package org.pagelab.desc;

/**
 * What a slot of a cache index holds when it is not empty: a resident {@link Folio}, or the
 * {@link Shadow} that reclaim left behind when it evicted one. The page cache, the swap cache and
 * shmem all store these, and callers dispatch on them with an exhaustive switch:
 *
 * <pre>{@code
 * switch (index.load(i)) {
 *     case null -> miss();
 *     case Folio f -> hit(f);
 *     case Shadow s -> refault(s);
 * }
 * }</pre>
 */
public sealed interface CacheEntry permits Folio, Shadow {
}
