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
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "-XX:+UseCompactObjectHeaders"})
public class ReplayBench {
    static final int RECORDS = 1 << 20;
    static final int CAPACITY = 64 << 10;
    static final int KEYS = 1 << 20;

    private long[] trace;
    private CachePolicy lru;
    private Machine machine;

    @Setup(Level.Trial)
    public void stream() {
        SplittableRandom rnd = new SplittableRandom(8);
        trace = new long[RECORDS];
        for (int i = 0; i < RECORDS; i++) {
            double u = rnd.nextDouble();
            trace[i] = (long) (KEYS * u * u * u);
        }
    }

    /** A fresh policy and a fresh machine before each invocation, so every one replays the same stream from cold. */
    @Setup(Level.Invocation)
    public void fresh() {
        lru = Policies.create("lru", CAPACITY);
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

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public long lruPolicyOnly() {
        return lru.replay(trace, 0, trace.length);
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public long wholeMachineTwoList() {
        return new Replay(machine).run(new ArrayTraceReader("jmh", 1L << 32, trace), null).records();
    }
}
