package org.pagelab.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.pagelab.machine.Machine;
import org.pagelab.phys.PhysConfig;
import org.pagelab.policy.CachePolicy;
import org.pagelab.policy.Policies;
import org.pagelab.trace.ArrayTraceReader;
import org.pagelab.trace.Replay;

/**
 * Per-record costs of trace replay, in nanoseconds per record, over a stream of {@value #RECORDS}
 * page numbers below 2^20 skewed towards small ones (u^3 of uniform u, fixed seed), with a
 * capacity of {@value #CAPACITY} pages: policy-only LRU, and a whole metadata machine of that
 * many pages with swap and the kernel's two-list reclaim.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "-XX:+UseCompactObjectHeaders"})
public class ReplayBench {
    static final int RECORDS = 1 << 20;
    static final int CAPACITY = 64 << 10;
    static final int KEYS = 1 << 20;

    /** The skewed stream both benchmarks replay. */
    static long[] stream() {
        SplittableRandom rnd = new SplittableRandom(8);
        long[] trace = new long[RECORDS];
        for (int i = 0; i < RECORDS; i++) {
            double u = rnd.nextDouble();
            trace[i] = (long) (KEYS * u * u * u);
        }
        return trace;
    }

    /** A fresh LRU before each invocation, and nothing else: a machine booted here would evict the caches the policy warms. */
    @State(Scope.Thread)
    public static class PolicyState {
        long[] trace;
        CachePolicy lru;

        @Setup(Level.Trial)
        public void stream() {
            trace = ReplayBench.stream();
        }

        @Setup(Level.Invocation)
        public void fresh() {
            lru = Policies.create("lru", CAPACITY);
        }
    }

    /** A fresh machine with swap before each invocation. */
    @State(Scope.Thread)
    public static class MachineState {
        long[] trace;
        Machine machine;

        @Setup(Level.Trial)
        public void stream() {
            trace = ReplayBench.stream();
        }

        @Setup(Level.Invocation)
        public void fresh() {
            if (machine != null) {
                machine.close();
            }
            machine = Machine.boot(PhysConfig.of((long) CAPACITY * Workload.PAGE, false));
            machine.swap().swapon("swap", KEYS + 1, null);
        }

        @TearDown(Level.Trial)
        public void shutdown() {
            machine.close();
        }
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public long lruPolicyOnly(PolicyState s) {
        return s.lru.replay(s.trace, 0, s.trace.length);
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public long wholeMachineTwoList(MachineState s) {
        return new Replay(s.machine).run(new ArrayTraceReader("jmh", 1L << 32, s.trace), null).records();
    }
}
