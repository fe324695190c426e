package org.pagelab.workingset;

/**
 * The encoding of the one word a {@link org.pagelab.desc.Shadow} holds: which lruvec evicted the
 * folio, when, and whether the folio was part of the working set at the time.
 *
 * <pre>
 *  63 62                                27 26             11 10         1  0
 * +--+------------------------------------+-----------------+------------+--+
 * |0 |        eviction timestamp          |    memcg id     |  node id   |ws|
 * +--+------------------------------------+-----------------+------------+--+
 *  |           EVICTION_BITS (36)          MEMCG_ID_BITS(16) NODE_BITS(10) WORKINGSET_BITS (1)
 *  +-- RESERVED_BITS (1), always zero
 * </pre>
 *
 * The widths are those of a 64-bit kernel with {@code NODES_SHIFT == 10} and
 * {@code MEM_CGROUP_ID_SHIFT == 16}. The kernel spends one bit of the word on the XArray's tag
 * for value entries; the model's index tells shadows from folios by type, so that bit is kept
 * reserved and zero instead, which leaves the timestamp the kernel's 36 bits and keeps every word
 * non-negative.
 *
 * <p>The timestamp is a lruvec's {@linkplain org.pagelab.lruvec.LruVec#nonresidentAge()
 * non-resident age} shifted right by a {@linkplain #bucketOrder bucket order}, truncated to
 * {@link #EVICTION_BITS} bits: it wraps, and distances are computed modulo its width.
 * {@link #pack} is the one encoder; {@link #nodeId}, {@link #memcgId}, {@link #eviction} and
 * {@link #workingset} are its extractors.
 */
public final class ShadowWord {
    /** Width of the workingset bit. */
    public static final int WORKINGSET_BITS = 1;
    /** Width of the node id. */
    public static final int NODE_BITS = 10;
    /** Width of the memory cgroup id. */
    public static final int MEMCG_ID_BITS = 16;
    /** Width of the reserved top bit. */
    public static final int RESERVED_BITS = 1;
    /** Width of the eviction timestamp: whatever the other fields leave. */
    public static final int EVICTION_BITS = Long.SIZE - RESERVED_BITS - MEMCG_ID_BITS - NODE_BITS - WORKINGSET_BITS;

    /** Shift of the workingset bit. */
    public static final int WORKINGSET_SHIFT = 0;
    /** Shift of the node id. */
    public static final int NODE_SHIFT = WORKINGSET_SHIFT + WORKINGSET_BITS;
    /** Shift of the memory cgroup id. */
    public static final int MEMCG_ID_SHIFT = NODE_SHIFT + NODE_BITS;
    /** Shift of the eviction timestamp. */
    public static final int EVICTION_SHIFT = MEMCG_ID_SHIFT + MEMCG_ID_BITS;

    /** Largest node id. */
    public static final int NODE_MASK = (1 << NODE_BITS) - 1;
    /** Largest memory cgroup id. */
    public static final int MEMCG_ID_MASK = (1 << MEMCG_ID_BITS) - 1;
    /** Largest timestamp, unshifted; also the mask applied to refault distances. */
    public static final long EVICTION_MASK = (1L << EVICTION_BITS) - 1;

    static {
        if (EVICTION_SHIFT + EVICTION_BITS + RESERVED_BITS != Long.SIZE) {
            throw new ExceptionInInitializerError("shadow word fields do not fill 64 bits");
        }
        if (EVICTION_BITS <= 0) {
            throw new ExceptionInInitializerError("no bits left for the eviction timestamp");
        }
    }

    private ShadowWord() {
    }

    /**
     * Packs a shadow word. The timestamp is truncated to {@link #EVICTION_BITS} bits (it is a
     * clock that wraps); node and memcg ids must fit their fields.
     * Requires: {@code 0 <= nodeId <= NODE_MASK}, {@code 0 <= memcgId <= MEMCG_ID_MASK}.
     */
    public static long pack(int nodeId, int memcgId, long eviction, boolean workingset) {
        if (nodeId < 0 || nodeId > NODE_MASK) {
            throw new IllegalArgumentException("node id out of range: " + nodeId);
        }
        if (memcgId < 0 || memcgId > MEMCG_ID_MASK) {
            throw new IllegalArgumentException("memcg id out of range: " + memcgId);
        }
        return ((eviction & EVICTION_MASK) << EVICTION_SHIFT)
                | ((long) memcgId << MEMCG_ID_SHIFT)
                | ((long) nodeId << NODE_SHIFT)
                | ((workingset ? 1L : 0L) << WORKINGSET_SHIFT);
    }

    /** The node id field of {@code word}. */
    public static int nodeId(long word) {
        return (int) (word >>> NODE_SHIFT) & NODE_MASK;
    }

    /** The memory cgroup id field of {@code word}. */
    public static int memcgId(long word) {
        return (int) (word >>> MEMCG_ID_SHIFT) & MEMCG_ID_MASK;
    }

    /** The eviction timestamp of {@code word}, still shifted right by the bucket order. */
    public static long eviction(long word) {
        return (word >>> EVICTION_SHIFT) & EVICTION_MASK;
    }

    /** Whether the folio was in the working set (had WORKINGSET) when it was evicted. */
    public static boolean workingset(long word) {
        return ((word >>> WORKINGSET_SHIFT) & 1L) != 0;
    }

    /**
     * The bucket order for a machine of {@code totalRamPages} pages: how many low bits of the
     * non-resident age to drop so that every distance up to the size of memory fits in the
     * timestamp. Zero unless memory has more than 2^{@link #EVICTION_BITS} pages.
     * Requires: {@code totalRamPages > 0}.
     */
    public static int bucketOrder(long totalRamPages) {
        if (totalRamPages <= 0) {
            throw new IllegalArgumentException("machine without memory: " + totalRamPages + " pages");
        }
        int maxOrder = Long.SIZE - Long.numberOfLeadingZeros(totalRamPages - 1);
        return Math.max(0, maxOrder - EVICTION_BITS);
    }

    /** Renders {@code word} as {@code node=0 memcg=0 eviction=1234 workingset}. */
    public static String describe(long word) {
        return "node=" + nodeId(word) + " memcg=" + memcgId(word) + " eviction=" + eviction(word)
                + (workingset(word) ? " workingset" : "");
    }
}
