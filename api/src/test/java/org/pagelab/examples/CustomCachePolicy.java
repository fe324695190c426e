package org.pagelab.examples;

import org.pagelab.api.PolicyStudy;
import org.pagelab.policy.PolicyBase;
import org.pagelab.policy.PolicyStats;

/**
 * A policy of one's own, studied in-process: FIFO with a second chance (CLOCK written the plain
 * way), replayed on a looping page stream beside the built-in LRU and Belady's OPT.
 */
public final class CustomCachePolicy {
    /** FIFO whose evictions skip, once, a page accessed since it entered. */
    static final class SecondChance extends PolicyBase {
        private final java.util.ArrayDeque<Long> queue = new java.util.ArrayDeque<>();
        private final java.util.Map<Long, Boolean> referenced = new java.util.HashMap<>();

        SecondChance(int capacity) {
            super("second-chance", capacity);
        }

        @Override
        protected boolean hit(long key) {
            return referenced.replace(key, true) != null;
        }

        @Override
        protected void miss(long key) {
            while (queue.size() == capacity()) {
                long victim = queue.removeFirst();
                if (referenced.get(victim)) {
                    referenced.put(victim, false);     // its second chance
                    queue.addLast(victim);
                } else {
                    referenced.remove(victim);
                }
            }
            queue.addLast(key);
            referenced.put(key, false);
        }

        @Override
        public int size() {
            return queue.size();
        }

        @Override
        public void check() {
            if (queue.size() != referenced.size() || queue.size() > capacity()) {
                throw new IllegalStateException("queue " + queue.size() + ", map " + referenced.size());
            }
        }
    }

    public static void main(String[] args) {
        long[] pages = new long[100_000];                 // a hot set of 50 pages, a loop over 400
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(42);
        for (int i = 0; i < pages.length; i++) {
            pages[i] = i % 2 == 0 ? rnd.nextInt(50) : 1000 + (i / 2) % 400;
        }
        int capacity = 200;
        PolicyStats mine = PolicyStudy.replay(new SecondChance(capacity), pages);
        PolicyStats lru = PolicyStudy.replay("lru", capacity, pages);
        PolicyStats opt = PolicyStudy.replay("opt", capacity, pages);
        for (PolicyStats s : new PolicyStats[] {mine, lru, opt}) {
            System.out.printf("%-14s %8d misses  miss ratio %.4f%n", s.policy(), s.misses(), s.missRatio());
        }
        if (opt.misses() > mine.misses() || mine.misses() > lru.misses()) {
            throw new AssertionError("expected opt <= second-chance <= lru on a loop larger than the cache");
        }
    }
}
