package org.pagelab.api;

import java.util.List;
import java.util.Map;

/**
 * A scenario file run by {@link Lab#runScenario}: the lab it ran on (open, for reading outputs;
 * the caller closes it), why it stopped early if it did, and the snapshots its mark steps took.
 *
 * @param lab     the machine after the run
 * @param failure null when every step ran; else what {@code pagelab run} prints for a failed step
 *                (process, step, what differed), for which it exits 1
 * @param marks   the mark steps' snapshots, in time order
 */
public record ScenarioRun(Lab lab, String failure, List<Mark> marks) {
    /**
     * The counters a {@code mark} step saw.
     *
     * @param name    the mark's name
     * @param timeNs  simulated time of the step, in nanoseconds since boot
     * @param process the process whose step it was
     * @param vmstat  /proc/vmstat at that moment
     * @param meminfo /proc/meminfo at that moment, in kB
     */
    public record Mark(String name, long timeNs, String process, Map<String, Long> vmstat, Map<String, Long> meminfo) {
    }

    /**
     * The mark called {@code name}. @throws IllegalArgumentException when the run took no such mark
     *
     * @param name the name the mark step gave
     * @return the first mark of that name
     */
    public Mark mark(String name) {
        return marks.stream().filter(m -> m.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no mark '" + name + "' in the run"));
    }
}
