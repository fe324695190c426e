package org.pagelab.filemap;

import org.pagelab.desc.CacheEntry;
import org.pagelab.desc.FileFolio;
import org.pagelab.desc.Folio;
import org.pagelab.desc.FolioFlags.Flag;
import org.pagelab.desc.FolioMapping;
import org.pagelab.desc.Shadow;
import org.pagelab.desc.SwapEntry;
import org.pagelab.phys.PageAllocator;
import org.pagelab.slab.KmemCache;
import org.pagelab.stat.VmItem;
import org.pagelab.stat.VmStat;

/**
 * The shared cache: one {@link CacheIndex} of folios and shadows with the accounting the kernel's
 * address_space does. The page cache of a file, the swap cache of a swap device and a shmem inode
 * are each an instance; they differ only in their {@link Kind} and owner, not in structure.
 *
 * <p>The type parameter is the kind of folio the cache holds, and the factories tie it to the
 * kind of cache, so that a folio of the wrong kind cannot be added: a page cache
 * ({@link #pageCache}) and a shmem mapping ({@link #shmem}) take {@link FileFolio}s only, and
 * {@link #lookup} hands them back as such; a swap cache ({@link #swapCache}) takes any
 * {@link Folio}, because it holds both anonymous folios and shmem folios on their way to swap
 * (the kernel's swap cache does too), and Java cannot tell a shmem file folio from a page-cache
 * one by its type: that and the swap-backed flag stay run-time checks ({@code addAllocated},
 * {@link #removeForSwap}). Code that works on any cache takes an {@code AddressSpace<?>}; it can
 * read, mark and remove, but not add.
 *
 * <p>A folio in the cache holds one reference per page for the cache, sits in every slot its pages
 * cover, and has {@code mapping == this} and {@code index ==} its first slot.
 *
 * <p>Invariants (checked by {@link #check()}):
 * <pre>
 *   nrpages  == sum over folios f in the index of f.nrPages
 *   for every slot i holding folio f: f.mapping == this and f.index &lt;= i &lt; f.index + f.nrPages
 *   first slot of folio f marked DIRTY      iff f has the dirty flag
 *   first slot of folio f marked WRITEBACK  iff f has the writeback flag
 * </pre>
 */
public final class AddressSpace<F extends Folio> implements FolioMapping {

    /** Which user of the shared cache an instance serves. */
    public enum Kind { PAGE_CACHE, SWAP_CACHE, SHMEM }

    private final Kind kind;
    private final Class<F> folios;
    private final String owner;
    private final CacheIndex index;
    private final PageAllocator phys;
    private final VmStat vmstat;
    private long nrpages;
    private Inode host;
    private BufferHeads buffers;

    /** An empty cache of {@code kind} holding {@code folios}, described as {@code owner}, with index nodes from {@code nodeCache}. */
    private AddressSpace(Kind kind, Class<F> folios, String owner, KmemCache nodeCache, PageAllocator phys, VmStat vmstat) {
        this.kind = kind;
        this.folios = folios;
        this.owner = owner;
        this.index = new CacheIndex(nodeCache);
        this.phys = phys;
        this.vmstat = vmstat;
    }

    /** The empty page cache of a file, described as {@code owner}, with index nodes from {@code nodeCache}. */
    public static AddressSpace<FileFolio> pageCache(String owner, KmemCache nodeCache, PageAllocator phys, VmStat vmstat) {
        return new AddressSpace<>(Kind.PAGE_CACHE, FileFolio.class, owner, nodeCache, phys, vmstat);
    }

    /** The empty cache of a shmem inode, which also keeps the swap entries of its pages out on swap. */
    public static AddressSpace<FileFolio> shmem(String owner, KmemCache nodeCache, PageAllocator phys, VmStat vmstat) {
        return new AddressSpace<>(Kind.SHMEM, FileFolio.class, owner, nodeCache, phys, vmstat);
    }

    /** The empty swap cache of a swap area: anonymous and shmem folios, by slot. */
    public static AddressSpace<Folio> swapCache(String owner, KmemCache nodeCache, PageAllocator phys, VmStat vmstat) {
        return new AddressSpace<>(Kind.SWAP_CACHE, Folio.class, owner, nodeCache, phys, vmstat);
    }

    /**
     * The file cache (page cache or shmem) that {@code f} is in, typed as one: null when it is in
     * a swap cache or in none. A file cache's host is its inode, whose mapping it is.
     */
    public static AddressSpace<FileFolio> fileMappingOf(Folio f) {
        return f.mapping() instanceof AddressSpace<?> as && as.host != null ? as.host.mapping() : null;
    }

    public Kind kind() {
        return kind;
    }

    /** The file whose pages this cache holds (mapping->host), or null for a swap cache. */
    public Inode host() {
        return host;
    }

    /** The buffer heads its folios may carry, freed as they leave (a page cache of a block file system). */
    void setBuffers(BufferHeads b) {
        this.buffers = b;
    }

    void setHost(Inode inode) {
        this.host = inode;
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
    public CacheEntry load(long i) {
        return index.load(i);
    }

    /** The folio covering page {@code i}, or null (filemap_get_folio). */
    public F lookup(long i) {
        return index.load(i) instanceof Folio f ? folios.cast(f) : null;
    }

    /**
     * Inserts {@code f} at {@code first} (filemap_add_folio): takes one reference per page for the
     * cache and records the cache state. Returns false, changing nothing, when index nodes cannot be
     * allocated. Requires: no folio in the range, {@code first} aligned to the folio's size, the
     * folio in no cache.
     */
    public boolean tryAdd(F f, long first) {
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
        vmstat.add(VmItem.NR_FILE_PAGES, f.nrPages());
        if (kind == Kind.SHMEM) {
            vmstat.add(VmItem.NR_SHMEM, f.nrPages());
        }
        return true;
    }

    /**
     * Removes {@code f} from the cache (filemap_remove_folio), leaving {@code shadow} in its slots
     * when not null, and drops the cache's references. Dirty accounting is the caller's: the folio
     * must not be dirty or under writeback.
     */
    public void remove(Folio f, Shadow shadow) {
        removeLeaving(f, shadow);
    }

    /**
     * The cache half of shmem_writepage (shmem_delete_from_page_cache): removes shmem folio
     * {@code f}, leaving swap entry {@code entry}, which now holds its data, in its slots.
     * Requires: this is a shmem mapping; the folio is neither dirty nor under writeback.
     */
    public void removeForSwap(Folio f, SwapEntry entry) {
        if (kind != Kind.SHMEM) {
            throw new IllegalStateException("a swap entry left in " + owner + ", which is not shmem: " + f);
        }
        removeLeaving(f, java.util.Objects.requireNonNull(entry));
    }

    private void removeLeaving(Folio f, CacheEntry shadow) {
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
        if (buffers != null) {
            buffers.release(f); // try_to_free_buffers, before the folio leaves
        }
        f.setCacheState(null, 0);
        nrpages -= f.nrPages();
        vmstat.add(VmItem.NR_FILE_PAGES, -f.nrPages());
        if (kind == Kind.SHMEM) {
            vmstat.add(VmItem.NR_SHMEM, -f.nrPages());
        }
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
        if (buffers != null) {
            buffers.migrate(src, dst);
        }
        dst.setCacheState(this, first);
        dst.refAdd(src.nrPages());
        src.setCacheState(null, 0);
        src.refSub(src.nrPages());
    }

    /**
     * Marks {@code f} dirty (folio_mark_dirty): sets the flag and the index mark, and counts
     * nr_dirty and nr_dirtied. Returns whether it was clean before. Shmem and swap-cache folios
     * only take the flag, as the kernel's noop_dirty_folio does: no file writeback finds them.
     */
    public boolean markDirty(Folio f) {
        requireMine(f);
        if (f.testAndSet(Flag.DIRTY)) {
            return false;
        }
        if (kind != Kind.PAGE_CACHE) {
            return true;
        }
        index.setMark(f.index(), CacheIndex.Mark.DIRTY);
        vmstat.add(VmItem.NR_DIRTY, f.nrPages());
        vmstat.add(VmItem.NR_DIRTIED, f.nrPages());
        return true;
    }

    /**
     * Clears the dirty state of {@code f} because its contents are being written or thrown away
     * (folio_clear_dirty_for_io, or cancel_dirty_page on truncation). Returns whether it was dirty.
     */
    public boolean clearDirty(Folio f) {
        requireMine(f);
        if (!f.testAndClear(Flag.DIRTY)) {
            return false;
        }
        if (kind != Kind.PAGE_CACHE) {
            return true;
        }
        index.clearMark(f.index(), CacheIndex.Mark.DIRTY);
        vmstat.add(VmItem.NR_DIRTY, -f.nrPages());
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
                pages[0] += f.nrPages();
                if (index.getMark(i, CacheIndex.Mark.DIRTY) != (f.test(Flag.DIRTY) && kind == Kind.PAGE_CACHE)) {
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
