package org.pagelab.trace;

import java.util.Arrays;
import java.util.List;

/**
 * The page keys of traces, for policy-only studies: one long per access, in order. A memory
 * access's key is its page number, tagged with its pid (so two processes' pages differ); a block
 * access's key is its block number, tagged as a block, so a trace mixing both keeps them apart.
 */
public final class TraceKeys {
    private static final int PID_SHIFT = 40;
    private static final long BLOCK_TAG = 1L << 62;

    private TraceKeys() {
    }

    /** The key of the reader's current access. */
    public static long keyOf(TraceReader r) {
        if (r.kind() == Access.Kind.BLOCK) {
            return BLOCK_TAG | r.key();
        }
        return ((long) r.pid() << PID_SHIFT) ^ (r.key() >>> 12);
    }

    /** Every key of the traces {@code specs}, one after another. */
    public static long[] load(List<String> specs) {
        long[] keys = new long[1 << 16];
        int n = 0;
        for (String spec : specs) {
            try (TraceReader r = TraceSource.open(spec)) {
                while (r.next()) {
                    if (n == keys.length) {
                        if (n == Integer.MAX_VALUE - 8) {
                            throw TraceException.of(spec, "more than " + n + " accesses: too long for a policy-only study");
                        }
                        keys = Arrays.copyOf(keys, (int) Math.min(Integer.MAX_VALUE - 8L, 2L * n));
                    }
                    keys[n++] = keyOf(r);
                }
            }
        }
        return Arrays.copyOf(keys, n);
    }

    /** Distinct keys of {@code keys} (the footprint in pages). */
    public static int distinct(long[] keys) {
        long[] sorted = keys.clone();
        Arrays.sort(sorted);
        int d = 0;
        for (int i = 0; i < sorted.length; i++) {
            if (i == 0 || sorted[i] != sorted[i - 1]) {
                d++;
            }
        }
        return d;
    }
}
