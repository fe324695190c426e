package org.pagelab.memory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.pagelab.desc.AnonFolio;
import org.pagelab.desc.Folio;
import org.pagelab.desc.FolioFlags.Flag;
import org.pagelab.desc.MemDesc;
import org.pagelab.desc.PageTablePage;
import org.pagelab.desc.ReservedBlock;
import org.pagelab.filemap.Errno;
import org.pagelab.filemap.FaultResult;
import org.pagelab.filemap.Inode;
import org.pagelab.filemap.MappingHook;
import org.pagelab.filemap.OpenFile;
import org.pagelab.desc.FileFolio;
import org.pagelab.machine.Machine;
import org.pagelab.pgtable.PageTable;
import org.pagelab.rmap.FileRmap;
import org.pagelab.rmap.RmapWalk;
import org.pagelab.pgtable.Pte;
import org.pagelab.phys.AllocRequest;
import org.pagelab.phys.MemSize;
import org.pagelab.phys.PageAllocator;
import org.pagelab.stat.VmItem;
import org.pagelab.stat.VmStat;
import org.pagelab.vma.MapResult;
import org.pagelab.vma.Mm;
import org.pagelab.vma.Vma;
import org.pagelab.vma.VmFlags;

/**
 * Processes and their anonymous memory: spawn, mmap, munmap, mprotect, exit, and memory access
 * through the page table with the kernel's fault semantics for private anonymous memory
 * (mm/memory.c).
 *
 * <p>An access walks the page table; a present PTE that permits the access gets its accessed bit
 * (and dirty bit for a write) set, as the MMU does, and the access completes. Otherwise the fault
 * handler runs against the VMA:
 * <ul>
 *   <li>no VMA, or the VMA forbids the access: SIGSEGV kills the process;</li>
 *   <li>read of a never-touched page: the shared zero page is mapped read-only (do_anonymous_page);</li>
 *   <li>write of a never-touched page, or of the zero page: a new zeroed anon folio, exclusive to
 *       the process, mapped writable and dirty;</li>
 *   <li>write to a present read-only page in a writable VMA whose folio is exclusive, or mapped
 *       once with no other reference: the page is reused in place and made writable (do_wp_page
 *       reuse, counted as pgreuse);</li>
 *   <li>any other write to a read-only shared page after fork: the process gets its own copy
 *       (wp_page_copy), and the other side keeps the original.</li>
 * </ul>
 *
 * <p>Invariants ({@link #check()}): for every folio, mapcount equals the number of PTEs in all
 * page tables that map it; nr_anon_pages equals the pages of mapped anon folios; every process's
 * RssAnon equals its anon PTEs; nr_page_table_pages equals the page-table frames in the memmap.
 */
public final class MemoryManager implements MappingHook {
    final Machine machine;
    final PageAllocator phys;
    final VmStat vmstat;
    final ReservedBlock zeroPage;
    final Map<Integer, Process> processes = new TreeMap<>();
    private final List<String> events = new ArrayList<>();
    final FileRmap fileRmap = new FileRmap();
    final RmapWalk rmap = new RmapWalk(fileRmap);
    final Map<Mm, Process> owners = new IdentityHashMap<>();
    private final SwapUse swapUse = new SwapUse(this);
    final HugeMemory huge = new HugeMemory(this);
    private int nextPid = 1;

    /** The process layer of {@code machine}. */
    public MemoryManager(Machine machine) {
        this.machine = machine;
        this.phys = machine.phys();
        this.vmstat = machine.vmstat();
        this.zeroPage = phys.zeroPage();
        machine.vfs().setMappingHook(this);
        machine.vfs().setShmemSwap(new org.pagelab.filemap.ShmemSwap() {
            @Override
            public org.pagelab.filemap.FaultResult swapIn(org.pagelab.filemap.AddressSpace shm, long index, long entry) {
                return swapUse.shmemSwapIn(shm, index, entry);
            }

            @Override
            public void free(long entry) {
                machine.swap().freeSwapAndCache(entry);
            }
        });
    }


    /** The shared zero page's frame. */
    public int zeroPfn() {
        return zeroPage.pfn();
    }

    /** Every process ever spawned, by pid. */
    public Map<Integer, Process> processes() {
        return Collections.unmodifiableMap(processes);
    }

    /** Adds a line to the event log (memory-failure's reports use it too). */
    public void logEvent(String line) {
        events.add(line);
    }

    /** Signals and kills, in order, one line each. */
    public List<String> events() {
        return Collections.unmodifiableList(events);
    }

    /** Creates a process with an empty address space, or returns null when no page table can be had. */
    public Process spawn(String name) {
        PageTable pt = PageTable.create(phys);
        if (pt == null) {
            return null;
        }
        Mm mm = machine.newMm();
        mm.setObserver(fileRmap);
        Process p = new Process(nextPid++, name, mm, pt);
        processes.put(p.pid(), p);
        owners.put(mm, p);
        syncTables(p, 0);
        return p;
    }

    void syncTables(Process p, long before) {
        long delta = p.pageTable().tablePages() - before;
        vmstat.add(VmItem.NR_PAGE_TABLE_PAGES, delta);
        p.countTables(delta);
    }

    /** mmap of private anonymous memory; see {@link Mm#mmap}. */
    public MapResult mmapAnon(Process p, long addr, long len, int prot, boolean fixed) {
        return mmapAnon(p, addr, len, prot, false, fixed);
    }

    /**
     * mmap of anonymous memory, private or shared; see {@link Mm#mmap}. Shared anonymous memory
     * is, as in the kernel, a mapping of a new unnamed shmem object of {@code len} bytes, so fork
     * shares its pages instead of copying them.
     */
    public MapResult mmapAnon(Process p, long addr, long len, int prot, boolean shared, boolean fixed) {
        if (!p.alive()) {
            return new MapResult.MapFailed(Errno.EINVAL);
        }
        Inode shmem = null;
        if (shared) {
            if (len <= 0 || len > Mm.TASK_SIZE) {
                return new MapResult.MapFailed(Errno.EINVAL);
            }
            shmem = machine.vfs().createShmem((len + MemSize.PAGE_SIZE - 1) & -MemSize.PAGE_SIZE);
            if (shmem == null) {
                return new MapResult.MapFailed(Errno.ENOMEM);
            }
        }
        long before = p.pageTable().tablePages();
        List<Inode> files = fixed ? filesOf(p.mm(), addr, addr + Math.max(len, 0)) : List.of();
        MapResult r = p.mm().mmap(addr, len, prot, shared, fixed, shmem, 0, piece -> zap(p, piece));
        syncTables(p, before);
        releaseFiles(files);
        if (shmem != null) {
            machine.vfs().releaseIfUnused(shmem);
        }
        return r;
    }

    /**
     * mmap of {@code len} bytes of open file {@code f} from byte {@code offset}, shared or
     * private; see {@link Mm#mmap}.
     */
    public MapResult mmapFile(Process p, long addr, long len, int prot, boolean shared, boolean fixed, OpenFile f,
                              long offset) {
        if (!p.alive() || f.isClosed()) {
            return new MapResult.MapFailed(Errno.EINVAL);
        }
        long before = p.pageTable().tablePages();
        List<Inode> files = fixed ? filesOf(p.mm(), addr, addr + Math.max(len, 0)) : List.of();
        MapResult r = p.mm().mmap(addr, len, prot, shared, fixed, f.inode(), offset, piece -> zap(p, piece));
        syncTables(p, before);
        releaseFiles(files);
        return r;
    }

    @Override
    public boolean mapped(Inode inode) {
        return fileRmap.mapped(inode);
    }

    /** The files' reverse maps (i_mmap), for inspection and tests. */
    public FileRmap fileRmap() {
        return fileRmap;
    }

    /** The process owning address space {@code mm}. */
    Process ownerOf(Vma v) {
        Process p = owners.get(v.mm());
        if (p == null) {
            throw new IllegalStateException("VMA of an address space no live process owns: " + v);
        }
        return p;
    }

    @Override
    public void unmapMappingRange(Inode inode, long firstPage) {
        for (Vma v : fileRmap.overlapping(inode, firstPage, Long.MAX_VALUE)) {
            Process p = ownerOf(v);
            long before = p.pageTable().tablePages();
            long from = firstPage <= v.pgoff() ? v.start() : v.start() + ((firstPage - v.pgoff()) << MemSize.PAGE_SHIFT);
            zapRange(p, from, v.end());
            syncTables(p, before);
        }
    }

    @Override
    public void mkclean(Inode inode, Folio folio) {
        rmap.walk(folio, (v, addr, k) -> {
            PageTablePage t = ownerOf(v).pageTable().pteTable(addr);
            int i = PageTable.pteIndex(addr);
            if (t != null && maps(t.get(i), folio, k)) {
                t.set(i, Pte.mkClean(Pte.wrprotect(t.get(i))));
            }
            return true;
        });
    }

    /** Whether {@code pte} maps page {@code k} of {@code folio}. */
    static boolean maps(long pte, Folio folio, int k) {
        return Pte.isPresent(pte) && !Pte.special(pte) && Pte.pfn(pte) == folio.pfn() + k;
    }

    // ---- reverse-mapping walks for reclaim and memory-failure ----

    /**
     * What {@link #folioReferenced} found: {@code referenced} PTEs had the accessed bit (now
     * cleared), {@code mapped} PTEs map the folio, and {@code vmFlags} is the union of the flags of
     * the VMAs where it was referenced (reclaim looks for VM_EXEC).
     */
    public record Referenced(int referenced, int mapped, int vmFlags) {
    }

    /**
     * folio_referenced: finds every PTE mapping {@code folio} through the reverse map, counts those
     * whose accessed bit is set and clears it (ptep_clear_flush_young), as reclaim does to age a
     * folio.
     */
    public Referenced folioReferenced(Folio folio) {
        int[] counts = new int[3];
        if (!folio.mapped()) {
            return new Referenced(0, 0, 0);
        }
        rmap.walk(folio, (v, addr, k) -> {
            PageTablePage t = ownerOf(v).pageTable().pteTable(addr);
            int i = PageTable.pteIndex(addr);
            if (t == null || !maps(t.get(i), folio, k)) {
                return true;
            }
            counts[1]++;
            long pte = t.get(i);
            if (Pte.accessed(pte)) {
                t.set(i, Pte.mkOld(pte));
                counts[0]++;
                counts[2] |= v.flags();
            }
            return counts[1] < folio.mapcount();
        });
        return new Referenced(counts[0], counts[1], counts[2]);
    }

    /**
     * try_to_unmap: removes every PTE that maps {@code folio}, found through the reverse map. A
     * file folio's PTEs are cleared and their dirty bits move to the folio (the next access faults
     * it in again from the page cache); an anonymous folio's PTEs become {@code entry}'s entries,
     * which must be swap or poison entries; an exclusive anonymous folio that may be pinned for
     * DMA keeps its mappings (they are not replaced by swap entries). Returns whether the folio
     * is mapped nowhere after.
     */
    public boolean tryToUnmap(Folio folio, UnmapEntry entry) {
        if (!folio.mapped()) {
            return true;
        }
        rmap.walk(folio, (v, addr, k) -> {
            Process p = ownerOf(v);
            PageTablePage t = p.pageTable().pteTable(addr);
            int i = PageTable.pteIndex(addr);
            if (t == null || !maps(t.get(i), folio, k)) {
                return true;
            }
            long pte = t.get(i);
            long replacement = 0;
            if (folio instanceof AnonFolio) {
                replacement = entry.entryFor(k);
                if (!Pte.isSwap(replacement) && !Pte.isPoison(replacement)) {
                    throw new IllegalArgumentException("an anonymous folio's PTE can only become a swap or poison entry, not "
                            + Pte.describe(replacement));
                }
            } else if (Pte.isPoison(entry.entryFor(k))) {
                replacement = entry.entryFor(k); // a poisoned file page whose data is lost (TTU_HWPOISON)
            }
            if (Pte.isSwap(replacement)) {
                if (((AnonFolio) folio).pageExclusive(k) && maybeDmaPinned(folio)) {
                    // page_try_share_anon_rmap: a pinned exclusive page stays mapped, or the pin
                    // and the process would see two different pages after a swap-in
                    return false;
                }
                if (!machine.swap().duplicate(replacement)) {
                    return false; // the slot's count is at its limit: leave this mapping
                }
                p.addSwapEnts(1);
                // exclusivity does not survive in the folio once a swap entry may be copied by
                // fork: swap-in decides it again from the slot's count
                ((AnonFolio) folio).clearPageExclusive(k);
            }
            t.set(i, replacement);
            if (Pte.dirty(pte)) {
                if (folio.mapping() instanceof org.pagelab.filemap.AddressSpace as) {
                    as.markDirty(folio);
                } else {
                    folio.set(Flag.DIRTY); // an anon folio outside the swap cache: set_page_dirty
                }
            }
            // try_to_unmap leaves the swap cache alone: its caller (reclaim, memory failure) decides
            unmapFolio(p, folio, false);
            return folio.mapped();
        });
        return !folio.mapped();
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
     * The live processes that map {@code folio}, found through the reverse map, each once
     * (collect_procs, for memory-failure's early kill).
     */
    public List<Process> mappers(Folio folio) {
        List<Process> out = new ArrayList<>();
        if (!folio.mapped()) {
            return out;
        }
        rmap.walk(folio, (v, addr, k) -> {
            Process p = ownerOf(v);
            PageTablePage t = p.pageTable().pteTable(addr);
            if (t != null && maps(t.get(PageTable.pteIndex(addr)), folio, k) && !out.contains(p)) {
                out.add(p);
            }
            return true;
        });
        return out;
    }

    /** Delivers {@code signal} to {@code p} as a fatal signal recorded in the event log. */
    public void killWith(Process p, long addr, String signal) {
        if (p.alive()) {
            kill(p, addr, signal, Access.SIGBUS);
        }
    }

    private void releaseFiles(List<Inode> files) {
        for (Inode i : files) {
            machine.vfs().releaseIfUnused(i);
        }
    }

    private static List<Inode> filesOf(Mm mm, long start, long end) {
        List<Inode> out = new ArrayList<>();
        for (Vma v : mm.vmas()) {
            if (v.file() != null && v.end() > start && v.start() < end && !out.contains(v.file())) {
                out.add(v.file());
            }
        }
        return out;
    }

    /** munmap; the pages of the range are unmapped and freed when no longer used. */
    public MapResult munmap(Process p, long addr, long len) {
        if (!p.alive()) {
            return new MapResult.MapFailed(Errno.EINVAL);
        }
        long before = p.pageTable().tablePages();
        List<Inode> files = filesOf(p.mm(), addr, addr + len);
        MapResult r = p.mm().munmap(addr, len, piece -> zap(p, piece));
        syncTables(p, before);
        releaseFiles(files);
        return r;
    }

    /** mprotect; PTEs of the range lose write (and user access under PROT_NONE) as the VMA does. */
    public MapResult mprotect(Process p, long addr, long len, int prot) {
        if (!p.alive()) {
            return new MapResult.MapFailed(Errno.EINVAL);
        }
        return p.mm().mprotect(addr, len, prot, (piece, old) -> protect(p, piece));
    }

    /** madvise(MADV_DONTNEED): drops the range's pages; the next touch sees zeros. */
    public MapResult madviseDontneed(Process p, long addr, long len) {
        if (!p.alive() || (addr & (MemSize.PAGE_SIZE - 1)) != 0 || len < 0) {
            return new MapResult.MapFailed(Errno.EINVAL);
        }
        long end = addr + ((len + MemSize.PAGE_SIZE - 1) & -MemSize.PAGE_SIZE);
        long before = p.pageTable().tablePages();
        for (Vma v : new ArrayList<>(p.mm().vmas())) {
            long s = Math.max(v.start(), addr);
            long e = Math.min(v.end(), end);
            if (s < e) {
                zapRange(p, s, e);
            }
        }
        syncTables(p, before);
        return new MapResult.Mapped(addr);
    }

    /** /sys/kernel/mm/transparent_hugepage/enabled: when anonymous faults may get 2 MiB folios. */
    public TransparentHugepage transparentHugepage() {
        return huge.enabled();
    }

    /** Sets /sys/kernel/mm/transparent_hugepage/enabled. */
    public void setTransparentHugepage(TransparentHugepage t) {
        huge.setEnabled(t);
    }

    /**
     * madvise(MADV_HUGEPAGE), or with {@code hugepage} false madvise(MADV_NOHUGEPAGE): marks the
     * VMAs of {@code [addr, addr + len)} VM_HUGEPAGE or VM_NOHUGEPAGE (each clears the other),
     * splitting VMAs at the edges. Pages already mapped stay as they are. EINVAL for a misaligned
     * address, ENOMEM when part of the range is not mapped.
     */
    public MapResult madviseHugepage(Process p, long addr, long len, boolean hugepage) {
        if (!p.alive()) {
            return new MapResult.MapFailed(Errno.EINVAL);
        }
        int set = hugepage ? VmFlags.VM_HUGEPAGE : VmFlags.VM_NOHUGEPAGE;
        int clear = hugepage ? VmFlags.VM_NOHUGEPAGE : VmFlags.VM_HUGEPAGE;
        return p.mm().madviseFlags(addr, len, set, clear);
    }

    /**
     * madvise(MADV_COLD) and madvise(MADV_PAGEOUT) over {@code [addr, addr + len)}: the folios the
     * process maps there alone (mapcount 1; shared ones are skipped, as the kernel skips them) lose
     * their accessed bits and referenced marks, then are deactivated (cold) or reclaimed at once
     * (pageout; see {@code Vmscan.reclaimPages}). EINVAL for a misaligned address or bad length.
     */
    public MapResult madviseColdOrPageout(Process p, long addr, long len, boolean pageout) {
        if (!p.alive() || (addr & (MemSize.PAGE_SIZE - 1)) != 0 || len < 0) {
            return new MapResult.MapFailed(Errno.EINVAL);
        }
        long end = addr + ((len + MemSize.PAGE_SIZE - 1) & -MemSize.PAGE_SIZE);
        List<Folio> folios = new ArrayList<>();
        java.util.Set<Folio> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        p.pageTable().forEachPresentOrSwap(addr, end, (a, table, index, pte) -> {
            if (!Pte.isPresent(pte) || Pte.special(pte) || p.mm().find(a) == null) {
                return;
            }
            Folio f = (Folio) phys.memmap().raw(Pte.pfn(pte));
            boolean alone = f.mapcount() == 1
                    || f.nrPages() > 1 && f instanceof AnonFolio af && af.pageExclusive(Pte.pfn(pte) - f.pfn());
            if (!alone || !seen.add(f)) {
                return;
            }
            table.set(index, Pte.mkOld(pte));
            f.clear(Flag.REFERENCED);
            folios.add(f);
        });
        if (pageout) {
            machine.vmscan().reclaimPages(folios);
        } else {
            machine.vmscan().deactivate(folios);
        }
        return new MapResult.Mapped(addr);
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

    /** The fork-related and populate advices of madvise; see {@link Madvise}. */
    public Madvise madvise() {
        return madvise;
    }

    private final Madvise madvise = new Madvise(this);
    private final Mremap mremap = new Mremap(this);
    private final ClearRefs clearRefs = new ClearRefs(this);

    /**
     * mremap of {@code [oldAddr, oldAddr + oldLen)} to {@code newLen} bytes: in place when it
     * shrinks or the pages after it are free, else moved when {@code mayMove} (MREMAP_MAYMOVE), or
     * moved to {@code fixedAddr} when it is not null (MREMAP_FIXED); see {@link Mremap}.
     */
    public MapResult mremap(Process p, long oldAddr, long oldLen, long newLen, boolean mayMove, Long fixedAddr) {
        return mremap.mremap(p, oldAddr, oldLen, newLen, mayMove, fixedAddr);
    }

    /** Writes {@code value} to /proc/PID/clear_refs of {@code p} (1..4); false for another value. See {@link ClearRefs}. */
    public boolean clearRefs(Process p, int value) {
        return clearRefs.clear(p, value);
    }

    /** exit: tears down the address space; every page and table goes back to the allocator. */
    public void exit(Process p) {
        finish(p, Process.State.EXITED, null);
    }

    private void finish(Process p, Process.State state, String signal) {
        if (!p.alive()) {
            return;
        }
        machine.exitTask(p);
        List<Inode> files = filesOf(p.mm(), 0, Mm.TASK_SIZE);
        p.mm().destroy(piece -> zap(p, piece));
        p.pageTable().freeEmptyTables(0, Mm.TASK_SIZE + MemSize.PAGE_SIZE);
        p.pageTable().destroy();
        owners.remove(p.mm());
        // what was counted goes: a table allocated and not yet counted when the OOM killer chose
        // this process in the middle of an allocation (a fork's copy, a fault) was never counted
        vmstat.add(VmItem.NR_PAGE_TABLE_PAGES, -p.tablesCounted());
        p.countTables(-p.tablesCounted());
        p.setState(state, signal);
        releaseFiles(files);
        if (signal != null) {
            events.add("pid " + p.pid() + " (" + p.name() + ") killed by " + signal);
        }
    }

    private void zap(Process p, Vma piece) {
        zapRange(p, piece.start(), piece.end());
    }

    /** Clears every PTE in {@code [start, end)}, dropping the folios' mappings, then frees empty tables. */
    private void zapRange(Process p, long start, long end) {
        huge.splitStraddling(p, start, end);
        PageTable pt = p.pageTable();
        pt.forEachPresentOrSwap(start, end, (addr, table, index, pte) -> {
            table.set(index, 0);
            if (Pte.isSwap(pte)) {
                p.addSwapEnts(-1);
                machine.swap().freeSwapAndCache(pte);
            }
            if (Pte.isPresent(pte) && !Pte.special(pte)) {
                Folio f = (Folio) phys.memmap().raw(Pte.pfn(pte));
                if (Pte.dirty(pte) && f instanceof FileFolio && f.mapping() instanceof org.pagelab.filemap.AddressSpace as) {
                    as.markDirty(f);
                }
                unmapFolio(p, f);
            }
        });
        pt.freeEmptyTables(start, end);
    }

    private void unmapFolio(Process p, Folio f) {
        unmapFolio(p, f, true);
    }

    /**
     * Drops {@code p}'s mapping of one page of {@code f}; when {@code freeSwap} and it was the
     * last mapping of an anon folio, its swap-cache copy goes too if no PTE needs the slot.
     */
    private void unmapFolio(Process p, Folio f, boolean freeSwap) {
        machine.sim().cpu(org.pagelab.sim.CpuEvent.UNMAP_PTE);
        f.mapcountAdd(-1);
        switch (f) {
            case AnonFolio a -> {
                p.addRssAnon(-1);
                if (!a.mapped()) {
                    vmstat.add(VmItem.NR_ANON_PAGES, -a.nrPages());
                    if (a.order() == HugeMemory.HPAGE_PMD_ORDER) {
                        vmstat.add(VmItem.NR_ANON_TRANSPARENT_HUGEPAGES, -1);
                    }
                    if (freeSwap && a.test(Flag.SWAPCACHE)) {
                        machine.swap().folioFreeSwap(a); // free_swap_cache: no PTE needs the slot any more
                    }
                }
            }
            case FileFolio ff -> {
                addRssFile(p, ff, -1);
                if (!ff.mapped()) {
                    vmstat.add(VmItem.NR_MAPPED, -ff.nrPages());
                }
            }
        }
        phys.folioPut(f);
    }

    /** Counts a file folio's mapping in RssShmem when it is shmem (swap-backed), else in RssFile (mm_counter_file). */
    static void addRssFile(Process p, Folio f, int delta) {
        if (f.test(Flag.SWAPBACKED)) {
            p.addRssShmem(delta);
        } else {
            p.addRssFile(delta);
        }
    }

    private void protect(Process p, Vma piece) {
        boolean read = piece.test(VmFlags.VM_READ) || piece.test(VmFlags.VM_WRITE);
        p.pageTable().forEachPresentOrSwap(piece.start(), piece.end(), (addr, table, index, pte) -> {
            if (!Pte.isPresent(pte)) {
                return;
            }
            boolean writable = false;
            if (!Pte.special(pte) && piece.test(VmFlags.VM_WRITE)
                    && phys.memmap().raw(Pte.pfn(pte)) instanceof AnonFolio f
                    && f.pageExclusive(Pte.pfn(pte) - f.pfn()) && (f.mapcount() == 1 || f.nrPages() > 1)) {
                writable = true;
            }
            long n = Pte.special(pte) ? Pte.presentSpecial(Pte.pfn(pte)) : Pte.present(Pte.pfn(pte), writable, true);
            if (Pte.accessed(pte)) {
                n = Pte.mkYoung(n);
            } else {
                n = Pte.mkOld(n);
            }
            if (Pte.dirty(pte)) {
                n = Pte.mkDirty(n);
            }
            if (!read) {
                n &= ~Pte.USER;
            }
            table.set(index, n);
        });
    }

    // ---- access ----

    /** A data-less access of one byte at {@code addr} (trace replay's touch). */
    public Access touch(Process p, long addr, boolean write) {
        if (!p.alive()) {
            return Access.DEAD;
        }
        if (addr < 0 || addr >= PageTable.USER_END) {
            return segv(p, addr);
        }
        Access a = pteFor(p, addr, write);
        return a;
    }

    /** Reads {@code len} bytes at {@code addr} into {@code buf[off..]} (data mode). */
    public Access read(Process p, long addr, byte[] buf, int off, int len) {
        return copy(p, addr, buf, off, len, false);
    }

    /** Writes {@code buf[off..off+len)} at {@code addr} (data mode). */
    public Access write(Process p, long addr, byte[] buf, int off, int len) {
        return copy(p, addr, buf, off, len, true);
    }

    private Access copy(Process p, long addr, byte[] buf, int off, int len, boolean write) {
        java.util.Objects.checkFromIndexSize(off, len, buf.length);
        if (!p.alive()) {
            return Access.DEAD;
        }
        long done = 0;
        while (done < len) {
            long a = addr + done;
            if (a < 0 || a >= PageTable.USER_END) {
                return segv(p, a);
            }
            Access r = pteFor(p, a, write);
            if (r != Access.OK) {
                return r;
            }
            long pte = p.pageTable().getPte(a);
            int inPage = (int) (a & (MemSize.PAGE_SIZE - 1));
            int n = (int) Math.min(MemSize.PAGE_SIZE - inPage, len - done);
            long physAddr = ((long) Pte.pfn(pte) << MemSize.PAGE_SHIFT) + inPage;
            if (write) {
                phys.contents().write(physAddr, buf, off + (int) done, n);
            } else {
                phys.contents().read(physAddr, buf, off + (int) done, n);
            }
            done += n;
        }
        return Access.OK;
    }

    /** The MMU: makes the PTE of {@code addr} permit the access, faulting when it does not. */
    private Access pteFor(Process p, long addr, boolean write) {
        for (int attempt = 0; ; attempt++) {
            PageTablePage t = p.pageTable().pteTable(addr);
            if (t != null) {
                int i = PageTable.pteIndex(addr);
                long pte = t.get(i);
                if (Pte.isPresent(pte) && (pte & Pte.USER) != 0 && (!write || Pte.writable(pte))) {
                    machine.sim().cpu(org.pagelab.sim.CpuEvent.TOUCH);
                    long n = write ? pte | Pte.ACCESSED | Pte.DIRTY : pte | Pte.ACCESSED;
                    if (n != pte) {
                        t.set(i, n);
                    }
                    return Access.OK;
                }
            }
            retryFault = false;
            Process outer = faulting;
            faulting = p;
            Access a;
            try {
                a = fault(p, addr, write);
            } finally {
                faulting = outer;
            }
            if (!retryFault || !p.alive()) {
                releaseSpareFolio();
                return a;
            }
            if (attempt > MAX_FAULT_RETRIES) {
                throw new IllegalStateException("fault at 0x" + Long.toHexString(addr) + " of " + p + " retried "
                        + attempt + " times without progress");
            }
        }
    }

    /**
     * Allocates a folio for the page of swap entry {@code entry}, charged to the memory cgroup the
     * entry was charged to when that cgroup is still online (mem_cgroup_swapin_charge_folio).
     */
    <T extends org.pagelab.desc.MemDesc> T swapinAlloc(long entry, AllocRequest req, org.pagelab.phys.DescFactory<T> factory) {
        Object prev = machine.memcg().activateForSwapin(entry);
        try {
            return phys.alloc(req, factory);
        } finally {
            machine.memcg().restoreActive(prev);
        }
    }

    /** The process whose fault is being handled, for memory-cgroup charging; null outside faults. */
    private Process faulting;

    /** The process whose page fault is running now (memory cgroups charge its cgroup), or null. */
    public Process faultingProcess() {
        return faulting;
    }

    /** Set by a fault that must run again: its PTE changed under it, or the OOM killer freed memory. */
    boolean retryFault;

    /**
     * A new anon folio that a fault allocated but could not map, because reclaim during the
     * allocation changed the PTE; the fault's next attempt maps it instead of allocating again.
     *
     * <p>Why: reclaim runs synchronously inside the allocation, so it can pick exactly the folio
     * the fault is copying (a page just swapped in for a COW write, in a memory cgroup at its
     * limit), unmap it, and make the attempt start over; with the same state the next attempt
     * meets the same reclaim, and a deterministic model would loop where the kernel, whose
     * reclaim runs beside the fault, moves on. Keeping the allocation for the retry gives every
     * fault forward progress: the second attempt needs no memory for the copy, so its reclaim
     * cannot undo its work. The folio stays charged to the faulting task's cgroup meanwhile.
     */
    private AnonFolio spareFolio;

    private AnonFolio takeSpareFolio(boolean zero) {
        AnonFolio f = spareFolio;
        spareFolio = null;
        if (f != null && zero) {
            phys.contents().zero(f.pfn(), 1);
            machine.sim().cpu(org.pagelab.sim.CpuEvent.ZERO_PAGE);
        }
        return f;
    }

    private void releaseSpareFolio() {
        AnonFolio f = spareFolio;
        spareFolio = null;
        if (f != null) {
            phys.folioPut(f);
        }
    }
    private static final int MAX_FAULT_RETRIES = 64;

    private Access fault(Process p, long addr, boolean write) {
        Vma vma = p.mm().find(addr);
        if (vma == null || (write ? !vma.test(VmFlags.VM_WRITE) : !vma.test(VmFlags.VM_READ | VmFlags.VM_WRITE))) {
            return segv(p, addr);
        }
        vmstat.inc(VmItem.PGFAULT);
        machine.sim().cpu(org.pagelab.sim.CpuEvent.FAULT);
        long before = p.pageTable().tablePages();
        PageTablePage t = p.pageTable().allocPteTable(addr);
        syncTables(p, before);
        if (t == null) {
            return oom(p, addr);
        }
        int i = PageTable.pteIndex(addr);
        long pte = t.get(i);
        if (!Pte.isNone(pte) && !Pte.isPresent(pte)) {
            return nonPresentFault(p, vma, addr, t, i, pte, write);
        }
        if (vma.file() != null) {
            return fileFault(p, vma, t, i, addr, pte, write);
        }
        if (!Pte.isPresent(pte)) {
            if (!write) {
                t.set(i, Pte.mkYoung(Pte.presentSpecial(zeroPage.pfn())));
                return Access.OK;
            }
            if (huge.suitable(vma, addr)) {
                Access a = huge.fault(p, vma, addr, t);
                if (a != null) {
                    return a;
                }
            }
            return mapNewAnon(p, vma, addr, t, i, null);
        }
        if (Pte.special(pte)) {
            return mapNewAnon(p, vma, addr, t, i, null);
        }
        Folio f = (Folio) phys.memmap().raw(Pte.pfn(pte));
        if (!write) {
            t.set(i, Pte.mkYoung(pte | Pte.USER));
            return Access.OK;
        }
        return wpAnon(p, vma, addr, t, i, pte, f);
    }

    /**
     * A fault on a non-present entry that is not empty: a poisoned page raises SIGBUS
     * (memory-failure left it); a swap entry is a page that reclaim moved out, which only the
     * swap-in path (not yet part of the model) can bring back.
     */
    private Access nonPresentFault(Process p, Vma vma, long addr, PageTablePage t, int i, long pte, boolean write) {
        if (Pte.isPoison(pte)) {
            return sigbus(p, addr);
        }
        if (!Pte.isSwap(pte)) {
            throw new IllegalStateException("fault on " + Pte.describe(pte) + " at 0x" + Long.toHexString(addr) + " of " + p);
        }
        return doSwapPage(p, vma, addr, t, i, pte, write);
    }

    /**
     * do_swap_page: maps the page whose PTE holds swap entry {@code entry}, from the swap cache
     * (a minor fault) or read from the swap device into a new swap-cache folio (a major fault).
     * The PTE's hold on the slot is dropped; the page is exclusive when no other PTE holds the
     * entry, and then a write maps it writable and frees its slot at once; a write to a page
     * still shared with another process's swap entry copies it.
     */
    private Access doSwapPage(Process p, Vma vma, long addr, PageTablePage t, int i, long entry, boolean write) {
        var swap = machine.swap();
        Folio folio = swap.lookup(entry);
        if (folio == null) {
            if (!p.mm().anonVmaPrepare(vma)) {
                return oom(p, addr);
            }
            AnonFolio nf = swapinAlloc(entry, new AllocRequest(0, org.pagelab.phys.ZoneType.NORMAL, false, true,
                    AllocRequest.Purpose.ANON), AnonFolio::new);
            if (nf == null) {
                return oom(p, addr);
            }
            if (t.get(i) != entry || t.isDead() || swap.lookup(entry) != null) {
                phys.folioPut(nf);
                retryFault = true;
                return Access.OK;
            }
            var shadow = swap.load(entry);
            if (!swap.addForSwapin(nf, entry)) {
                phys.folioPut(nf);
                return oom(p, addr);
            }
            // a page other processes' swap entries still name must be findable from their VMAs
            // too: attach it to the root anon_vma, which every VMA of the fork tree is chained to
            boolean shared = swap.devices().swapCount(entry) > 1;
            nf.setAnonRmap(shared ? vma.anonVma().root() : vma.anonVma(), vma.pgoffOf(addr));
            if (shadow instanceof org.pagelab.desc.Shadow s) {
                machine.vmscan().refault(nf, s);
            }
            machine.vmscan().add(nf);
            boolean refault = nf.test(Flag.WORKINGSET);
            boolean ok = swap.readInUntimed(nf, entry);
            int pages = 1 + swap.readahead().swapinReadahead(entry, vma, addr, t, i, swapUse::readAheadSlot);
            if (refault) {
                machine.sim().beginStall(org.pagelab.sim.StallKind.REFAULT);
            }
            swap.chargeRead(entry, pages); // the faulting page and its readahead, one request
            if (refault) {
                machine.sim().endStall();
            }
            phys.folioPut(nf);
            vmstat.inc(VmItem.PGMAJFAULT);
            if (!ok) {
                return sigbus(p, addr);
            }
            folio = nf;
        } else {
            swap.readahead().cacheHit(vma, addr, folio);
            if (folio.test(Flag.HWPOISON) || !folio.test(Flag.UPTODATE)) {
                return sigbus(p, addr); // a dirty swap-cache page lost to memory failure
            }
            if (folio instanceof AnonFolio a && a.anonMapping() == null) {
                // read ahead of any fault: it takes its anon_vma from the first VMA that maps it
                if (!p.mm().anonVmaPrepare(vma)) {
                    return oom(p, addr);
                }
                boolean shared = swap.devices().swapCount(entry) > 1;
                a.setAnonRmap(shared ? vma.anonVma().root() : vma.anonVma(), vma.pgoffOf(addr));
            }
        }
        // no PTE but this one holds the entry, nothing maps the page and nothing else holds a
        // reference to it (a get, a pin): only then is it exclusive (the kernel's swap-entry
        // exclusive marker or a reference count of one)
        boolean exclusive = swap.devices().swapCount(entry) == 1 && !folio.mapped()
                && folio.refcount() == (org.pagelab.swap.SwapSpace.inSwapCache(folio) ? folio.nrPages() : 0);
        folio.refAdd(1);
        folio.mapcountAdd(1);
        if (folio.mapcount() == 1) {
            vmstat.add(VmItem.NR_ANON_PAGES, folio.nrPages());
        }
        p.addRssAnon(1);
        p.addSwapEnts(-1);
        swap.swapFree(entry);
        if (exclusive) {
            folio.set(Flag.ANON_EXCLUSIVE);
            if (write || swap.swapFull()) {
                swap.folioFreeSwap(folio);
            }
        }
        boolean writable = write && exclusive;
        long n = Pte.mkYoung(Pte.present(folio.pfn(), writable, true));
        t.set(i, writable ? Pte.mkDirty(n) : n);
        if (write && !exclusive) {
            return wpAnon(p, vma, addr, t, i, t.get(i), folio);
        }
        return Access.OK;
    }


    /**
     * The reuse decision of do_wp_page for anon folio {@code f} mapped in {@code vma}: true when
     * it is exclusive, or exclusive in fact (mapped once and no other reference); it is then marked
     * exclusive and moved to the VMA's anon_vma (page_move_anon_rmap).
     */
    private static boolean reuseAnon(Vma vma, AnonFolio f, int k) {
        boolean exclusive = f.pageExclusive(k) && (f.mapcount() == 1 || f.nrPages() > 1);
        if (!exclusive && !(f.mapcount() == 1 && f.refcount() == 1)) {
            return false;
        }
        f.setPageExclusive(k);
        if (f.anonMapping() != vma.anonVma() && vma.anonVma() != null) {
            f.setAnonRmap(vma.anonVma(), f.linearIndex());
        }
        return true;
    }

    /** do_wp_page for an anonymous folio: reuse it when this mapping is its only user, else copy. */
    private Access wpAnon(Process p, Vma vma, long addr, PageTablePage t, int i, long pte, Folio f) {
        if (f.mapcount() == 1 && f.test(Flag.SWAPCACHE)) {
            machine.swap().folioFreeSwap(f); // the swap copy goes stale once written (do_wp_page)
        }
        if (reuseAnon(vma, (AnonFolio) f, Pte.pfn(pte) - f.pfn())) {
            t.set(i, Pte.mkDirty(Pte.mkYoung(Pte.mkWrite(pte | Pte.USER))));
            vmstat.inc(VmItem.PGREUSE);
            return Access.OK;
        }
        return copyOnWrite(p, vma, addr, t, i, f);
    }

    /**
     * A fault in a file mapping (do_read_fault, do_cow_fault, do_shared_fault, and do_wp_page for
     * file pages): map the page-cache folio, copy it for a private write, or dirty it for a
     * shared write. A page beyond the end of file raises SIGBUS.
     */
    private Access fileFault(Process p, Vma vma, PageTablePage t, int i, long addr, long pte, boolean write) {
        if (Pte.isPresent(pte)) {
            Folio f = (Folio) phys.memmap().raw(Pte.pfn(pte));
            if (!write) {
                t.set(i, Pte.mkYoung(pte | Pte.USER));
                return Access.OK;
            }
            if (f instanceof FileFolio && vma.isShared()) {
                boolean dirtied = f.mapping() instanceof org.pagelab.filemap.AddressSpace as && as.markDirty(f);
                t.set(i, Pte.mkDirty(Pte.mkYoung(Pte.mkWrite(pte | Pte.USER))));
                dirtiedSharedPage(f, dirtied);
                return Access.OK;
            }
            if (f instanceof FileFolio) {
                return copyOnWrite(p, vma, addr, t, i, f);
            }
            return wpAnon(p, vma, addr, t, i, pte, f);
        }
        Inode inode = vma.file();
        FaultResult r = machine.vfs().filemapFault(inode, vma.pgoffOf(addr));
        Folio folio;
        switch (r) {
            case FaultResult.FaultFailed ff -> {
                return ff.errno() == Errno.ENOMEM ? oom(p, addr) : sigbus(p, addr);
            }
            case FaultResult.Found found -> {
                folio = found.folio();
                if (found.major()) {
                    vmstat.inc(VmItem.PGMAJFAULT);
                }
            }
        }
        if (write && !vma.isShared()) {
            // hold the page-cache folio while allocating the copy: reclaim may run meanwhile
            folio.refAdd(1);
            try {
                return mapNewAnon(p, vma, addr, t, i, folio);
            } finally {
                phys.folioPut(folio);
            }
        }
        long n = Pte.mkYoung(Pte.present(folio.pfn() + (int) (vma.pgoffOf(addr) - folio.index()), write, true));
        boolean dirtied = false;
        if (write) {
            n = Pte.mkDirty(n);
            dirtied = folio.mapping() instanceof org.pagelab.filemap.AddressSpace as && as.markDirty(folio);
        }
        mapFileFolio(p, t, i, folio, n);
        if (!write) {
            faultAround(p, vma, t, addr);
        }
        dirtiedSharedPage(folio, dirtied);
        return Access.OK;
    }

    /** fault_dirty_shared_page: a write fault that dirtied a page-cache page checks the dirty limits. */
    private void dirtiedSharedPage(Folio f, boolean dirtied) {
        if (dirtied && f.mapping() instanceof org.pagelab.filemap.AddressSpace as
                && as.kind() == org.pagelab.filemap.AddressSpace.Kind.PAGE_CACHE) {
            machine.vfs().dirtiedByFault(f.nrPages());
        }
    }

    private void mapFileFolio(Process p, PageTablePage t, int i, Folio folio, long pte) {
        folio.mapcountAdd(1);
        folio.refAdd(1);
        if (folio.mapcount() == 1) {
            vmstat.add(VmItem.NR_MAPPED, folio.nrPages());
        }
        addRssFile(p, folio, 1);
        t.set(i, pte);
    }

    /**
     * do_fault_around: maps, read-only, the already cached and uptodate pages of the 16-page
     * aligned window around {@code addr} that are inside the VMA and the file and not yet mapped.
     */
    private void faultAround(Process p, Vma vma, PageTablePage t, long addr) {
        long window = FAULT_AROUND_PAGES * MemSize.PAGE_SIZE;
        long start = Math.max(vma.start(), addr & -window);
        long end = Math.min(vma.end(), (addr & -window) + window);
        Inode inode = vma.file();
        for (long a = start; a < end; a += MemSize.PAGE_SIZE) {
            int i = PageTable.pteIndex(a);
            long index = vma.pgoffOf(a);
            if (a == addr || t.get(i) != 0 || index << MemSize.PAGE_SHIFT >= inode.size()) {
                continue;
            }
            Folio f = inode.mapping().lookup(index);
            if (f == null || !f.test(Flag.UPTODATE) || f.test(Flag.HWPOISON)) {
                continue;
            }
            mapFileFolio(p, t, i, f, Pte.mkYoung(Pte.present(f.pfn() + (int) (index - f.index()), false, true)));
        }
    }

    /** Pages mapped around a read fault in a file mapping (fault_around_bytes = 64 KiB). */
    public static final int FAULT_AROUND_PAGES = 16;

    private Access sigbus(Process p, long addr) {
        return kill(p, addr, "SIGBUS", Access.SIGBUS);
    }

    /** wp_page_copy: gives the process its own copy of shared folio {@code old} at PTE {@code i}. */
    private Access copyOnWrite(Process p, Vma vma, long addr, PageTablePage t, int i, Folio old) {
        Access a = mapNewAnon(p, vma, addr, t, i, old);
        if (a == Access.OK && !retryFault) {
            unmapFolio(p, old);
        }
        return a;
    }

    // ---- fork ----

    /**
     * fork: a child with a copy of the parent's VMAs whose private anonymous pages are shared
     * copy-on-write (both sides write-protected, the folios no longer exclusive), as
     * copy_present_pte does. Returns null, with nothing left behind, when memory runs out.
     */
    public Process fork(Process parent) {
        if (!parent.alive()) {
            return null;
        }
        Process child = spawn(parent.name());
        if (child == null) {
            return null;
        }
        child.setOomScoreAdj(parent.oomScoreAdj());
        child.setMemcgId(parent.memcgId());
        // copying charges the child's page tables, and the OOM killer that charge may call can
        // choose the parent or the child itself: then the copy stops, and the half-made child goes
        boolean copied = parent.mm().dupInto(child.mm(), (pv, cv) -> child.alive()
                && new Fork(this).copyPtes(parent, child, pv) && parent.alive() && child.alive());
        if (!child.alive()) {
            // the OOM killer chose the child: its teardown took the VMAs it had; one linked after
            // its death holds no PTEs
            child.mm().destroy(piece -> { });
            return null;
        }
        if (!copied) {
            exit(child);
            return null;
        }
        return child;
    }

    /** References GUP pins add to a folio (GUP_PIN_COUNTING_BIAS); a folio at or above it may be pinned. */
    public static final int GUP_PIN_COUNTING_BIAS = 1024;

    /** folio_maybe_dma_pinned: whether a pin may hold {@code f} (its refcount reaches the pin bias). */
    public static boolean maybeDmaPinned(Folio f) {
        return f.nrPages() > 1 ? f.pincount() > 0 : f.refcount() >= GUP_PIN_COUNTING_BIAS;
    }

    /**
     * FAULT_FLAG_UNSHARE: gives the process its own exclusive anon copy of the page at {@code addr}
     * without making it writable: the page it maps now (a shared anon page, the zero page, or a
     * page-cache page of a private mapping) is replaced by a copy that only this mapping uses, so
     * a read-only pin of it sees every later write of the process. Returns OK, or the failure.
     */
    public Access unshare(Process p, long addr) {
        Access a = pteFor(p, addr, false);
        if (a != Access.OK) {
            return a;
        }
        Vma vma = p.mm().find(addr);
        PageTablePage t = p.pageTable().pteTable(addr);
        int i = PageTable.pteIndex(addr);
        long pte = t.get(i);
        MemDesc d = phys.memmap().raw(Pte.pfn(pte));
        if (vma.isShared() || d instanceof AnonFolio af && af.pageExclusive(Pte.pfn(pte) - af.pfn())) {
            return Access.OK; // a shared mapping's page, or already exclusive: nothing to break
        }
        if (d instanceof AnonFolio af) {
            if (af.mapcount() == 1 && af.test(Flag.SWAPCACHE)) {
                machine.swap().folioFreeSwap(af);
            }
            if (reuseAnon(vma, af, Pte.pfn(pte) - af.pfn())) {
                return Access.OK; // exclusive in fact: do_wp_page reuses it, and an unshare stops there
            }
        }
        vmstat.inc(VmItem.PGFAULT);
        Folio old = d instanceof Folio f ? f : null;
        if (old != null) {
            old.refAdd(1);
        }
        try {
            Access r = mapNewAnon(p, vma, addr, t, i, old);
            if (r != Access.OK || retryFault) {
                retryFault = false;
                return r == Access.OK ? unshare(p, addr) : r;
            }
            if (old != null) {
                unmapFolio(p, old);
            }
            t.set(i, Pte.wrprotect(t.get(i))); // exclusive, still read-only: a write reuses it
            return Access.OK;
        } finally {
            if (old != null) {
                phys.folioPut(old);
            }
        }
    }

    /**
     * Maps a new exclusive anon folio writable and dirty at PTE {@code i}: zeroed, or a copy of
     * {@code source} when it is not null.
     */
    Access mapNewAnon(Process p, Vma vma, long addr, PageTablePage t, int i, Folio source) {
        if (!p.mm().anonVmaPrepare(vma)) {
            return oom(p, addr);
        }
        AllocRequest req = source == null ? AllocRequest.anon(0)
                : new AllocRequest(0, org.pagelab.phys.ZoneType.NORMAL, false, true, AllocRequest.Purpose.ANON);
        long orig = t.get(i);
        AnonFolio f = takeSpareFolio(source == null);
        if (f == null) {
            f = phys.alloc(req, AnonFolio::new);
        }
        if (f == null) {
            return oom(p, addr);
        }
        if (t.get(i) != orig || t.isDead()) {
            // reclaim ran during the allocation and changed this PTE: start the fault again,
            // keeping the folio for the next attempt
            spareFolio = f;
            retryFault = true;
            return Access.OK;
        }
        if (source != null) {
            phys.contents().copy(sourcePfn(source, vma, addr, orig), f.pfn(), 1);
            machine.sim().cpu(org.pagelab.sim.CpuEvent.COPY_PAGE);
        }
        f.set(Flag.ANON_EXCLUSIVE);
        f.set(Flag.UPTODATE);
        f.setAnonRmap(vma.anonVma(), vma.pgoffOf(addr));
        machine.vmscan().add(f);
        f.mapcountAdd(1);
        vmstat.add(VmItem.NR_ANON_PAGES, 1);
        p.addRssAnon(1);
        t.set(i, Pte.mkDirty(Pte.mkYoung(Pte.present(f.pfn(), true, true))));
        return Access.OK;
    }

    /**
     * The frame of {@code source} whose bytes a copy for {@code addr} takes: the one the PTE maps,
     * else the page at the address's offset in the folio (a page-cache folio, or an anon folio
     * of the parent at fork).
     */
    private static int sourcePfn(Folio source, Vma vma, long addr, long pte) {
        if (source.nrPages() == 1) {
            return source.pfn();
        }
        if (Pte.isPresent(pte) && !Pte.special(pte) && source.contains(Pte.pfn(pte))) {
            return Pte.pfn(pte);
        }
        long first = source instanceof AnonFolio a ? a.linearIndex() : source.index();
        return source.pfn() + (int) (vma.pgoffOf(addr) - first);
    }

    private Access segv(Process p, long addr) {
        return kill(p, addr, "SIGSEGV", Access.SEGV);
    }

    private Access kill(Process p, long addr, String signal, Access outcome) {
        events.add("pid " + p.pid() + " (" + p.name() + ") " + signal + " at 0x" + Long.toHexString(addr));
        finish(p, Process.State.KILLED, signal);
        return outcome;
    }

    /**
     * The allocation for a fault of {@code p} failed after reclaim: the OOM killer decides
     * ({@link OomKiller#outOfMemory}); when it killed another process, the fault runs again.
     */
    private Access oom(Process p, long addr) {
        if (oomKiller.outOfMemory(p)) {
            retryFault = true;
        }
        return Access.OOM;
    }

    /** The OOM killer, for the machine and for memory cgroups. */
    public OomKiller oomKiller() {
        return oomKiller;
    }

    private final OomKiller oomKiller = new OomKiller(this);

    /** Ends {@code p} as killed by {@code signal}, freeing its memory (for the OOM killer). */
    void kill(Process p, String signal) {
        finish(p, Process.State.KILLED, signal);
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
