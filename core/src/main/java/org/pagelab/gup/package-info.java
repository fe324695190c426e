/**
 * get_user_pages and pin_user_pages, typed (mm/gup.c).
 *
 * <h2>How the kernel does it</h2>
 * Drivers and the kernel itself reach into a process's memory through GUP: it walks the page
 * table, faults pages in, and returns them with a reference held. FOLL_PIN (pin_user_pages) is
 * for pages whose contents a device will read or write (DMA): it adds a large bias to the
 * reference count (GUP_PIN_COUNTING_BIAS, 1024, for small folios) so that
 * folio_maybe_dma_pinned() can tell such folios apart, and FOLL_LONGTERM marks pins of unbounded
 * duration. COW must not break a pin: fork copies a possibly pinned exclusive anonymous page for
 * the child instead of sharing it (copy_present_page); a read-only pin of an anonymous page that
 * another process shares is taken only after unsharing it (FAULT_FLAG_UNSHARE), so that a later
 * write by the process does not move it to a copy the pin cannot see; a write fault on an
 * exclusive page reuses it; a long-term pin never holds the shared zero page or a page-cache page
 * of a private mapping, but an anonymous copy. A writable long-term pin of a shared file mapping
 * on a file system with writeback is refused: the file system could not track the writes.
 *
 * <h2>The model</h2>
 * {@link org.pagelab.gup.Gup} has three entry points instead of a flag word (get, pin,
 * pinLongterm) and records every get and pin it holds, so the machine's checker can require each
 * folio's reference count to include them. What it returns is a list of
 * {@link org.pagelab.gup.Gup.Held}, each of its kind: a page of an anonymous folio
 * ({@code Held.AnonPage}, whose folio is an {@code AnonFolio}), of a file folio
 * ({@code Held.FilePage}, a {@code FileFolio}), or the shared zero page, which is held without a
 * reference; the caller switches over them, and gives them back with put or unpin. A caller that
 * wants each page as it is taken passes a {@link org.pagelab.gup.PageVisitor}, which receives the
 * same typed folios ({@code Held.visit} hands a held page to one later). Reclaim and fork treat a folio that may be pinned (folio_maybe_dma_pinned) specially.
 *
 * <h2>Invariants</h2>
 * <pre>
 *   folio.refcount == cache + mapcount + poison hold + gets + pins * 1024
 *   nr_foll_pin_acquired - nr_foll_pin_released == pins held
 * </pre>
 *
 * <h2>Order of calls</h2>
 * Gup reaches the subsystems below through {@link org.pagelab.gup.GupHost}, which the machine
 * implements.
 * <pre>
 * Gup.pin       Mm.find (permission), MemoryManager.touch (fault in), MemoryManager.unshare
 *               (read-only pin of an anon page, or any long-term pin), Folio.refAdd(bias), visitor
 * Gup.unpin/put PageAllocator.folioPutRefs, SwapSpace.dropUnused (the holder was the last user)
 * fork          Fork.copyPtes: maybe-pinned exclusive anon page -> copy for the child
 * reclaim       ShrinkFolioList.decide: maybe-pinned -> keep (anon before swap) or activate
 * </pre>
 *
 * <h2>References</h2>
 * mm/gup.c, Documentation/core-api/pin_user_pages.rst, mm/memory.c (copy_present_page,
 * FAULT_FLAG_UNSHARE), tools/testing/selftests/mm/cow.c.
 */
package org.pagelab.gup;
