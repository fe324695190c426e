package org.pagelab.scenario;

/**
 * Malformed scenario input; the message is one line, "FILE:LINE: what is wrong", with every
 * control character of the file's values escaped ({@link org.pagelab.input.Escape#line}).
 */
public final class ScenarioException extends RuntimeException {
    public ScenarioException(String file, int line, String message) {
        super(org.pagelab.input.Escape.line(file + ":" + line + ": " + message));
    }

    /** An error with no line to point at (the file cannot be read). */
    public ScenarioException(String message) {
        super(org.pagelab.input.Escape.line(message));
    }
}
