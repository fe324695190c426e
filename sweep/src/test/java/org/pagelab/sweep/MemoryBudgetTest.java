package org.pagelab.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pagelab.testing.Seeds;

/** The local engine's memory budget: never more in use than the budget, and every request served. */
@ExtendWith(Seeds.class)
class MemoryBudgetTest {
    @Test
    void threadsTakingRandomSharesNeverHoldMoreThanTheBudget() throws InterruptedException {
        long seed = Seeds.derive(20261204L);
        MemoryBudget budget = new MemoryBudget(64L << 20);
        AtomicInteger served = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 6; t++) {
            SplittableRandom rnd = new SplittableRandom(seed + t);
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 200; i++) {
                    long bytes = rnd.nextInt(8) == 0 ? 100L << 20 : rnd.nextLong(1, 40L << 20);
                    try {
                        int taken = budget.acquire(bytes);
                        assertThat(taken).isBetween(1, 64);
                        budget.check();
                        Thread.onSpinWait();
                        budget.release(taken);
                        served.incrementAndGet();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(served.get()).as("seed %d", seed).isEqualTo(1200);
        assertThat(budget.peakMiB()).as("seed %d", seed).isBetween(1, 64);
        budget.check();
    }

    @Test
    void aPointLargerThanTheBudgetTakesAllOfIt() throws InterruptedException {
        MemoryBudget budget = new MemoryBudget(16L << 20);
        assertThat(budget.acquire(1L << 40)).isEqualTo(16);
        assertThat(budget.peakMiB()).isEqualTo(16);
        assertThatThrownBy(() -> new MemoryBudget(4096)).hasMessage("a memory budget of 4096 bytes is less than 1 MiB");
    }
}
