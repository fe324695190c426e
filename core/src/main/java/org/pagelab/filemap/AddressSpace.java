package org.pagelab.filemap;

import org.pagelab.desc.CacheEntry;
import org.pagelab.desc.Folio;
import org.pagelab.desc.FolioFlags.Flag;
import org.pagelab.desc.FolioMapping;
import org.pagelab.desc.Shadow;
import org.pagelab.phys.PageAllocator;
import org.pagelab.slab.KmemCache;
import org.pagelab.stat.VmItem;
import org.pagelab.stat.VmStat;

/**
 * The shared cache: one {@link CacheIndex} of folios and value entries with the accounting the
 * kernel's address_space does. It is sealed over the three users of the cache, which differ in
 * what they hold and account, not in structure:
 * <pre>
 * sealed AddressSpace&lt;F&gt;
 *   +-- sealed FileCache&lt;F extends FileFolio&gt;   a file's cache; its host is the inode
 *   |     +-- PageCache     PageCacheFolios and shadows; dirty-tagged and -counted, buffer heads
 *   |     +-- ShmemCache    ShmemFolios and the SwapEntries of pages out in swap; NR_SHMEM
 *   +-- SwapCache           SwapBacked folios (anon and shmem) and shadows, by swap slot
 * </pre>
 * The type parameter is the kind of folio the cache holds, and each cache's add takes only its
 * own kind: a page cache {@link org.pagelab.desc.PageCacheFolio}s, a shmem cache
 * {@link org.pagelab.desc.ShmemFolio}s, a swap cache {@link org.pagelab.desc.SwapBacked} folios,
 * so a folio of the wrong kind cannot be added, and {@link #lookup} hands a file cache's folios
 * back as their kind. What the kernel decides by
 * {@code shmem_mapping} or {@code mapping->a_ops} (dirty accounting, buffer heads, swap entries in
 * the index) is decided here by which class the cache is. Code that works on any cache takes an
 * {@code AddressSpace<?>}; it can read, mark and remove, but not add.
 *
 * <p>A folio in the cache holds one reference per page for the cache, sits in every slot its pages
 * cover, and has {@code mapping == this} and {@code index ==} its first slot.
 *
 * <p>Invariants (checked by {@link #check()}):
 * <pre>
 *   nrpages  == sum over folios f in the index of f.nrPages
 *   for every slot i holding folio f: f.mapping == this and f.index &lt;= i &lt; f.index + f.nrPages
 *   for every folio f in the index: f.index % f.nrPages == 0 and every slot of its range holds f
 *   first slot of folio f marked DIRTY      iff f has the dirty flag and the cache tags dirt (a page cache)
 *   first slot of folio f marked WRITEBACK  iff f has the writeback flag
 * </pre>
 */
public abstract sealed class AddressSpace<F extends Folio> implements FolioMapping permits FileCache, SwapCache {

    /** Which user of the shared cache an instance serves (for dumps and tests; code decides by the class). */
    public enum Kind { PAGE_CACHE, SWAP_CACHE, SHMEM }

    private final Kind kind;
    private final Class<F> folios;
    private final String owner;
    private final CacheIndex index;
    private final PageAllocator phys;
    final VmStat vmstat;
    private long nrpages;

    /** An empty cache of {@code kind} holding {@code folios}, described as {@code owner}, with index nodes from {@code nodeCache}. */
    AddressSpace(Kind kind, Class<F> folios, String owner, KmemCache nodeCache, PageAllocator phys, VmStat vmstat) {
        this.kind = kind;
        this.folios = folios;
        this.owner = owner;
        this.index = new CacheIndex(nodeCache);
        this.phys = phys;
        this.vmstat = vmstat;
    }

    /** The empty page cache of a file, described as {@code owner}, with index nodes from {@code nodeCache}. */
    public static PageCache pageCache(String owner, KmemCache nodeCache, PageAllocator phys, VmStat vmstat) {
        return new PageCache(owner, nodeCache, phys, vmstat);
    }

    /** The empty cache of a shmem inode, which also keeps the swap entries of its pages out on swap. */
    public static ShmemCache shmem(String owner, KmemCache nodeCache, PageAllocator phys, VmStat vmstat) {
        return new ShmemCache(owner, nodeCache, phys, vmstat);
    }

    /** The empty swap cache of a swap area: anonymous and shmem folios, by slot. */
    public static SwapCache swapCache(String owner, KmemCache nodeCache, PageAllocator phys, VmStat vmstat) {
        return new SwapCache(owner, nodeCache, phys, vmstat);
    }

    /** Which of the three caches this is, by name. */
    public final Kind kind() {
        return kind;
    }

    /** The index itself, for iteration and marks. */
    public CacheIndex index() {
        return index;
    }

    /** Pages of folios in the cache. */
    public long nrpages() {
        return nrpages;
    }

    @Override
    public String describeMapping() {
        return owner;
    }

    /** What slot {@code i} holds: null, a folio or a shadow. */
    public final CacheEntry load(long i) {
        return index.load(i);
    }

    /** The folio covering page {@code i}, or null (filemap_get_folio). */
    public final F lookup(long i) {
        return index.load(i) instanceof Folio f ? folios.cast(f) : null;
    }

    /**
     * Inserts {@code f} at {@code first} (filemap_add_folio): takes one reference per page for the
     * cache and records the cache state. Returns false, changing nothing, when index nodes cannot be
     * allocated. Requires: no folio in the range, {@code first} aligned to the folio's size, the
     * folio in no cache. The public adds of the subclasses, typed by the kind they take, come here.
     */
    final boolean insert(Folio f, long first) {
        if (f.mapping() != null) {
            throw new IllegalStateException("folio already in a cache: " + f);
        }
        if ((first & (f.nrPages() - 1)) != 0) {
            throw new IllegalArgumentException("index " + first + " not aligned for " + f);
        }
        for (int k = 0; k < f.nrPages(); k++) {
            if (index.load(first + k) instanceof Folio other) {
                throw new IllegalStateException("slot " + (first + k) + " of " + owner + " already holds " + other);
            }
        }
        if (!index.tryStoreRange(first, f.nrPages(), f)) {
            return false;
        }
        f.refAdd(f.nrPages());
        f.setCacheState(this, first);
        nrpages += f.nrPages();
        accountPages(f.nrPages());
        accountHuge(f, 1);
        return true;
    }

    /**
     * Removes {@code f} from the cache (filemap_remove_folio), leaving {@code shadow} in its slots
     * when not null, and drops the cache's references. Dirty accounting is the caller's: the folio
     * must not be dirty or under writeback.
     */
    public final void remove(Folio f, Shadow shadow) {
        removeLeaving(f, shadow);
    }

    /**
     * Counts {@code pages} (negative: leaving) in the node's page counters: every cache's pages are
     * NR_FILE_PAGES, as the kernel counts the swap cache there too; a shmem cache adds NR_SHMEM.
     */
    void accountPages(long pages) {
        vmstat.add(VmItem.NR_FILE_PAGES, pages);
    }

    /** Counts large folio {@code f} entering ({@code sign} 1) or leaving (-1) the cache where the kind keeps such a count; nothing here. */
    void accountHuge(Folio f, int sign) {
    }

    /** What moves with a migrated folio besides its slots: nothing here; a page cache moves its buffer heads. */
    void migrated(Folio src, Folio dst) {
    }

    /** What a folio leaving the cache takes with it besides its slots: nothing here; a page cache frees its buffer heads. */
    void leaving(Folio f) {
    }

    /**
     * Removes {@code f}, leaving value entry {@code shadow} (a shadow, or for shmem a swap entry)
     * in its slots when not null, and drops the cache's references.
     */
    final void removeLeaving(Folio f, CacheEntry shadow) {
        if (f.mapping() != this) {
            throw new IllegalStateException("folio not in " + owner + ": " + f);
        }
        if (f.test(Flag.DIRTY) || f.test(Flag.WRITEBACK)) {
            throw new IllegalStateException("removing a dirty or writeback folio: " + f);
        }
        long first = f.index();
        if (shadow != null) {
            for (int k = 0; k < f.nrPages(); k++) {
                if (!index.tryStore(first + k, shadow)) {
                    index.eraseRange(first + k, f.nrPages() - k);
                    break;
                }
            }
        } else {
            index.eraseRange(first, f.nrPages());
        }
        leaving(f);
        f.setCacheState(null, 0);
        nrpages -= f.nrPages();
        accountPages(-f.nrPages());
        accountHuge(f, -1);
        phys.folioPutRefs(f, f.nrPages());
    }

    /**
     * The cache half of a migration (folio_migrate_mapping): new folio {@code dst} takes
     * {@code src}'s slots (each rewritten in place, its marks kept), its cache state, its cache
     * references and its buffer heads; no count of the cache changes. Requires: {@code src} in
     * this cache, {@code dst} new, in no cache, of the same order.
     */
    public void migrateFolio(Folio src, F dst) {
        requireMine(src);
        if (dst.mapping() != null || dst.nrPages() != src.nrPages()) {
            throw new IllegalStateException("migration of " + src + " to " + dst);
        }
        long first = src.index();
        for (int k = 0; k < src.nrPages(); k++) {
            if (!index.tryStore(first + k, dst)) {
                throw new IllegalStateException("slot " + (first + k) + " of " + owner + " vanished under " + src);
            }
        }
        migrated(src, dst);
        dst.setCacheState(this, first);
        dst.refAdd(src.nrPages());
        src.setCacheState(null, 0);
        src.refSub(src.nrPages());
    }

    /**
     * The cache half of a split (the index stores of __split_huge_page): the order-0 folio
     * {@code parts[k]} takes slot {@code first + k} of large folio {@code old} and the cache
     * state; a slot whose part is null is emptied and stops counting. The splitter gives each part
     * its cache reference and drops the ones the cache held on {@code old}, with the rest of the
     * split's references. In a cache that tags dirt each part inherits the DIRTY mark with the
     * flag, and an emptied slot of a dirty folio leaves nr_dirty (its data is thrown away, as a
     * page past the end of file is). Requires: {@code old} in this cache, not under writeback,
     * {@code parts.length == old.nrPages()}, every part new, in no cache, of order 0, with
     * {@code old}'s flags.
     */
    final void splitFolio(Folio old, Folio[] parts) {
        requireMine(old);
        if (parts.length != old.nrPages() || old.test(Flag.WRITEBACK)) {
            throw new IllegalStateException("split of " + old + " into " + parts.length + " parts in " + owner);
        }
        long first = old.index();
        boolean dirtyTagged = tagsDirty() && old.test(Flag.DIRTY);
        int gone = 0;
        for (int k = 0; k < parts.length; k++) {
            Folio p = parts[k];
            if (p == null) {
                index.erase(first + k);
                gone++;
                continue;
            }
            if (p.mapping() != null || p.nrPages() != 1) {
                throw new IllegalStateException("split part " + k + " of " + old + " is " + p);
            }
            if (!index.tryStore(first + k, p)) {
                throw new IllegalStateException("slot " + (first + k) + " of " + owner + " vanished under " + old);
            }
            p.setCacheState(this, first + k);
            if (dirtyTagged) {
                index.setMark(first + k, CacheIndex.Mark.DIRTY);
            }
        }
        leaving(old);
        accountHuge(old, -1);
        old.setCacheState(null, 0);
        nrpages -= gone;
        accountPages(-gone);
        if (dirtyTagged) {
            vmstat.add(VmItem.NR_DIRTY, -gone);
        }
    }

    /**
     * Marks {@code f} dirty (folio_mark_dirty): sets the flag and does what the cache's kind does
     * with dirt ({@link #dirtied}). Returns whether it was clean before.
     */
    public final boolean markDirty(Folio f) {
        requireMine(f);
        if (f.testAndSet(Flag.DIRTY)) {
            return false;
        }
        dirtied(f);
        return true;
    }

    /**
     * What a folio becoming dirty does beyond its flag. Here nothing, as the kernel's
     * noop_dirty_folio for shmem and swap-cache folios: no file writeback finds them. A page cache
     * tags the slot and counts nr_dirty and nr_dirtied.
     */
    void dirtied(Folio f) {
    }

    /** Undoes {@link #dirtied} as {@code f} is cleaned. */
    void cleaned(Folio f) {
    }

    /** Whether the first slot of a dirty folio carries the DIRTY mark here (a page cache's). */
    boolean tagsDirty() {
        return false;
    }

    /**
     * Clears the dirty state of {@code f} because its contents are being written or thrown away
     * (folio_clear_dirty_for_io, or cancel_dirty_page on truncation). Returns whether it was dirty.
     */
    public final boolean clearDirty(Folio f) {
        requireMine(f);
        if (!f.testAndClear(Flag.DIRTY)) {
            return false;
        }
        cleaned(f);
        return true;
    }

    /** Puts {@code f} under writeback (folio_start_writeback). */
    public void startWriteback(Folio f) {
        requireMine(f);
        if (f.testAndSet(Flag.WRITEBACK)) {
            throw new IllegalStateException("writeback started twice: " + f);
        }
        index.setMark(f.index(), CacheIndex.Mark.WRITEBACK);
        vmstat.add(VmItem.NR_WRITEBACK, f.nrPages());
    }

    /** Ends writeback of {@code f} (folio_end_writeback), counting nr_written. */
    public void endWriteback(Folio f) {
        requireMine(f);
        if (!f.testAndClear(Flag.WRITEBACK)) {
            throw new IllegalStateException("writeback ended on a folio not under writeback: " + f);
        }
        index.clearMark(f.index(), CacheIndex.Mark.WRITEBACK);
        vmstat.add(VmItem.NR_WRITEBACK, -f.nrPages());
        vmstat.add(VmItem.NR_WRITTEN, f.nrPages());
    }

    private void requireMine(Folio f) {
        if (f.mapping() != this) {
            throw new IllegalStateException("folio not in " + owner + ": " + f);
        }
    }

    /** Recounts the cache against its index; throws {@link IllegalStateException} on a mismatch. */
    public void check() {
        index.check();
        long[] pages = {0};
        index.forEach(0, Long.MAX_VALUE, (i, e) -> {
            if (e instanceof Folio f) {
                if (f.mapping() != this || i < f.index() || i >= f.index() + f.nrPages()) {
                    throw new IllegalStateException(owner + ": slot " + i + " holds " + f + " whose cache state disagrees");
                }
                if (f.isDead()) {
                    throw new IllegalStateException(owner + ": slot " + i + " holds a freed folio " + f);
                }
                if (i != f.index()) {
                    return true;
                }
                if ((i & (f.nrPages() - 1)) != 0) {
                    throw new IllegalStateException(owner + ": " + f + " at slot " + i + " is not aligned to its order");
                }
                for (int k = 1; k < f.nrPages(); k++) {
                    if (index.load(i + k) != f) {
                        throw new IllegalStateException(owner + ": slot " + (i + k) + " of the range of " + f
                                + " holds " + index.load(i + k));
                    }
                }
                pages[0] += f.nrPages();
                if (index.getMark(i, CacheIndex.Mark.DIRTY) != (f.test(Flag.DIRTY) && tagsDirty())) {
                    throw new IllegalStateException(owner + ": dirty mark of slot " + i + " disagrees with " + f);
                }
                if (index.getMark(i, CacheIndex.Mark.WRITEBACK) != f.test(Flag.WRITEBACK)) {
                    throw new IllegalStateException(owner + ": writeback mark of slot " + i + " disagrees with " + f);
                }
            }
            return true;
        });
        if (pages[0] != nrpages) {
            throw new IllegalStateException(owner + ": nrpages " + nrpages + " but the index holds " + pages[0]);
        }
    }
}
