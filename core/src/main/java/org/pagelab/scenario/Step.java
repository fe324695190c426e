package org.pagelab.scenario;

import java.util.List;

/**
 * One step of a scenario process. {@code kind} is the step's key (mmap, write, ...); the fields a
 * kind does not use are null. Sizes, offsets and lengths are in bytes. {@code name} is the region
 * of mmap, the child of fork, the cgroup of the cgroup steps, the name of a mark and the new
 * region of a partial mremap; {@code count} is the touches of touch, the rounds of repeat, the
 * value written by drop_caches and clear_refs; {@code children} are the steps of a forked child or
 * of a repeat; {@code options} holds the keys few steps use.
 */
public record Step(String kind, int line, String name, String region, String file, Long offset, Long length,
                   Long size, Integer prot, Boolean shared, Integer fill, String pattern, Long count, Boolean write,
                   Double alpha, Integer equals, String advice, List<Step> children, Long timeNs,
                   Boolean longterm, java.util.Map<String, Long> limits, Options options) {

    /** A step with none of the {@link Options}. */
    public Step(String kind, int line, String name, String region, String file, Long offset, Long length,
                Long size, Integer prot, Boolean shared, Integer fill, String pattern, Long count, Boolean write,
                Double alpha, Integer equals, String advice, List<Step> children, Long timeNs,
                Boolean longterm, java.util.Map<String, Long> limits) {
        this(kind, line, name, region, file, offset, length, size, prot, shared, fill, pattern, count, write, alpha,
                equals, advice, children, timeNs, longterm, limits, Options.NONE);
    }

    /**
     * The keys few steps use, each null when absent.
     *
     * @param via    expect and write: "pin" or "get", to read or write the frames a pin or get of
     *               the region holds instead of going through the process's page tables
     * @param addr   mmap: the address hint (or the exact address with {@code fixed}); mremap: the
     *               MREMAP_FIXED target
     * @param align  mmap: the alignment of the mapping's start (a power of two of at least 4K)
     * @param fixed  mmap: MAP_FIXED
     * @param move   mremap: MREMAP_MAYMOVE
     * @param signal expect_kill: the signal the process must have been killed by (or "any")
     * @param errno  pin and get: the error the call must fail with (EFAULT, ENOMEM)
     * @param device inject_error: the swap area ("swap0", "swap1", ...) whose I/O fails
     * @param op     inject_error: "read" or "write"
     */
    public record Options(String via, Long addr, Long align, Boolean fixed, Boolean move, String signal, String errno,
                          String device, String op) {
        /** No options. */
        public static final Options NONE = new Options(null, null, null, null, null, null, null, null, null);
    }
}
