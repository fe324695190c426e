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
        return run(names, capacities, keys, null, loader, threads).stats();
    }

    /**
     * The runs of {@link #run(List, int[], long[], ClassLoader, int)}, with the bytes they missed
     * when the accesses have sizes.
     *
     * @param stats       {@code stats[i][k]}: policy i at capacity k
     * @param missedBytes {@code missedBytes[i][k]}: the bytes of the accesses policy i missed at
     *                    capacity k, or null when there were no sizes
     * @param bytes       the bytes of all accesses (the sizes' sum), or 0 when there were no sizes
     */
    public record Result(PolicyStats[][] stats, long[][] missedBytes, long bytes) {

        /** Missed bytes over all bytes of policy i at capacity k (0 when nothing was accessed). */
        public double byteMissRatio(int i, int k) {
            return bytes == 0 ? 0.0 : (double) missedBytes[i][k] / bytes;
        }
    }

    /**
     * As {@link #run(List, int[], long[], ClassLoader, int)}, counting also the bytes each run
     * missed when {@code sizes} (one unsigned 32-bit size per key) is not null: a byte-weighted miss
     * ratio beside the object one. Requires: {@code sizes == null || sizes.length == keys.length}.
     */
    public static Result run(List<String> names, int[] capacities, long[] keys, int[] sizes, ClassLoader loader,
            int threads) {
        return run(names, capacities, KeyTrace.of(keys), sizes, loader, threads);
    }

    /**
     * {@link #run(List, int[], long[], int[], ClassLoader, int)} over a {@link KeyTrace}: a packed
     * trace is expanded a chunk at a time by each replay, and made a {@code long[]} only for a
     * class-named policy whose constructor takes the whole trace. Requires:
     * {@code sizes == null || sizes.length == keys.length()}.
     */
    public static Result run(List<String> names, int[] capacities, KeyTrace keys, int[] sizes, ClassLoader loader,
            int threads) {
        for (String name : names) {
            Policies.validate(name, loader);
        }
        PolicyStats[][] out = new PolicyStats[names.size()][capacities.length];
        long[][] missed = sizes == null ? null : new long[names.size()][capacities.length];
        long bytes = 0;
        if (sizes != null) {
            for (int s : sizes) {
                bytes += Integer.toUnsignedLong(s);
            }
        }
        Result result = new Result(out, missed, bytes);
        // OPT's next uses depend on the trace only: computed once, shared by every size's replay
        int[] nextUse = names.stream().anyMatch(n -> !n.contains(".") && Policies.canonical(n).equals("opt"))
                ? OptPolicy.nextUses(keys) : null;
        long[] flat = names.stream().anyMatch(n -> Policies.offline(n, loader)) ? keys.toArray() : null;
        int tasks = names.size() * capacities.length;
        if (threads <= 1 || tasks <= 1) {
            for (int i = 0; i < names.size(); i++) {
                for (int k = 0; k < capacities.length; k++) {
                    replayInto(result, i, k, create(names.get(i), capacities[k], keys, flat, nextUse, loader), keys, sizes);
                }
            }
            return result;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, tasks), r -> {
            Thread t = new Thread(r, "pagelab-policy-run");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                for (int k = 0; k < capacities.length; k++) {
                    int row = i;
                    int column = k;
                    futures.add(pool.submit(() -> replayInto(result, row, column,
                            create(names.get(row), capacities[column], keys, flat, nextUse, loader), keys, sizes)));
                }
            }
            for (Future<?> f : futures) {
                f.get();
            }
            return result;
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

    /**
     * Policy {@code name}, or OPT over {@code keys} with the shared {@code nextUse}; {@code flat} is
     * the keys as an array for a policy that takes the whole trace, or null when none does.
     */
    private static CachePolicy create(String name, int capacity, KeyTrace keys, long[] flat, int[] nextUse,
            ClassLoader loader) {
        if (nextUse != null && !name.contains(".") && Policies.canonical(name).equals("opt")) {
            if (capacity < 1) {
                throw new IllegalArgumentException("opt: capacity must be at least 1 page, got " + capacity);
            }
            return new OptPolicy(capacity, keys, nextUse);
        }
        return Policies.create(name, capacity, flat, loader);
    }

    /** One replay of all of {@code keys} into cell (i, k) of {@code result}, with the policy's invariant check at the end. */
    private static void replayInto(Result result, int i, int k, CachePolicy policy, KeyTrace keys, int[] sizes) {
        if (sizes == null) {
            keys.replay(policy);
        } else {
            long missed = 0;
            for (int a = 0; a < keys.length(); a++) {
                if (!policy.access(keys.key(a))) {
                    missed += Integer.toUnsignedLong(sizes[a]);
                }
            }
            result.missedBytes()[i][k] = missed;
        }
        policy.check();
        PolicyStats stats = policy.stats();
        if (stats.accesses() != keys.length()) {
            throw new IllegalStateException(policy.name() + " counted " + stats.accesses() + " accesses of "
                    + keys.length());
        }
        result.stats()[i][k] = stats;
    }
}
