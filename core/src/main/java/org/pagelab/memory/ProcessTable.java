package org.pagelab.memory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.pagelab.filemap.Inode;
import org.pagelab.filemap.Vfs;
import org.pagelab.pgtable.PageTable;
import org.pagelab.phys.MemSize;
import org.pagelab.phys.PageAllocator;
import org.pagelab.rmap.FileRmap;
import org.pagelab.stat.VmItem;
import org.pagelab.stat.VmStat;
import org.pagelab.vma.Mm;
import org.pagelab.vma.Vma;

/**
 * The process table (kernel/fork.c, kernel/exit.c, kernel/signal.c as far as memory goes): pids,
 * the address space each live process owns, creation, exit and fatal signals, and the event log
 * of signals and kills.
 *
 * <p>Invariant (recomputed by {@link SpaceChecker}): every live process's address space is
 * registered to it, and no other address space is registered.
 */
final class ProcessTable {
    private final PageAllocator phys;
    private final VmStat vmstat;
    private final Supplier<Mm> newMm;
    private final FileRmap fileRmap;
    private final Consumer<Process> exitTask;
    private final Vfs vfs;
    private final Zap zap;
    final Map<Integer, Process> processes = new TreeMap<>();
    final Map<Mm, Process> owners = new IdentityHashMap<>();
    private final List<String> events = new ArrayList<>();
    private int nextPid = 1;

    /**
     * A table whose address spaces come from {@code newMm}, observed by {@code fileRmap}; a
     * process that ends is handed to {@code exitTask} (the simulator's task) before its memory goes.
     */
    ProcessTable(PageAllocator phys, VmStat vmstat, Supplier<Mm> newMm, FileRmap fileRmap, Consumer<Process> exitTask,
                 Vfs vfs, Zap zap) {
        this.phys = phys;
        this.vmstat = vmstat;
        this.newMm = newMm;
        this.fileRmap = fileRmap;
        this.exitTask = exitTask;
        this.vfs = vfs;
        this.zap = zap;
    }

    /** Every process ever spawned, by pid. */
    Map<Integer, Process> processes() {
        return Collections.unmodifiableMap(processes);
    }

    /** Adds a line to the event log. */
    void logEvent(String line) {
        events.add(line);
    }

    /** Signals and kills, in order, one line each. */
    List<String> events() {
        return Collections.unmodifiableList(events);
    }

    /** Creates a process with an empty address space, or returns null when no page table can be had. */
    Process spawn(String name) {
        PageTable pt = PageTable.create(phys);
        if (pt == null) {
            return null;
        }
        Mm mm = newMm.get();
        mm.setObserver(fileRmap);
        Process p = new Process(nextPid++, name, mm, pt);
        processes.put(p.pid(), p);
        owners.put(mm, p);
        zap.syncTables(p, 0);
        return p;
    }

    /** The process owning the address space of {@code v}. */
    Process ownerOf(Vma v) {
        Process p = owners.get(v.mm());
        if (p == null) {
            throw new IllegalStateException("VMA of an address space no live process owns: " + v);
        }
        return p;
    }

    /** exit: tears down the address space; every page and table goes back to the allocator. */
    void exit(Process p) {
        finish(p, Process.State.EXITED, null);
    }

    /** Ends {@code p} as killed by {@code signal}, freeing its memory. */
    void kill(Process p, String signal) {
        finish(p, Process.State.KILLED, signal);
    }

    /** Kills {@code p} with fatal {@code signal} raised at {@code addr}, logged; returns {@code outcome}. */
    Access kill(Process p, long addr, String signal, Access outcome) {
        events.add("pid " + p.pid() + " (" + p.name() + ") " + signal + " at 0x" + Long.toHexString(addr));
        finish(p, Process.State.KILLED, signal);
        return outcome;
    }

    private void finish(Process p, Process.State state, String signal) {
        if (!p.alive()) {
            return;
        }
        exitTask.accept(p);
        List<Inode> files = Mmap.filesOf(p.mm(), 0, Mm.TASK_SIZE);
        p.mm().destroy(piece -> zap.zap(p, piece));
        p.pageTable().freeEmptyTables(0, Mm.TASK_SIZE + MemSize.PAGE_SIZE);
        p.pageTable().destroy();
        owners.remove(p.mm());
        // what was counted goes: a table allocated and not yet counted when the OOM killer chose
        // this process in the middle of an allocation (a fork's copy, a fault) was never counted
        vmstat.add(VmItem.NR_PAGE_TABLE_PAGES, -p.tablesCounted());
        p.countTables(-p.tablesCounted());
        p.setState(state, signal);
        Mmap.releaseFiles(vfs, files);
        if (signal != null) {
            events.add("pid " + p.pid() + " (" + p.name() + ") killed by " + signal);
        }
    }
}
