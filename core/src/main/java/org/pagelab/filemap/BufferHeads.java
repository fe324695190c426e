package org.pagelab.filemap;

import java.util.IdentityHashMap;
import java.util.Map;
import org.pagelab.desc.Folio;
import org.pagelab.phys.MemSize;
import org.pagelab.slab.KmemCache;
import org.pagelab.slab.SlabAllocator;
import org.pagelab.slab.SlabObject;

/**
 * Buffer heads of a block-based file system (fs/buffer.c): one {@code struct buffer_head} per
 * block of a page-cache folio, which the file system attaches the first time the folio is written
 * through write(2) (its write_begin: create_empty_buffers) and which stay with the folio, clean or
 * dirty, until it leaves the page cache (reclaim, truncation, drop_caches: try_to_free_buffers).
 * Reads through readahead attach none (a fully mapped page is read without buffers, as ext4's and
 * mpage's readahead do). The objects come from the reclaimable {@code buffer_head} slab cache, so a
 * file written on a file system with blocks smaller than a page holds kernel memory beside its page
 * cache: with 1 KiB blocks (mke2fs's choice for a small file system) four objects of
 * {@value #OBJECT_SIZE} bytes per page, about one slab page for every ten pages written.
 *
 * <p>Off (no objects) until a block size is set ({@link #setBlockSize}): pagelab's default file
 * system keeps no per-block state.
 *
 * <p>Invariants ({@link #check}):
 * <pre>
 *   objects of the buffer_head cache in use == blocksPerPage * (folios with buffers)
 *   folio with buffers  =&gt;  live and in a page cache
 * </pre>
 */
final class BufferHeads {
    /** sizeof(struct buffer_head) on a 64-bit kernel. */
    static final int OBJECT_SIZE = 104;
    /** The smallest block a block-based file system has (512-byte sectors). */
    static final int MIN_BLOCK_SIZE = 512;

    private final SlabAllocator slab;
    private KmemCache cache;
    private int blocksPerPage;
    private final Map<Folio, SlabObject[]> attached = new IdentityHashMap<>();

    BufferHeads(SlabAllocator slab) {
        this.slab = slab;
    }

    /**
     * Gives the file system blocks of {@code bytes} (a power of two from {@value #MIN_BLOCK_SIZE}
     * to a page), or none with 0. Throws {@link IllegalArgumentException} for another size or
     * when folios hold buffers already.
     */
    void setBlockSize(int bytes) {
        if (bytes != 0 && (bytes < MIN_BLOCK_SIZE || bytes > MemSize.PAGE_SIZE || Integer.bitCount(bytes) != 1)) {
            throw new IllegalArgumentException("file system block size " + bytes + ": expected 0 or a power of two "
                    + MIN_BLOCK_SIZE + ".." + MemSize.PAGE_SIZE);
        }
        if (!attached.isEmpty()) {
            throw new IllegalStateException("the block size changes only while no folio holds buffers");
        }
        blocksPerPage = bytes == 0 ? 0 : (int) (MemSize.PAGE_SIZE / bytes);
        if (blocksPerPage > 0 && cache == null) {
            cache = slab.createCache("buffer_head", OBJECT_SIZE, true, true);
        }
    }

    /** Buffer heads per page; 0 when the file system keeps none. */
    int blocksPerPage() {
        return blocksPerPage;
    }

    /**
     * create_empty_buffers for a page-cache folio being written: attaches a buffer head per block
     * of each of its pages unless it has them. When the slab cannot have memory the folio goes
     * without (the kernel would retry the allocation).
     */
    void attach(Folio f) {
        if (blocksPerPage == 0 || attached.containsKey(f)) {
            return;
        }
        SlabObject[] heads = new SlabObject[blocksPerPage * f.nrPages()];
        for (int i = 0; i < heads.length; i++) {
            heads[i] = cache.alloc();
            if (heads[i] == null) {
                for (int j = 0; j < i; j++) {
                    cache.free(heads[j]);
                }
                return;
            }
        }
        attached.put(f, heads);
    }

    /** try_to_free_buffers: frees the buffer heads of {@code f}, leaving the page cache. */
    void release(Folio f) {
        SlabObject[] heads = attached.remove(f);
        if (heads != null) {
            for (SlabObject o : heads) {
                cache.free(o);
            }
        }
    }

    /** buffer_migrate_folio: the buffer heads of {@code src}, if any, move to {@code dst}. */
    void migrate(Folio src, Folio dst) {
        SlabObject[] heads = attached.remove(src);
        if (heads != null) {
            attached.put(dst, heads);
        }
    }

    /** Whether {@code f} has buffer heads. */
    boolean has(Folio f) {
        return attached.containsKey(f);
    }

    /** Checks the invariants above; throws {@link IllegalStateException} on a violation. */
    void check() {
        long objects = 0;
        for (Map.Entry<Folio, SlabObject[]> e : attached.entrySet()) {
            Folio f = e.getKey();
            if (f.isDead() || !(f.mapping() instanceof PageCache)) {
                throw new IllegalStateException("buffer heads on a folio outside the page cache: " + f);
            }
            objects += e.getValue().length;
        }
        long inUse = cache == null ? 0 : cache.objectsInUse();
        if (inUse != objects) {
            throw new IllegalStateException("buffer_head objects in use " + inUse + " but folios hold " + objects);
        }
    }
}
