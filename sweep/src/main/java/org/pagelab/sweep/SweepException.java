package org.pagelab.sweep;

/** Bad input to a sweep (its spec, its base, a results directory); the message is one line naming the file, line and value. */
public final class SweepException extends RuntimeException {
    public SweepException(String file, int line, String message) {
        super(file + ":" + line + ": " + message);
    }

    /** An error with no line to point at. */
    public SweepException(String message) {
        super(message);
    }
}
