package org.pagelab.scenario;

/** Thrown inside a step to fail the run; the runner turns it into a {@link ScenarioRunner.Failure}. */
final class StepFailed extends RuntimeException {
    StepFailed(String message) {
        super(message, null, false, false);
    }
}
