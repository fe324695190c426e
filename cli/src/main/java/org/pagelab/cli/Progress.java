package org.pagelab.cli;

import java.io.PrintWriter;

/**
 * A progress line for long runs: records done, the rate, and (when the input's size is known) the
 * share done and the time left, redrawn in place at most twice a
 * second, on a terminal only (nothing when stderr is redirected, as in tests and pipes).
 */
final class Progress {
    private final PrintWriter err;
    private final boolean active;
    private final String unit;
    private final long start = System.nanoTime();
    private long lastDraw;
    private boolean drawn;

    private Progress(PrintWriter err, boolean active, String unit) {
        this.err = err;
        this.active = active;
        this.unit = unit;
    }

    /** Progress on {@code err} when the process has a terminal, else a silent one. */
    static Progress onTerminal(PrintWriter err) {
        return onTerminal(err, "records");
    }

    /** Progress counting {@code unit} ("records", "steps") on {@code err} when the process has a terminal. */
    static Progress onTerminal(PrintWriter err, String unit) {
        return new Progress(err, System.console() != null && System.console().isTerminal(), unit);
    }

    void update(long records) {
        update(records, -1);
    }

    /** Redraws with {@code fraction} (0..1) of the input done, for a time-left estimate; -1 if unknown. */
    void update(long records, double fraction) {
        if (!active) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastDraw < 500_000_000L) {
            return;
        }
        lastDraw = now;
        double secs = (now - start) / 1e9;
        String left = fraction > 0.001 && fraction < 1
                ? String.format(java.util.Locale.ROOT, ", %.0f%%, about %.0f s left", 100 * fraction, secs * (1 - fraction) / fraction)
                : "";
        err.printf("\r%,d %s, %,.0f %s/s%s ", records, unit, records / Math.max(secs, 1e-9), unit, left);
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
