package org.pagelab.desc;

/**
 * A folio whose backing store is swap: an {@link AnonFolio} or a {@link ShmemFolio}, the folios
 * the kernel marks {@code PG_swapbacked}. These, and no others, are what a swap cache holds, what
 * reclaim swaps out and what the anon LRU lists carry. Sealed, so code that must treat the two
 * apart switches over them exhaustively:
 *
 * <pre>{@code
 * switch (swapCache.lookup(entry)) {
 *     case null -> read();
 *     case AnonFolio a -> mapAnon(a);
 *     case ShmemFolio s -> backToFile(s);
 * }
 * }</pre>
 *
 * The SWAPBACKED flag is still set in the flag word of every such folio (dumps print it and the
 * LRU checker compares it with the list), but the type, not the flag, is what code decides by.
 */
public sealed interface SwapBacked permits AnonFolio, ShmemFolio {
    /** This folio, typed as one. */
    Folio folio();
}
