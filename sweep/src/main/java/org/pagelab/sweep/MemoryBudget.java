package org.pagelab.sweep;

import java.util.concurrent.Semaphore;

/**
 * The host memory that the points a {@link LocalEngine} runs at once may need together, counted in
 * MiB: a point takes its footprint before it starts and gives it back when it ends. A footprint
 * larger than the whole budget takes the whole budget, so such a point runs alone rather than
 * never. Fair: a large request waits its turn without smaller ones overtaking it forever.
 *
 * <pre>
 *   0 &lt;= in use &lt;= total, at every moment; peak = the most in use so far
 * </pre>
 */
final class MemoryBudget {
    private final int totalMiB;
    private final Semaphore free;
    private int inUse;
    private int peak;

    MemoryBudget(long bytes) {
        this.totalMiB = (int) Math.min(Integer.MAX_VALUE, bytes >> 20);
        if (totalMiB < 1) {
            throw new IllegalArgumentException("a memory budget of " + bytes + " bytes is less than 1 MiB");
        }
        this.free = new Semaphore(totalMiB, true);
    }

    /** Waits until {@code bytes} (whole MiB, at most the budget) are free and takes them; returns the MiB taken. */
    int acquire(long bytes) throws InterruptedException {
        int mib = (int) Math.min(totalMiB, Math.max(1, (bytes + (1 << 20) - 1) >> 20));
        free.acquire(mib);
        synchronized (this) {
            inUse += mib;
            peak = Math.max(peak, inUse);
            check();
        }
        return mib;
    }

    /** Gives back {@code mib} taken by {@link #acquire}. */
    void release(int mib) {
        synchronized (this) {
            inUse -= mib;
            check();
        }
        free.release(mib);
    }

    /** The most MiB in use at once so far. */
    synchronized int peakMiB() {
        return peak;
    }

    int totalMiB() {
        return totalMiB;
    }

    /** The checker: recomputes the invariant of the class comment. */
    synchronized void check() {
        if (inUse < 0 || inUse > totalMiB || peak > totalMiB) {
            throw new IllegalStateException("memory budget: " + inUse + " MiB in use (peak " + peak + ") of " + totalMiB);
        }
    }
}
