package org.pagelab.sim;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parsing of the override strings that {@link CostModel#parse} and {@link DeviceModel#parse}
 * accept: comma-separated {@code key=value} pairs, durations with a unit ({@code ns}, {@code us}
 * or {@code µs}, {@code ms}, {@code s}) and rates in bytes per second with an optional decimal
 * ({@code K M G T}) or binary ({@code Ki Mi Gi Ti}) multiplier and an optional {@code B/s} or
 * {@code /s} tail. Every error message names the key and quotes the offending text.
 */
public final class Units {
    private Units() {
    }

    /** The pairs of {@code spec} in order; {@code what} names the thing parsed in error messages. */
    static Map<String, String> pairs(String what, String spec) {
        Map<String, String> out = new LinkedHashMap<>();
        if (spec == null || spec.isBlank()) {
            return out;
        }
        for (String part : spec.split(",", -1)) {
            String p = part.strip();
            int eq = p.indexOf('=');
            if (eq <= 0 || eq == p.length() - 1) {
                throw new IllegalArgumentException(what + ": \"" + p + "\" is not key=value");
            }
            String key = p.substring(0, eq).strip();
            if (out.put(key, p.substring(eq + 1).strip()) != null) {
                throw new IllegalArgumentException(what + ": " + key + " given twice");
            }
        }
        return out;
    }

    /** A non-negative duration in nanoseconds, such as {@code 80us}, {@code 1.5ms} or {@code 250ns}. */
    public static long durationNs(String what, String key, String text) {
        int i = numberEnd(text);
        String unit = text.substring(i).strip();
        long scale = switch (unit) {
            case "ns" -> 1L;
            case "us", "µs" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "" -> throw new IllegalArgumentException(
                    what + ": " + key + " \"" + text + "\" needs a unit (ns, us, ms, s)");
            default -> throw new IllegalArgumentException(
                    what + ": " + key + " \"" + text + "\": unknown unit \"" + unit + "\" (use ns, us, ms, s)");
        };
        return scaled(what, key, text, i, scale);
    }

    /** A positive rate in bytes per second, such as {@code 3G}, {@code 500M}, {@code 1.5GiB/s}. */
    static long bytesPerSecond(String what, String key, String text) {
        int i = numberEnd(text);
        String unit = text.substring(i).strip();
        if (unit.endsWith("/s")) {
            unit = unit.substring(0, unit.length() - 2);
        }
        if (unit.endsWith("B")) {
            unit = unit.substring(0, unit.length() - 1);
        }
        long scale = switch (unit) {
            case "" -> 1L;
            case "K", "k" -> 1_000L;
            case "M" -> 1_000_000L;
            case "G" -> 1_000_000_000L;
            case "T" -> 1_000_000_000_000L;
            case "Ki" -> 1L << 10;
            case "Mi" -> 1L << 20;
            case "Gi" -> 1L << 30;
            case "Ti" -> 1L << 40;
            default -> throw new IllegalArgumentException(what + ": " + key + " \"" + text
                    + "\": unknown unit \"" + unit + "\" (use K, M, G, T or Ki, Mi, Gi, Ti, optionally followed by B/s)");
        };
        long v = scaled(what, key, text, i, scale);
        if (v == 0) {
            throw new IllegalArgumentException(what + ": " + key + " \"" + text + "\" must be positive");
        }
        return v;
    }

    private static int numberEnd(String text) {
        int i = 0;
        while (i < text.length() && (Character.isDigit(text.charAt(i)) || text.charAt(i) == '.'
                || (i == 0 && (text.charAt(i) == '-' || text.charAt(i) == '+')))) {
            i++;
        }
        return i;
    }

    private static long scaled(String what, String key, String text, int numberEnd, long scale) {
        String num = text.substring(0, numberEnd);
        java.math.BigDecimal d;
        try {
            d = new java.math.BigDecimal(num);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + ": " + key + " \"" + text + "\" does not start with a number");
        }
        if (d.signum() < 0) {
            throw new IllegalArgumentException(what + ": " + key + " \"" + text + "\" is negative");
        }
        java.math.BigDecimal v = d.multiply(java.math.BigDecimal.valueOf(scale));
        try {
            return v.setScale(0, java.math.RoundingMode.HALF_UP).longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(what + ": " + key + " \"" + text + "\" is too large");
        }
    }
}
