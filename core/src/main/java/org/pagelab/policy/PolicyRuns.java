package org.pagelab.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Many policy-only replays of one trace: every policy of a list at every capacity of a list, each
 * replay a task on a pool of platform threads, all reading the same array of keys (read once from
 * the trace by the caller). A replay shares nothing with another, so the results do not depend on
 * the number of threads or on the order the tasks run in.
 */
public final class PolicyRuns {

    private PolicyRuns() {
    }

    /** The number of threads {@link #run} uses when not told: one per available processor. */
    public static int defaultThreads() {
        return Runtime.getRuntime().availableProcessors();
    }

    /**
     * {@code result[i][k]}: policy {@code names.get(i)} (created from {@code loader}) replayed over
     * all of {@code keys} with {@code capacities[k]} pages, on up to {@code threads} threads. Every
     * name is validated before any replay starts, so a bad one fails fast with the
     * {@link IllegalArgumentException} of {@link Policies#create}; a policy is created in its task,
     * so at most {@code threads} of them hold memory at once. Requires: {@code threads >= 1}.
     */
    public static PolicyStats[][] run(List<String> names, int[] capacities, long[] keys, ClassLoader loader, int threads) {
        for (String name : names) {
            Policies.validate(name, loader);
        }
        PolicyStats[][] out = new PolicyStats[names.size()][capacities.length];
        int tasks = names.size() * capacities.length;
        if (threads <= 1 || tasks <= 1) {
            for (int i = 0; i < names.size(); i++) {
                for (int k = 0; k < capacities.length; k++) {
                    out[i][k] = replay(Policies.create(names.get(i), capacities[k], keys, loader), keys);
                }
            }
            return out;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, tasks), r -> {
            Thread t = new Thread(r, "pagelab-policy-run");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<PolicyStats>> futures = new ArrayList<>();
            for (String name : names) {
                for (int capacity : capacities) {
                    futures.add(pool.submit(() -> replay(Policies.create(name, capacity, keys, loader), keys)));
                }
            }
            for (int t = 0; t < futures.size(); t++) {
                out[t / capacities.length][t % capacities.length] = futures.get(t).get();
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("policy runs interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("policy run failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** One replay of all of {@code keys}, with the policy's invariant check at the end. */
    private static PolicyStats replay(CachePolicy policy, long[] keys) {
        policy.replay(keys, 0, keys.length);
        policy.check();
        PolicyStats stats = policy.stats();
        if (stats.accesses() != keys.length) {
            throw new IllegalStateException(policy.name() + " counted " + stats.accesses() + " accesses of "
                    + keys.length);
        }
        return stats;
    }
}
