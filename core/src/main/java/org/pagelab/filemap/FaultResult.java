package org.pagelab.filemap;

import org.pagelab.desc.FileFolio;

/** Outcome of a page-cache lookup for a page fault: {@link Found} or {@link FaultFailed}. */
public sealed interface FaultResult permits FaultResult.Found, FaultResult.FaultFailed {

    /**
     * The page is in the cache and uptodate, a page-cache or a shmem folio; {@code major} when it
     * had to be read from the store (or from swap).
     */
    record Found(FileFolio folio, boolean major) implements FaultResult {
    }

    /**
     * No page: ENOMEM when memory ran out, EIO when the read failed, EFBIG for a page beyond the
     * end of file (SIGBUS for the faulting process).
     */
    record FaultFailed(Errno errno) implements FaultResult {
    }
}
