package org.pagelab.trace;

import java.util.ArrayList;
import java.util.List;
import org.pagelab.phys.MemSize;
import org.pagelab.policy.KeyTrace;
import org.pagelab.policy.LongIntMap;
import org.pagelab.policy.Shards;

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
        return ((long) r.pid() << PID_SHIFT) ^ (r.key() >>> MemSize.PAGE_SHIFT);
    }

    /** Sizes are gathered in chunks of this many, so a long trace is never copied while it grows. */
    private static final int CHUNK = 1 << 20;

    /**
     * Every key of the traces {@code specs}, one after another, in an array (8 bytes an access;
     * {@link #load(List, long)} holds them in 4).
     */
    public static long[] load(List<String> specs) {
        return load(specs, 1L << Shards.MODULUS_BITS).keys().toArray();
    }

    /**
     * The keys of a trace read with SHARDS sampling, and how many accesses the whole trace has.
     *
     * @param keys     the sampled keys, in order, packed in 4 bytes an access ({@link KeyTrace})
     * @param accesses every access of the traces, sampled or not
     * @param sizes    the bytes of each sampled access ({@link TraceReader#size()}) as unsigned 32-bit
     *                 values (larger sizes count as 2^32 - 1), or null when every access is a page
     *                 of 4096 bytes
     */
    public record Sampled(KeyTrace keys, long accesses, int[] sizes) {
    }

    /**
     * The keys of the traces {@code specs} that {@link Shards#sampled} keeps at {@code threshold}
     * (all of them at {@code 2^24}): only the sample is held, so a trace too long to hold can be
     * studied at a low rate. The keys are packed as they are read ({@link KeyTrace.Builder}): 4
     * bytes an access and 8 per distinct key, never copied; sizes, when the accesses have them,
     * 4 bytes an access more.
     */
    public static Sampled load(List<String> specs, long threshold) {
        boolean all = threshold >= 1L << Shards.MODULUS_BITS;
        KeyTrace.Builder keys = new KeyTrace.Builder();
        List<int[]> sizeChunks = null;
        int[] sizeChunk = null;
        int inChunk = 0;
        long total = 0;
        for (String spec : specs) {
            try (TraceReader r = TraceSource.open(spec)) {
                while (r.next()) {
                    total++;
                    long key = keyOf(r);
                    if (!all && !Shards.sampled(key, threshold)) {
                        continue;
                    }
                    int n = keys.length();
                    if (n == KeyTrace.MAX_ACCESSES) {
                        throw TraceException.of(spec, "more than " + n + " accesses: too long for a policy-only study"
                                + (all ? " (sample it: compare --shards RATE)" : " at this sampling rate"));
                    }
                    long size = r.size();
                    if (sizeChunk == null && size != Access.PAGE_BYTES) {
                        // the first access that is not a page: every earlier one was
                        sizeChunks = new ArrayList<>();
                        for (int c = 0; c < n / CHUNK; c++) {
                            int[] pages = new int[CHUNK];
                            java.util.Arrays.fill(pages, Access.PAGE_BYTES);
                            sizeChunks.add(pages);
                        }
                        sizeChunk = new int[CHUNK];
                        inChunk = n % CHUNK;
                        java.util.Arrays.fill(sizeChunk, 0, inChunk, Access.PAGE_BYTES);
                    }
                    if (sizeChunk != null) {
                        if (inChunk == CHUNK) {
                            sizeChunks.add(sizeChunk);
                            sizeChunk = new int[CHUNK];
                            inChunk = 0;
                        }
                        sizeChunk[inChunk++] = (int) Math.min(size, 0xffff_ffffL);
                    }
                    keys.add(key);
                }
            }
        }
        int n = keys.length();
        return new Sampled(keys.build(), total, sizeChunk == null ? null : concat(sizeChunks, sizeChunk, inChunk, n));
    }

    private static int[] concat(List<int[]> chunks, int[] last, int inLast, int n) {
        int[] out = new int[n];
        int at = 0;
        for (int[] c : chunks) {
            System.arraycopy(c, 0, out, at, CHUNK);
            at += CHUNK;
        }
        System.arraycopy(last, 0, out, at, inLast);
        return out;
    }

    /** Distinct keys of {@code keys} (the footprint in pages), counted in a hash map of the distinct keys only. */
    public static int distinct(long[] keys) {
        LongIntMap seen = new LongIntMap(1024);
        for (long k : keys) {
            seen.put(k, 0);
        }
        return seen.size();
    }
}
