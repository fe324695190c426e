package org.pagelab.sweep;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a sweep's points on a pool of threads of this JVM, one machine per thread, under a memory
 * budget: before a point starts it takes its {@link PointRunner#footprint} out of the budget and
 * gives it back when it ends, so the machines in flight never need more than the budget, however
 * many threads there are. A point larger than the whole budget runs alone. Points start in order;
 * the budget is fair, so a large point waits for memory without small ones overtaking it forever.
 */
public final class LocalEngine implements SweepEngine {
    /** The engine's name. */
    public static final String NAME = "local";

    private final int threads;
    private final long budgetBytes;

    /** An engine of {@code threads} threads whose points in flight need at most {@code budgetBytes} together. */
    public LocalEngine(int threads, long budgetBytes) {
        if (threads < 1) {
            throw new IllegalArgumentException("a local sweep needs at least one thread, not " + threads);
        }
        if (budgetBytes < (1 << 20)) {
            throw new IllegalArgumentException("a memory budget of " + budgetBytes + " bytes is less than 1 MiB");
        }
        this.threads = threads;
        this.budgetBytes = budgetBytes;
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
        int budgetMiB = (int) Math.min(Integer.MAX_VALUE, budgetBytes >> 20);
        Semaphore budget = new Semaphore(budgetMiB, true);
        ExecutorService pool = Executors.newFixedThreadPool(threads, new Named());
        try {
            for (Point p : todo) {
                int need = (int) Math.min(budgetMiB, (PointRunner.footprint(spec, p) + (1 << 20) - 1) >> 20);
                pool.execute(() -> {
                    try {
                        budget.acquire(need);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    PointOutcome o;
                    try {
                        o = PointOutcome.attempt(spec, p);
                    } finally {
                        budget.release(need);
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
