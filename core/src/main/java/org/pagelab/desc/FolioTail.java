package org.pagelab.desc;

/**
 * What only a large folio needs: the counts the kernel keeps in a folio's first tail pages
 * ({@code _pincount}, {@code _entire_mapcount}) and PageAnonExclusive of the pages after the
 * first, which the kernel keeps in each tail page's flags. An order-0 folio has no tail pages and
 * no object of this class; a large folio gets one the first time one of these values is set.
 *
 * <p>Kept out of {@link Folio} itself so that an order-0 descriptor stays within the metadata
 * budget (docs/performance.md): three more fields in every {@link AnonFolio} made it 80 bytes
 * instead of 72, eight bytes more for every resident 4 KiB page; here they cost one reference
 * per folio and, per large folio that uses them, one small object spread over its pages.
 *
 * <p>Invariants: {@code pincount >= 0}, {@code entireMapcount >= 0}; {@code sharedPages} is null or
 * has a bit for each page of the folio.
 */
final class FolioTail {
    /** GUP pins on the folio (folio->_pincount). */
    int pincount;
    /** Huge PMD entries that map the whole folio (folio->_entire_mapcount); anonymous folios only. */
    int entireMapcount;
    /** Pages of an anonymous folio that lost PageAnonExclusive, a bit each, or null while none has. */
    long[] sharedPages;
}
