package org.pagelab.trace;

import java.nio.charset.StandardCharsets;

/**
 * The constants of pagelab's compact binary trace format; the layout is drawn in the package
 * documentation. Header, then one record per access, then an end record holding the count.
 */
final class PagelabFormat {

    /** The first six bytes of every pagelab trace. */
    static final byte[] MAGIC = "PGLTRC".getBytes(StandardCharsets.US_ASCII);
    /** The format version this code reads and writes. */
    static final int VERSION = 1;
    /** Bytes of the header: magic, version, a reserved zero byte. */
    static final int HEADER = MAGIC.length + 2;

    /** Tag bit: the access writes. */
    static final int TAG_WRITE = 0x01;
    /** Tag bit: the key is a block number (else a virtual address). */
    static final int TAG_BLOCK = 0x02;
    /** Tag bit: a varint pid follows the tag (else the pid is the previous record's). */
    static final int TAG_PID = 0x04;
    /** The whole tag of the end record; a varint record count follows it. */
    static final int TAG_END = 0x80;
    /** The tag bits a record may set. */
    static final int TAG_RECORD_BITS = TAG_WRITE | TAG_BLOCK | TAG_PID;

    /** Longest varint of a 64-bit value. */
    static final int MAX_VARINT = 10;
    /** Longest record: tag, a 32-bit pid varint, a 64-bit delta varint. */
    static final int MAX_RECORD = 1 + 5 + MAX_VARINT;

    private PagelabFormat() {
    }

    /** Maps a signed delta to an unsigned one, small stays short: 0, -1, 1, -2 become 0, 1, 2, 3. */
    static long zigzag(long d) {
        return (d << 1) ^ (d >> 63);
    }

    /** The inverse of {@link #zigzag}. */
    static long unzigzag(long z) {
        return (z >>> 1) ^ -(z & 1);
    }
}
