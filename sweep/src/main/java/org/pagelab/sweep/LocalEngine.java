package org.pagelab.sweep;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a sweep's points on a pool of threads of this JVM, one machine per thread, under a memory
 * budget: before a point starts it takes its {@link PointRunner#footprint} out of the budget and
 * gives it back when it ends, so the machines in flight never need more than the budget, however
 * many threads there are ({@link MemoryBudget}). A point larger than the whole budget runs alone.
 * Points start in order.
 */
public final class LocalEngine implements SweepEngine {
    /** The engine's name. */
    public static final String NAME = "local";

    private final int threads;
    private final MemoryBudget budget;

    /** An engine of {@code threads} threads whose points in flight need at most {@code budgetBytes} together. */
    public LocalEngine(int threads, long budgetBytes) {
        if (threads < 1) {
            throw new IllegalArgumentException("a local sweep needs at least one thread, not " + threads);
        }
        this.threads = threads;
        this.budget = new MemoryBudget(budgetBytes);
    }

    /** The most MiB the points in flight held at once so far: at most the budget. */
    int peakMiB() {
        return budget.peakMiB();
    }

    /** The default budget: three quarters of the largest heap this JVM may have. */
    public static long defaultBudget() {
        return Runtime.getRuntime().maxMemory() / 4 * 3;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void run(SweepSpec spec, List<Point> todo, Listener listener) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(threads, new Named());
        try {
            for (Point p : todo) {
                long need = PointRunner.footprint(spec, p);
                pool.execute(() -> {
                    int taken;
                    try {
                        taken = budget.acquire(need);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    PointOutcome o;
                    try {
                        o = PointOutcome.attempt(spec, p);
                    } finally {
                        budget.release(taken);
                    }
                    o.deliver(listener);
                });
            }
            pool.shutdown();
            while (!pool.awaitTermination(1, TimeUnit.HOURS)) {
                Thread.onSpinWait();
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            throw e;
        }
    }

    /** Worker threads named sweep-1, sweep-2, ...; daemons, so an interrupted sweep does not keep the JVM up. */
    private static final class Named implements ThreadFactory {
        private final AtomicInteger n = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "sweep-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    }
}
