package org.pagelab.reclaim;

import java.util.List;
import org.pagelab.desc.Folio;

/**
 * Folios taken off one LRU list by a scan. Each holds the isolation reference and has LRU clear;
 * the caller returns them with {@link ReclaimPolicy#putback} or frees them after reclaim.
 *
 * @param folios    the isolated folios, in the order taken (tail first)
 * @param nrScanned pages scanned
 * @param nrTaken   pages isolated: the sum of {@code nrPages} over {@code folios}
 */
public record IsolateResult(List<Folio> folios, long nrScanned, long nrTaken) {
    public IsolateResult {
        folios = List.copyOf(folios);
    }
}
