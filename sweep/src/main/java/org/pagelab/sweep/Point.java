package org.pagelab.sweep;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * One point of a sweep: a value for every axis, and the seed of its run.
 *
 * <p>The seed is a function of the sweep's seed and the point's values on the seed axes (all axes
 * unless the spec names fewer), through SHA-256: the first eight bytes, big-endian, of the digest of
 * {@code "<sweep seed>\n<key>"}, where the key is {@code name=value} of each seed axis, in axis
 * order, separated by single spaces. Points are independent runs, so neither the order in which
 * they run, nor the engine, nor which other points exist changes a point's seed or its result.
 *
 * @param index  position in the sweep's list of points, from 0
 * @param values canonical value of each axis, in axis order
 * @param seed   the seed of the point's run
 */
public record Point(int index, List<String> values, long seed) implements Serializable {
    public Point {
        values = List.copyOf(values);
    }

    /** {@code name=value} of each of {@code axes}, space-separated: the point's identity in results files. */
    public String key(List<Axis> axes) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < axes.size(); i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(axes.get(i).name()).append('=').append(values.get(i));
        }
        return sb.toString();
    }

    /** The seed of the point with {@code key} (over the seed axes) in a sweep seeded with {@code sweepSeed}. */
    static long seedOf(long sweepSeed, String key) {
        byte[] d;
        try {
            d = MessageDigest.getInstance("SHA-256").digest((sweepSeed + "\n" + key).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        long s = 0;
        for (int i = 0; i < 8; i++) {
            s = (s << 8) | (d[i] & 0xff);
        }
        return s;
    }
}
