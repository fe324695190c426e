package org.pagelab.machine;

import org.pagelab.desc.AnonFolio;
import org.pagelab.desc.Folio;
import org.pagelab.desc.FolioFlags.Flag;
import org.pagelab.desc.FreeBlock;
import org.pagelab.desc.MemDesc;
import org.pagelab.desc.Memmap;
import org.pagelab.desc.PageCacheFolio;
import org.pagelab.desc.ShmemFolio;
import org.pagelab.desc.PageTablePage;
import org.pagelab.desc.PoisonedFrame;
import org.pagelab.desc.ReservedBlock;
import org.pagelab.desc.SlabPage;
import org.pagelab.desc.SwapBacked;
import org.pagelab.filemap.AddressSpace;
import org.pagelab.filemap.PageCache;
import org.pagelab.filemap.ShmemCache;
import org.pagelab.filemap.SwapCache;
import org.pagelab.stat.VmItem;

/**
 * The whole-machine checker: recomputes every folio's reference count from the structures that
 * hold it, and the node counters from the folios they count.
 *
 * <pre>
 *   folio.refcount == (folio in a cache ? nrPages : 0) + mapcount
 *   folio in a cache  =>  its mapping's index holds it at folio.index
 *   every folio is held by something (a folio with no holder is a leak)
 *   nr_file_pages == pages of folios in caches == sum over mappings of nrpages
 *   nr_dirty      == pages of cached folios with the dirty flag, shmem excepted
 *   nr_shmem      == pages of folios in shmem caches
 *   nr_writeback  == pages of folios with the writeback flag
 *   a large folio is anonymous, of an order 2..9 (16 KiB to PMD-sized), outside the swap cache
 *   folio.pincount == GUP pins held on it (large folios; 0 on order-0 folios)
 *   nr_anon_transparent_hugepages == mapped anonymous folios of order 9
 *   radix_tree_node objects == sum over mappings of index nodes
 * </pre>
 */
final class MemoryChecker {
    /** Order of PMD-sized folios, the ones AnonHugePages counts. */
    private static final int HPAGE_PMD_ORDER = org.pagelab.memory.MthpSettings.MAX_ORDER;
    /** The smallest order of a large anonymous folio (mTHP). */
    private static final int MIN_LARGE_ORDER = org.pagelab.memory.MthpSettings.MIN_ORDER;

    private MemoryChecker() {
    }

    static void check(Machine m) {
        Memmap memmap = m.phys().memmap();
        long cachedPages = 0;
        long dirtyPages = 0;
        long shmemPages = 0;
        long writebackPages = 0;
        long mappedHuge = 0;
        long fileHuge = 0;
        long filePmdMapped = 0;
        int p = 0;
        int n = memmap.nrFrames();
        while (p < n) {
            MemDesc d = memmap.raw(p);
            switch (d) {
                case Folio f -> {
                    int expected = (f.mapping() != null ? f.nrPages() : 0) + f.mapcount()
                            + (f.test(Flag.HWPOISON) ? 1 : 0) // memory-failure holds a poisoned folio
                            + m.gup().heldRefs(f) // gets and pins
                            + (m.writebackIo().writing(f) ? 1 : 0); // a write in flight
                    if (f.refcount() != expected) {
                        throw new IllegalStateException("refcount " + f.refcount() + " but holders account for "
                                + expected + ": " + f);
                    }
                    if (expected == 0) {
                        throw new IllegalStateException("folio held by nothing (leaked): " + f);
                    }
                    if (!f.test(Flag.HWPOISON) && (!f.test(Flag.LRU) || !m.memcg().lruvecOf(f).contains(f))) {
                        throw new IllegalStateException("live folio not on the LRU lists: " + f);
                    }
                    if (f.mapping() instanceof AddressSpace<?> as) {
                        if (as.lookup(f.index()) != f) {
                            throw new IllegalStateException(as.describeMapping() + " does not hold " + f + " at its index");
                        }
                        cachedPages += f.nrPages();
                        switch (as) {
                            case ShmemCache shm -> shmemPages += f.nrPages();
                            case PageCache pc -> {
                                if (f.test(Flag.DIRTY)) {
                                    dirtyPages += f.nrPages();
                                }
                            }
                            case SwapCache sc -> {
                            }
                        }
                    } else if (f.mapping() != null) {
                        throw new IllegalStateException("folio in an unknown kind of mapping: " + f);
                    }
                    if (f.test(Flag.WRITEBACK)) {
                        writebackPages += f.nrPages();
                    }
                    if (f.pincount() != (f.nrPages() > 1 ? m.gup().pinsOn(f) : 0)) {
                        throw new IllegalStateException("pincount " + f.pincount() + " but GUP holds "
                                + m.gup().pinsOn(f) + " pins: " + f);
                    }
                    if (f.nrPages() > 1) {
                        switch (f) {
                            case AnonFolio af -> {
                                if (af.order() < MIN_LARGE_ORDER || af.order() > HPAGE_PMD_ORDER) {
                                    throw new IllegalStateException("a large anonymous folio is of an order " + MIN_LARGE_ORDER
                                            + ".." + HPAGE_PMD_ORDER + ": " + f);
                                }
                                if (af.entireMapcount() > 0) {
                                    mappedHuge++;
                                }
                            }
                            case PageCacheFolio pcf -> {
                                // readahead's orders: 2..MAX_PAGECACHE_ORDER, in a cache that takes them
                                if (pcf.order() < 2 || pcf.order() > HPAGE_PMD_ORDER
                                        || pcf.mapping() != null && !(pcf.mapping() instanceof PageCache pc && pc.largeFolios())) {
                                    throw new IllegalStateException("a large page-cache folio is of an order 2.."
                                            + HPAGE_PMD_ORDER + " in a page cache that takes large folios: " + f);
                                }
                                if (pcf.order() == HPAGE_PMD_ORDER) {
                                    fileHuge++;
                                    if (pcf.entireMapcount() > 0) {
                                        filePmdMapped++;
                                    }
                                }
                            }
                            case ShmemFolio sf -> throw new IllegalStateException("a large shmem folio: " + f);
                        }
                    }
                    if (f.entireMapcount() > 0 && f.order() != HPAGE_PMD_ORDER) {
                        throw new IllegalStateException("entire mapcount on a folio a PMD cannot map: " + f);
                    }
                    if (f.test(Flag.SWAPBACKED) != f instanceof SwapBacked) {
                        // the flag word keeps PG_swapbacked for dumps; the kind is what code decides by
                        throw new IllegalStateException("SWAPBACKED flag disagrees with the folio's kind: " + f);
                    }
                }
                case FreeBlock fb -> {
                }
                case SlabPage s -> {
                }
                case PageTablePage t -> {
                }
                case ReservedBlock r -> {
                }
                case PoisonedFrame pf -> {
                }
                case null -> throw new IllegalStateException("frame " + p + " has no owner");
            }
            p = d.endPfn();
        }
        long[] mappingPages = {0};
        long[] nodes = {0};
        m.vfs().forEachInode(inode -> {
            mappingPages[0] += inode.mapping().nrpages();
            nodes[0] += inode.mapping().index().nodes();
        });
        mappingPages[0] += m.swap().cachedPages();
        nodes[0] += m.swap().indexNodes();
        expect(m, VmItem.NR_FILE_PAGES, cachedPages, "pages of folios in caches");
        if (mappingPages[0] != cachedPages) {
            throw new IllegalStateException("mappings hold " + mappingPages[0] + " pages but the memmap has "
                    + cachedPages + " cached pages");
        }
        expect(m, VmItem.NR_DIRTY, dirtyPages, "pages of dirty cached folios outside shmem");
        expect(m, VmItem.NR_SHMEM, shmemPages, "pages of shmem folios");
        expect(m, VmItem.NR_WRITEBACK, writebackPages, "pages of folios under writeback");
        expect(m, VmItem.NR_ANON_TRANSPARENT_HUGEPAGES, mappedHuge, "PMD-mapped anonymous folios");
        expect(m, VmItem.NR_FILE_HUGEPAGES, fileHuge, "PMD-sized page-cache folios");
        expect(m, VmItem.NR_FILE_PMDMAPPED, filePmdMapped, "PMD-mapped page-cache folios");
        if (m.radixTreeNodeCache().objectsInUse() != nodes[0]) {
            throw new IllegalStateException("radix_tree_node holds " + m.radixTreeNodeCache().objectsInUse()
                    + " objects but the indexes have " + nodes[0] + " nodes");
        }
    }

    private static void expect(Machine m, VmItem item, long recount, String what) {
        long v = m.vmstat().get(item);
        if (v != recount) {
            throw new IllegalStateException(item.kernelName() + " is " + v + " but " + what + " recount to " + recount);
        }
    }
}
