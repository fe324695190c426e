package org.pagelab.scenario;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import org.pagelab.memory.Process;

/**
 * A process of a running scenario: its name, the machine's process, the regions its steps named,
 * and the stack of step lists it is running (its own at the bottom, the body of each repeat it is
 * in above), so entering a repeat costs no turn of the scheduler.
 */
final class ScenarioProcess {
    /** A region a step mapped: its start address and length in bytes. */
    record Region(long addr, long len) {
    }

    /** A list of steps being run: a process's own, or the body of a repeat with the rounds left after this one. */
    static final class Frame {
        final List<Step> steps;
        int pc;
        long roundsLeft;

        Frame(List<Step> steps, long roundsLeft) {
            this.steps = steps;
            this.roundsLeft = roundsLeft;
        }
    }

    final String name;
    final Process process;
    final Map<String, Region> regions;
    /** The lists being run, innermost last; the first is the process's own. */
    final ArrayDeque<Frame> frames = new ArrayDeque<>();

    ScenarioProcess(String name, Process process, List<Step> steps, Map<String, Region> regions) {
        this.name = name;
        this.process = process;
        this.regions = regions;
        frames.addLast(new Frame(steps, 0));
    }

    /** 1-based index, in the process's own list, of the step last taken (the repeat a nested step is in). */
    int topIndex() {
        return frames.peekFirst().pc;
    }

    /**
     * Settles the frames on the next step to run, entering repeats and starting their next
     * rounds; null when the process has no step left.
     */
    Step peek() {
        for (;;) {
            Frame f = frames.peekLast();
            if (f == null) {
                return null;
            }
            if (f.pc < f.steps.size()) {
                Step st = f.steps.get(f.pc);
                if (!st.kind().equals("repeat")) {
                    return st;
                }
                f.pc++;
                if (st.count() > 0 && !st.children().isEmpty()) {
                    frames.addLast(new Frame(st.children(), st.count() - 1));
                }
            } else if (f.roundsLeft > 0) {
                f.roundsLeft--;
                f.pc = 0;
            } else if (frames.size() > 1) {
                frames.removeLast();
            } else {
                return null;
            }
        }
    }

    /** Takes the step {@link #peek} settled on. */
    Step take() {
        Step st = peek();
        frames.peekLast().pc++;
        return st;
    }

    /** The region step {@code st} names; the step fails when it is not mapped. */
    Region region(Step st) {
        Region r = regions.get(st.region());
        if (r == null) {
            throw new StepFailed("region '" + st.region() + "' is not mapped");
        }
        return r;
    }

    boolean runnable() {
        return process.alive() && peek() != null;
    }

    /** The first step of {@code kind} among those not run yet, or null. */
    Step remaining(String kind) {
        for (Frame f : frames) {
            for (int i = f.pc; i < f.steps.size(); i++) {
                Step st = f.steps.get(i);
                if (st.kind().equals(kind)) {
                    return st;
                }
                Step inner = st.children() != null && st.kind().equals("repeat") ? firstIn(st.children(), kind) : null;
                if (inner != null) {
                    return inner;
                }
            }
        }
        return null;
    }

    private static Step firstIn(List<Step> steps, String kind) {
        for (Step st : steps) {
            if (st.kind().equals(kind)) {
                return st;
            }
            Step inner = st.kind().equals("repeat") ? firstIn(st.children(), kind) : null;
            if (inner != null) {
                return inner;
            }
        }
        return null;
    }
}
