package org.pagelab.desc;

/**
 * A page-cache folio of a file. Shmem and tmpfs folios are file folios too; they are additionally
 * swap-backed and can move into a swap cache.
 */
public final class FileFolio extends Folio {
    public FileFolio(int pfn, int order) {
        super(pfn, order);
    }

    @Override
    public String kind() {
        return "file";
    }
}
