package org.pagelab.gup;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.pagelab.desc.AnonFolio;
import org.pagelab.desc.FileFolio;
import org.pagelab.desc.Folio;
import org.pagelab.desc.FolioFlags.Flag;
import org.pagelab.filemap.PageCache;
import org.pagelab.filemap.Errno;
import org.pagelab.memory.Access;
import org.pagelab.memory.MemoryManager;
import org.pagelab.memory.Process;
import org.pagelab.pgtable.PageTable;
import org.pagelab.pgtable.Pte;
import org.pagelab.phys.MemSize;
import org.pagelab.stat.VmItem;
import org.pagelab.vma.Vma;
import org.pagelab.vma.VmFlags;

/**
 * get_user_pages and pin_user_pages (mm/gup.c) as separate, typed entry points: {@link #get} takes
 * plain references (FOLL_GET), {@link #pin} and {@link #pinLongterm} take pins (FOLL_PIN, with
 * FOLL_LONGTERM). There is no flag word: a bad combination cannot be written. Each page is handed
 * to a {@link PageVisitor} as its sealed folio type and the subpage, never as an untyped page.
 *
 * <p>Pages are faulted in as needed (a write request faults for write, breaking COW), VMA
 * permissions are checked first (EFAULT for a hole or a forbidden access), and pins follow the
 * kernel's rules: a pin adds {@value org.pagelab.desc.Folio#GUP_PIN_COUNTING_BIAS} references to an order-0
 * folio, and one reference and one to the pin count of a large folio (folio->_pincount), so
 * reclaim, fork and split can tell a folio may be pinned; a read-only pin of an anon page shared
 * with another process first unshares it, so the pin sees the process's later writes; a
 * long-term pin of the zero page or of a page-cache page in a private mapping takes an anon copy
 * instead; a read get or short-term read pin of the zero page holds it without a reference (as
 * the kernel does since 6.5), handed out as {@link Held.ZeroPage}; a writable long-term pin of a
 * shared file mapping with writeback is refused (EFAULT).
 *
 * <p>Invariant (checked with the machine's): every folio's references include
 * {@code gets + pins * bias} (order 0) or {@code gets + pins} (large) for the gets and pins held;
 * a large folio's pin count equals the pins held on it; nr_foll_pin_acquired - released equals
 * the pins held.
 */
public final class Gup {
    /**
     * A page a get or pin holds; give it back with {@link #put} or {@link #unpin}. It is a page of
     * a folio, held by references, or the shared zero page, which a get or pin hands out without
     * taking any (the kernel neither needs nor counts references to it). A page of a folio keeps
     * its folio's kind: {@link Held.AnonPage} or {@link Held.FilePage}.
     */
    public sealed interface Held permits Held.Page, Held.ZeroPage {
        /** Whether a pin (rather than a get) holds it. */
        boolean pinned();

        /** The frame the holder reads and writes (for DMA), as a page frame number. */
        int pfn();

        /** Hands the page to {@code visitor} as its kind. */
        void visit(PageVisitor visitor);

        /** Page {@code subpage} of a folio, held by references. */
        sealed interface Page extends Held permits AnonPage, FilePage {
            Folio folio();

            int subpage();

            @Override
            default int pfn() {
                return folio().pfn() + subpage();
            }
        }

        /** Page {@code subpage} of anonymous folio {@code folio}. */
        record AnonPage(AnonFolio folio, int subpage, boolean pinned) implements Page {
            @Override
            public void visit(PageVisitor visitor) {
                visitor.anon(folio, subpage);
            }
        }

        /** Page {@code subpage} of file (page cache or shmem) folio {@code folio}. */
        record FilePage(FileFolio folio, int subpage, boolean pinned) implements Page {
            @Override
            public void visit(PageVisitor visitor) {
                visitor.file(folio, subpage);
            }
        }

        /** The shared zero page, at frame {@code pfn}: it reads as zeros and is never written. */
        record ZeroPage(int pfn, boolean pinned) implements Held {
            @Override
            public void visit(PageVisitor visitor) {
                visitor.zeroPage(pfn);
            }
        }
    }

    /** What a get or pin returned: the pages held, or the error that stopped it (pages held so far are released). */
    public sealed interface Result {
    }

    public record Got(List<Held> pages) implements Result {
    }

    public record Failed(Errno errno, long addr) implements Result {
    }

    private final GupHost machine;
    private final Map<Folio, long[]> held = new IdentityHashMap<>();

    public Gup(GupHost machine) {
        this.machine = machine;
    }

    /** get_user_pages: {@code nr} pages from {@code addr}, plain references; the result holds them, typed. */
    public Result get(Process p, long addr, int nr, boolean write) {
        return take(p, addr, nr, write, false, false, null);
    }

    /** pin_user_pages: {@code nr} pages from {@code addr}, pinned for DMA of short duration. */
    public Result pin(Process p, long addr, int nr, boolean write) {
        return take(p, addr, nr, write, true, false, null);
    }

    /** pin_user_pages with FOLL_LONGTERM: pinned for an unbounded time (RDMA, vfio). */
    public Result pinLongterm(Process p, long addr, int nr, boolean write) {
        return take(p, addr, nr, write, true, true, null);
    }

    /**
     * {@link #get}, handing each page to {@code visitor} as its kind as it is taken (before a later
     * page's failure releases it again).
     */
    public Result get(Process p, long addr, int nr, boolean write, PageVisitor visitor) {
        return take(p, addr, nr, write, false, false, visitor);
    }

    /** {@link #pin} with a visitor, as {@link #get(Process, long, int, boolean, PageVisitor)}. */
    public Result pin(Process p, long addr, int nr, boolean write, PageVisitor visitor) {
        return take(p, addr, nr, write, true, false, visitor);
    }

    /** {@link #pinLongterm} with a visitor, as {@link #get(Process, long, int, boolean, PageVisitor)}. */
    public Result pinLongterm(Process p, long addr, int nr, boolean write, PageVisitor visitor) {
        return take(p, addr, nr, write, true, true, visitor);
    }

    private Result take(Process p, long addr, int nr, boolean write, boolean pin, boolean longterm, PageVisitor visitor) {
        if (nr < 0 || (addr & (MemSize.PAGE_SIZE - 1)) != 0) {
            throw new IllegalArgumentException("gup of " + nr + " pages at 0x" + Long.toHexString(addr)
                    + ": needs a page-aligned address and a count >= 0");
        }
        MemoryManager mm = machine.memory();
        List<Held> got = new ArrayList<>();
        for (int k = 0; k < nr; k++) {
            long a = addr + ((long) k << MemSize.PAGE_SHIFT);
            Vma v = p.alive() ? p.mm().find(a) : null;
            boolean allowed = v != null && (write ? v.test(VmFlags.VM_WRITE) : v.test(VmFlags.VM_READ | VmFlags.VM_WRITE));
            if (!allowed || (longterm && write && v.isShared() && v.file() != null
                    && v.file().mapping() instanceof PageCache)) {
                release(got);
                return new Failed(Errno.EFAULT, a);
            }
            Access r = mm.touch(p, a, write);
            if (r == Access.OK && pin && !write && !v.isShared()) {
                // a read-only pin must not see a page the process may later replace by COW
                boolean anon = PageTable.normalFolio(machine.phys().memmap(), p.pageTable().getPte(a)) instanceof AnonFolio;
                if (anon || longterm) {
                    r = mm.unshare(p, a);
                }
            }
            if (r != Access.OK) {
                // vm_fault_to_errno: a fault that found no memory is ENOMEM; SIGSEGV/SIGBUS EFAULT
                release(got);
                return new Failed(r == Access.OOM ? Errno.ENOMEM : Errno.EFAULT, a);
            }
            long pte = p.pageTable().getPte(a);
            if (Pte.special(pte) && mm.isZeroPfn(Pte.pfn(pte))) {
                // the zero page (or a page of the huge zero page) under a read get or short-term read
                // pin: held with no reference and not counted in nr_foll_pin_acquired (try_grab_folio
                // leaves the zero page alone)
                Held zero = new Held.ZeroPage(Pte.pfn(pte), pin);
                got.add(zero);
                if (visitor != null) {
                    zero.visit(visitor);
                }
                continue;
            }
            Folio f = PageTable.normalFolio(machine.phys().memmap(), pte);
            if (f == null) {
                throw new IllegalStateException("gup at 0x" + Long.toHexString(a) + " found " + Pte.describe(pte)
                        + " mapping no folio: " + machine.phys().memmap().raw(Pte.pfn(pte)));
            }
            int sub = Pte.pfn(pte) - f.pfn();
            f.refAdd(pin ? pinRefs(f) : 1);
            if (pin && f.nrPages() > 1) {
                f.pincountAdd(1);
            }
            held.computeIfAbsent(f, x -> new long[2])[pin ? 1 : 0]++;
            if (pin) {
                machine.vmstat().inc(VmItem.NR_FOLL_PIN_ACQUIRED);
            }
            Held page = switch (f) {
                case AnonFolio af -> new Held.AnonPage(af, sub, pin);
                case FileFolio ff -> new Held.FilePage(ff, sub, pin);
            };
            got.add(page);
            if (visitor != null) {
                page.visit(visitor);
            }
        }
        return new Got(List.copyOf(got));
    }

    private void release(List<Held> got) {
        for (Held h : got) {
            drop(h);
        }
    }

    /** put_page for pages {@link #get} returned. */
    public void put(List<Held> pages) {
        for (Held h : pages) {
            if (h.pinned()) {
                throw new IllegalArgumentException("put of a pinned page: use unpin " + h);
            }
            drop(h);
        }
    }

    /** unpin_user_pages for pages a pin returned. */
    public void unpin(List<Held> pages) {
        for (Held h : pages) {
            if (!h.pinned()) {
                throw new IllegalArgumentException("unpin of a page that get returned: use put " + h);
            }
            drop(h);
        }
    }

    private void drop(Held h) {
        switch (h) {
            case Held.ZeroPage z -> {
                // nothing was taken, nothing is given back (unpin_user_page skips the zero page)
            }
            case Held.Page page -> dropPage(page);
        }
    }

    private void dropPage(Held.Page h) {
        long[] c = held.get(h.folio());
        int slot = h.pinned() ? 1 : 0;
        if (c == null || c[slot] == 0) {
            throw new IllegalStateException("releasing a page not held: " + h);
        }
        c[slot]--;
        if (c[0] == 0 && c[1] == 0) {
            held.remove(h.folio());
        }
        if (h.pinned()) {
            machine.vmstat().inc(VmItem.NR_FOLL_PIN_RELEASED);
        }
        if (h.pinned() && h.folio().nrPages() > 1) {
            h.folio().pincountAdd(-1);
        }
        machine.phys().folioPutRefs(h.folio(), h.pinned() ? pinRefs(h.folio()) : 1);
        if (!h.folio().isDead()) {
            machine.swap().dropUnused(h.folio()); // the holder was the page's last user
        }
    }

    /**
     * References one pin takes on {@code f}: the bias on an order-0 folio; one on a large folio,
     * whose pins are counted in its pin count instead (folio->_pincount).
     */
    private static int pinRefs(Folio f) {
        return f.nrPages() > 1 ? 1 : Folio.GUP_PIN_COUNTING_BIAS;
    }

    /** The references gets and pins hold on {@code f} (for the machine's refcount check). */
    public int heldRefs(Folio f) {
        long[] c = held.get(f);
        return c == null ? 0 : (int) (c[0] + c[1] * pinRefs(f));
    }

    /** Pins held on {@code f}. */
    public long pinsOn(Folio f) {
        long[] c = held.get(f);
        return c == null ? 0 : c[1];
    }

    /** Pins held, over all folios (pins of the zero page hold nothing and are not counted). */
    public long pinsHeld() {
        long n = 0;
        for (long[] c : held.values()) {
            n += c[1];
        }
        return n;
    }

    /** Checks the pin counters against the pins held. */
    public void check() {
        long acquired = machine.vmstat().get(VmItem.NR_FOLL_PIN_ACQUIRED);
        long released = machine.vmstat().get(VmItem.NR_FOLL_PIN_RELEASED);
        if (acquired - released != pinsHeld()) {
            throw new IllegalStateException("nr_foll_pin_acquired " + acquired + " - released " + released + " but "
                    + pinsHeld() + " pins are held");
        }
        for (Map.Entry<Folio, long[]> e : held.entrySet()) {
            Folio f = e.getKey();
            if (f.isDead()) {
                throw new IllegalStateException("a get or pin holds a freed folio: " + f);
            }
            long pins = f.nrPages() > 1 ? e.getValue()[1] : 0;
            if (f.pincount() != pins) {
                throw new IllegalStateException("pincount " + f.pincount() + " but " + pins + " pins are held: " + f);
            }
        }
    }
}
