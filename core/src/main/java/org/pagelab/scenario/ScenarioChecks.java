package org.pagelab.scenario;

import java.util.List;

/**
 * The checks of a scenario that need the machine's mode, which the file may leave to the command
 * line: {@code expect} needs data mode, and in data mode a read, write or expect copies at most
 * {@link StepLimits#MAX_STEP_BYTES} bytes. Run before the first step, so a scenario that fails
 * them does nothing.
 */
final class ScenarioChecks {
    private ScenarioChecks() {
    }

    /** Checks every step of {@code s}, forks' children included, for a machine in data mode or not. */
    static void forMode(Scenario s, boolean dataMode) {
        for (Scenario.ProcessSpec p : s.processes()) {
            check(s.source(), p.steps(), dataMode);
        }
    }

    private static void check(String source, List<Step> steps, boolean dataMode) {
        for (Step st : steps) {
            boolean copies = st.kind().equals("read") || st.kind().equals("write") || st.kind().equals("expect");
            if (st.kind().equals("expect") && !dataMode) {
                throw new ScenarioException(source, st.line(), "expect needs data mode (machine mode is metadata)");
            }
            if (dataMode && copies && st.length() != null && st.length() > StepLimits.MAX_STEP_BYTES) {
                throw new ScenarioException(source, st.line(), st.kind() + " of " + st.length()
                        + " bytes is too large, at most " + StepLimits.MAX_STEP_BYTES + " bytes per step in data mode");
            }
            if (st.children() != null) {
                check(source, st.children(), dataMode);
            }
        }
    }
}
