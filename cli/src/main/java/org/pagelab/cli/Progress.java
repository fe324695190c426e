package org.pagelab.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A progress line for long runs: things done (records of a trace, steps of a soak, points of a sweep), the rate, and
 * (when the share done is known) a bar, the share and the time left, redrawn in place at most twice
 * a second, on a terminal only (nothing when stderr is redirected, as in tests and pipes).
 */
final class Progress {
    private static final int BAR = 24;

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

    /** Progress in records on {@code err} when the process has a terminal, else a silent one. */
    static Progress onTerminal(PrintWriter err) {
        return onTerminal(err, "records");
    }

    /** Progress counting {@code unit} ("records", "steps", "points") on {@code err} when the process has a terminal. */
    static Progress onTerminal(PrintWriter err, String unit) {
        return new Progress(err, System.console() != null && System.console().isTerminal(), unit);
    }

    void update(long done) {
        update(done, -1);
    }

    /** Redraws with {@code fraction} (0..1) of the input done, for a bar and a time-left estimate; -1 if unknown. */
    synchronized void update(long done, double fraction) {
        if (!active) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastDraw < 500_000_000L) {
            return;
        }
        lastDraw = now;
        double secs = (now - start) / 1e9;
        double rate = done / Math.max(secs, 1e-9);
        String bar = "";
        String left = "";
        if (fraction >= 0 && fraction <= 1) {
            int full = (int) Math.round(fraction * BAR);
            bar = "[" + "#".repeat(full) + ".".repeat(BAR - full) + "] ";
            if (fraction > 0.001 && fraction < 1) {
                left = String.format(Locale.ROOT, ", %.0f%%, about %.0f s left", 100 * fraction, secs * (1 - fraction) / fraction);
            }
        }
        err.printf(Locale.ROOT, "\r%s%,d %s, %s %s/s%s ", bar, done, unit,
                rate < 10 ? String.format(Locale.ROOT, "%.2f", rate) : String.format(Locale.ROOT, "%,.0f", rate), unit, left);
        err.flush();
        drawn = true;
    }

    /** Clears the line. */
    synchronized void done() {
        if (drawn) {
            err.print("\r\033[K");
            err.flush();
        }
    }
}
