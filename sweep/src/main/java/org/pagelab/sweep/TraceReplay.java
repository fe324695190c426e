package org.pagelab.sweep;

import java.util.List;
import org.pagelab.machine.Machine;
import org.pagelab.trace.Replay;
import org.pagelab.trace.TraceReader;
import org.pagelab.trace.TraceSource;

/** Replays several traces, one after another, on one machine: what {@code pagelab replay} and sweeps over traces run. */
public final class TraceReplay {
    /** Progress of a replay: records done over all traces so far, and the share of the current trace read (0..1, -1 unknown). */
    @FunctionalInterface
    public interface Progress {
        void update(long records, double fractionOfTrace);
    }

    private TraceReplay() {
    }

    /**
     * Replays {@code traces} (FORMAT:PATH specs) one after another on {@code machine}, the
     * processes they spawn in memory cgroup {@code cgroup} (null: the root); the result has the
     * records of all traces and the processes and kills of the last.
     */
    public static Replay.Result replayAll(Machine machine, List<String> traces, Progress progress, String cgroup) {
        Replay replay = new Replay(machine);
        replay.setCgroup(cgroup);
        long records = 0;
        long mem = 0;
        long blocks = 0;
        Replay.Result last = null;
        try {
            for (String t : traces) {
                try (TraceReader r = TraceSource.open(t)) {
                    long before = records;
                    last = replay.run(r, n -> progress.update(before + n, r.fractionRead()));
                    records += last.records();
                    mem += last.memoryAccesses();
                    blocks += last.blockAccesses();
                }
            }
        } finally {
            replay.close();
        }
        return new Replay.Result(records, mem, blocks, last == null ? 0 : last.processes(), last == null ? 0 : last.killed());
    }
}
