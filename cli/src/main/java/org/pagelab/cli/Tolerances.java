package org.pagelab.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * The tolerance table of {@code pagelab validate} (resource {@code validate/tolerances.txt}, the
 * same table as docs/fidelity.md): for each counter, how far pagelab may be from the kernel, and why.
 */
final class Tolerances {
    /** How close a pagelab figure is to the kernel's: the bands of the tally, tightest first. */
    enum Band {
        WITHIN_2PCT("2%", "within 2 %"),
        WITHIN_10PCT("10%", "within 10 %"),
        WITHIN_2X("2x", "within 2x"),
        BEYOND("beyond", "beyond 2x");

        final String token;
        final String label;

        Band(String token, String label) {
            this.token = token;
            this.label = label;
        }

        /**
         * The band of pagelab's {@code pagelab} against the kernel's {@code kernel}: the ratio's
         * distance from 1. Both zero is exact; one zero, or opposite signs, is beyond.
         */
        static Band of(double kernel, double pagelab) {
            if (kernel == 0 || pagelab == 0) {
                return kernel == pagelab ? WITHIN_2PCT : BEYOND;
            }
            double r = pagelab / kernel;
            if (r <= 0) {
                return BEYOND;
            }
            double off = Math.abs(r - 1);
            if (off <= 0.02 + 1e-12) {
                return WITHIN_2PCT;
            }
            if (off <= 0.10 + 1e-12) {
                return WITHIN_10PCT;
            }
            return r >= 0.5 && r <= 2 ? WITHIN_2X : BEYOND;
        }
    }

    /**
     * One line of the table.
     *
     * @param pattern a counter (FILE/KEY), a prefix ending in '*', or '*'; optionally scoped to one
     *                phase of one workload as {@code WORKLOAD.PHASE:COUNTER} (a pair explained there
     *                only, such as a property of the kernel the recorded runs used)
     * @param limit   the widest band still within tolerance, or null for "none" (shown, never judged)
     * @param reason  why
     */
    record Tolerance(String pattern, Band limit, String reason) {
        /** Whether this line applies to {@code counter} in any phase (an unscoped line). */
        boolean matches(String counter) {
            return pattern.indexOf(':') < 0 && counterMatches(pattern, counter);
        }

        /** Whether this line applies to {@code counter} in phase {@code phase} of {@code workload}. */
        boolean matches(String workload, String phase, String counter) {
            int colon = pattern.indexOf(':');
            if (colon < 0) {
                return counterMatches(pattern, counter);
            }
            return pattern.substring(0, colon).equals(workload + "." + phase)
                    && counterMatches(pattern.substring(colon + 1), counter);
        }

        private static boolean counterMatches(String p, String counter) {
            return p.endsWith("*") ? counter.startsWith(p.substring(0, p.length() - 1)) : counter.equals(p);
        }

        /** The tolerance as the table prints it: 2%, 10%, 2x or none. */
        String token() {
            return limit == null ? "none" : limit.token;
        }

        /** Whether {@code band} is within it; false when the tolerance is none. */
        boolean admits(Band band) {
            return limit != null && band.ordinal() <= limit.ordinal();
        }
    }

    private final List<Tolerance> lines;

    private Tolerances(List<Tolerance> lines) {
        this.lines = List.copyOf(lines);
    }

    /** The table of resource validate/tolerances.txt. */
    static Tolerances load() {
        return parse("tolerances.txt", ValidationSuite.resource("tolerances.txt"));
    }

    /** Reads a table; an {@link IllegalArgumentException} names the line of a malformed entry. */
    static Tolerances parse(String source, String text) {
        List<Tolerance> out = new ArrayList<>();
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\\s+", 3);
            if (f.length < 3) {
                throw new IllegalArgumentException(source + ":" + (i + 1) + ": expected COUNTER TOLERANCE REASON: " + line);
            }
            Band limit = null;
            if (!f[1].equals("none")) {
                for (Band b : Band.values()) {
                    if (b != Band.BEYOND && b.token.equals(f[1])) {
                        limit = b;
                    }
                }
                if (limit == null) {
                    throw new IllegalArgumentException(source + ":" + (i + 1) + ": bad tolerance '" + f[1]
                            + "': expected 2%, 10%, 2x or none");
                }
            }
            int colon = f[0].indexOf(':');
            if (colon >= 0 && (f[0].indexOf('.') < 1 || f[0].indexOf('.') > colon - 2 || colon == f[0].length() - 1)) {
                throw new IllegalArgumentException(source + ":" + (i + 1) + ": bad scope in '" + f[0]
                        + "': expected WORKLOAD.PHASE:COUNTER");
            }
            out.add(new Tolerance(f[0], limit, f[2]));
        }
        if (out.isEmpty() || !out.getLast().pattern().equals("*")) {
            throw new IllegalArgumentException(source + ": the last line must be the default, '*'");
        }
        return new Tolerances(out);
    }

    /** The lines in order. */
    List<Tolerance> lines() {
        return lines;
    }

    /** The first unscoped line matching {@code counter}. */
    Tolerance of(String counter) {
        for (Tolerance t : lines) {
            if (t.matches(counter)) {
                return t;
            }
        }
        throw new IllegalStateException("no default line");
    }

    /** The first line matching {@code counter} in phase {@code phase} of {@code workload}, scoped or not. */
    Tolerance of(String workload, String phase, String counter) {
        for (Tolerance t : lines) {
            if (t.matches(workload, phase, counter)) {
                return t;
            }
        }
        throw new IllegalStateException("no default line");
    }
}
