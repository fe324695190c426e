package org.pagelab.sim;

import java.util.Arrays;

/**
 * The busy intervals of one server (a CPU, or a device's data channel) from a horizon on: sorted,
 * disjoint, adjacent ones merged. Work of length {@code len} that may start at {@code t} is placed
 * greedily into the gaps from {@code t} on and may be split around intervals already booked;
 * intervals that end at or before the horizon are dropped by {@link #prune}, since nothing is
 * placed before the horizon again.
 */
final class Timeline {
    /** Receives each piece of work as it is booked. */
    interface PieceSink {
        void piece(long start, long end);
    }

    private long[] starts = new long[4];
    private long[] ends = new long[4];
    private int n;

    /** Drops intervals that end at or before {@code horizon}. */
    void prune(long horizon) {
        int k = 0;
        while (k < n && ends[k] <= horizon) {
            k++;
        }
        if (k > 0) {
            System.arraycopy(starts, k, starts, 0, n - k);
            System.arraycopy(ends, k, ends, 0, n - k);
            n -= k;
        }
    }

    /** When work of {@code len} ns that may start at {@code t} would finish; nothing is booked. */
    long finish(long t, long len) {
        long cursor = t;
        long left = len;
        for (int i = 0; i < n && left > 0; i++) {
            if (ends[i] <= cursor) {
                continue;
            }
            if (starts[i] > cursor) {
                long use = Math.min(starts[i] - cursor, left);
                left -= use;
                cursor += use;
                if (left == 0) {
                    return cursor;
                }
            }
            cursor = Math.max(cursor, ends[i]);
        }
        return cursor + left;
    }

    /** Books work of {@code len} ns that may start at {@code t}; returns when it finishes. */
    long book(long t, long len, PieceSink sink) {
        if (len == 0) {
            return t;
        }
        long cursor = t;
        long left = len;
        int i = 0;
        while (left > 0) {
            while (i < n && ends[i] <= cursor) {
                i++;
            }
            long gapEnd = i < n ? starts[i] : Long.MAX_VALUE;
            if (gapEnd > cursor) {
                long use = Math.min(gapEnd - cursor, left);
                sink.piece(cursor, cursor + use);
                insert(i, cursor, cursor + use);
                left -= use;
                cursor += use;
                i = 0; // insert may merge; rescan from the start (lists are short)
            } else {
                cursor = ends[i];
            }
        }
        return cursor;
    }

    /** Inserts {@code [s, e)} before index {@code i} (it fits in the gap there), merging neighbours. */
    private void insert(int i, long s, long e) {
        boolean left = i > 0 && ends[i - 1] == s;
        boolean right = i < n && starts[i] == e;
        if (left && right) {
            ends[i - 1] = ends[i];
            System.arraycopy(starts, i + 1, starts, i, n - i - 1);
            System.arraycopy(ends, i + 1, ends, i, n - i - 1);
            n--;
        } else if (left) {
            ends[i - 1] = e;
        } else if (right) {
            starts[i] = s;
        } else {
            if (n == starts.length) {
                starts = Arrays.copyOf(starts, n * 2);
                ends = Arrays.copyOf(ends, n * 2);
            }
            System.arraycopy(starts, i, starts, i + 1, n - i);
            System.arraycopy(ends, i, ends, i + 1, n - i);
            starts[i] = s;
            ends[i] = e;
            n++;
        }
    }

    /** Number of busy intervals held. */
    int size() {
        return n;
    }

    /** Throws unless the intervals are sorted, disjoint, non-empty and not adjacent. */
    void check(String name) {
        for (int i = 0; i < n; i++) {
            if (starts[i] >= ends[i] || i > 0 && starts[i] <= ends[i - 1]) {
                throw new IllegalStateException(name + ": timeline interval " + i + " [" + starts[i] + ", " + ends[i]
                        + ") is empty, unsorted or touches its predecessor");
            }
        }
    }
}
