package org.pagelab.reclaim;

import java.util.List;
import org.pagelab.desc.Folio;

/**
 * The outcome of one pass of {@link ReclaimPolicy#shrinkActive}, in pages.
 *
 * @param nrScanned    pages scanned on the active list (counted as pgrefill)
 * @param nrTaken      pages isolated from it
 * @param nrActivate   pages put back on the active list (referenced executable file folios)
 * @param nrDeactivate pages moved to the inactive list (counted as pgdeactivate)
 * @param released     folios whose isolation reference turned out to be the last; they are off
 *                     every list with refcount zero and the caller frees them
 */
public record ShrinkActiveResult(long nrScanned, long nrTaken, long nrActivate, long nrDeactivate,
                                 List<Folio> released) {
    public ShrinkActiveResult {
        released = List.copyOf(released);
    }
}
