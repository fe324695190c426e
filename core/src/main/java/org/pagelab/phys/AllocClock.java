package org.pagelab.phys;

/**
 * Where the page allocator's work is charged in simulated time: the CPU of the task running. The
 * allocator names what it did; the machine turns that into the cost model's events on its
 * simulator. Until a machine installs its own, {@link #NONE} charges nothing (as the simulator
 * does outside a step).
 */
public interface AllocClock {
    /** One allocation from the free lists (the PAGE_ALLOC event). */
    void pageAllocated();

    /** {@code pages} pages zeroed for a request that asked for zeroed memory (ZERO_PAGE events). */
    void pagesZeroed(long pages);

    /** The clock of an allocator outside a machine: nothing is charged. */
    AllocClock NONE = new AllocClock() {
        @Override
        public void pageAllocated() {
        }

        @Override
        public void pagesZeroed(long pages) {
        }
    };
}
