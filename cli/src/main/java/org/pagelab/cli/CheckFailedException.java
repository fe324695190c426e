package org.pagelab.cli;

/** An invariant checker's failure at the end of a run: an internal error of pagelab. */
final class CheckFailedException extends RuntimeException {
    CheckFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
