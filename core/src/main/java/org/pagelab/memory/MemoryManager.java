package org.pagelab.memory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.pagelab.desc.AnonFolio;
import org.pagelab.desc.Folio;
import org.pagelab.desc.PageCacheFolio;
import org.pagelab.desc.FolioFlags.Flag;
import org.pagelab.desc.ReservedBlock;
import org.pagelab.filemap.Errno;
import org.pagelab.filemap.FaultResult;
import org.pagelab.filemap.Inode;
import org.pagelab.filemap.MappingHook;
import org.pagelab.filemap.OpenFile;
import org.pagelab.filemap.ShmemSwap;
import org.pagelab.pgtable.PageTable;
import org.pagelab.phys.AllocRequest;
import org.pagelab.phys.DescFactory;
import org.pagelab.phys.PageAllocator;
import org.pagelab.rmap.FileRmap;
import org.pagelab.rmap.Rmap;
import org.pagelab.rmap.UnmapEntry;
import org.pagelab.stat.VmStat;
import org.pagelab.vma.MapResult;
import org.pagelab.vma.Mm;
import org.pagelab.vma.Vma;

/**
 * The memory manager's entry points for processes and their memory: the process table, the
 * mapping system calls, memory access with its faults, fork and exit, and the reverse-mapping
 * actions other subsystems ask for. Each concept is a class of its own, as the kernel splits
 * mm/ into files; this class builds them, hands each its collaborators, and keeps the API that
 * drivers (the scenario runner, the api module, the command line) call.
 * <pre>
 *   ProcessTable   spawn, exit, kill, pid lookup, event log      kernel/fork.c, kernel/exit.c
 *   Fork           dup_mm and copy_page_range                     kernel/fork.c, mm/memory.c
 *   Mmap           mmap, munmap, unmap_mapping_range              mm/mmap.c
 *   Mprotect       mprotect                                       mm/mprotect.c
 *   Madvise        madvise                                        mm/madvise.c
 *   Mremap         mremap                                         mm/mremap.c
 *   Fault          the MMU, handle_mm_fault, anon and wp faults   mm/memory.c
 *   FileFault      faults in file mappings, fault-around          mm/memory.c, mm/filemap.c
 *   SwapFault      do_swap_page                                   mm/memory.c, mm/swap_state.c
 *   HugeMemory     THP fault and split                            mm/huge_memory.c
 *   HugePmd        PMD mappings: map, zap, split, wp, huge zero   mm/huge_memory.c
 *   HugeZeroPage   the huge zero page and its shrinker            mm/huge_memory.c
 *   DeferredSplit  the deferred-split queue and its shrinker      mm/huge_memory.c
 *   Zap            zap_pte_range, page_remove_rmap's accounting   mm/memory.c, mm/rmap.c
 *   SwapUse        swapoff, shmem swap-in, swap readahead         mm/swapfile.c, mm/shmem.c
 *   OomKiller      out_of_memory                                  mm/oom_kill.c
 *   Rmap (rmap)    folio_referenced, try_to_unmap, folio_mkclean  mm/rmap.c
 * </pre>
 *
 * <p>Invariants ({@link #check()}): for every folio, mapcount equals the number of PTEs in all
 * page tables that map it; nr_anon_pages equals the pages of mapped anon folios; every process's
 * RssAnon equals its anon PTEs; nr_page_table_pages equals the page-table frames in the memmap.
 */
public final class MemoryManager implements MappingHook {
    /** Pages mapped around a read fault in a file mapping (fault_around_bytes = 64 KiB). */
    public static final int FAULT_AROUND_PAGES = FileFault.FAULT_AROUND_PAGES;
    /** References GUP pins add to a folio; see {@link Folio#GUP_PIN_COUNTING_BIAS}. */
    public static final int GUP_PIN_COUNTING_BIAS = Folio.GUP_PIN_COUNTING_BIAS;

    /** The machine, as far as the memory manager uses it. */
    final MemoryHost machine;
    final PageAllocator phys;
    final VmStat vmstat;
    final ReservedBlock zeroPage;
    final FileRmap fileRmap = new FileRmap();
    final Rmap rmap;
    final HugeMemory huge;
    final MthpSettings mthp;
    private final Khugepaged khugepaged;
    final HugePmd pmd;
    final PageCacheSplit pageCacheSplit;
    final DeferredSplit deferredSplit;
    final ProcessTable table;
    private final Zap zap;
    private final OomKiller oomKiller;
    private final Fault fault;
    private final SwapFault swapFault;
    private final Fork fork;
    private final Mmap mmap;
    private final Mprotect mprotect;
    private final Madvise madvise;
    private final Mremap mremap;
    private final ClearRefs clearRefs;
    private final SwapUse swapUse = new SwapUse(this);

    /** The process layer of {@code machine}. */
    public MemoryManager(MemoryHost machine) {
        this.machine = machine;
        this.phys = machine.phys();
        this.vmstat = machine.vmstat();
        this.mthp = new MthpSettings(vmstat);
        this.zeroPage = phys.zeroPage();
        this.rmap = new Rmap(fileRmap, new Rmap.PteOwners() {
            @Override
            public PageTable pageTable(Vma vma) {
                return table.ownerOf(vma).pageTable();
            }

            @Override
            public boolean swapDuplicate(org.pagelab.desc.SwapEntry entry) {
                return machine.swap().duplicate(entry);
            }

            @Override
            public void pteRemoved(Vma vma, Folio folio, boolean toSwap) {
                Process p = table.ownerOf(vma);
                if (toSwap) {
                    p.addSwapEnts(1);
                }
                zap.unmapFolio(p, folio, false);
            }

            @Override
            public void folioMigrated(Folio src, Folio dst) {
                // remove_migration_pmd: the PMD mappings, restored, are the new folio's
                dst.entireMapcountAdd(src.entireMapcount());
                src.entireMapcountAdd(-src.entireMapcount());
                if (src instanceof AnonFolio a && dst instanceof AnonFolio b) {
                    deferredSplit.replace(a, b);
                }
            }
        });
        this.pmd = new HugePmd(phys.memmap(), vmstat, rmap, new HugeZeroPage(phys, vmstat), zeroPage.pfn());
        this.huge = new HugeMemory(phys, vmstat, machine::vmscan, rmap, pmd, machine.swap());
        this.pageCacheSplit = new PageCacheSplit(phys, vmstat, machine::vmscan, rmap, pmd);
        this.deferredSplit = new DeferredSplit(vmstat, rmap, huge);
        huge.setDeferredSplit(deferredSplit);
        this.zap = new Zap(phys, vmstat, machine.sim(), machine.swap(), pmd, deferredSplit);
        this.table = new ProcessTable(phys, vmstat, machine::newMm, fileRmap, machine::exitTask, machine.vfs(), zap);
        this.oomKiller = new OomKiller(table, phys, vmstat, machine.swap(), machine::memcg);
        this.fault = new Fault(phys, vmstat, machine.sim(), machine::vmscan, machine.swap(), huge, pmd, zap, table, oomKiller);
        this.swapFault = new SwapFault(fault, phys, vmstat, machine.sim(), machine.swap(), machine::vmscan, machine::memcg,
                swapUse, rmap);
        fault.setHandlers(new FileFault(fault, phys, vmstat, machine.vfs(), pmd), swapFault);
        AnonOrders anonOrders = new AnonOrders(huge, mthp, phys, vmstat, machine::vmscan, machine::memcg);
        fault.setAnonOrders(anonOrders);
        this.khugepaged = new Khugepaged(phys, vmstat, machine.sim(), rmap, fault, zap, anonOrders, mthp, huge,
                machine::memcg);
        anonOrders.setKhugepaged(khugepaged);
        this.fork = new Fork(table, fault, zap, phys.memmap(), machine.swap(), pmd);
        this.mmap = new Mmap(machine.vfs(), zap, table, fileRmap);
        this.mprotect = new Mprotect(phys.memmap(), pmd);
        this.madvise = new Madvise(fault, zap, phys.memmap(), machine::vmscan, pmd, huge, pageCacheSplit);
        this.mremap = new Mremap(mmap, huge, zap, pmd);
        this.clearRefs = new ClearRefs(phys.memmap());
        machine.vfs().setMappingHook(this);
        machine.vfs().setShmemSwap(new ShmemSwap() {
            @Override
            public FaultResult swapIn(org.pagelab.filemap.ShmemCache shm, long index, org.pagelab.desc.SwapEntry entry) {
                return swapUse.shmemSwapIn(shm, index, entry);
            }

            @Override
            public void free(org.pagelab.desc.SwapEntry entry) {
                machine.swap().freeSwapAndCache(entry);
            }
        });
    }

    // ---- the process table ----

    /** The shared zero page's frame. */
    public int zeroPfn() {
        return zeroPage.pfn();
    }

    /**
     * Whether frame {@code pfn} holds zeros that special PTEs map: the shared zero page, or a
     * page of the huge zero page.
     */
    public boolean isZeroPfn(int pfn) {
        return pfn == zeroPage.pfn() || pmd.zeroPage().isHugeZeroPfn(pfn);
    }

    /** Every process ever spawned, by pid. */
    public Map<Integer, Process> processes() {
        return table.processes();
    }

    /** Adds a line to the event log (memory-failure's reports use it too). */
    public void logEvent(String line) {
        table.logEvent(line);
    }

    /** Signals and kills, in order, one line each. */
    public List<String> events() {
        return table.events();
    }

    /** Creates a process with an empty address space, or returns null when no page table can be had. */
    public Process spawn(String name) {
        return table.spawn(name);
    }

    /**
     * fork: a child with a copy of the parent's VMAs whose private anonymous pages are shared
     * copy-on-write; null, with nothing left behind, when memory runs out. See {@link Fork}.
     */
    public Process fork(Process parent) {
        Process child = fork.fork(parent);
        if (child != null) {
            khugepaged.fork(parent, child);
        }
        return child;
    }

    /** exit: tears down the address space; every page and table goes back to the allocator. */
    public void exit(Process p) {
        table.exit(p);
    }

    /** Delivers {@code signal} to {@code p} as a fatal signal recorded in the event log. */
    public void killWith(Process p, long addr, String signal) {
        if (p.alive()) {
            table.kill(p, addr, signal, Access.SIGBUS);
        }
    }

    /** The OOM killer, for the machine and for memory cgroups. */
    public OomKiller oomKiller() {
        return oomKiller;
    }

    // ---- the mapping system calls ----

    /** mmap of private anonymous memory; see {@link Mm#mmap}. */
    public MapResult mmapAnon(Process p, long addr, long len, int prot, boolean fixed) {
        return mmap.mmapAnon(p, addr, len, prot, false, fixed);
    }

    /** mmap of anonymous memory, private or shared; see {@link Mmap#mmapAnon}. */
    public MapResult mmapAnon(Process p, long addr, long len, int prot, boolean shared, boolean fixed) {
        return mmap.mmapAnon(p, addr, len, prot, shared, fixed);
    }

    /**
     * mmap of {@code len} bytes of open file {@code f} from byte {@code offset}, shared or
     * private; see {@link Mm#mmap}.
     */
    public MapResult mmapFile(Process p, long addr, long len, int prot, boolean shared, boolean fixed, OpenFile f,
                              long offset) {
        return mmap.mmapFile(p, addr, len, prot, shared, fixed, f, offset);
    }

    /** munmap; the pages of the range are unmapped and freed when no longer used. */
    public MapResult munmap(Process p, long addr, long len) {
        return mmap.munmap(p, addr, len);
    }

    /** mprotect; PTEs of the range lose write (and user access under PROT_NONE) as the VMA does. */
    public MapResult mprotect(Process p, long addr, long len, int prot) {
        return mprotect.mprotect(p, addr, len, prot);
    }

    /**
     * mremap of {@code [oldAddr, oldAddr + oldLen)} to {@code newLen} bytes: in place when it
     * shrinks or the pages after it are free, else moved when {@code mayMove} (MREMAP_MAYMOVE), or
     * moved to {@code fixedAddr} when it is not null (MREMAP_FIXED); see {@link Mremap}.
     */
    public MapResult mremap(Process p, long oldAddr, long oldLen, long newLen, boolean mayMove, Long fixedAddr) {
        return mremap.mremap(p, oldAddr, oldLen, newLen, mayMove, fixedAddr);
    }

    /** madvise(MADV_DONTNEED): drops the range's pages; the next touch sees zeros. */
    public MapResult madviseDontneed(Process p, long addr, long len) {
        return madvise.dontneed(p, addr, len);
    }

    /** madvise(MADV_HUGEPAGE) or, with {@code hugepage} false, MADV_NOHUGEPAGE; see {@link Madvise#hugepage}. */
    public MapResult madviseHugepage(Process p, long addr, long len, boolean hugepage) {
        MapResult r = madvise.hugepage(p, addr, len, hugepage);
        if (hugepage && r instanceof MapResult.Mapped) {
            for (Vma v : p.mm().vmas()) {
                if (v.end() > addr && v.start() < addr + len) {
                    khugepaged.enterVma(p, v); // hugepage_madvise registers the address space
                }
            }
        }
        return r;
    }

    /** madvise(MADV_COLLAPSE); see {@link Khugepaged#madviseCollapse}. */
    public MapResult madviseCollapse(Process p, long addr, long len) {
        return khugepaged.madviseCollapse(p, addr, len);
    }

    /** khugepaged: its tunables, counters and kernel thread; see {@link Khugepaged}. */
    public Khugepaged khugepaged() {
        return khugepaged;
    }

    /** madvise(MADV_COLD) or, with {@code pageout}, MADV_PAGEOUT; see {@link Madvise#coldOrPageout}. */
    public MapResult madviseColdOrPageout(Process p, long addr, long len, boolean pageout) {
        return madvise.coldOrPageout(p, addr, len, pageout);
    }

    /** The fork-related and populate advices of madvise; see {@link Madvise}. */
    public Madvise madvise() {
        return madvise;
    }

    /** Writes {@code value} to /proc/PID/clear_refs of {@code p} (1..4); false for another value. See {@link ClearRefs}. */
    public boolean clearRefs(Process p, int value) {
        return clearRefs.clear(p, value);
    }

    /** /sys/kernel/mm/transparent_hugepage/enabled: when anonymous faults may get 2 MiB folios. */
    public TransparentHugepage transparentHugepage() {
        return huge.enabled();
    }

    /**
     * Sets /sys/kernel/mm/transparent_hugepage/enabled. {@code never} also stands for a kernel
     * built without THP (as the user-mode Linux that validation compares with): swap areas
     * swapped on while it is set get the clusters of a kernel without THP_SWAP.
     */
    public void setTransparentHugepage(TransparentHugepage t) {
        huge.setEnabled(t);
        machine.swap().devices().setThpSwap(t != TransparentHugepage.NEVER);
    }

    /**
     * The per-size settings and counters, /sys/kernel/mm/transparent_hugepage/hugepages-&lt;N&gt;kB/
     * (enabled, stats/); see {@link MthpSettings}.
     */
    public MthpSettings mthp() {
        return mthp;
    }

    /** /sys/kernel/mm/transparent_hugepage/defrag: what a THP fault may do when no 2 MiB block is free. */
    public ThpDefrag thpDefrag() {
        return huge.defrag();
    }

    /** Sets /sys/kernel/mm/transparent_hugepage/defrag. */
    public void setThpDefrag(ThpDefrag d) {
        huge.setDefrag(d);
    }

    /**
     * /sys/kernel/mm/transparent_hugepage/use_zero_page (default true): whether a read fault on
     * an empty, eligible 2 MiB range maps the huge zero page; when false it allocates a PMD-sized
     * folio as a write fault would (do_huge_pmd_anonymous_page).
     */
    public boolean useZeroPage() {
        return huge.useZeroPage();
    }

    /** Sets /sys/kernel/mm/transparent_hugepage/use_zero_page; see {@link #useZeroPage()}. */
    public void setUseZeroPage(boolean use) {
        huge.setUseZeroPage(use);
    }

    /**
     * THPeligible of /proc/&lt;pid&gt;/smaps: 6.1's hugepage_vma_check as smaps asks it, for the
     * 2 MiB size: a private anonymous VMA that the settings allow it in (its hugepages-2048kB
     * setting, or the top-level one it inherits; VM_HUGEPAGE, VM_NOHUGEPAGE) and that holds an
     * aligned 2 MiB range. File and shmem VMAs are not: pagelab has no file THP
     * (READ_ONLY_THP_FOR_FS) and shmem's huge= is never, the kernel's default.
     */
    public boolean thpEligible(Vma vma) {
        int pmd = 1 << HugeMemory.HPAGE_PMD_ORDER;
        int allowed = mthp().allowableOrders(vma, huge.enabled()) & pmd;
        return (MthpSettings.suitableOrders(vma, vma.end() - HugeMemory.HPAGE_PMD_SIZE, allowed) & pmd) != 0;
    }

    /**
     * swapoff of swap device {@code type} (try_to_unuse): stops allocation from it, brings every
     * page whose PTE holds one of its entries back into memory, mapped where the entry was, drops
     * what is left in its swap cache and removes it. When memory runs out, the device is put back
     * (the pages brought in so far stay in) and the result is ENOMEM; no process is killed.
     * Returns null on success.
     */
    public Errno swapoff(int type) {
        return swapUse.swapoff(type);
    }

    // ---- access and faults ----

    /** A data-less access of one byte at {@code addr} (trace replay's touch). */
    public Access touch(Process p, long addr, boolean write) {
        return fault.touch(p, addr, write);
    }

    /** Reads {@code len} bytes at {@code addr} into {@code buf[off..]} (data mode). */
    public Access read(Process p, long addr, byte[] buf, int off, int len) {
        return fault.copy(p, addr, buf, off, len, false);
    }

    /** Writes {@code buf[off..off+len)} at {@code addr} (data mode). */
    public Access write(Process p, long addr, byte[] buf, int off, int len) {
        return fault.copy(p, addr, buf, off, len, true);
    }

    /** FAULT_FLAG_UNSHARE for GUP; see {@link Fault#unshare}. */
    public Access unshare(Process p, long addr) {
        return fault.unshare(p, addr);
    }

    /** The process whose page fault is running now (memory cgroups charge its cgroup), or null. */
    public Process faultingProcess() {
        return fault.faultingProcess();
    }

    /** Allocates a folio for the page of swap entry {@code entry}; see {@link SwapFault#swapinAlloc}. */
    <T extends org.pagelab.desc.MemDesc> T swapinAlloc(org.pagelab.desc.SwapEntry entry, AllocRequest req, DescFactory<T> factory) {
        return swapFault.swapinAlloc(entry, req, factory);
    }

    // ---- the reverse map and huge pages, for reclaim, writeback and memory-failure ----

    /** The actions on the PTEs that map a folio (folio_referenced, try_to_unmap, folio_mkclean). */
    public Rmap rmap() {
        return rmap;
    }

    /** The files' reverse maps (i_mmap), for inspection and tests. */
    public FileRmap fileRmap() {
        return fileRmap;
    }

    @Override
    public boolean mapped(Inode inode) {
        return fileRmap.mapped(inode);
    }

    @Override
    public void unmapMappingRange(Inode inode, long firstPage) {
        mmap.unmapMappingRange(inode, firstPage);
    }

    @Override
    public void mkclean(Inode inode, Folio folio) {
        rmap.mkclean(folio);
    }

    @Override
    public boolean splitFolio(PageCacheFolio folio) {
        return pageCacheSplit.split(folio) != null;
    }

    /**
     * split_huge_page of large page-cache folio {@code f}, on the LRU (see {@link PageCacheSplit}):
     * it is unmapped, its pages become order-0 folios in its place, those past the end of file
     * leave the cache. Returns false, leaving it whole, when a GUP get or pin holds it or it is
     * under writeback.
     */
    public boolean splitPageCacheFolio(PageCacheFolio f) {
        if (!f.test(Flag.LRU)) {
            throw new IllegalArgumentException("split of a folio off the LRU: " + f);
        }
        return pageCacheSplit.split(f) != null;
    }

    /** What {@link #folioReferenced} found; the fields are those of {@link Rmap.Referenced}. */
    public record Referenced(int referenced, int mapped, int vmFlags) {
    }

    /** folio_referenced; see {@link Rmap#folioReferenced}. */
    public Referenced folioReferenced(Folio folio) {
        Rmap.Referenced r = rmap.folioReferenced(folio);
        return new Referenced(r.referenced(), r.mapped(), r.vmFlags());
    }

    /** try_to_unmap; see {@link Rmap#tryToUnmap}. */
    public boolean tryToUnmap(Folio folio, UnmapEntry entry) {
        return rmap.tryToUnmap(folio, entry);
    }

    /** folio_maybe_dma_pinned; see {@link Folio#maybeDmaPinned}. */
    public static boolean maybeDmaPinned(Folio f) {
        return f.maybeDmaPinned();
    }

    /**
     * The live processes that map {@code folio}, found through the reverse map, each once
     * (collect_procs, for memory-failure's early kill).
     */
    public List<Process> mappers(Folio folio) {
        List<Process> out = new ArrayList<>();
        for (Vma v : rmap.mappingVmas(folio)) {
            Process p = table.ownerOf(v);
            if (!out.contains(p)) {
                out.add(p);
            }
        }
        return out;
    }

    /**
     * split_huge_page: splits large anonymous folio {@code f}, on the LRU, into order-0 folios
     * in its place; pages nothing maps are freed. Returns false, leaving it whole, when a GUP get
     * or pin holds it.
     */
    public boolean splitHugePage(AnonFolio f) {
        if (!f.test(Flag.LRU)) {
            throw new IllegalArgumentException("split of a folio off the LRU: " + f);
        }
        return huge.split(f, 0, 0) != null;
    }

    /**
     * Splits every PMD mapping of {@code f} into PTE mappings (the TTU_SPLIT_HUGE_PMD of
     * try_to_unmap), for reclaim before it swaps {@code f} out whole.
     */
    public void splitFolioPmds(Folio f) {
        pmd.splitFolioPmds(f);
    }

    /**
     * split_folio_to_list for reclaim: splits isolated large anonymous folio {@code f} into
     * order-0 folios, each isolated in its place; pages nothing maps are freed. Returns the pages
     * still in use, or null when the folio cannot be split now (a GUP get or pin holds it).
     */
    public List<Folio> splitIsolated(AnonFolio f) {
        if (f.test(Flag.LRU)) {
            throw new IllegalArgumentException("split for reclaim of a folio on the LRU: " + f);
        }
        AnonFolio[] pages = huge.split(f, 0, 0);
        if (pages == null) {
            return null;
        }
        List<Folio> out = new ArrayList<>();
        for (AnonFolio a : pages) {
            if (a != null) {
                out.add(a);
            }
        }
        return out;
    }

    /**
     * Registers the shrinkers of the huge-page code with reclaim's shrink_slab: the deferred-split
     * queue and the huge zero page.
     */
    public void registerShrinkers(org.pagelab.reclaim.Shrinkers shrinkers) {
        shrinkers.register(deferredSplit);
        shrinkers.register(pmd.zeroPage());
    }

    /** Large folios waiting on the deferred-split queue (split_queue_len). */
    public int deferredSplitQueued() {
        return deferredSplit.size();
    }

    /** Whether the huge zero page is allocated now. */
    public boolean hugeZeroPageAllocated() {
        return pmd.zeroPage().current() != null;
    }

    // ---- checker ----

    /**
     * Recounts mappings from every page table and checks them against the folios, the reverse
     * maps, the swap slots and the process counters; see {@link SpaceChecker}.
     */
    public void check() {
        new SpaceChecker(this).check();
    }
}
