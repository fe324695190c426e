package org.pagelab.desc;

/**
 * A shadow entry: what remains in a cache slot after reclaim evicted the folio that lived there.
 * Its one word is encoded by the workingset code (eviction time, LRU vector, workingset bit); to
 * everyone else it is opaque. Immutable.
 */
public final class Shadow implements CacheEntry {
    private final long word;

    private Shadow(long word) {
        this.word = word;
    }

    /** A shadow holding {@code word}. */
    public static Shadow of(long word) {
        return new Shadow(word);
    }

    /** The encoded word. */
    public long word() {
        return word;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shadow s && s.word == word;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(word);
    }

    @Override
    public String toString() {
        return "shadow[" + Long.toHexString(word) + "]";
    }
}
