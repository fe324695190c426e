package org.pagelab.trace;

import java.util.ArrayList;
import java.util.List;
import org.pagelab.phys.MemSize;
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

    /** Keys are gathered in chunks of this many, so a long trace is never copied while it grows. */
    private static final int CHUNK = 1 << 20;
    /** The most accesses one array can hold. */
    private static final int MAX_ACCESSES = Integer.MAX_VALUE - 8;

    /**
     * Every key of the traces {@code specs}, one after another. The keys are read into chunks of
     * 2^20 and copied once into the array returned, so the memory used at the peak is twice the
     * keys' (8 bytes each), not the three times or more of an array grown by doubling.
     */
    public static long[] load(List<String> specs) {
        return load(specs, 1L << Shards.MODULUS_BITS).keys();
    }

    /**
     * The keys of a trace read with SHARDS sampling, and how many accesses the whole trace has.
     *
     * @param keys     the sampled keys, in order
     * @param accesses every access of the traces, sampled or not
     * @param sizes    the bytes of each sampled access ({@link TraceReader#size()}) as unsigned 32-bit
     *                 values (larger sizes count as 2^32 - 1), or null when every access is a page
     *                 of 4096 bytes
     */
    public record Sampled(long[] keys, long accesses, int[] sizes) {
    }

    /**
     * The keys of the traces {@code specs} that {@link Shards#sampled} keeps at {@code threshold}
     * (all of them at {@code 2^24}), read as {@link #load(List)} reads them: only the sample is
     * held, so a trace too long to hold can be studied at a low rate.
     */
    public static Sampled load(List<String> specs, long threshold) {
        boolean all = threshold >= 1L << Shards.MODULUS_BITS;
        List<long[]> chunks = new ArrayList<>();
        List<int[]> sizeChunks = null;
        long[] chunk = new long[CHUNK];
        int[] sizeChunk = null;
        int inChunk = 0;
        long n = 0;
        long total = 0;
        for (String spec : specs) {
            try (TraceReader r = TraceSource.open(spec)) {
                while (r.next()) {
                    total++;
                    long key = keyOf(r);
                    if (!all && !Shards.sampled(key, threshold)) {
                        continue;
                    }
                    if (n == MAX_ACCESSES) {
                        throw TraceException.of(spec, "more than " + n + " accesses: too long for a policy-only study"
                                + (all ? " (sample it: compare --shards RATE)" : " at this sampling rate"));
                    }
                    if (inChunk == CHUNK) {
                        chunks.add(chunk);
                        chunk = new long[CHUNK];
                        if (sizeChunk != null) {
                            sizeChunks.add(sizeChunk);
                            sizeChunk = new int[CHUNK];
                        }
                        inChunk = 0;
                    }
                    long size = r.size();
                    if (sizeChunk == null && size != Access.PAGE_BYTES) {
                        // the first access that is not a page: every earlier one was
                        sizeChunks = new ArrayList<>();
                        for (int c = 0; c < chunks.size(); c++) {
                            int[] pages = new int[CHUNK];
                            java.util.Arrays.fill(pages, Access.PAGE_BYTES);
                            sizeChunks.add(pages);
                        }
                        sizeChunk = new int[CHUNK];
                        java.util.Arrays.fill(sizeChunk, 0, inChunk, Access.PAGE_BYTES);
                    }
                    if (sizeChunk != null) {
                        sizeChunk[inChunk] = (int) Math.min(size, 0xffff_ffffL);
                    }
                    chunk[inChunk++] = key;
                    n++;
                }
            }
        }
        return new Sampled(concat(chunks, chunk, inChunk, (int) n), total,
                sizeChunk == null ? null : concat(sizeChunks, sizeChunk, inChunk, (int) n));
    }

    private static long[] concat(List<long[]> chunks, long[] last, int inLast, int n) {
        long[] out = new long[n];
        int at = 0;
        for (long[] c : chunks) {
            System.arraycopy(c, 0, out, at, CHUNK);
            at += CHUNK;
        }
        System.arraycopy(last, 0, out, at, inLast);
        return out;
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
