package org.pagelab.machine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
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
public final class Machine implements AutoCloseable, org.pagelab.memory.MemoryHost, org.pagelab.gup.GupHost,
        org.pagelab.failure.FailureHost, org.pagelab.reclaim.ReclaimHost {
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
    private final org.pagelab.compaction.Compaction compaction;
    private final org.pagelab.compaction.Kcompactd kcompactd;
    /** kcompactd0's task, made at its first wake-up (so runs that never compact keep their task list). */
    private org.pagelab.sim.SimTask kcompactdTask;
    private final org.pagelab.memcg.MemoryCgroups memcg;
    private final org.pagelab.vma.Overcommit overcommit;
    private final org.pagelab.swap.SwapSpace swap;
    private final org.pagelab.sim.SimConfig simConfig;
    private final org.pagelab.sim.Sim sim;
    private final org.pagelab.psi.Psi psi;
    private final org.pagelab.sim.SimTask kswapdTask;
    private final org.pagelab.sim.SimTask flushTask;
    private final SimClock.Dev fsDevice;
    private final org.pagelab.filemap.WritebackIo writebackIo;
    private final org.pagelab.sim.IoFaults ioFaults;
    private final java.util.Map<Integer, org.pagelab.sim.SimTask> tasks = new java.util.HashMap<>();
    private final Path workdir;
    private final boolean ownsWorkdir;
    private boolean closed;

    private Machine(PhysConfig config, Path workdir, boolean ownsWorkdir, org.pagelab.sim.SimConfig simConfig,
                    String reclaimPolicy) {
        this.config = config;
        this.simConfig = simConfig;
        this.sim = new org.pagelab.sim.Sim(simConfig.cpus(), simConfig.costs(), simConfig.record());
        this.psi = org.pagelab.psi.Psi.attach(sim);
        this.kswapdTask = sim.spawnKthread("kswapd0");
        this.flushTask = sim.spawnKthread("kworker/u:flush");
        this.ioFaults = new org.pagelab.sim.IoFaults(sim::now);
        SimClock clock = new SimClock(sim, ioFaults, simConfig.swapDevice());
        this.fsDevice = clock.device("rootfs", simConfig.fsDevice());
        this.workdir = workdir;
        this.ownsWorkdir = ownsWorkdir;
        this.phys = new PageAllocator(config, vmstat);
        phys.setClock(clock);
        this.slab = new SlabAllocator(phys, vmstat);
        this.radixTreeNodeCache = CacheIndex.createNodeCache(slab);
        this.vmAreaCache = slab.createCache("vm_area_struct", 200, false, true);
        this.anonVmaCache = slab.createCache("anon_vma", 104, false, true);
        this.anonVmaChainCache = slab.createCache("anon_vma_chain", 64, false, true);
        this.vfs = new Vfs(phys, vmstat, slab, radixTreeNodeCache, config.dataMode() ? workdir : null);
        vfs.setClock(clock, fsDevice);
        this.swap = new org.pagelab.swap.SwapSpace(phys, vmstat, radixTreeNodeCache, config.dataMode() ? workdir : null,
                clock);
        this.writebackIo = new org.pagelab.filemap.WritebackIo(phys, clock);
        vfs.setWritebackIo(writebackIo);
        vfs.setFlusherThread(() -> sim.wake(flushTask));
        swap.setWritebackIo(writebackIo);
        this.memory = new MemoryManager(this);
        this.memcg = new org.pagelab.memcg.MemoryCgroups(new MachineMemcgHost(this));
        this.vmscan = new org.pagelab.reclaim.Vmscan(this, reclaimPolicy, new org.pagelab.reclaim.LargeFolioSplit() {
            @Override
            public List<org.pagelab.desc.Folio> splitIsolated(org.pagelab.desc.AnonFolio f) {
                return memory.splitIsolated(f);
            }

            @Override
            public void splitPmds(org.pagelab.desc.Folio f) {
                memory.splitFolioPmds(f);
            }
        });
        memory.registerShrinkers(vmscan.shrinkers());
        this.compaction = new org.pagelab.compaction.Compaction(phys, vmstat,
                new org.pagelab.compaction.Migrate(phys, memory.rmap(), memcg::lruvecOf, vmstat, sim), memcg::lruvecOf);
        this.kcompactd = new org.pagelab.compaction.Kcompactd(compaction, phys, vmstat, this::wakeKcompactdThread, sim,
                () -> vmscan.kswapdWoken() || vmscan.kswapdBusy());
        phys.setCompactionHook(compaction);
        this.overcommit = new org.pagelab.vma.Overcommit(phys::managedPages, () -> swap.devices().totalPages(),
                phys.freePages());
        vfs.setShmemCommit(pages -> {
            if (pages >= 0) {
                return overcommit.tryAccountObject(pages);
            }
            overcommit.unaccountObject(-pages);
            return true;
        });
        phys.setChargeHook(memcg);
        slab.setObjCharge(memcg.objCharge());
        swap.devices().setCharge(new org.pagelab.swap.SwapCharge() {
            @Override
            public boolean charge(org.pagelab.desc.Folio f, org.pagelab.desc.SwapEntry entry, int nr) {
                return memcg.chargeSwap(f, entry, nr);
            }

            @Override
            public void uncharge(org.pagelab.desc.SwapEntry entry) {
                memcg.unchargeSwap(entry);
            }
        });
        kcompactd.start();
        BootWatch.booted(this);
    }

    /**
     * Boots a machine of shape {@code config}; in data mode its files go to a fresh temporary
     * directory removed by {@link #close()}.
     */
    public static Machine boot(PhysConfig config) {
        if (!config.dataMode()) {
            return new Machine(config, null, false, org.pagelab.sim.SimConfig.DEFAULT,
                    org.pagelab.reclaim.ReclaimPolicies.DEFAULT);
        }
        try {
            return new Machine(config, Files.createTempDirectory("pagelab-"), true, org.pagelab.sim.SimConfig.DEFAULT,
                    org.pagelab.reclaim.ReclaimPolicies.DEFAULT);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary working directory", e);
        }
    }

    /**
     * Boots a machine of shape {@code config} whose files (in data mode) live in {@code workdir},
     * which must exist; the machine never removes it.
     */
    public static Machine boot(PhysConfig config, Path workdir) {
        return boot(config, workdir, org.pagelab.sim.SimConfig.DEFAULT);
    }

    /**
     * Boots a machine of shape {@code config} whose files (in data mode) live in {@code workdir},
     * with simulated time as {@code simConfig} says.
     */
    public static Machine boot(PhysConfig config, Path workdir, org.pagelab.sim.SimConfig simConfig) {
        return boot(config, workdir, simConfig, org.pagelab.reclaim.ReclaimPolicies.DEFAULT);
    }

    /**
     * Boots a machine as {@link #boot(PhysConfig, Path, org.pagelab.sim.SimConfig)} does, whose
     * reclaim runs the policy registered as {@code reclaimPolicy} in
     * {@link org.pagelab.reclaim.ReclaimPolicies}.
     */
    public static Machine boot(PhysConfig config, Path workdir, org.pagelab.sim.SimConfig simConfig, String reclaimPolicy) {
        if (config.dataMode() && !Files.isDirectory(workdir)) {
            throw new IllegalArgumentException("working directory '" + workdir + "' is not a directory");
        }
        return new Machine(config, workdir, false, simConfig, reclaimPolicy);
    }

    /** Simulated time: CPUs, tasks, devices. */
    public org.pagelab.sim.Sim sim() {
        return sim;
    }

    /** Pressure stall information: the system-wide group is /proc/pressure/; cgroups add their own groups. */
    public org.pagelab.psi.Psi psi() {
        return psi;
    }

    public org.pagelab.sim.SimConfig simConfig() {
        return simConfig;
    }

    /** kswapd0's task on the simulated CPUs. */
    public org.pagelab.sim.SimTask kswapdTask() {
        return kswapdTask;
    }

    /** The simulated task of process {@code p}, made on first use (at the current time). */
    public org.pagelab.sim.SimTask taskOf(org.pagelab.memory.Process p) {
        return tasks.computeIfAbsent(p.pid(), pid -> sim.spawn(p.name(), pid));
    }

    private final List<Runnable> stepListeners = new java.util.ArrayList<>();

    /** Calls {@code r} after every step a driver runs (time series sampling, progress). */
    public void addStepListener(Runnable r) {
        stepListeners.add(r);
    }

    /** Tells the step listeners a step has ended; drivers call it after each {@code endStep}. */
    public void afterStep() {
        for (Runnable r : stepListeners) {
            r.run();
        }
    }

    /** Ends process {@code p}'s task when the process exits or is killed (at once, or after its running step). */
    public void exitTask(org.pagelab.memory.Process p) {
        org.pagelab.sim.SimTask t = tasks.get(p.pid());
        if (t != null) {
            sim.exit(t);
        }
    }

    /**
     * Runs {@code body} as one step of process {@code p}'s task, for drivers that run processes
     * one after another (the built-in workload, the Java API): kswapd runs first whenever it is
     * runnable earlier, and the time {@code body} costs is charged to {@code p}. When a kernel
     * thread that ran first got {@code p} killed (khugepaged's or kcompactd's allocation calling
     * the OOM killer), {@code body} does not run: the driver finds {@code p} dead.
     */
    public void step(org.pagelab.memory.Process p, Runnable body) {
        org.pagelab.sim.SimTask t = taskOf(p);
        for (;;) {
            if (!p.alive()) {
                return;
            }
            org.pagelab.sim.SimTask next = sim.next();
            if (next == null) {
                throw new IllegalStateException("no live task to run " + p + " on");
            }
            if (next == t) {
                break;
            }
            if (kernelThread(next)) {
                runTaskStep(next);
            } else {
                // another process the driver is not running now: it idles until the driven one's time
                sim.sleepFor(Math.max(0, t.clockNs() - sim.now()));
                sim.endStep();
            }
        }
        try {
            body.run();
            returnToUser(p);
        } finally {
            if (!p.alive()) {
                sim.exit();
            }
            sim.endStep();
        }
        afterStep();
    }

    /** Whether {@code t} is one of the machine's kernel threads (kswapd0, the flusher), which {@link #runTaskStep} runs. */
    public boolean kernelThread(org.pagelab.sim.SimTask t) {
        return t == kswapdTask || t == flushTask || t != null && (t == kcompactdTask || t == memory.khugepaged().task());
    }

    /**
     * Runs one step of a kernel thread the scheduler picked: kswapd0 (one turn of balancing the
     * node) or the flusher (one chunk of writeback). Requires: {@code t} is a kernel thread of
     * this machine, returned by {@link org.pagelab.sim.Sim#next()}.
     */
    public void runTaskStep(org.pagelab.sim.SimTask t) {
        if (t == kswapdTask) {
            kswapdStep();
        } else if (t == flushTask) {
            flushStep();
        } else if (t != null && t == kcompactdTask) {
            kcompactd.run();
            if (!kcompactd.pending()) {
                sim.sleep();
            }
        } else if (t != null && t == memory.khugepaged().task()) {
            memory.khugepaged().run();
        } else {
            throw new IllegalArgumentException("not a kernel thread of this machine: " + t);
        }
        sim.endStep();
        afterStep();
    }

    /**
     * A preemption point of the running process's step (an allocation): completions due by its
     * time run, then every kernel thread runnable by then runs its steps, the earliest first, as
     * the scheduler would have given them a CPU meanwhile. Nothing happens outside a process's step.
     */
    public void preempt() {
        org.pagelab.sim.SimTask cur = sim.current();
        if (cur == null || kernelThread(cur)) {
            return;
        }
        sim.runTimersDue();
        org.pagelab.memory.Process outer = preempted;
        preempted = memory.processes().get(cur.pid());
        try {
            for (int i = 0; i < MAX_NESTED_STEPS; i++) {
                boolean k = sim.readyBy(kswapdTask);
                boolean f = sim.readyBy(flushTask);
                if (!k && !f) {
                    return;
                }
                boolean kswapdFirst = k && (!f || kswapdTask.clockNs() <= flushTask.clockNs());
                if (kswapdFirst) {
                    sim.runNested(kswapdTask, this::kswapdStep);
                } else {
                    sim.runNested(flushTask, this::flushStep);
                }
            }
        } finally {
            preempted = outer;
        }
    }

    /** The process whose step the kernel threads running now preempted, or null at the top level. */
    private org.pagelab.memory.Process preempted;

    /** Kernel-thread steps at one preemption point at most: each moves its thread's clock; this bounds a pathological loop. */
    private static final int MAX_NESTED_STEPS = 64;

    /**
     * The body of one flusher step: a chunk of writeback, or a wait for writes in flight, or
     * sleep until woken when no work is left. Requires: the flusher's step is running.
     */
    public void flushStep() {
        long wait = vfs.flusher().step();
        if (wait > 0) {
            sim.sleepFor(wait);
        } else if (!vfs.flusher().hasWork()) {
            sim.sleep();
        }
    }

    /**
     * The body of one kswapd0 step, at the top level or nested at a preemption point: one turn of
     * balance_pgdat inside a memory stall, then a throttled sleep, or sleep until woken when the
     * node is balanced. Requires: kswapd's step is running.
     */
    public void kswapdStep() {
        sim.beginStall(org.pagelab.sim.StallKind.KSWAPD_RECLAIM);
        long throttle = vmscan.kswapdStep();
        if (throttle > 0) {
            sim.sleepFor(throttle);
        }
        sim.endStall();
        if (!vmscan.kswapdBusy() && !vmscan.kswapdWoken()) {
            sim.sleep();
        }
    }

    public PhysConfig config() {
        return config;
    }

    /** Zone compaction and page migration. */
    public org.pagelab.compaction.Compaction compaction() {
        return compaction;
    }

    /** The node's kcompactd. */
    public org.pagelab.compaction.Kcompactd kcompactd() {
        return kcompactd;
    }

    @Override
    public void boostedRunEnded() {
        kcompactd.wake(config.pageblockOrder(), org.pagelab.phys.ZoneType.NORMAL);
    }

    @Override
    public void kswapdRunEnded() {
        int order = phys.takeKswapdOrder();
        if (order > 0) {
            kcompactd.wake(order, org.pagelab.phys.ZoneType.NORMAL);
        }
    }

    /** Makes kcompactd0's task runnable, creating it at the first wake-up. */
    private void wakeKcompactdThread() {
        if (kcompactdTask == null) {
            kcompactdTask = sim.spawnKthread("kcompactd0");
        }
        sim.wake(kcompactdTask);
    }

    /**
     * Lets kcompactd do the work a wake-up left it, for drivers without simulated time (the Java
     * API), as {@link #runKswapd()} does for kswapd.
     */
    public void runKcompactd() {
        kcompactd.run();
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

    /** The reverse-mapping actions over every process's page tables (folio_referenced, try_to_unmap, folio_mkclean). */
    public org.pagelab.rmap.Rmap rmap() {
        return memory.rmap();
    }

    /** The live processes' address spaces in pid order, for the multi-generational LRU's page-table walk. */
    @Override
    public java.util.List<org.pagelab.reclaim.ReclaimHost.MmTables> mmList() {
        java.util.List<org.pagelab.reclaim.ReclaimHost.MmTables> out = new java.util.ArrayList<>();
        for (org.pagelab.memory.Process p : memory.processes().values()) {
            if (p.alive()) {
                out.add(new org.pagelab.reclaim.ReclaimHost.MmTables(p.mm(), p.pageTable(), memcg.memcgOf(p).lruvec(),
                        p.rssAnon() + p.rssShmem(), p.rssFile()));
            }
        }
        return out;
    }

    /**
     * out_of_memory from kswapd: the victim is killed at once, unless it is the process whose step
     * kswapd preempted, which is only marked and dies when its step returns to user space.
     */
    @Override
    public boolean outOfMemory() {
        return memory.oomKiller().outOfMemoryInReclaim(preempted);
    }

    private final org.pagelab.failure.MemoryFailure memoryFailure = new org.pagelab.failure.MemoryFailure(this);

    private final org.pagelab.gup.Gup gup = new org.pagelab.gup.Gup(this);

    /** get_user_pages and pin_user_pages. */
    public org.pagelab.gup.Gup gup() {
        return gup;
    }

    /** The I/O errors injected into the swap areas and the file system's device; see {@link org.pagelab.sim.IoFaults}. */
    public org.pagelab.sim.IoFaults ioFaults() {
        return ioFaults;
    }

    /** memory_failure, MADV_HWPOISON and unpoison. */
    public org.pagelab.failure.MemoryFailure memoryFailure() {
        return memoryFailure;
    }

    /** Swap areas and their swap caches. */
    /** The writes of page-cache and swap-cache folios in flight. */
    public org.pagelab.filemap.WritebackIo writebackIo() {
        return writebackIo;
    }

    public org.pagelab.swap.SwapSpace swap() {
        return swap;
    }

    /** The memory cgroup hierarchy and its accounting. */
    public org.pagelab.memcg.MemoryCgroups memcg() {
        return memcg;
    }

    /**
     * What happens when process {@code p} returns to user space at the end of a step: an OOM
     * kill chosen during the step takes effect, and memory.high reclaims and throttles. Drivers
     * call it after each step of a process, before ending the step.
     */
    public void returnToUser(org.pagelab.memory.Process p) {
        memcg.returnToUser(p);
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

    /**
     * A new, empty address space whose VMAs and anon_vmas come from this machine's caches and
     * whose commitments the machine's overcommit policy judges.
     */
    public org.pagelab.vma.Mm newMm() {
        org.pagelab.vma.Mm mm = new org.pagelab.vma.Mm(vmAreaCache, anonVmaCache, anonVmaChainCache);
        mm.setOvercommit(overcommit);
        return mm;
    }

    private KmemCache kernelUsedCache;
    private final List<org.pagelab.slab.SlabObject> kernelUsed = new java.util.ArrayList<>();

    /**
     * Takes {@code bytes} (rounded up to pages) of kernel memory that the machine holds for good:
     * the unreclaimable memory a real kernel has in use once booted (slab, kernel stacks, per-cpu
     * areas), so a machine can start with the free memory a real boot starts with. Counted as
     * unreclaimable slab of cache kmalloc-4k. Returns false, holding what it got, when memory runs out.
     */
    public boolean holdKernelMemory(long bytes) {
        return holdKernelMemory(bytes, 0);
    }

    /**
     * As {@link #holdKernelMemory(long)}, the memory spread over {@code pageblocks} unmovable
     * pageblocks (0: packed, as allocation order leaves it), half or so of each held, the rest
     * free in small blocks between, as a real boot leaves its kernel memory
     * ({@link org.pagelab.phys.PageAllocator#holdLayoutHoles}). Returns false when the machine
     * cannot hold it; throws {@link IllegalArgumentException} when the pageblocks are not there.
     */
    public boolean holdKernelMemory(long bytes, int pageblocks) {
        int[] holes = new int[0];
        if (pageblocks > 0) {
            long pages = (bytes + org.pagelab.phys.MemSize.PAGE_SIZE - 1) / org.pagelab.phys.MemSize.PAGE_SIZE;
            // every pageblock but one keeps a larger free block; the last one is nearly full
            // (PageAllocator.NEARLY_FULL_USED of every 32 frames)
            int withHole = Math.max(1, pageblocks - 1);
            long capacity = ((long) pageblocks << config.pageblockOrder())
                    - (long) withHole * org.pagelab.phys.PageAllocator.FIRST_HOLE;
            // runs of 32 frames hold a multiple of 8 kernel frames: kmalloc-4k's slabs are order 3
            int used = (int) Math.min(32, Math.max(8, (pages * 32 + capacity - 1) / capacity + 7) / 8 * 8);
            holes = phys.holdLayoutHoles(pageblocks, withHole, used,
                    withHole < pageblocks ? org.pagelab.phys.PageAllocator.NEARLY_FULL_USED : used);
        }
        try {
            return holdKernelPages(bytes);
        } finally {
            phys.releaseLayoutHoles(holes);
        }
    }

    private boolean holdKernelPages(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("kernel memory to hold must not be negative: " + bytes);
        }
        if (kernelUsedCache == null) {
            kernelUsedCache = slab.createCache("kmalloc-4k", org.pagelab.phys.MemSize.PAGE_SIZE, false, false);
        }
        for (long n = (bytes + org.pagelab.phys.MemSize.PAGE_SIZE - 1) / org.pagelab.phys.MemSize.PAGE_SIZE; n > 0; n--) {
            org.pagelab.slab.SlabObject o = kernelUsedCache.alloc();
            if (o == null) {
                return false;
            }
            kernelUsed.add(o);
        }
        return true;
    }

    /**
     * Makes the file system block-based with blocks of {@code bytes} (buffer heads on every page
     * written, {@link Vfs#setBlockSize}); 0: none, the default.
     */
    public void setFsBlockSize(int bytes) {
        vfs.setBlockSize(bytes);
    }

    /** The largest request descriptor a block driver may allocate: kmalloc's largest size class on a small machine. */
    public static final int MAX_BLOCK_REQUEST_BYTES = 8192;

    /**
     * Makes the block driver allocate a descriptor of {@code bytes} for every request of writes in
     * flight, GFP_ATOMIC, from the kmalloc cache of the next power of two
     * ({@link org.pagelab.filemap.WritebackIo#setRequestCache}); 0: none, the default. Throws
     * {@link IllegalArgumentException} for a size outside 0..{@value #MAX_BLOCK_REQUEST_BYTES}.
     */
    public void setBlockRequestBytes(int bytes) {
        if (bytes < 0 || bytes > MAX_BLOCK_REQUEST_BYTES) {
            throw new IllegalArgumentException("block request descriptor of " + bytes + " bytes: expected 0.."
                    + MAX_BLOCK_REQUEST_BYTES);
        }
        if (bytes == 0) {
            writebackIo.setRequestCache(null);
            return;
        }
        int size = Integer.highestOneBit(Math.max(8, bytes) - 1) << 1;
        String name = size >= 1024 ? "kmalloc-" + size / 1024 + "k" : "kmalloc-" + size;
        writebackIo.setRequestCache(slab.createCache(name, size, false, false));
    }

    /** vm.overcommit_memory and its companions, and vm_committed_as. */
    public org.pagelab.vma.Overcommit overcommit() {
        return overcommit;
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
        gup.check();
        writebackIo.check();
        memory.check();
        vmscan.check();
        memcg.check();
        compaction.check();
        MemoryChecker.check(this);
        org.pagelab.psi.PsiChecker.check(psi, sim);
        long committed = vfs.shmemCommittedPages();
        for (org.pagelab.memory.Process p : memory.processes().values()) {
            committed += p.mm().committedPages();
        }
        if (committed != overcommit.committedPages()) {
            throw new IllegalStateException("vm_committed_as " + overcommit.committedPages()
                    + " but the address spaces commit " + committed + " pages");
        }
    }

    /** Releases frame memory; removes the working directory if the machine made it. */
    @Override
    public void close() {
        closed = true;
        swap.close();
        phys.contents().close();
        if (ownsWorkdir) {
            deleteTree(workdir);
        }
    }

    /** Whether {@link #close()} has released the machine: its checkers no longer apply. */
    public boolean closed() {
        return closed;
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
