package org.pagelab.desc;

/**
 * Frames carved into equal-sized kernel objects of one {@link SlabCache}, the kernel's struct slab.
 *
 * <p>Invariant: {@code inuse == objects - popcount(freeMap)}; checked by {@link #check()}.
 */
public final class SlabPage extends MemDesc {
    private final SlabCache cache;
    private final int objects;
    private final long[] freeMap;
    private int inuse;

    /** A slab of {@code cache} over 2^order frames, every object free. */
    public SlabPage(int pfn, int order, SlabCache cache) {
        super(pfn, order);
        this.cache = cache;
        this.objects = (int) (((long) nrPages() * PAGE_SIZE) / cache.objectSize());
        if (objects < 1) {
            throw new IllegalArgumentException("object of " + cache.objectSize() + " bytes does not fit order " + order);
        }
        this.freeMap = new long[(objects + 63) >>> 6];
        for (int i = 0; i < objects; i++) {
            freeMap[i >>> 6] |= 1L << i;
        }
    }

    public SlabCache cache() {
        return cache;
    }

    /** Object capacity of this slab. */
    public int objects() {
        return objects;
    }

    /** Objects currently allocated from this slab. */
    public int inuse() {
        return inuse;
    }

    public boolean isFull() {
        return inuse == objects;
    }

    /** Takes a free object and returns its slot number. Requires: not full. */
    public int allocObject() {
        for (int w = 0; w < freeMap.length; w++) {
            long bits = freeMap[w];
            if (bits != 0) {
                int b = Long.numberOfTrailingZeros(bits);
                freeMap[w] = bits & ~(1L << b);
                inuse++;
                return (w << 6) | b;
            }
        }
        throw new IllegalStateException("allocation from a full slab: " + this);
    }

    /** Frees object {@code slot}. Requires: the slot is allocated. */
    public void freeObject(int slot) {
        if (slot < 0 || slot >= objects) {
            throw new IllegalArgumentException("slot " + slot + " outside slab of " + objects + " objects");
        }
        long bit = 1L << slot;
        if ((freeMap[slot >>> 6] & bit) != 0) {
            throw new IllegalStateException("double free of slot " + slot + " in " + this);
        }
        freeMap[slot >>> 6] |= bit;
        inuse--;
    }

    /** Recounts the free map against {@code inuse}. */
    public void check() {
        int free = 0;
        for (long w : freeMap) {
            free += Long.bitCount(w);
        }
        if (objects - free != inuse) {
            throw new IllegalStateException("slab inuse " + inuse + " but free map says " + (objects - free) + ": " + this);
        }
    }

    @Override
    public String kind() {
        return "slab";
    }

    @Override
    protected String describeState() {
        return " cache=" + cache.name() + " inuse=" + inuse + "/" + objects;
    }
}
