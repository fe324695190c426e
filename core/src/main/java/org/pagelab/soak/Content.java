package org.pagelab.soak;

import java.util.Arrays;

/**
 * What the soak knows of the bytes of one memory object (a private anonymous region, a shared
 * anonymous object, a file): one entry per {@value #GRANULE}-byte granule, the byte value every
 * byte of the granule holds (0..255), or {@link #UNKNOWN} when the soak cannot predict it.
 * Generated writes start and end on granule boundaries, so a granule always holds one value.
 */
final class Content {
    /** Bytes per granule: writes are granule-aligned, a page holds eight granules. */
    static final int GRANULE = 512;
    static final int PER_PAGE = SoakModel.PAGE / GRANULE;
    static final short UNKNOWN = -1;

    private final short[] g;

    /** Zero-filled content of {@code pages} pages. */
    Content(int pages) {
        this.g = new short[pages * PER_PAGE];
    }

    private Content(short[] g) {
        this.g = g;
    }

    Content copy() {
        return new Content(g.clone());
    }

    int granules() {
        return g.length;
    }

    /** Sets granules {@code [from, to)} to {@code value} (0..255, or {@link #UNKNOWN}). */
    void fill(int from, int to, int value) {
        Arrays.fill(g, from, Math.min(to, g.length), (short) value);
    }

    int get(int granule) {
        return g[granule];
    }

    /** The end of the run of granules equal to {@code get(from)}, starting at {@code from}, no further than {@code limit}. */
    int runEnd(int from, int limit) {
        short v = g[from];
        int i = from + 1;
        while (i < limit && g[i] == v) {
            i++;
        }
        return i;
    }
}
