package org.pagelab.failure;

import java.util.ArrayList;
import java.util.List;
import org.pagelab.desc.AnonFolio;
import org.pagelab.desc.Folio;
import org.pagelab.desc.FolioFlags.Flag;
import org.pagelab.desc.FreeBlock;
import org.pagelab.desc.MemDesc;
import org.pagelab.desc.PageCacheFolio;
import org.pagelab.desc.PageTablePage;
import org.pagelab.desc.PoisonedFrame;
import org.pagelab.desc.ReservedBlock;
import org.pagelab.desc.ShmemFolio;
import org.pagelab.desc.SlabPage;
import org.pagelab.filemap.PageCache;
import org.pagelab.memory.Process;
import org.pagelab.pgtable.Pte;
import org.pagelab.phys.PageAllocator;

/**
 * memory_failure: what the kernel does when a frame's memory is found corrupted
 * (mm/memory-failure.c). The frame is marked poisoned for good (it never returns to the
 * allocator), and the owner of the frame is handled by its type, through an ordered table of page
 * states, each with an action and a closed set of outcomes.
 *
 * <pre>
 *   state (first match)             action                                          outcome
 *   large folio that cannot split   nothing: it stays in use                        Ignored
 *   free buddy frame                taken off the free lists                        Recovered
 *   reserved frame                  nothing: a kernel page                          Ignored
 *   slab page                       nothing: kernel objects cannot be moved          Ignored
 *   page-table page                 nothing: unhandlable, reported                   Ignored
 *   dirty swap-cache folio          dirty and uptodate cleared; a fault on its
 *                                   swap entry gets SIGBUS                          Delayed
 *   clean swap-cache folio          dropped from the swap cache (the slot has the
 *                                   data)                                           Recovered
 *   dirty LRU folio (file, anon)    file: the mapping's next fsync returns EIO;
 *                                   then as clean                                   Recovered
 *   clean LRU folio                 anon: off the LRU; file: removed from the page
 *                                   cache (next access reads the file again);
 *                                   shmem: stays, poisoned                          Recovered
 *   anything else                   unknown page                                    Failed
 * </pre>
 * Before the table runs, every PTE that maps a poisoned folio is removed through the reverse map:
 * a clean page-cache folio's PTEs are cleared (the data can be read again); every other folio's
 * PTEs become poison entries, so the process gets SIGBUS when it touches the page, or at once with
 * early kill ({@code vm.memory_failure_early_kill}). The poisoned folio keeps one reference that
 * memory-failure holds for ever, so its frame is never reused; unpoison gives it back.
 *
 * A large folio (an anonymous transparent huge page, or a large page-cache folio) is split first:
 * only the poisoned page goes through the table, the other pages stay with their data (a
 * page-cache folio's unmapped by the split, to be faulted in again) ("unsplit thp", Ignored, when a
 * pin prevents the split).
 *
 * <p>Not modelled: hugetlb pages, soft-offline, and the kernel's retries for pages in transit.
 */
public final class MemoryFailure {
    /** The closed set of outcomes (enum mf_result). */
    public enum Outcome {
        IGNORED("Ignored"), FAILED("Failed"), DELAYED("Delayed"), RECOVERED("Recovered");

        private final String text;

        Outcome(String text) {
            this.text = text;
        }

        /** The kernel's word for it in its log line. */
        public String text() {
            return text;
        }
    }

    /** The page states of the table, named as the kernel's log names them (action_page_types). */
    public enum PageType {
        KERNEL("reserved kernel page"), SLAB("kernel slab page"), DIRTY_SWAPCACHE("dirty swapcache page"),
        CLEAN_SWAPCACHE("clean swapcache page"), DIRTY_LRU("dirty LRU page"), CLEAN_LRU("clean LRU page"),
        BUDDY("free buddy page"), UNSPLIT_THP("unsplit thp"), UNKNOWN("unknown page"),
        ALREADY_POISONED("already poisoned page");

        private final String text;

        PageType(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    /** What memory_failure did with frame {@code pfn}. */
    public record Result(int pfn, PageType type, Outcome outcome) {
        /** The kernel's log line: "Memory failure: 0x1234: recovery action for clean LRU page: Recovered". */
        public String logLine() {
            return "Memory failure: 0x" + Integer.toHexString(pfn) + ": recovery action for " + type.text() + ": "
                    + outcome.text();
        }
    }

    private final FailureHost machine;
    private boolean earlyKill;

    public MemoryFailure(FailureHost machine) {
        this.machine = machine;
    }

    /** vm.memory_failure_early_kill: signal the processes mapping a poisoned page at once (default off). */
    public void setEarlyKill(boolean on) {
        this.earlyKill = on;
    }

    /** memory_failure(pfn): poisons frame {@code pfn} and handles its owner as the class comment's table says. */
    public Result memoryFailure(int pfn) {
        PageAllocator phys = machine.phys();
        if (pfn < 0 || pfn >= phys.memmap().nrFrames()) {
            throw new IllegalArgumentException("pfn " + pfn + " is not a frame of this machine (0.."
                    + (phys.memmap().nrFrames() - 1) + ")");
        }
        Result r = handle(pfn);
        machine.memory().logEvent(r.logLine());
        return r;
    }

    /** The table: poisons frame {@code pfn} and handles the descriptor that owns it. */
    private Result handle(int pfn) {
        PageAllocator phys = machine.phys();
        MemDesc d = phys.memmap().owner(pfn);
        return switch (d) {
            case FreeBlock fb -> {
                phys.addPoisoned(1);
                yield new Result(pfn, PageType.BUDDY, phys.takePageOffBuddy(pfn) ? Outcome.RECOVERED : Outcome.FAILED);
            }
            case PoisonedFrame pf -> new Result(pfn, PageType.ALREADY_POISONED, Outcome.FAILED);
            case ReservedBlock rb -> kernelPoisoned.get(pfn) ? new Result(pfn, PageType.ALREADY_POISONED, Outcome.FAILED)
                    : kernelFrame(pfn, PageType.KERNEL);
            case SlabPage s -> kernelFrame(pfn, PageType.SLAB);
            case PageTablePage t -> kernelFrame(pfn, PageType.UNKNOWN);
            case Folio f -> f.nrPages() > 1 ? largeFolioFailure(pfn, f) : folioFailure(pfn, f);
        };
    }

    /**
     * A frame the kernel itself uses: marked poisoned (PG_hwpoison, so a second report finds it
     * already poisoned and is not counted again) and reported; nothing can be done for it.
     */
    private Result kernelFrame(int pfn, PageType type) {
        if (kernelPoisoned.get(pfn)) {
            return new Result(pfn, PageType.ALREADY_POISONED, Outcome.FAILED);
        }
        kernelPoisoned.set(pfn);
        machine.phys().addPoisoned(1);
        return new Result(pfn, type, Outcome.IGNORED);
    }

    /** Frames poisoned while the kernel used them (reserved, slab, page-table pages): their PG_hwpoison. */
    private final java.util.BitSet kernelPoisoned = new java.util.BitSet();

    /**
     * try_to_split_thp_page: a large folio is split first, so that only the poisoned page is lost
     * and the others stay mapped with their data; then the table runs again for the frame's new
     * owner (an order-0 folio, or a free frame when nothing mapped that page). A folio that cannot
     * be split (a GUP get or pin holds it) stays whole and in use: "unsplit thp", Ignored, the
     * frame counted in HardwareCorrupted only.
     */
    private Result largeFolioFailure(int pfn, Folio f) {
        if (f.test(Flag.LRU)) {
            machine.writebackIo().waitFor(f); // split_huge_page refuses a folio under writeback (swapped out whole)
        }
        boolean split = f.test(Flag.LRU) && switch (f) {
            case AnonFolio a -> machine.memory().splitHugePage(a);
            case org.pagelab.desc.PageCacheFolio pc -> machine.memory().splitPageCacheFolio(pc);
            case org.pagelab.desc.ShmemFolio sh -> false;
        };
        if (split) {
            return handle(pfn);
        }
        machine.phys().addPoisoned(1);
        return new Result(pfn, PageType.UNSPLIT_THP, Outcome.IGNORED);
    }

    private Result folioFailure(int pfn, Folio f) {
        if (f.testAndSet(Flag.HWPOISON)) {
            return new Result(pfn, PageType.ALREADY_POISONED, Outcome.FAILED);
        }
        machine.phys().addPoisoned(1);
        f.refAdd(1); // memory-failure's own reference, held for as long as the frame is poisoned
        machine.writebackIo().waitFor(f); // memory_failure waits for writeback first
        boolean swapCache = f.test(Flag.SWAPCACHE);
        boolean dirtyBefore = f.test(Flag.DIRTY);
        boolean pageCache = f.mapping() instanceof PageCache pc && pc.host() != null;
        // hwpoison_user_mappings
        List<Process> victims = earlyKill ? machine.memory().mappers(f) : List.of();
        if (f.mapped()) {
            boolean discard = pageCache && !dirtyBefore;
            machine.rmap().tryToUnmap(f, k -> discard ? 0 : Pte.poison(f.pfn() + k));
        }
        for (Process p : victims) {
            machine.memory().killWith(p, 0, "SIGBUS (memory failure)");
        }
        boolean dirty = f.test(Flag.DIRTY); // unmapping moved the PTEs' dirty bits to the folio
        if (swapCache) {
            if (dirty) {
                machine.swap().markCleanLost(f);
                removeFromLru(f);
                return new Result(pfn, PageType.DIRTY_SWAPCACHE, Outcome.DELAYED);
            }
            machine.swap().deleteFromSwapCache(f, null);
            removeFromLru(f);
            return new Result(pfn, PageType.CLEAN_SWAPCACHE, Outcome.RECOVERED);
        }
        if (!f.test(Flag.LRU)) {
            return new Result(pfn, PageType.UNKNOWN, Outcome.FAILED);
        }
        PageType type = dirty ? PageType.DIRTY_LRU : PageType.CLEAN_LRU;
        if (dirty) {
            f.set(Flag.ERROR);
            if (f.mapping() instanceof PageCache pc && pc.host() != null) {
                pc.host().setWritebackError(); // mapping_set_error(-EIO): the next fsync reports it
            }
        }
        removeFromLru(f);
        Outcome outcome = switch (f) {
            case AnonFolio a -> Outcome.RECOVERED;
            // a poisoned shmem page stays in its cache (its data has no other copy): a fault gets SIGBUS
            case ShmemFolio s -> s.mapping() == null ? Outcome.FAILED : Outcome.RECOVERED;
            case PageCacheFolio file -> {
                if (!(file.mapping() instanceof PageCache pc)) {
                    yield Outcome.FAILED;
                }
                pc.clearDirty(file); // truncate_error_page: the page leaves the cache, its data with it
                pc.remove(file, null);
                yield Outcome.RECOVERED;
            }
        };
        return new Result(pfn, type, outcome);
    }

    private void removeFromLru(Folio f) {
        machine.vmscan().removeFromLru(f);
    }

    /**
     * madvise(MADV_HWPOISON) at {@code addr} of {@code p}: poisons the frame the address maps,
     * faulting it in first (as get_user_pages does). Returns null when the address maps nothing
     * the process may access (EFAULT).
     */
    public Result injectAt(Process p, long addr) {
        if (machine.memory().touch(p, addr, false) != org.pagelab.memory.Access.OK) {
            return null;
        }
        long pte = p.pageTable().getPte(addr);
        if (!Pte.isPresent(pte)) {
            return null;
        }
        return memoryFailure(Pte.pfn(pte));
    }

    /**
     * unpoison_memory: gives a poisoned frame back when nothing uses it any more: a poisoned free
     * frame returns to the allocator; a poisoned folio that is neither mapped nor cached loses the
     * reference memory-failure held and is freed. Returns false (EBUSY) otherwise.
     */
    public boolean unpoison(int pfn) {
        PageAllocator phys = machine.phys();
        MemDesc d = phys.memmap().owner(pfn);
        if (phys.putPageBackToBuddy(pfn)) {
            phys.addPoisoned(-1);
            machine.memory().logEvent("Unpoison: Software-unpoisoned free page 0x" + Integer.toHexString(pfn));
            return true;
        }
        if (d instanceof Folio f && f.test(Flag.HWPOISON) && !f.mapped() && f.mapping() == null && f.refcount() == 1) {
            f.clear(Flag.HWPOISON);
            f.clear(Flag.ERROR);
            phys.addPoisoned(-1);
            phys.folioPut(f);
            machine.memory().logEvent("Unpoison: Software-unpoisoned page 0x" + Integer.toHexString(pfn));
            return true;
        }
        return false;
    }

    /** The pfns of poisoned folios still held, for inspection. */
    public List<Integer> poisonedFolios() {
        List<Integer> out = new ArrayList<>();
        var memmap = machine.phys().memmap();
        int p = 0;
        while (p < memmap.nrFrames()) {
            MemDesc d = memmap.raw(p);
            if (d instanceof Folio f && f.test(Flag.HWPOISON)) {
                out.add(f.pfn());
            }
            p = d.endPfn();
        }
        return out;
    }
}
