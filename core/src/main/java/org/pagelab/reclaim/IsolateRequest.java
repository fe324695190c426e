package org.pagelab.reclaim;

import java.util.function.Predicate;
import org.pagelab.desc.Folio;

/**
 * What the reclaim driver asks a scan of one LRU to isolate, the parts of the kernel's
 * {@code scan_control} that isolate_lru_folios reads.
 *
 * @param file          scan the file LRU (true) or the anon LRU (false)
 * @param nrToScan      pages to scan; folios skipped for {@code eligible} do not count
 * @param eligible      whether a folio may be taken at all (the kernel's zone test against
 *                      {@code reclaim_idx}); ineligible folios go back to the head of the list
 * @param mayUnmap      whether mapped folios may be taken; if not, they are rotated to the head
 */
public record IsolateRequest(boolean file, long nrToScan, Predicate<Folio> eligible, boolean mayUnmap) {
    public IsolateRequest {
        if (nrToScan < 0) {
            throw new IllegalArgumentException("negative scan count: " + nrToScan);
        }
        if (eligible == null) {
            throw new IllegalArgumentException("null eligibility test");
        }
    }

    /** A request that may take any folio, mapped or not. */
    public static IsolateRequest any(boolean file, long nrToScan) {
        return new IsolateRequest(file, nrToScan, f -> true, true);
    }
}
