package org.pagelab.scenario;

/** Malformed scenario input; the message is one line, "FILE:LINE: what is wrong". */
public final class ScenarioException extends RuntimeException {
    public ScenarioException(String file, int line, String message) {
        super(file + ":" + line + ": " + message);
    }

    /** An error with no line to point at (the file cannot be read). */
    public ScenarioException(String message) {
        super(message);
    }
}
