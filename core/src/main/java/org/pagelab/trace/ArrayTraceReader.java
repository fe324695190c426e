package org.pagelab.trace;

/**
 * A trace held in memory: one process's memory accesses to the pages {@code pages[i]} of a
 * region starting at {@code base}, the odd-numbered ones writes. For benchmarks and tests that
 * replay a generated page stream on a whole machine without a file; it reads no input, so it
 * never throws {@link TraceException}.
 */
public final class ArrayTraceReader implements TraceReader {
    private final long[] pages;
    private final long base;
    private final String name;
    private int i = -1;

    /** Requires: {@code base} page-aligned, every page of the region within user space when replayed. */
    public ArrayTraceReader(String name, long base, long[] pages) {
        if ((base & ((1L << Access.PAGE_SHIFT) - 1)) != 0) {
            throw new IllegalArgumentException("trace base 0x" + Long.toHexString(base) + " is not page-aligned");
        }
        this.name = name;
        this.base = base;
        this.pages = pages;
    }

    @Override
    public boolean next() {
        if (i + 1 >= pages.length) {
            return false;
        }
        i++;
        return true;
    }

    @Override
    public Access.Kind kind() {
        return Access.Kind.MEMORY;
    }

    @Override
    public long key() {
        return base + (pages[i] << Access.PAGE_SHIFT);
    }

    @Override
    public boolean write() {
        return (i & 1) == 1;
    }

    @Override
    public int pid() {
        return 0;
    }

    @Override
    public double fractionRead() {
        return pages.length == 0 ? 1 : (i + 1) / (double) pages.length;
    }

    @Override
    public String file() {
        return name;
    }

    @Override
    public void close() {
    }
}
