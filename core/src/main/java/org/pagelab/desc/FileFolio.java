package org.pagelab.desc;

/**
 * A folio of a file, mapped through the file's address space: what rmap walks through the file's
 * mappings, what a shared file mapping maps and GUP hands back as a file page. Two kinds, told
 * apart by their type, because the kernel treats them differently wherever it asks
 * {@code folio_test_swapbacked} or {@code shmem_mapping}:
 * <ul>
 *   <li>{@link PageCacheFolio}: the page cache of a file with a backing store; written back to
 *       it, dirty-accounted, on the file LRU;</li>
 *   <li>{@link ShmemFolio}: a page of a shmem or tmpfs file; its only backing is swap, so it is
 *       swap-backed, on the anon LRU, and can move into a swap cache.</li>
 * </ul>
 * Both print as "file" in dumps, as the one kind did before the split.
 */
public abstract sealed class FileFolio extends Folio permits PageCacheFolio, ShmemFolio {
    FileFolio(int pfn, int order) {
        super(pfn, order);
    }

    @Override
    public final String kind() {
        return "file";
    }
}
