package org.pagelab.filemap;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.pagelab.desc.Folio;
import org.pagelab.desc.FolioFlags.Flag;
import org.pagelab.phys.MemSize;
import org.pagelab.phys.PageAllocator;
import org.pagelab.slab.KmemCache;
import org.pagelab.slab.SlabAllocator;
import org.pagelab.stat.VmStat;

/**
 * The machine's one file system and its file calls: open, read, write, fsync, truncate, close,
 * unlink, sync and unmount, all through the page cache.
 *
 * <p>In data mode files are real host files under the root directory (the run's working
 * directory); names are relative paths that may not leave it. In metadata mode files are
 * {@linkplain SyntheticStore synthetic}: a size and a page cache, no bytes.
 *
 * <p>Reads follow filemap_read: look up each page, start synchronous readahead on a miss and
 * asynchronous readahead on reaching a marked page, then copy out. Writes follow
 * generic_perform_write: find or create the page, read it first when the write covers only part
 * of a page that has data on the store, copy in, mark dirty, extend the size. fsync writes the
 * file's dirty pages and flushes the host file; it returns EIO once to each open file for a
 * writeback error recorded since that file last reported one (errseq: the kernel's
 * mapping->wb_err sampled at open into f_wb_err), and a file opened after an error no one has
 * reported yet reports it too.
 */
public final class Vfs {
    /** Largest file: 2^44 bytes (16 TiB). */
    public static final long MAX_FILE_SIZE = 1L << 44;

    private final FsTiming timing = new FsTiming();
    private final PageAllocator phys;
    private final VmStat vmstat;
    private final KmemCache radixNodes;
    private final InodeObjects objects;
    private final Path root;
    private final Readahead readahead;
    private final Writeback writeback;
    private final Flusher flusher;
    private final Shmem shmem;
    private final FilemapRead reader;
    private final FileWrite writer;
    private final BufferHeads buffers;
    private final Map<String, Inode> names = new TreeMap<>();
    private final List<Inode> orphans = new ArrayList<>();
    private final java.util.Set<String> tmpfsMounts = new java.util.TreeSet<>(java.util.Set.of(DEV_SHM));
    private int raPages = ReadaheadState.DEFAULT_RA_PAGES;
    private boolean largeFolios;
    private MappingHook mappingHook = MappingHook.NONE;

    /**
     * A file system rooted at host directory {@code root} (data mode) or with no host files
     * ({@code root == null}, metadata mode).
     */
    public Vfs(PageAllocator phys, VmStat vmstat, SlabAllocator slab, KmemCache radixNodes, Path root) {
        this.phys = phys;
        this.vmstat = vmstat;
        this.radixNodes = radixNodes;
        this.root = root == null ? null : root.toAbsolutePath().normalize();
        this.objects = new InodeObjects(slab);
        this.readahead = new Readahead(phys, vmstat, timing);
        this.writeback = new Writeback(phys, vmstat, timing);
        this.flusher = new Flusher(this, writeback, phys, vmstat);
        this.shmem = new Shmem(phys, vmstat, radixNodes, objects, timing);
        this.reader = new FilemapRead(phys, timing, readahead, shmem);
        this.buffers = new BufferHeads(slab);
        this.writer = new FileWrite(phys, vmstat, timing, flusher, shmem, reader, buffers);
        if (this.root != null && !phys.contents().holdsData()) {
            throw new IllegalArgumentException("host files need data mode");
        }
    }

    /**
     * Charges the file system's work to {@code clock}: CPU to the running task, I/O to
     * {@code device}; reads and writebacks of files consult the clock's injected I/O errors.
     */
    public void setClock(IoClock clock, IoClock.Device device) {
        timing.clock = clock;
        timing.device = device;
    }

    /**
     * Makes the file system block-based with blocks of {@code bytes}: every page-cache folio written
     * through write(2) carries a buffer head per block ({@link BufferHeads}) until it leaves the
     * page cache; 0: none (the default). Throws {@link IllegalArgumentException} for a size other
     * than 0 or a power of two from 512 to 4096, {@link IllegalStateException} once folios hold buffers.
     */
    public void setBlockSize(int bytes) {
        buffers.setBlockSize(bytes);
    }

    /** Installs the LRU the page cache's folios join. */
    public void setLruHook(LruHook hook) {
        LruHook lru = hook == null ? LruHook.NONE : hook;
        readahead.setLruHook(lru);
        shmem.setLruHook(lru);
        reader.setLruHook(lru);
        writer.setLruHook(lru);
    }

    /** Installs the way shmem pages go to swap and come back. */
    public void setShmemSwap(ShmemSwap s) {
        shmem.setSwap(s == null ? ShmemSwap.NONE : s);
    }

    /** Installs the process layer's view of mapped files. */
    public void setMappingHook(MappingHook hook) {
        this.mappingHook = hook == null ? MappingHook.NONE : hook;
        this.writeback.setMappingHook(this.mappingHook);
    }

    /** Host directory holding the files, or null in metadata mode. */
    public Path root() {
        return root;
    }

    /** Sets the maximum readahead window for files opened from now on (read_ahead_kb / 4). */
    public void setReadaheadPages(int pages) {
        if (pages < 0 || pages > 4096) {
            throw new IllegalArgumentException("readahead window out of range: " + pages + " pages");
        }
        this.raPages = pages;
    }

    /**
     * Whether files with a backing store opened from now on take large folios
     * (mapping_set_large_folios, as XFS sets it on every inode and ext4 in 6.1 does not): readahead
     * then allocates folios of growing order ({@link Readahead}). Off by default; see the package
     * comment. Files already in memory keep their setting until evicted.
     */
    public void setLargeFolios(boolean on) {
        this.largeFolios = on;
    }

    /** Whether files opened from now on take large folios; see {@link #setLargeFolios}. */
    public boolean largeFolios() {
        return largeFolios;
    }

    /** Pages read from backing stores so far, by readahead or single-page reads. */
    public long pagesRead() {
        return readahead.pagesRead();
    }

    /** The inodes that have names, in name order. */
    public Collection<Inode> inodes() {
        return Collections.unmodifiableCollection(names.values());
    }

    /** Where every machine has a tmpfs mounted, as systemd mounts one at /dev/shm. */
    public static final String DEV_SHM = "dev/shm";

    /**
     * mount -t tmpfs tmpfs DIR: files created under directory {@code dir} (relative to the root,
     * e.g. "dev/shm", mounted at boot) are named shmem files. Throws naming {@code dir} when it is
     * not a relative path inside the root.
     */
    public void mountTmpfs(String dir) {
        tmpfsMounts.add(checkName(dir));
    }

    /** The tmpfs mount points, relative to the root. */
    public java.util.Set<String> tmpfsMounts() {
        return Collections.unmodifiableSet(tmpfsMounts);
    }

    /** Whether normalized name {@code n} lies under a tmpfs mount. */
    public boolean onTmpfs(String n) {
        for (String m : tmpfsMounts) {
            if (n.startsWith(m + "/")) {
                return true;
            }
        }
        return false;
    }

    /** The inode named {@code name}, or null. */
    public Inode lookup(String name) {
        return names.get(checkName(name));
    }

    // ---- names ----

    /**
     * Checks that {@code name} obeys {@link FileNames}'s rule (a relative path without empty,
     * {@code .} or {@code ..} components) and returns it. Throws {@link IllegalArgumentException}
     * quoting the name otherwise.
     */
    public static String checkName(String name) {
        return FileNames.check(name);
    }

    // ---- open, create, close, unlink ----

    /**
     * Creates file {@code name} of {@code size} bytes (zeros) and opens it. In data mode the host
     * file is created under the root; EEXIST when the name exists. A name under a tmpfs mount
     * ({@link #mountTmpfs}) makes a shmem file instead: no host file, its pages swap-backed, on
     * the anon LRU and counted in Shmem, and gone when it is unlinked and no longer open or mapped.
     */
    public OpenResult create(String name, long size) {
        String n = checkName(name);
        if (size < 0 || size > MAX_FILE_SIZE) {
            throw new IllegalArgumentException("file size " + size + " for '" + name + "' out of range 0.." + MAX_FILE_SIZE);
        }
        if (names.containsKey(n)) {
            return new OpenResult.OpenFailed(Errno.EEXIST);
        }
        if (onTmpfs(n)) {
            Inode inode = shmem.newInode(n, size);
            if (inode == null) {
                return new OpenResult.OpenFailed(Errno.ENOMEM);
            }
            names.put(n, inode);
            inode.opened();
            return new OpenResult.Opened(new OpenFile(inode, raPages));
        }
        BackingStore store;
        if (root == null) {
            store = new SyntheticStore(size);
        } else {
            try {
                store = HostFileStore.create(root, n);
            } catch (IOException e) {
                return hostFailure(e);
            }
            if (!store.setLength(size)) {
                store.close();
                return new OpenResult.OpenFailed(Errno.EIO);
            }
        }
        return attach(n, store, size);
    }

    /** Opens existing file {@code name}: a known inode, or in data mode a host file under the root. */
    public OpenResult open(String name) {
        String n = checkName(name);
        Inode inode = names.get(n);
        if (inode == null) {
            if (root == null || onTmpfs(n)) {
                return new OpenResult.OpenFailed(Errno.ENOENT);
            }
            HostFileStore store;
            try {
                store = HostFileStore.open(root, n);
            } catch (IOException e) {
                return hostFailure(e);
            }
            return attach(n, store, store.initialLength());
        }
        if (!inode.inCore() && !objects.bringIntoCore(inode)) {
            return new OpenResult.OpenFailed(Errno.ENOMEM);
        }
        inode.opened();
        return new OpenResult.Opened(new OpenFile(inode, raPages));
    }

    private static OpenResult hostFailure(IOException e) {
        return new OpenResult.OpenFailed(e instanceof HostPaths.Refused r ? r.errno() : Errno.EIO, HostPaths.reason(e));
    }

    /** Frees the slab objects of an inode (evict, or the shrinkers of drop_caches); none when not in memory. */
    void freeObjects(Inode inode) {
        objects.free(inode);
    }

    /** Whether some process maps {@code inode}. */
    boolean mapped(Inode inode) {
        return mappingHook.mapped(inode);
    }

    private OpenResult attach(String n, BackingStore store, long size) {
        Inode inode = objects.newInode((ino, io, dn) -> {
            PageCache mapping = AddressSpace.pageCache("file " + n, radixNodes, phys, vmstat);
            mapping.setBuffers(buffers);
            mapping.setLargeFolios(largeFolios);
            return new Inode(ino, n, mapping, store, size, io, dn);
        });
        if (inode == null) {
            store.close();
            return new OpenResult.OpenFailed(Errno.ENOMEM);
        }
        names.put(n, inode);
        inode.opened();
        return new OpenResult.Opened(new OpenFile(inode, raPages));
    }

    /**
     * Creates the unnamed shmem object behind a shared anonymous mapping of {@code size} bytes
     * (shmem_zero_setup, which the kernel names "/dev/zero (deleted)"). Its pages are zero-filled
     * on first fault, swap-backed, never written to any file, and counted in Shmem; it is freed
     * when its last mapping goes. Returns null when its slab objects cannot be had.
     */
    public Inode createShmem(long size) {
        if (size <= 0 || size > MAX_FILE_SIZE) {
            throw new IllegalArgumentException("shmem size " + size + " out of range 1.." + MAX_FILE_SIZE);
        }
        Inode inode = shmem.newZeroObject(size);
        if (inode == null) {
            return null;
        }
        inode.markUnlinked();
        orphans.add(inode);
        return inode;
    }

    /**
     * memfd_create: a new, empty, unnamed shmem file opened read-write ("memfd:NAME", as the
     * kernel names it in /proc/pid/maps). It grows with writes or {@link #truncate}, its pages are
     * swap-backed and go to swap under pressure, fsync has nothing to write, and it is freed when
     * its last open file and mapping go. Returns ENOMEM when its slab objects cannot be had.
     */
    public OpenResult memfdCreate(String name) {
        if (name == null || name.length() > 249 || name.indexOf('/') >= 0) {
            return new OpenResult.OpenFailed(Errno.EINVAL);
        }
        Inode inode = shmem.newInode("memfd:" + name, 0);
        if (inode == null) {
            return new OpenResult.OpenFailed(Errno.ENOMEM);
        }
        inode.markUnlinked();
        orphans.add(inode);
        inode.opened();
        return new OpenResult.Opened(new OpenFile(inode, raPages));
    }

    /** The name the kernel gives the shmem object of a shared anonymous mapping. */
    public static final String SHMEM_ZERO_NAME = "/dev/zero (deleted)";

    /** Closes {@code f}. An unlinked file's last close frees its inode and pages. */
    public IoResult close(OpenFile f) {
        if (f.isClosed()) {
            return IoResult.failed(Errno.EBADF);
        }
        f.markClosed();
        Inode inode = f.inode();
        inode.closed();
        releaseIfUnused(inode);
        return IoResult.done(0);
    }

    /** Removes name {@code name}; the file's pages go when its last open file closes. */
    public IoResult unlink(String name) {
        String n = checkName(name);
        Inode inode = names.remove(n);
        if (inode == null) {
            return IoResult.failed(Errno.ENOENT);
        }
        inode.markUnlinked();
        if (inode.openCount() == 0 && !mappingHook.mapped(inode)) {
            evict(inode);
            return inode.store().delete() ? IoResult.done(0) : IoResult.failed(Errno.EIO);
        }
        orphans.add(inode);
        return IoResult.done(0);
    }

    /**
     * Frees an unlinked file once nothing holds it any more: no open file and no mapping (iput of
     * the last reference). Called after closes and unmaps.
     */
    public void releaseIfUnused(Inode inode) {
        if (inode.unlinked() && inode.openCount() == 0 && orphans.contains(inode) && !mappingHook.mapped(inode)) {
            orphans.remove(inode);
            evict(inode);
            inode.store().delete();
        }
    }

    /**
     * filemap_fault: the uptodate folio holding page {@code index} of {@code inode}, reading it
     * (with readahead around it, as do_sync_mmap_readahead does for a mapping) when it is not
     * cached; a page beyond the end of file is EFBIG, which the fault turns into SIGBUS.
     */
    public FaultResult filemapFault(Inode inode, long index) {
        return reader.fault(inode, index, raPages, false);
    }

    /**
     * filemap_fault for a mapping with VM_HUGEPAGE when {@code hugepage}: a miss reads the
     * PMD-aligned window around the page with PMD-sized folios where the file system takes large
     * folios (do_sync_mmap_readahead), else as {@link #filemapFault(Inode, long)}.
     */
    public FaultResult filemapFault(Inode inode, long index, boolean hugepage) {
        return reader.fault(inode, index, raPages, hugepage);
    }

    /**
     * pageout: starts the write of one dirty page-cache folio to its file for reclaim; the folio is
     * under writeback until the write completes. Returns whether it is clean afterwards.
     */
    public boolean pageout(Folio f) {
        if (!(f.mapping() instanceof PageCache pc) || pc.host() == null) {
            throw new IllegalArgumentException("pageout of a folio not in a file's page cache: " + f);
        }
        writeback.writeRange(pc.host(), f.index(), f.index() + f.nrPages() - 1);
        return !f.test(Flag.DIRTY);
    }

    /** Installs the writes in flight of the machine, shared with the swap caches. */
    public void setWritebackIo(WritebackIo io) {
        writeback.setIo(io);
    }

    /**
     * Installs the overcommit accounting of shmem objects: it commits the given pages (a negative
     * count gives them back) and answers whether the policy allowed it.
     */
    public void setShmemCommit(java.util.function.LongPredicate commit) {
        shmem.setCommit(commit);
    }

    /** Pages the shmem objects of shared anonymous mappings have committed (their part of Committed_AS). */
    public long shmemCommittedPages() {
        return shmem.committedPages();
    }

    /** The dirty limits and the flusher thread. */
    public Flusher flusher() {
        return flusher;
    }

    /** Runs the flusher as a kernel thread on the clock {@link #setClock} installed; {@code wake} makes it runnable. */
    public void setFlusherThread(Runnable wake) {
        flusher.setThread(timing.clock, wake);
    }

    /**
     * A write fault dirtied {@code pages} pages of a shared file mapping: the writer checks the
     * dirty limits as a write(2) does (fault_dirty_shared_page).
     */
    public void dirtiedByFault(long pages) {
        flusher.balanceDirtyPages(pages);
    }

    /** The writes of cache folios in flight. */
    public WritebackIo writebackIo() {
        return writeback.io();
    }

    /** Drops every page of {@code inode}, discarding dirty data, and frees its slab objects. */
    private void evict(Inode inode) {
        shmem.unaccount(inode);
        truncatePages(inode, 0);
        inode.mapping().index().clear();
        freeObjects(inode);
    }

    // ---- read ----

    /** Reads up to {@code len} bytes at the file position into {@code buf}, advancing it. */
    public IoResult read(OpenFile f, byte[] buf, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, buf.length);
        return advance(f, reader.read(f, f.pos(), buf, off, len));
    }

    /** Reads up to {@code len} bytes at {@code pos} into {@code buf}; the file position stays. */
    public IoResult pread(OpenFile f, long pos, byte[] buf, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, buf.length);
        return reader.read(f, pos, buf, off, len);
    }

    /** Reads {@code len} bytes at the file position without copying them out (metadata mode). */
    public IoResult readDataless(OpenFile f, long len) {
        return advance(f, reader.read(f, f.pos(), null, 0, len));
    }

    private IoResult advance(OpenFile f, IoResult r) {
        f.setPos(f.pos() + r.bytes());
        return r;
    }

    // ---- write ----

    /** Writes {@code buf[off..off+len)} at the file position, advancing it. */
    public IoResult write(OpenFile f, byte[] buf, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, buf.length);
        return advance(f, writer.write(f, f.pos(), buf, off, len));
    }

    /** Writes {@code buf[off..off+len)} at {@code pos}; the file position stays. */
    public IoResult pwrite(OpenFile f, long pos, byte[] buf, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, buf.length);
        return writer.write(f, pos, buf, off, len);
    }

    /** Dirties {@code len} bytes at the file position without supplying data (metadata mode). */
    public IoResult writeDataless(OpenFile f, long len) {
        return advance(f, writer.write(f, f.pos(), null, 0, len));
    }

    // ---- fsync, truncate, sync, unmount ----

    /** Writes the file's dirty pages and flushes the host file; EIO once per open file for a write error since it last reported one. */
    public IoResult fsync(OpenFile f) {
        if (f.isClosed()) {
            return IoResult.failed(Errno.EBADF);
        }
        Inode inode = f.inode();
        timing.syscall();
        writeback.writeRange(inode, 0, Long.MAX_VALUE);
        writeback.waitRange(inode, 0, Long.MAX_VALUE);
        boolean flushed = inode.store().force();
        if (inode.checkAndAdvanceWritebackError(f) || !flushed) {
            return IoResult.failed(Errno.EIO);
        }
        return IoResult.done(0);
    }

    /**
     * Sets the file's size (truncate): pages wholly beyond the new end leave the cache, dirty or
     * not; the tail of a partial last page is zeroed; the host file takes the new length.
     */
    public IoResult truncate(OpenFile f, long size) {
        if (f.isClosed()) {
            return IoResult.failed(Errno.EBADF);
        }
        if (size < 0 || size > MAX_FILE_SIZE) {
            return IoResult.failed(Errno.EINVAL);
        }
        Inode inode = f.inode();
        long old = inode.size();
        inode.setSize(size);
        if (size < old) {
            mappingHook.unmapMappingRange(inode, (size + MemSize.PAGE_SIZE - 1) >> MemSize.PAGE_SHIFT);
            truncatePages(inode, size);
        }
        return inode.store().setLength(size) ? IoResult.done(0) : IoResult.failed(Errno.EIO);
    }

    /**
     * truncate_inode_pages: removes folios wholly at or beyond byte {@code from}, zeroes a partial
     * one. A large folio that the new end cuts is zeroed past it and split
     * (truncate_inode_partial_folio), the split dropping its pages beyond the end; one that cannot
     * be split stays whole, its bytes past the end zeroed.
     */
    private void truncatePages(Inode inode, long from) {
        FileCache<?> mapping = inode.mapping();
        long firstWhole = (from + MemSize.PAGE_SIZE - 1) >> MemSize.PAGE_SHIFT;
        if (mapping.lookup(firstWhole) instanceof org.pagelab.desc.PageCacheFolio cut && cut.index() < firstWhole) {
            writeback.io().waitFor(cut);
            reader.zeroBeyondEof(inode, cut);
            mappingHook.splitFolio(cut);
        }
        List<Folio> doomed = new ArrayList<>();
        mapping.index().forEach(firstWhole, Long.MAX_VALUE, (i, e) -> {
            if (e instanceof Folio f && i == f.index()) {
                doomed.add(f);
            }
            return true;
        });
        for (Folio f : doomed) {
            writeback.io().waitFor(f); // truncate_inode_pages waits for writeback
            mapping.clearDirty(f);
            mapping.remove(f, null);
        }
        List<Long> shadows = new ArrayList<>();
        List<org.pagelab.desc.SwapEntry> swapped = new ArrayList<>();
        mapping.index().forEach(firstWhole, Long.MAX_VALUE, (i, e) -> {
            if (e instanceof Folio) {
                return true; // a large folio that could not be split keeps its slots
            }
            shadows.add(i);
            if (e instanceof org.pagelab.desc.SwapEntry se) {
                swapped.add(se); // a swapped-out shmem page: its slot goes too
            }
            return true;
        });
        for (long i : shadows) {
            mapping.index().erase(i);
        }
        for (org.pagelab.desc.SwapEntry entry : swapped) {
            shmem.freeSwap(entry);
        }
        if ((from & (MemSize.PAGE_SIZE - 1)) != 0) {
            Folio partial = mapping.lookup(from >> MemSize.PAGE_SHIFT);
            if (partial != null) {
                reader.zeroBeyondEof(inode, partial);
            }
        }
    }

    /** Writes back every dirty page of every file and waits for the writes (sync). Returns pages written. */
    public long sync() {
        long n = 0;
        List<Inode> all = new ArrayList<>(names.values());
        all.addAll(orphans);
        for (Inode inode : all) {
            n += writeback.writeRange(inode, 0, Long.MAX_VALUE);
        }
        for (Inode inode : all) {
            writeback.waitRange(inode, 0, Long.MAX_VALUE);
        }
        return n;
    }

    /**
     * Unmounts: writes back everything, flushes the host files, then drops every page and inode.
     * Open files become unusable. Returns EIO if any write failed.
     */
    public IoResult unmount() {
        sync();
        boolean error = false;
        List<Inode> all = new ArrayList<>(names.values());
        all.addAll(orphans);
        for (Inode inode : all) {
            error |= !inode.store().force() | inode.takeWritebackError();
            evict(inode);
            if (inode.unlinked()) {
                inode.store().delete();
            } else {
                inode.store().close();
            }
        }
        names.clear();
        orphans.clear();
        return error ? IoResult.failed(Errno.EIO) : IoResult.done(0);
    }

    /** Calls {@code action} on every inode, named or orphaned. */
    public void forEachInode(java.util.function.Consumer<Inode> action) {
        names.values().forEach(action);
        orphans.forEach(action);
    }

    /**
     * Checks every file's page cache and the file-system invariants: no folio wholly beyond the
     * end of file (a large folio may reach past it only when it could not be split at a truncate); one inode and one dentry object per inode in memory; an inode out of memory is
     * neither open, nor mapped, nor caching pages.
     */
    public void check() {
        buffers.check();
        long[] count = {0};
        forEachInode(inode -> {
            if (inode.inCore()) {
                count[0]++;
            } else if (inode.openCount() > 0 || mappingHook.mapped(inode) || inode.mapping().nrpages() > 0) {
                throw new IllegalStateException(inode + " is held or cached but not in memory");
            }
            inode.mapping().check();
            long firstBeyond = (inode.size() + MemSize.PAGE_SIZE - 1) >> MemSize.PAGE_SHIFT;
            inode.mapping().index().forEach(firstBeyond, Long.MAX_VALUE, (i, e) -> {
                if (e instanceof Folio f && f.index() >= firstBeyond) {
                    throw new IllegalStateException(inode + ": folio beyond end of file at index " + i + ": " + f);
                }
                return true;
            });
        });
        for (Inode inode : orphans) {
            if (!inode.unlinked() || (inode.openCount() == 0 && !mappingHook.mapped(inode))) {
                throw new IllegalStateException("orphan " + inode + " is held by no open file and no mapping (leaked)");
            }
        }
        objects.check(count[0]);
    }
}
