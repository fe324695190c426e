package org.pagelab.machine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.pagelab.filemap.CacheIndex;
import org.pagelab.filemap.Vfs;
import org.pagelab.memory.MemoryManager;
import org.pagelab.phys.PageAllocator;
import org.pagelab.phys.PhysConfig;
import org.pagelab.slab.KmemCache;
import org.pagelab.slab.SlabAllocator;
import org.pagelab.stat.VmStat;

/**
 * One simulated machine: physical memory, the slab allocator, the counters, the file system and
 * the subsystems built on them. Single-threaded: one machine is driven by one thread at a time.
 *
 * <p>In data mode the machine's files live in a host working directory: the one given to
 * {@link #boot(PhysConfig, Path)}, or a fresh temporary directory that {@link #close()} removes.
 */
public final class Machine implements AutoCloseable {
    private final PhysConfig config;
    private final VmStat vmstat = new VmStat();
    private final PageAllocator phys;
    private final SlabAllocator slab;
    private final KmemCache radixTreeNodeCache;
    private final Vfs vfs;
    private final KmemCache vmAreaCache;
    private final KmemCache anonVmaCache;
    private final KmemCache anonVmaChainCache;
    private final MemoryManager memory;
    private final org.pagelab.reclaim.Vmscan vmscan;
    private final org.pagelab.swap.SwapSpace swap;
    private final Path workdir;
    private final boolean ownsWorkdir;

    private Machine(PhysConfig config, Path workdir, boolean ownsWorkdir) {
        this.config = config;
        this.workdir = workdir;
        this.ownsWorkdir = ownsWorkdir;
        this.phys = new PageAllocator(config, vmstat);
        this.slab = new SlabAllocator(phys, vmstat);
        this.radixTreeNodeCache = CacheIndex.createNodeCache(slab);
        this.vmAreaCache = slab.createCache("vm_area_struct", 200, false);
        this.anonVmaCache = slab.createCache("anon_vma", 104, false);
        this.anonVmaChainCache = slab.createCache("anon_vma_chain", 64, false);
        this.vfs = new Vfs(phys, vmstat, slab, radixTreeNodeCache, config.dataMode() ? workdir : null);
        this.swap = new org.pagelab.swap.SwapSpace(phys, vmstat, radixTreeNodeCache, config.dataMode() ? workdir : null);
        this.memory = new MemoryManager(this);
        this.vmscan = new org.pagelab.reclaim.Vmscan(this, org.pagelab.reclaim.ReclaimPolicies.DEFAULT);
    }

    /**
     * Boots a machine of shape {@code config}; in data mode its files go to a fresh temporary
     * directory removed by {@link #close()}.
     */
    public static Machine boot(PhysConfig config) {
        if (!config.dataMode()) {
            return new Machine(config, null, false);
        }
        try {
            return new Machine(config, Files.createTempDirectory("pagelab-"), true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary working directory", e);
        }
    }

    /**
     * Boots a machine of shape {@code config} whose files (in data mode) live in {@code workdir},
     * which must exist; the machine never removes it.
     */
    public static Machine boot(PhysConfig config, Path workdir) {
        if (config.dataMode() && !Files.isDirectory(workdir)) {
            throw new IllegalArgumentException("working directory '" + workdir + "' is not a directory");
        }
        return new Machine(config, workdir, false);
    }

    public PhysConfig config() {
        return config;
    }

    public VmStat vmstat() {
        return vmstat;
    }

    public PageAllocator phys() {
        return phys;
    }

    public SlabAllocator slab() {
        return slab;
    }

    /** The file system. */
    public Vfs vfs() {
        return vfs;
    }

    /** The host working directory of the machine's files, or null in metadata mode. */
    public Path workdir() {
        return workdir;
    }

    /** Processes and their memory. */
    public MemoryManager memory() {
        return memory;
    }

    /** Swap areas and their swap caches. */
    public org.pagelab.swap.SwapSpace swap() {
        return swap;
    }

    /** The node's reclaim: LRU lists, kswapd and direct reclaim. */
    public org.pagelab.reclaim.Vmscan vmscan() {
        return vmscan;
    }

    /**
     * Lets kswapd run if an allocation woke it: the machine's background work between the steps
     * of its processes. Returns pages reclaimed.
     */
    public long runKswapd() {
        return vmscan.runKswapd();
    }

    /** The cache VMAs come from. */
    public KmemCache vmAreaCache() {
        return vmAreaCache;
    }

    /** The cache anon_vmas come from. */
    public KmemCache anonVmaCache() {
        return anonVmaCache;
    }

    /** The cache anon_vma chain links come from. */
    public KmemCache anonVmaChainCache() {
        return anonVmaChainCache;
    }

    /** A new, empty address space whose VMAs and anon_vmas come from this machine's caches. */
    public org.pagelab.vma.Mm newMm() {
        return new org.pagelab.vma.Mm(vmAreaCache, anonVmaCache, anonVmaChainCache);
    }

    /** The cache that index nodes of every page cache and swap cache come from. */
    public KmemCache radixTreeNodeCache() {
        return radixTreeNodeCache;
    }

    /** Runs every invariant checker of the machine; throws on the first broken invariant. */
    public void check() {
        phys.check();
        slab.check();
        vfs.check();
        swap.check();
        memory.check();
        vmscan.check();
        MemoryChecker.check(this);
    }

    /** Releases frame memory; removes the working directory if the machine made it. */
    @Override
    public void close() {
        swap.close();
        phys.contents().close();
        if (ownsWorkdir) {
            deleteTree(workdir);
        }
    }

    /** Removes {@code dir} and everything below it; nothing when it does not exist. */
    public static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove working directory " + dir, e);
        }
    }
}
