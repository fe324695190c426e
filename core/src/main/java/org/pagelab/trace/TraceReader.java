package org.pagelab.trace;

import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A cursor over the accesses of one trace, read lazily from its file.
 *
 * <p>{@link #next()} moves to the next access and returns false at the end; the getters describe
 * the current access and allocate nothing. A reader is not thread-safe and must be closed.
 * Malformed input raises {@link TraceException} from {@code next()}; a trace never ends early
 * without one.
 */
public interface TraceReader extends AutoCloseable {

    /**
     * Moves to the next access.
     *
     * @return false at the end of the trace (the getters then keep the last access)
     * @throws TraceException when the input is malformed, cut short or its compression is corrupt
     */
    boolean next();

    /** What the current key counts. Requires: {@link #next()} returned true. */
    Access.Kind kind();

    /** The current virtual address or block number. Requires: {@link #next()} returned true. */
    long key();

    /** Whether the current access writes. Requires: {@link #next()} returned true. */
    boolean write();

    /**
     * The bytes the current access stands for, for byte-weighted miss ratios: the object's size in
     * an object trace, the bytes of the page a request covers when a request is split into pages,
     * and a page ({@value Access#PAGE_BYTES}) when the trace does not say.
     */
    default long size() {
        return Access.PAGE_BYTES;
    }

    /** The process of the current access, 0 when the trace does not say. */
    int pid();

    /**
     * The share of the trace file read so far, 0..1 (of its compressed bytes, when compressed;
     * input is read ahead in blocks), or -1 when unknown. For progress reports only.
     */
    default double fractionRead() {
        return -1;
    }

    /** The file this reader reads, as the user named it. */
    String file();

    /**
     * An error about the current access, placed where its record is: {@code FILE:LINE} in a text
     * trace, {@code FILE:byte N} in a binary one, the file alone when the reader cannot say.
     */
    default TraceException errorAtRecord(String problem) {
        return TraceException.of(file(), problem);
    }

    /** The page of the current access: virtual page number or file page index. */
    default long page() {
        return Access.pageOf(kind(), key());
    }

    /** The current access as a value. */
    default Access access() {
        return new Access(kind(), key(), write(), pid());
    }

    /** Feeds every remaining access to {@code sink}; returns how many there were. */
    default long drainTo(AccessSink sink) {
        long n = 0;
        while (next()) {
            sink.accept(kind(), key(), write(), pid());
            n++;
        }
        return n;
    }

    /** The remaining accesses as a lazy sequential stream; closing the stream closes the reader. */
    default Stream<Access> stream() {
        Spliterator<Access> split = new Spliterators.AbstractSpliterator<>(
                Long.MAX_VALUE, Spliterator.ORDERED | Spliterator.NONNULL) {
            @Override
            public boolean tryAdvance(Consumer<? super Access> action) {
                if (!next()) {
                    return false;
                }
                action.accept(access());
                return true;
            }
        };
        return StreamSupport.stream(split, false).onClose(this::close);
    }

    /** Releases the file; I/O failures on close are ignored (the trace is read-only). */
    @Override
    void close();
}
