package org.pagelab.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.pagelab.machine.Machine;
import org.pagelab.memory.Access;
import org.pagelab.memory.MemoryManager;
import org.pagelab.memory.Process;
import org.pagelab.phys.MemSize;
import org.pagelab.phys.PhysConfig;
import org.pagelab.vma.VmFlags;

/**
 * A booted machine with one process and an anonymous mapping of {@code pages} pages, for the
 * benchmarks' setups; data mode keeps its files in a temporary directory removed on close.
 */
final class Workload implements AutoCloseable {
    static final long PAGE = MemSize.PAGE_SIZE;

    final Machine machine;
    final MemoryManager mm;
    final Process process;
    final long addr;
    final int pages;
    private final Path dir;

    /** Boots a machine with room for three times {@code pages} pages and maps them, unwritten. */
    Workload(boolean data, int pages) {
        long bytes = pages * PAGE * 3 + (64L << 20);
        try {
            dir = data ? Files.createTempDirectory("pagelab-jmh-") : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        machine = data ? Machine.boot(PhysConfig.of(bytes, true), dir) : Machine.boot(PhysConfig.of(bytes, false));
        mm = machine.memory();
        process = mm.spawn("jmh");
        addr = mm.mmapAnon(process, 0, pages * PAGE, VmFlags.VM_READ | VmFlags.VM_WRITE, false).orThrow();
        this.pages = pages;
    }

    /** Writes one byte of every page through {@code p}; throws unless every access succeeds. */
    void writeAll(Process p) {
        for (int i = 0; i < pages; i++) {
            Access a = mm.touch(p, addr + i * PAGE, true);
            if (a != Access.OK) {
                throw new IllegalStateException("write of page " + i + " failed: " + a);
            }
        }
    }

    /** Drops every page of the mapping (MADV_DONTNEED), so the next writes fault again. */
    void dropAll() {
        mm.madviseDontneed(process, addr, pages * PAGE).orThrow();
    }

    @Override
    public void close() {
        machine.close();
        if (dir != null) {
            Machine.deleteTree(dir);
        }
    }
}
