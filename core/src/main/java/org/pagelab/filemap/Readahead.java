package org.pagelab.filemap;

import org.pagelab.desc.CacheEntry;
import org.pagelab.desc.Folio;
import org.pagelab.desc.FolioFlags.Flag;
import org.pagelab.desc.PageCacheFolio;
import org.pagelab.phys.AllocRequest;
import org.pagelab.phys.MemSize;
import org.pagelab.phys.PageAllocator;
import org.pagelab.stat.VmItem;
import org.pagelab.stat.VmStat;

/**
 * On-demand readahead (mm/readahead.c): reading a file brings in a window of pages ahead of the
 * request, the window grows while access stays sequential, and the next window is started early,
 * when the reader reaches the page marked with the readahead flag.
 *
 * <p>Window sizes, with {@code max} the per-file maximum (32 pages by default):
 * <pre>
 *   initial  = roundup_pow2(req) * 4   if that power of two &lt;= max/32
 *              roundup_pow2(req) * 2   if &lt;= max/4
 *              max                     otherwise
 *   next     = 4 * cur if cur &lt; max/16;  2 * cur if cur &lt;= max/2;  max otherwise
 * </pre>
 * A sync miss at index 0, after a sequential read, or larger than max starts an initial window; a
 * hit on the marker or a miss at the expected next position ramps the window up; a miss with
 * enough cached history behind it (context readahead) sizes the window from that history; any
 * other miss reads just what was asked.
 */
final class Readahead {
    /** MAX_PAGECACHE_ORDER: the largest page-cache folio, PMD-sized (HPAGE_PMD_ORDER). */
    static final int MAX_PAGECACHE_ORDER = 9;

    private final PageAllocator phys;
    private final VmStat vmstat;
    private long pagesRead;

    private LruHook lru = LruHook.NONE;

    void setLruHook(LruHook hook) {
        this.lru = hook;
    }

    private final FsTiming timing;

    Readahead(PageAllocator phys, VmStat vmstat, FsTiming timing) {
        this.timing = timing;
        this.phys = phys;
        this.vmstat = vmstat;
    }

    /** Pages brought in by readahead and single-page reads together. */
    long pagesRead() {
        return pagesRead;
    }

    static long initSize(long req, long max) {
        long n = Long.highestOneBit(Math.max(1, req));
        if (n < req) {
            n <<= 1;
        }
        if (n <= max / 32) {
            return n * 4;
        }
        if (n <= max / 4) {
            return n * 2;
        }
        return max;
    }

    static long nextSize(long cur, long max) {
        if (cur < max / 16) {
            return 4 * cur;
        }
        if (cur <= max / 2) {
            return 2 * cur;
        }
        return max;
    }

    /** page_cache_sync_ra: a read missed at {@code index}, wanting {@code req} pages. */
    void syncReadahead(OpenFile f, long index, long req) {
        ReadaheadState ra = f.ra();
        if (ra.raPages == 0) {
            readWindow(f.inode(), index, req, 0);
            return;
        }
        ondemand(f, false, index, req);
    }

    /** page_cache_async_ra: a read reached {@code marker}, the folio flagged for readahead. */
    void asyncReadahead(OpenFile f, Folio marker, long index, long req) {
        if (f.ra().raPages == 0 || marker.test(Flag.WRITEBACK)) {
            return;
        }
        marker.clear(Flag.READAHEAD);
        ondemand(f, true, marker.order(), index, req);
    }

    private void ondemand(OpenFile f, boolean hitMarker, long index, long req) {
        ondemand(f, hitMarker, 0, index, req);
    }

    /** ondemand_readahead; {@code order} is the order of the marker folio a read reached (0 on a miss). */
    private void ondemand(OpenFile f, boolean hitMarker, int order, long index, long req) {
        ReadaheadState ra = f.ra();
        long max = ra.raPages;
        PageCache mapping = f.inode().pageCache();
        boolean initial = false;
        if (index == 0) {
            initial = true;
        } else if (index == ((ra.start + ra.size - ra.asyncSize) & -(1L << order)) || index == ra.start + ra.size) {
            ra.start += ra.size;
            ra.size = Math.max(ra.size, nextSize(ra.size, max));
            ra.asyncSize = ra.size;
        } else if (hitMarker) {
            long start = nextMiss(mapping, index + 1, max);
            if (start == 0 || start - index > max) {
                return;
            }
            ra.start = start;
            ra.size = start - index + req;
            ra.size = nextSize(ra.size, max);
            ra.asyncSize = ra.size;
        } else if (req > max) {
            initial = true;
        } else if (ra.prevPos >= 0 && index - (ra.prevPos >> MemSize.PAGE_SHIFT) <= 1) {
            initial = true;
        } else {
            long history = index - 1 - prevMiss(mapping, index - 1, max);
            if (history <= req) {
                readWindow(f.inode(), index, req, 0);
                return;
            }
            if (history >= index) {
                history *= 2;
            }
            ra.start = index;
            ra.size = Math.min(history + req, max);
            ra.asyncSize = 1;
        }
        if (initial) {
            ra.start = index;
            ra.size = initSize(req, max);
            ra.asyncSize = ra.size > req ? ra.size - req : ra.size;
        }
        if (index == ra.start && ra.size == ra.asyncSize) {
            long add = nextSize(ra.size, max);
            if (ra.size + add <= max) {
                ra.asyncSize = add;
                ra.size += add;
            } else {
                ra.size = max;
                ra.asyncSize = max >> 1;
            }
        }
        raOrder(f.inode(), ra, ra.start, order);
    }

    /**
     * page_cache_ra_order: reads window {@code [index, index + ra.size)} of {@code ra}, flagging the
     * folio that holds page {@code index + ra.size - ra.asyncSize}. A page cache that takes large
     * folios ({@link PageCache#largeFolios()}) and a window of 4 pages or more get folios of
     * {@code order + 2} (at most {@link #MAX_PAGECACHE_ORDER}, and no larger than the window),
     * smaller where the index is not aligned for it or the end of file or window is near (order 1
     * is never used); any other cache, or a large folio that cannot be had or added, reads the
     * rest page by page ({@link #readWindow}, do_page_cache_ra).
     */
    void raOrder(Inode inode, ReadaheadState ra, long index, int order) {
        PageCache mapping = inode.pageCache();
        long size = inode.size();
        if (!mapping.largeFolios() || ra.size < 4 || size == 0) {
            readWindow(inode, index, ra.size, ra.asyncSize);
            return;
        }
        long limit = Math.min((size - 1) >> MemSize.PAGE_SHIFT, index + ra.size - 1);
        long mark = index + ra.size - ra.asyncSize;
        int newOrder = order;
        if (newOrder < MAX_PAGECACHE_ORDER) {
            newOrder = Math.min(MAX_PAGECACHE_ORDER, newOrder + 2);
            while ((1L << newOrder) > ra.size) {
                newOrder--;
            }
        }
        boolean failed = false;
        long read = 0;
        boolean refault = false;
        while (index <= limit) {
            int o = newOrder;
            if ((index & ((1L << o) - 1)) != 0) {
                o = Long.numberOfTrailingZeros(index);
                if (o == 1) {
                    o = 0;
                }
            }
            while (index + (1L << o) - 1 > limit) {
                if (--o == 1) {
                    o = 0;
                }
            }
            PageCacheFolio folio = allocAdd(mapping, index, o, index == (mark & -(1L << o)));
            if (folio == null) {
                failed = true;
                break;
            }
            refault |= folio.test(Flag.WORKINGSET);
            read += readFolio(inode, folio);
            index += 1L << o;
        }
        pagesRead += read;
        timing.read(read, refault);
        if (index > limit) {
            ra.size += index - limit - 1;
            ra.asyncSize += index - limit - 1;
        }
        if (failed) {
            // do_page_cache_ra from where the large allocation stopped, for the window's size
            readWindow(inode, index, ra.size, ra.asyncSize);
        }
    }

    /**
     * do_sync_mmap_readahead for a VM_HUGEPAGE mapping: the PMD-aligned window around page
     * {@code index}, two PMD-sized folios long (one with {@code randomRead}), the second one the
     * asynchronous part, read with order {@link #MAX_PAGECACHE_ORDER} folios; readahead runs even
     * when the file's window is 0, as the kernel's does.
     */
    void hugeFaultReadahead(Inode inode, ReadaheadState ra, long index, boolean randomRead) {
        int nr = 1 << MAX_PAGECACHE_ORDER;
        ra.start = index & -(long) nr;
        ra.size = randomRead ? nr : 2L * nr;
        ra.asyncSize = nr;
        raOrder(inode, ra, ra.start, MAX_PAGECACHE_ORDER);
    }

    /**
     * ra_alloc_folio: a new folio of {@code order} added at {@code index} (flagged READAHEAD when
     * {@code marker}), counting the refault of a shadow in its range once for the folio as
     * __filemap_add_folio does; null when the memory or an index node is not to be had or some
     * page of the range is cached already (-EEXIST).
     */
    private PageCacheFolio allocAdd(PageCache mapping, long index, int order, boolean marker) {
        org.pagelab.desc.Shadow shadow = null;
        for (long i = index; i < index + (1L << order); i++) {
            CacheEntry e = mapping.load(i);
            if (e instanceof Folio) {
                return null;
            }
            if (e instanceof org.pagelab.desc.Shadow s) {
                shadow = s;
            }
        }
        AllocRequest req = order == 0 ? AllocRequest.pageCache(0) : AllocRequest.readahead(order);
        PageCacheFolio folio = phys.alloc(req, PageCacheFolio::new);
        if (folio == null) {
            return null;
        }
        if (mapping.lookup(index) != null || !mapping.tryAdd(folio, index)) {
            phys.folioPut(folio); // the allocation's reclaim may have changed the range
            return null;
        }
        if (marker) {
            folio.set(Flag.READAHEAD);
        }
        if (shadow != null) {
            lru.refault(folio, shadow);
        }
        lru.add(folio);
        return folio;
    }

    /**
     * read_pages for one new folio: reads its pages from the store (uptodate when every page
     * could be read), counts pgpgin, and drops the allocation's reference. Returns its pages.
     */
    private long readFolio(Inode inode, PageCacheFolio folio) {
        if (FilemapRead.readFromStore(timing, phys, inode, folio)) {
            folio.set(Flag.UPTODATE);
        }
        vmstat.add(VmItem.PGPGIN, (long) folio.nrPages() * (MemSize.PAGE_SIZE / 1024));
        phys.folioPut(folio);
        return folio.nrPages();
    }

    /** First index in {@code [from, from + max)} without a folio, or from + max. */
    private static long nextMiss(AddressSpace<?> m, long from, long max) {
        for (long i = from; i < from + max; i++) {
            if (!(m.load(i) instanceof Folio)) {
                return i;
            }
        }
        return from + max;
    }

    /** Last index in {@code (from - max, from]} without a folio, or from - max. */
    private static long prevMiss(AddressSpace<?> m, long from, long max) {
        for (long i = from; i > from - max && i >= 0; i--) {
            if (!(m.load(i) instanceof Folio)) {
                return i;
            }
        }
        return Math.max(from - max, -1);
    }

    /**
     * page_cache_ra_unbounded, clamped to end of file: brings pages {@code [index, index + nr)}
     * into the cache, skipping those present, and flags page {@code index + nr - lookahead} as the
     * readahead marker. Stops early when memory runs out. Returns pages read.
     */
    long readWindow(Inode inode, long index, long nr, long lookahead) {
        long size = inode.size();
        if (size == 0) {
            return 0;
        }
        long endIndex = (size - 1) >> MemSize.PAGE_SHIFT;
        if (index > endIndex) {
            return 0;
        }
        if (nr > endIndex - index + 1) {
            nr = endIndex - index + 1;
        }
        PageCache mapping = inode.pageCache();
        boolean refault = false;
        long read = 0;
        for (long i = 0; i < nr; i++) {
            long idx = index + i;
            CacheEntry e = mapping.load(idx);
            if (e instanceof Folio) {
                continue;
            }
            PageCacheFolio folio = phys.alloc(AllocRequest.pageCache(0), PageCacheFolio::new);
            if (folio == null) {
                break;
            }
            if (!mapping.tryAdd(folio, idx)) {
                phys.folioPut(folio);
                break;
            }
            if (e instanceof org.pagelab.desc.Shadow s) {
                lru.refault(folio, s);
                refault |= folio.test(Flag.WORKINGSET);
            }
            lru.add(folio);
            if (i == nr - lookahead) {
                folio.set(Flag.READAHEAD);
            }
            if (!timing.fails(inode.name(), false, idx)
                    && inode.store().readPages(idx, 1, phys.contents(), folio.pfn())) {
                folio.set(Flag.UPTODATE);
            }
            vmstat.add(VmItem.PGPGIN, MemSize.PAGE_SIZE / 1024);
            phys.folioPut(folio);
            read++;
        }
        pagesRead += read;
        timing.read(read, refault);
        return read;
    }
}
