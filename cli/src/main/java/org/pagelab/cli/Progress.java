package org.pagelab.cli;

import java.io.PrintWriter;

/**
 * A progress line for long runs: records done and the rate, redrawn in place at most twice a
 * second, on a terminal only (nothing when stderr is redirected, as in tests and pipes).
 */
final class Progress {
    private final PrintWriter err;
    private final boolean active;
    private final long start = System.nanoTime();
    private long lastDraw;
    private boolean drawn;

    private Progress(PrintWriter err, boolean active) {
        this.err = err;
        this.active = active;
    }

    /** Progress on {@code err} when the process has a terminal, else a silent one. */
    static Progress onTerminal(PrintWriter err) {
        return new Progress(err, System.console() != null && System.console().isTerminal());
    }

    void update(long records) {
        if (!active) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastDraw < 500_000_000L) {
            return;
        }
        lastDraw = now;
        double secs = (now - start) / 1e9;
        err.printf("\r%,d records, %,.0f records/s ", records, records / Math.max(secs, 1e-9));
        err.flush();
        drawn = true;
    }

    /** Clears the line. */
    void done() {
        if (drawn) {
            err.print("\r\033[K");
            err.flush();
        }
    }
}
