package org.pagelab.filemap;

/** The cache index contract, with the index built as a file's page cache builds it. */
class PageCacheIndexContractTest extends CacheIndexContract {
    @Override
    protected CacheIndex newIndex() {
        return new CacheIndex(nodeCache);
    }

    @Override
    protected String user() {
        return "page cache";
    }
}
