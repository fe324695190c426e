package org.pagelab.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.pagelab.memory.Process;

/**
 * Per-page costs of the fault and touch paths, in nanoseconds per page: each invocation handles
 * {@value #PAGES} pages, and the per-invocation setup (not timed) puts the pages back in the
 * state the benchmark starts from.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "-XX:+UseCompactObjectHeaders"})
public class FaultBench {
    static final int PAGES = 16384;

    @Param({"metadata", "data"})
    public String mode;

    private Workload w;
    private Process child;

    @Setup(Level.Trial)
    public void boot() {
        w = new Workload(mode.equals("data"), PAGES);
    }

    @TearDown(Level.Trial)
    public void shutdown() {
        w.close();
    }

    /** Before each invocation: no page present (for the fault benchmark) or all present (for the others). */
    @Setup(Level.Invocation)
    public void reset(org.openjdk.jmh.infra.BenchmarkParams params) {
        if (child != null) {
            w.mm.exit(child);
            child = null;
        }
        w.dropAll();
        if (!params.getBenchmark().endsWith("anonWriteFault")) {
            w.writeAll(w.process);
        }
        if (params.getBenchmark().endsWith("cowFault")) {
            child = w.mm.fork(w.process);
        }
    }

    /** A write fault of a private anonymous page: allocate, zero (data mode), map, add to the LRU. */
    @Benchmark
    @OperationsPerInvocation(PAGES)
    public void anonWriteFault() {
        w.writeAll(w.process);
    }

    /** A read of a page whose PTE is present: the MMU walk. */
    @Benchmark
    @OperationsPerInvocation(PAGES)
    public void touchPresent(Blackhole bh) {
        for (int i = 0; i < PAGES; i++) {
            bh.consume(w.mm.touch(w.process, w.addr + i * Workload.PAGE, false));
        }
    }

    /** A child's write to a page shared with its parent since fork: copy (data mode) and remap. */
    @Benchmark
    @OperationsPerInvocation(PAGES)
    public void cowFault() {
        w.writeAll(child);
    }
}
