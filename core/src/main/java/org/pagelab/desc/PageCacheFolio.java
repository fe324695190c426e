package org.pagelab.desc;

/**
 * A page-cache folio: a file's data cached from its backing store (a host file or nothing). Not
 * swap-backed: reclaim writes it back to the file when dirty and drops it, leaving a shadow. Only a
 * page cache ({@code org.pagelab.filemap.PageCache}) takes it.
 */
public final class PageCacheFolio extends FileFolio {
    public PageCacheFolio(int pfn, int order) {
        super(pfn, order);
    }
}
