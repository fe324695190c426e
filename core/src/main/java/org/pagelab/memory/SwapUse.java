package org.pagelab.memory;

import java.util.ArrayList;
import java.util.List;
import org.pagelab.desc.AnonFolio;
import org.pagelab.desc.Folio;
import org.pagelab.desc.FolioFlags.Flag;
import org.pagelab.desc.SwapBacked;
import org.pagelab.desc.ShmemFolio;
import org.pagelab.desc.SwapEntry;
import org.pagelab.filemap.Errno;
import org.pagelab.pgtable.PageTable;
import org.pagelab.pgtable.Pte;
import org.pagelab.phys.AllocRequest;
import org.pagelab.phys.MemSize;
import org.pagelab.stat.VmItem;
import org.pagelab.vma.Mm;
import org.pagelab.vma.Vma;
import org.pagelab.desc.PageTablePage;

/**
 * The memory manager's paths that bring swapped pages back outside a process's own fault:
 * swapoff (try_to_unuse), shmem swap-in, and the reads of swap readahead. Split from
 * {@link MemoryManager} by concept; it works on the same state.
 */
final class SwapUse {
    private final MemoryManager mm;

    SwapUse(MemoryManager mm) {
        this.mm = mm;
    }

    /**
     * shmem_swapin_folio: the page of a shmem file whose slot holds swap entry {@code entry} comes
     * back: from the swap cache (a readahead hit, swap_ra_hit), or read from the device into a new
     * folio together with its readahead window's other slots (swap_cluster_readahead, as
     * shmem_swapin does): a major fault. It then leaves the swap cache for its file's slot,
     * dirty (its only copy is memory again), and the slot is freed.
     */
    org.pagelab.filemap.FaultResult shmemSwapIn(org.pagelab.filemap.ShmemCache shm, long index, SwapEntry entry) {
        var swap = mm.machine.swap();
        ShmemFolio f = switch (swap.lookup(entry)) {
            case null -> null;
            case ShmemFolio s -> s;
            case AnonFolio a -> throw new IllegalStateException("shmem swap entry " + entry + " cached as an anon folio: " + a);
        };
        boolean major = f == null;
        if (f == null) {
            ShmemFolio nf = mm.swapinAlloc(entry, new AllocRequest(0, org.pagelab.phys.ZoneType.NORMAL, false, true,
                    AllocRequest.Purpose.ANON), ShmemFolio::new);
            if (nf == null) {
                return new org.pagelab.filemap.FaultResult.FaultFailed(Errno.ENOMEM);
            }
            if (swap.lookup(entry) != null || !entry.equals(shm.load(index))) {
                mm.phys.folioPut(nf); // reclaim ran during the allocation and changed things: look again
                ShmemFolio now = shm.lookup(index);
                return now != null ? new org.pagelab.filemap.FaultResult.Found(now, false) : shmemSwapIn(shm, index, entry);
            }
            var shadow = swap.load(entry);
            if (!swap.addForSwapin(nf, entry)) {
                mm.phys.folioPut(nf);
                return new org.pagelab.filemap.FaultResult.FaultFailed(Errno.ENOMEM);
            }
            if (shadow instanceof org.pagelab.desc.Shadow sh) {
                mm.machine.vmscan().refault(nf, sh);
            }
            mm.machine.vmscan().add(nf);
            boolean refault = nf.test(Flag.WORKINGSET);
            swap.readInUntimed(nf, entry);
            int pages = 1 + swap.readahead().clusterReadahead(entry, this::readAheadSlot); // shmem_swapin
            if (refault) {
                mm.machine.sim().beginStall(org.pagelab.sim.StallKind.REFAULT);
            }
            swap.chargeRead(entry, pages); // the faulting page and its readahead, one request
            if (refault) {
                mm.machine.sim().endStall();
            }
            mm.phys.folioPut(nf);
            f = nf;
        } else {
            swap.readahead().cacheHit(null, 0, f); // shmem looks up without a VMA
        }
        if (!f.test(Flag.UPTODATE)) {
            return new org.pagelab.filemap.FaultResult.FaultFailed(Errno.EIO);
        }
        f.refAdd(1);
        mm.machine.writebackIo().waitFor(f); // shmem_swapin_folio waits for the folio's writeback
        swap.deleteFromSwapCache(f, null);
        if (!shm.tryAdd(f, index)) { // stored over the entry; on failure the entry stays, the data on swap
            mm.phys.folioPut(f);
            return new org.pagelab.filemap.FaultResult.FaultFailed(Errno.ENOMEM);
        }
        shm.markDirty(f);
        swap.swapFree(entry);
        mm.phys.folioPut(f);
        return new org.pagelab.filemap.FaultResult.Found(f, major);
    }

    /**
     * swapoff of swap device {@code type} (try_to_unuse): stops allocation from it, brings every
     * page whose PTE holds one of its entries back into memory, mapped where the entry was, drops
     * what is left in its swap cache and removes it. When memory runs out, the device is put back
     * (the pages brought in so far stay in) and the result is ENOMEM; no process is killed.
     * Returns null on success.
     */
    Errno swapoff(int type) {
        var swap = mm.machine.swap();
        if (swap.devices().lookup(type).isEmpty()) {
            return Errno.EINVAL;
        }
        swap.devices().stopAllocating(type);
        for (Process p : mm.processes().values()) {
            if (!p.alive()) {
                continue;
            }
            List<long[]> entries = new ArrayList<>();
            p.pageTable().forEachPresentOrSwap(0, Mm.TASK_SIZE + MemSize.PAGE_SIZE, (addr, table, index, pte) -> {
                if (Pte.isSwap(pte) && Pte.swapEntry(pte).type() == type) {
                    entries.add(new long[] {addr, pte});
                }
            });
            for (long[] e : entries) {
                if (!unuse(p, e[0], e[1])) {
                    swap.devices().resumeAllocating(type);
                    return Errno.ENOMEM;
                }
            }
        }
        if (swap.finishSwapoff(type).isPresent()) {
            throw new IllegalStateException("swapoff of type " + type + ": slots still in use after every PTE was brought in");
        }
        return null;
    }

    private boolean unuse(Process p, long addr, long pte) {
        var swap = mm.machine.swap();
        SwapEntry entry = Pte.swapEntry(pte);
        PageTablePage t = p.pageTable().pteTable(addr);
        int i = PageTable.pteIndex(addr);
        if (t == null || t.get(i) != pte) {
            return true; // changed meanwhile (reclaim ran during an allocation)
        }
        Vma vma = p.mm().find(addr);
        AnonFolio folio = switch (swap.lookup(entry)) {
            case null -> null;
            case AnonFolio a -> a;
            case ShmemFolio s -> throw new IllegalStateException("swap entry " + entry + " of a PTE cached as a shmem folio: " + s);
        };
        if (folio != null) {
            swap.readahead().cacheHit(vma, addr, folio); // unuse_pte_range looks up as a fault does
            if (folio.anonMapping() == null) {
                // read ahead of any fault: it takes its anon_vma from the first VMA that maps it
                if (!p.mm().anonVmaPrepare(vma)) {
                    return false;
                }
                boolean shared = swap.devices().swapCount(entry) > 1;
                folio.setAnonRmap(shared ? vma.anonVma().root() : vma.anonVma(), vma.pgoffOf(addr));
            }
        } else {
            AnonFolio nf = mm.swapinAlloc(entry, new AllocRequest(0, org.pagelab.phys.ZoneType.NORMAL, false, true,
                    AllocRequest.Purpose.ANON), AnonFolio::new);
            if (nf == null) {
                return false;
            }
            t = p.pageTable().pteTable(addr);
            if (t == null || t.get(i) != pte || swap.lookup(entry) != null) {
                mm.phys.folioPut(nf);
                return unuse(p, addr, pte);
            }
            if (!swap.addForSwapin(nf, entry)) {
                mm.phys.folioPut(nf);
                return false;
            }
            boolean shared = swap.devices().swapCount(entry) > 1;
            nf.setAnonRmap(shared ? vma.anonVma().root() : vma.anonVma(), vma.pgoffOf(addr));
            mm.machine.vmscan().add(nf);
            boolean ok = swap.readInUntimed(nf, entry);
            // and its readahead window, as swapin_readahead reads it for a fault: one request
            swap.chargeRead(entry, 1 + swap.readahead().swapinReadahead(entry, vma, addr, t, i, this::readAheadSlot));
            mm.phys.folioPut(nf);
            if (!ok) {
                t.set(i, Pte.poison(nf.pfn())); // the kernel leaves a poisoned entry for an unreadable slot
                p.addSwapEnts(-1);
                swap.swapFree(entry);
                return true;
            }
            folio = nf;
        }
        int k = SwapFault.pageOf(folio, entry); // a large folio swapped out whole maps the entry's page
        SwapFault.mapSwapCachePage(mm.vmstat, p, folio);
        swap.swapFree(entry);
        folio.clearPageExclusive(k);
        swap.markDirtyInCache(folio); // the slot goes away: the memory copy is the only one
        t.set(i, Pte.mkOld(Pte.present(folio.pfn() + k, false, true)));
        return true;
    }

    /**
     * Reads slot {@code e} ahead of need into the swap cache, without reclaiming for it, as the
     * kernel reads the slots of a readahead window with the faulting page
     * ({@link org.pagelab.swap.SwapReadahead.SlotReader}). A slot a shmem file owns is read into a
     * shmem folio, any other into an anon folio, so that whoever faults it later finds the kind of
     * folio it maps. It joins the inactive list (or the active one, as its shadow decides)
     * unmapped and marked readahead.
     */
    org.pagelab.swap.SwapReadahead.Outcome readAheadSlot(SwapEntry e) {
        var swap = mm.machine.swap();
        // the slot's owner decides the kind: a shmem file takes back a shmem folio, a page table an anon one
        AllocRequest req = new AllocRequest(0, org.pagelab.phys.ZoneType.NORMAL, false, false, AllocRequest.Purpose.ANON);
        SwapBacked sb = swap.devices().isShmem(e) ? mm.swapinAlloc(e, req, ShmemFolio::new) : mm.swapinAlloc(e, req, AnonFolio::new);
        if (sb == null) {
            return org.pagelab.swap.SwapReadahead.Outcome.NO_MEMORY;
        }
        Folio f = sb.folio();
        var shadow = swap.load(e);
        if (!swap.addForSwapin(sb, e)) {
            mm.phys.folioPut(f);
            return org.pagelab.swap.SwapReadahead.Outcome.SKIPPED;
        }
        if (shadow instanceof org.pagelab.desc.Shadow s) {
            mm.machine.vmscan().refault(f, s);
        }
        mm.machine.vmscan().add(f);
        f.set(Flag.READAHEAD);
        if (!swap.readInUntimed(f, e)) {
            swap.deleteFromSwapCache(f, null);
        }
        mm.phys.folioPut(f);
        return org.pagelab.swap.SwapReadahead.Outcome.READ;
    }
}
