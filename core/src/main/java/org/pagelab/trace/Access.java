package org.pagelab.trace;

import org.pagelab.phys.MemSize;

/**
 * One access of a trace, as a value: what was touched, whether it was written, and by whom.
 *
 * <p>A {@link Kind#MEMORY} access names a byte address in the virtual address space of process
 * {@code pid}; replay maps it to the virtual page {@code address >>> 12}. A {@link Kind#BLOCK}
 * access names a block of a file (the trace's one file), one page per block; replay maps it to
 * the page cache index {@code block}. Readers hand out their current record through the
 * primitive getters of {@link TraceReader}; this record is the boxed form used by
 * {@link TraceReader#stream()} and by tests.
 *
 * @param kind  whether {@code key} is a virtual address or a block number
 * @param key   the virtual byte address (MEMORY) or the block number (BLOCK), unsigned 64 bits
 * @param write true for a store or a write request, false for a load or a read request
 * @param pid   the process that made the access; 0 when the trace does not say
 */
public record Access(Kind kind, long key, boolean write, int pid) {

    /** log2 of the page size that memory addresses are cut into. */
    public static final int PAGE_SHIFT = MemSize.PAGE_SHIFT;

    /** The bytes of a page, {@code 1 << PAGE_SHIFT}. */
    public static final int PAGE_BYTES = 1 << PAGE_SHIFT;

    /** What the key of an access counts. */
    public enum Kind {
        /** A byte address in a process's virtual address space. */
        MEMORY,
        /** A block number of a file; one block is one page. */
        BLOCK
    }

    /** Requires: {@code kind != null}, {@code pid >= 0}. */
    public Access {
        if (kind == null) {
            throw new IllegalArgumentException("access without a kind");
        }
        if (pid < 0) {
            throw new IllegalArgumentException("negative pid " + pid);
        }
    }

    /** A load or read of byte address {@code address} by process {@code pid}. */
    public static Access memory(long address, boolean write, int pid) {
        return new Access(Kind.MEMORY, address, write, pid);
    }

    /** A read or write of block {@code block} of the trace's file. */
    public static Access block(long block, boolean write) {
        return new Access(Kind.BLOCK, block, write, 0);
    }

    /** The page this access touches: the virtual page number, or the file page index. */
    public long page() {
        return pageOf(kind, key);
    }

    /** The page of {@code key} read as {@code kind}. */
    public static long pageOf(Kind kind, long key) {
        return kind == Kind.MEMORY ? key >>> PAGE_SHIFT : key;
    }
}
