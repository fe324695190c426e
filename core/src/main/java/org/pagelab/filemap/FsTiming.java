package org.pagelab.filemap;

import org.pagelab.phys.MemSize;
import org.pagelab.sim.CostModel;
import org.pagelab.sim.CpuEvent;
import org.pagelab.sim.DeviceModel;
import org.pagelab.sim.Sim;
import org.pagelab.sim.SimDevice;
import org.pagelab.sim.StallKind;

/**
 * Where the file system's work is charged in simulated time: the CPU of the running task and the
 * device under the file system, with the I/O errors injected into that device. Shared by {@link Vfs}, {@link Readahead} and {@link Writeback}.
 * Until a machine installs its own, it charges a private clock that no step ever runs on, so
 * nothing is counted.
 */
final class FsTiming {
    Sim sim = new Sim(1, CostModel.DEFAULT);
    SimDevice device = sim.device("none", DeviceModel.INSTANT);
    org.pagelab.sim.IoFaults faults = new org.pagelab.sim.IoFaults(() -> 0);

    /** The injected I/O errors of the file system's device, by file name and page index. */
    org.pagelab.sim.IoFaults faults() {
        return faults;
    }

    void cpu(CpuEvent e) {
        sim.cpu(e);
    }

    /** The CPU cost of copying {@code bytes} between the page cache and the caller. */
    void copy(long bytes) {
        sim.cpuNs(sim.costs().ns(CpuEvent.COPY_PAGE) * bytes / MemSize.PAGE_SIZE);
    }

    /** A synchronous read of {@code pages} pages; a refault's read counts as a memory stall (PSI). */
    void read(long pages, boolean refault) {
        if (pages == 0) {
            return;
        }
        if (refault) {
            sim.beginStall(StallKind.REFAULT);
        }
        sim.io(device, pages * MemSize.PAGE_SIZE, false);
        if (refault) {
            sim.endStall();
        }
    }

    /** A synchronous write of {@code pages} pages. */
    void write(long pages) {
        sim.io(device, pages * MemSize.PAGE_SIZE, true);
    }
}
