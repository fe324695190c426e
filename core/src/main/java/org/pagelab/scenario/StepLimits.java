package org.pagelab.scenario;

import java.util.Map;
import java.util.function.BiFunction;
import org.pagelab.input.Limits;
import org.pagelab.phys.MemSize;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * The limits on what one scenario step may ask for, checked while the file is parsed: a touch's
 * count and the pages a step's length spans at most {@link Limits#MAX_EVENTS}, a file_read or
 * file_write at most {@link #MAX_STEP_BYTES} bytes. What depends on the machine's mode (the bytes
 * a data-mode read, write or expect copies) is checked by {@link ScenarioChecks} before the run.
 */
final class StepLimits {
    /** Most bytes one step copies (a Java array's reach). */
    static final long MAX_STEP_BYTES = Integer.MAX_VALUE - 8;

    private StepLimits() {
    }

    /**
     * Checks the count and length of step {@code kind} whose keys are {@code a} (already parsed,
     * so their values are well-formed); {@code err} makes the exception for a node.
     */
    static void check(String kind, Map<String, Node> a, BiFunction<Node, String, ScenarioException> err) {
        Node count = a.get("count");
        if (count != null && value(count) > Limits.MAX_EVENTS) {
            throw err.apply(count, "bad count '" + text(count) + "': too large, at most " + Limits.MAX_EVENTS
                    + " touches per step");
        }
        Node length = a.get("length");
        if (length == null) {
            return;
        }
        long bytes = MemSize.parse(text(length));
        if (kind.startsWith("file_")) {
            if (bytes > MAX_STEP_BYTES) {
                throw err.apply(length, "bad length '" + text(length) + "': too large, at most " + MAX_STEP_BYTES
                        + " bytes per step");
            }
        } else if (bytes / MemSize.PAGE_SIZE + (bytes % MemSize.PAGE_SIZE == 0 ? 0 : 1) > Limits.MAX_EVENTS) {
            throw err.apply(length, "bad length '" + text(length) + "': too large, at most " + Limits.MAX_EVENTS
                    + " pages (" + MemSize.format(Limits.MAX_EVENTS * MemSize.PAGE_SIZE) + ") per step");
        }
    }

    /**
     * {@code pages}, the touches a step's range stands for when the file gives no count, when it is
     * within {@link org.pagelab.input.Limits#MAX_EVENTS}; bad input naming the step's line in
     * {@code source} otherwise (found only while running, when the region's size is known).
     */
    static long withinEventLimit(String source, Step st, long pages) {
        if (pages > org.pagelab.input.Limits.MAX_EVENTS) {
            throw new ScenarioException(source, st.line(), st.kind() + " of region '" + st.region() + "' spans " + pages
                    + " pages, too many for one step: at most " + org.pagelab.input.Limits.MAX_EVENTS
                    + " (give a count or a length)");
        }
        return pages;
    }

    private static String text(Node n) {
        return ((ScalarNode) n).getValue();
    }

    private static long value(Node n) {
        return Long.parseLong(text(n).trim());
    }
}
