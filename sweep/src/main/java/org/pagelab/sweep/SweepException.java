package org.pagelab.sweep;

import org.pagelab.input.Escape;

/**
 * Bad input to a sweep (its spec, its base, a results directory); the message is one line naming
 * the file, line and value, with every control character escaped ({@link Escape#line}).
 */
public final class SweepException extends RuntimeException {
    public SweepException(String file, int line, String message) {
        super(Escape.line(file + ":" + line + ": " + message));
    }

    /** An error with no line to point at. */
    public SweepException(String message) {
        super(Escape.line(message));
    }
}
