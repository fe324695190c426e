package org.pagelab.trace;

/**
 * Splits each request of an object or block trace into the 4 KiB pages its bytes cover
 * ({@code pages=true} on the formats that have sizes): one access per page, each standing for the
 * request's bytes in that page ({@link TraceReader#size()}); a request of size 0 touches nothing.
 *
 * <ul>
 *   <li>{@link Mode#SECTORS}: the key is a 512-byte sector number (vscsi's {@code lbn}), so the
 *       bytes are {@code [key * 512, key * 512 + size)} of one disk and the pages are that disk's
 *       page numbers: two requests that overlap share pages.
 *   <li>{@link Mode#OBJECT}: the key names an object whose bytes are {@code [0, size)}; page
 *       {@code i} of object {@code id} has the key {@code (h(id) + i) mod 2^62} for a 64-bit hash
 *       h, so the pages of one object are consecutive keys and two objects' pages coincide only
 *       with the probability of a 62-bit hash collision. Objects are at most 2^40 bytes.
 * </ul>
 */
final class PageSplitReader implements TraceReader {

    /** How a request's key and size give its bytes. */
    enum Mode {
        OBJECT,
        SECTORS
    }

    private static final long KEY_MASK = (1L << 62) - 1;

    private final TraceReader inner;
    private final Mode mode;
    private long nextPage;
    private long pagesLeft;
    private long startByte;
    private long endByte;
    private long base;
    private long key;
    private long size;

    PageSplitReader(TraceReader inner, Mode mode) {
        this.inner = inner;
        this.mode = mode;
    }

    @Override
    public boolean next() {
        while (pagesLeft == 0) {
            if (!inner.next()) {
                return false;
            }
            long bytes = inner.size();
            if (bytes <= 0) {
                continue;
            }
            if (mode == Mode.OBJECT) {
                if (bytes > 1L << 40) {
                    throw inner.errorAtRecord("object of " + bytes + " bytes is too large to split into pages (at most"
                            + " 2^40)");
                }
                base = org.pagelab.policy.Shards.hash(inner.key()) & KEY_MASK;
                startByte = 0;
            } else {
                long sector = inner.key();
                if (sector < 0 || sector > (Long.MAX_VALUE - bytes) / 512) {
                    throw inner.errorAtRecord("block " + Long.toUnsignedString(sector) + " of " + bytes
                            + " bytes ends past byte 2^63: cannot be split into pages");
                }
                base = 0;
                startByte = sector * 512;
            }
            endByte = startByte + bytes;
            nextPage = startByte >>> Access.PAGE_SHIFT;
            pagesLeft = ((endByte - 1) >>> Access.PAGE_SHIFT) - nextPage + 1;
        }
        long page = nextPage++;
        pagesLeft--;
        key = mode == Mode.OBJECT ? (base + page) & KEY_MASK : page;
        size = Math.min(endByte, (page + 1) << Access.PAGE_SHIFT) - Math.max(startByte, page << Access.PAGE_SHIFT);
        return true;
    }

    @Override
    public TraceException errorAtRecord(String problem) {
        return inner.errorAtRecord(problem);
    }

    @Override
    public Access.Kind kind() {
        return Access.Kind.BLOCK;
    }

    @Override
    public long key() {
        return key;
    }

    @Override
    public boolean write() {
        return inner.write();
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public int pid() {
        return inner.pid();
    }

    @Override
    public String file() {
        return inner.file();
    }

    @Override
    public void close() {
        inner.close();
    }

    @Override
    public double fractionRead() {
        return inner.fractionRead();
    }
}
